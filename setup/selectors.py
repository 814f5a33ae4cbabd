"""Reads of the setup wizard: the districts, each step's state and the import checklist.

A step is done from the data actually present, never from a flag the wizard sets: a district whose
organisations came from elsewhere is ticked all the same.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from clusters.models import ClusterMembership, CommunityMembership, District, Organisation, Teacher
from clusters.requisites import requisites_missing
from core.roles import Role
from imc_portal.models import User
from monitoring.models import Programme, Value


def districts() -> QuerySet[District]:
    return District.objects.select_related("region").order_by("region__name", "name")


def district_get(pk: int) -> District:
    try:
        return districts().get(pk=pk)
    except District.DoesNotExist:
        raise Http404("Район не найден.") from None


def district_users(district: District) -> QuerySet[User]:
    return (User.objects.filter(district=district).select_related("organisation")
            .order_by("role", "last_name", "first_name"))


def district_programmes(district: District) -> QuerySet[Programme]:
    return (Programme.objects.filter(district=district)
            .annotate(period_count=Count("periods", distinct=True), indicator_count=Count("indicators", distinct=True))
            .prefetch_related("periods").order_by("name"))


@dataclass
class ChecklistItem:
    key: str
    title: str
    why: str
    count: int
    count_label: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, path) for the methodist

    @property
    def done(self) -> bool:
        return self.count > 0


def checklist(district: District) -> list[ChecklistItem]:
    """The imports in the order they depend on each other, each ticked from the rows present."""
    organisations = Organisation.objects.filter(district=district).count()
    teachers = Teacher.objects.filter(organisation__district=district).count()
    memberships = (ClusterMembership.objects.filter(cluster__district=district).count()
                   + CommunityMembership.objects.filter(community__district=district).count())
    values = Value.objects.filter(district=district).filter(Q(plan__isnull=False) | Q(fact__isnull=False)).count()
    registry_import = reverse("clusters:import")
    plan_fact_links = [(f"План/факт: {programme.name}", reverse("monitoring:import", args=[programme.pk]))
                       for programme in Programme.objects.filter(district=district).order_by("name")]
    return [
        ChecklistItem(
            "organisations", "1. Организации",
            "Первыми: педагоги, участие в кластерах и значения по организациям ссылаются на код организации. "
            "Файл педагогов до организаций отклоняется целиком — ни одного кода ещё нет.",
            organisations, "организаций",
            [("Импорт организаций", f"{registry_import}?kind=organisations"),
             ("Шаблон", reverse("clusters:import_template", args=["organisations"]))],
        ),
        ChecklistItem(
            "teachers", "2. Педагоги",
            "После организаций: каждый педагог привязан к организации по столбцу «Код организации». Педагоги "
            "нужны сообществам, повышению квалификации и показателям по педагогам.",
            teachers, "педагогов",
            [("Импорт педагогов", f"{registry_import}?kind=teachers"),
             ("Шаблон", reverse("clusters:import_template", args=["teachers"]))],
        ),
        ChecklistItem(
            "memberships", "3. Участие в кластерах и сообществах",
            "После организаций и педагогов: участие в кластере года ссылается на код организации, участник "
            "сообщества — на педагога. Из участия вычисляются показатели сетевого взаимодействия.",
            memberships, "записей об участии",
            [("Импорт участия в кластерах", f"{registry_import}?kind=memberships"),
             ("Шаблон", reverse("clusters:import_template", args=["memberships"])),
             ("Сообщества (вносятся на странице сообщества)", reverse("clusters:community_list"))],
        ),
        ChecklistItem(
            "plan_fact", "4. План и факт показателей",
            "Последним: строка плана/факта называет показатель и период программы (шаг 3) и объект — район, "
            "кластер или код организации, которые уже должны быть в реестре. Вычисляемые факты появятся после "
            "«Пересчитать».",
            values, "значений",
            [*plan_fact_links, ("Шаблон", reverse("monitoring:import_template"))],
        ),
    ]


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url: str
    done: bool
    note: str


def progress(district: District | None) -> list[Step]:
    """The four steps of the wizard with what is done (for a district not yet saved: nothing)."""
    if district is None:
        return [Step("district", "1. Район и реквизиты ИМЦ", reverse("setup:district_new"), False, "не заполнено"),
                *(Step(key, title, "", False, "после шага 1") for key, title in (
                    ("users", "2. Первые пользователи"), ("programme", "3. Программа мониторинга"),
                    ("checklist", "4. Импорт данных")))]
    missing = requisites_missing(district)
    users = district_users(district)
    methodists = users.filter(role=Role.METHODIST).count()
    programmes = district_programmes(district)
    with_periods = [p for p in programmes if p.period_count]
    items = checklist(district)
    done_items = sum(item.done for item in items)
    return [
        Step("district", "1. Район и реквизиты ИМЦ", reverse("setup:district", args=[district.pk]), not missing,
             "заполнено" if not missing else "не заполнено: " + ", ".join(missing)),
        Step("users", "2. Первые пользователи", reverse("setup:users", args=[district.pk]), methodists > 0,
             f"пользователей: {users.count()}, методистов: {methodists}"),
        Step("programme", "3. Программа мониторинга", reverse("setup:programme", args=[district.pk]),
             bool(with_periods), f"программ с периодами: {len(with_periods)}"),
        Step("checklist", "4. Импорт данных", reverse("setup:checklist", args=[district.pk]),
             done_items == len(items), f"выполнено {done_items} из {len(items)}"),
    ]
