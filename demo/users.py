"""Demo accounts, one per role, bound to the demo districts and the demo school."""
from __future__ import annotations

from dataclasses import dataclass

from demo.registry.districts import FRUNZENSKY, KIROVSKY, KRASNOSELSKY, SAYANSK
from demo.registry.frunzensky import DEMO_SCHOOL_CODE
from imc_portal.models import Role

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
    DemoUser("metodist_kirov", Role.METHODIST, "Петрова", "Анна", "Сергеевна",
             "Методист ИМЦ Кировского района", KIROVSKY),
    DemoUser("metodist_krasnoe", Role.METHODIST, "Громова", "Светлана", "Юрьевна",
             "Методист ГБУ ИМЦ Красносельского района", KRASNOSELSKY),
    DemoUser("metodist_sayansk", Role.METHODIST, "Лукина", "Татьяна", "Викторовна",
             "Методист МКУ «ЦРО» г. Саянска", SAYANSK),
)

# The methodist who curates each district's clusters and communities.
CURATORS = {FRUNZENSKY: "metodist", KIROVSKY: "metodist_kirov", KRASNOSELSKY: "metodist_krasnoe",
            SAYANSK: "metodist_sayansk"}
