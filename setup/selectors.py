"""Reads of the setup wizard: the districts, each step's state and the import checklist.

A step is done from the data actually present, never from a flag the wizard sets: a district whose
organisations came from elsewhere is ticked all the same. The counts behind the ticks are grouped
queries over all the districts asked for (`district_counts`), so the list of districts costs the same
number of queries for 4 districts or 18.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from clusters.models import (
    ClusterMembership,
    CommunityMembership,
    District,
    MethodCentre,
    Organisation,
    Teacher,
)
from clusters.requisites import centre_missing
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


@dataclass(frozen=True)
class DistrictCounts:
    missing: list[str]  # required ИМЦ requisites not filled
    users: int = 0
    methodists: int = 0
    programmes_with_periods: int = 0
    organisations: int = 0
    teachers: int = 0
    memberships: int = 0  # cluster memberships + community memberships
    values: int = 0  # plan/fact values with a plan or a fact


def _grouped(queryset, key: str, **aggregates) -> dict[int, dict]:
    return {row[key]: row for row in queryset.values(key).annotate(**aggregates).order_by()}


def district_counts(district_list: Iterable[District]) -> dict[int, DistrictCounts]:
    """What each district already holds, in a fixed number of grouped queries."""
    ids = [district.pk for district in district_list]
    centres = {centre.district_id: centre for centre in MethodCentre.objects.filter(district_id__in=ids)}
    users = _grouped(User.objects.filter(district_id__in=ids), "district", n=Count("pk"),
                     methodists=Count("pk", filter=Q(role=Role.METHODIST)))
    programmes = _grouped(Programme.objects.filter(district_id__in=ids, periods__isnull=False), "district",
                          n=Count("pk", distinct=True))
    organisations = _grouped(Organisation.objects.filter(district_id__in=ids), "district", n=Count("pk"))
    teachers = _grouped(Teacher.objects.filter(organisation__district_id__in=ids), "organisation__district",
                        n=Count("pk"))
    clusters = _grouped(ClusterMembership.objects.filter(cluster__district_id__in=ids), "cluster__district",
                        n=Count("pk"))
    communities = _grouped(CommunityMembership.objects.filter(community__district_id__in=ids),
                           "community__district", n=Count("pk"))
    values = _grouped(Value.objects.filter(district_id__in=ids).filter(Q(plan__isnull=False) | Q(fact__isnull=False)),
                      "district", n=Count("pk"))

    def n(rows: dict[int, dict], pk: int, name: str = "n") -> int:
        return rows.get(pk, {}).get(name, 0)

    return {
        pk: DistrictCounts(
            missing=centre_missing(centres.get(pk)), users=n(users, pk), methodists=n(users, pk, "methodists"),
            programmes_with_periods=n(programmes, pk), organisations=n(organisations, pk),
            teachers=n(teachers, pk), memberships=n(clusters, pk) + n(communities, pk), values=n(values, pk),
        )
        for pk in ids
    }


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


def checklist(district: District, counts: DistrictCounts | None = None, *, links: bool = True) -> list[ChecklistItem]:
    """The imports in the order they depend on each other, each ticked from the rows present."""
    counts = counts or district_counts([district])[district.pk]
    registry_import = reverse("clusters:import")
    plan_fact_links = [(f"План/факт: {programme.name}", reverse("monitoring:import", args=[programme.pk]))
                       for programme in Programme.objects.filter(district=district).order_by("name")] if links else []
    return [
        ChecklistItem(
            "organisations", "1. Организации",
            "Первыми: педагоги, участие в кластерах и значения по организациям ссылаются на код организации. "
            "Файл педагогов до организаций отклоняется целиком — ни одного кода ещё нет.",
            counts.organisations, "организаций",
            [("Импорт организаций", f"{registry_import}?kind=organisations"),
             ("Шаблон", reverse("clusters:import_template", args=["organisations"]))],
        ),
        ChecklistItem(
            "teachers", "2. Педагоги",
            "После организаций: каждый педагог привязан к организации по столбцу «Код организации». Педагоги "
            "нужны сообществам, повышению квалификации и показателям по педагогам.",
            counts.teachers, "педагогов",
            [("Импорт педагогов", f"{registry_import}?kind=teachers"),
             ("Шаблон", reverse("clusters:import_template", args=["teachers"]))],
        ),
        ChecklistItem(
            "memberships", "3. Участие в кластерах и сообществах",
            "После организаций и педагогов: участие в кластере года ссылается на код организации, участник "
            "сообщества — на педагога. Из участия вычисляются показатели сетевого взаимодействия.",
            counts.memberships, "записей об участии",
            [("Импорт участия в кластерах", f"{registry_import}?kind=memberships"),
             ("Шаблон", reverse("clusters:import_template", args=["memberships"])),
             ("Сообщества (вносятся на странице сообщества)", reverse("clusters:community_list"))],
        ),
        ChecklistItem(
            "plan_fact", "4. План и факт показателей",
            "Последним: строка плана/факта называет показатель и период программы (шаг 3) и объект — район, "
            "кластер или код организации, которые уже должны быть в реестре. Вычисляемые факты появятся после "
            "«Пересчитать».",
            counts.values, "значений",
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


def progress(district: District | None, counts: DistrictCounts | None = None) -> list[Step]:
    """The four steps of the wizard with what is done (for a district not yet saved: nothing)."""
    if district is None:
        return [Step("district", "1. Район и реквизиты ИМЦ", reverse("setup:district_new"), False, "не заполнено"),
                *(Step(key, title, "", False, "после шага 1") for key, title in (
                    ("users", "2. Первые пользователи"), ("programme", "3. Программа мониторинга"),
                    ("checklist", "4. Импорт данных")))]
    counts = counts or district_counts([district])[district.pk]
    items = checklist(district, counts, links=False)
    done_items = sum(item.done for item in items)
    return [
        Step("district", "1. Район и реквизиты ИМЦ", reverse("setup:district", args=[district.pk]),
             not counts.missing, "заполнено" if not counts.missing else "не заполнено: " + ", ".join(counts.missing)),
        Step("users", "2. Первые пользователи", reverse("setup:users", args=[district.pk]), counts.methodists > 0,
             f"пользователей: {counts.users}, методистов: {counts.methodists}"),
        Step("programme", "3. Программа мониторинга", reverse("setup:programme", args=[district.pk]),
             counts.programmes_with_periods > 0, f"программ с периодами: {counts.programmes_with_periods}"),
        Step("checklist", "4. Импорт данных", reverse("setup:checklist", args=[district.pk]),
             done_items == len(items), f"выполнено {done_items} из {len(items)}"),
    ]


def wizard_rows(district_list: list[District]) -> list[tuple[District, list[Step], int]]:
    """Every district with its steps and how many are done, for the wizard's start page."""
    counts = district_counts(district_list)
    rows = []
    for district in district_list:
        steps = progress(district, counts[district.pk])
        rows.append((district, steps, sum(step.done for step in steps)))
    return rows
