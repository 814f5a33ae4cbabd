"""Demo accounts, one per role, bound to the demo districts and the demo school; created once, never reset."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clusters.models import District, Region
from demo.registry.districts import FRUNZENSKY, KIROVSKY, KRASNOSELSKY, SAYANSK, SPB
from demo.registry.frunzensky import DEMO_SCHOOL_CODE
from imc_portal.models import Role, User

DEFAULT_PASSWORD = "demo12345"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    district_code: str | None = None
    organisation_code: str | None = None  # inside district_code
    is_superuser: bool = False
    region_name: str | None = None  # the city level: the region whose districts it reads

    @property
    def email(self) -> str:
        return f"{self.username}@imc-demo.example"


# Names are INVENTED except the Frunzensky director's (seed 002: «О.А. Римкявичене»).
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", Role.PORTAL_ADMIN, "Орлов", "Денис", "Игоревич", "Администратор портала",
             is_superuser=True),
    DemoUser("metodist", Role.METHODIST, "Смирнова", "Мария", "Викторовна",
             "Методист ГБУ «ИМЦ» Фрунзенского района", FRUNZENSKY),
    DemoUser("direktor", Role.DIRECTOR, "Римкявичене", "Ольга", "Александровна",
             "Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга", FRUNZENSKY),
    DemoUser("admin_ou", Role.SCHOOL_ADMIN, "Кузнецова", "Ирина", "Владимировна",
             "Заместитель директора по учебно-воспитательной работе", FRUNZENSKY, DEMO_SCHOOL_CODE),
    DemoUser("nablyudatel", Role.OBSERVER, "Васильева", "Елена", "Николаевна",
             "Главный специалист отдела образования администрации Фрунзенского района", FRUNZENSKY),
    # The city level (issue 14, item 8): reads the three Saint Petersburg districts, compares them, writes nothing.
    DemoUser("gorod", Role.CITY, "Белова", "Ольга", "Игоревна", "Главный специалист комитета по образованию",
             region_name=SPB),
    DemoUser("metodist_kirov", Role.METHODIST, "Петрова", "Анна", "Сергеевна",
             "Методист ИМЦ Кировского района", KIROVSKY),
    # A Kirovsky school that takes part in both demo self-diagnostics (demo/diagnostics_kirovsky.py): she approved
    # some of its teachers' proposed ИОМ; the rest wait for her.
    DemoUser("admin_ou_kirov", Role.SCHOOL_ADMIN, "Фёдорова", "Наталья", "Павловна",
             "Заместитель директора по учебно-воспитательной работе", KIROVSKY, "KIR-S244"),
    DemoUser("metodist_krasnoe", Role.METHODIST, "Громова", "Светлана", "Юрьевна",
             "Методист ГБУ ИМЦ Красносельского района", KRASNOSELSKY),
    DemoUser("metodist_sayansk", Role.METHODIST, "Лукина", "Татьяна", "Викторовна",
             "Методист МКУ «ЦРО» г. Саянска", SAYANSK),
)

# The methodist who curates each district's clusters and communities.
CURATORS = {FRUNZENSKY: "metodist", KIROVSKY: "metodist_kirov", KRASNOSELSKY: "metodist_krasnoe",
            SAYANSK: "metodist_sayansk"}


def users_load(
    users: Sequence[DemoUser], password: str, *, org_ids: dict[tuple[str, str], int], districts: dict[str, District],
) -> tuple[dict[str, User], list[str]]:
    """Create the demo users that are missing; returns (username → user, usernames created now).

    An account that exists is left exactly as it is — its password above all: a methodist who
    changed hers keeps it after a rerun (only `load_demo --reset` rebuilds the accounts).
    Accounts are created the way the portal administrator creates them in Django admin (the
    product has no account service): a user row with a hashed password.
    """
    existing = {u.username: u for u in User.objects.filter(username__in=[spec.username for spec in users])}
    created = []
    for spec in users:
        if spec.username in existing:
            continue
        user = User(
            username=spec.username, role=spec.role, first_name=spec.first_name, last_name=spec.last_name,
            patronymic=spec.patronymic, position=spec.position, email=spec.email,
            district=districts[spec.district_code] if spec.district_code else None,
            organisation_id=org_ids[(spec.district_code, spec.organisation_code)] if spec.organisation_code else None,
            is_superuser=spec.is_superuser, is_staff=spec.is_superuser,
            region=Region.objects.get(name=spec.region_name) if spec.region_name else None,
        )
        user.set_password(password)
        user.save()
        existing[spec.username] = user
        created.append(spec.username)
    return existing, created
