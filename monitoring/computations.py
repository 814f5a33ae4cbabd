"""Registered calculations of computed indicators.

A calculation takes the district and the period and returns a ScopeResult (numerator,
denominator) for every scope it applies to — the district, each cluster of the period's year and
each organisation — using a few aggregate queries, never a loop over teachers.

Shares of teachers are declared (population + counted condition) rather than coded, so that all
shares over the same population are counted together: one pass per scope level for all of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from clusters.models import Organisation, Teacher

from . import expressions
from .calculations import ScopeResult
from .models import Period, ScopeKind

# A hand-written calculation gets the district, the period and the indicator's `parameters`
# (e.g. which questionnaire question and options a survey-based share counts).
Calculation = Callable[[int, Period, dict], list[ScopeResult]]


@dataclass(frozen=True)
class TeacherShare:
    """Share of a teacher population (`population`) meeting `condition`, by scope."""

    label: str
    population: str  # a key of POPULATIONS
    condition: Callable[[Period], Q]


@dataclass(frozen=True)
class Custom:
    label: str
    func: Calculation


_REGISTRY: dict[str, TeacherShare | Custom] = {}


def _community_members(district_id: int, period: Period) -> QuerySet[Teacher]:
    return Teacher.objects.filter(organisation__district_id=district_id).filter(
        expressions.community_member(period.starts_on, period.ends_on)
    )


def _working_teachers(district_id: int, period: Period) -> QuerySet[Teacher]:
    return Teacher.objects.filter(organisation__district_id=district_id, is_active=True)


POPULATIONS: dict[str, Callable[[int, Period], QuerySet[Teacher]]] = {
    "community_members": _community_members,
    "working_teachers": _working_teachers,
}


def register(code: str, label: str):
    """Register a hand-written calculation function."""

    def decorator(func: Calculation) -> Calculation:
        _REGISTRY[code] = Custom(label, func)
        return func

    return decorator


def register_teacher_share(code: str, label: str, population: str, condition: Callable[[Period], Q]) -> None:
    _REGISTRY[code] = TeacherShare(label, population, condition)


def registered_calculations() -> dict[str, str]:
    """code → Russian label, for the indicator form and validation."""
    return {code: entry.label for code, entry in _REGISTRY.items()}


def calculate(code: str, district_id: int, period: Period, parameters: dict | None = None) -> list[ScopeResult]:
    """One calculation for one period (tests, previews)."""
    return calculate_many([(code, code, parameters or {})], district_id, period)[code]


def calculate_many(
    requests: Iterable[tuple[object, str, dict]], district_id: int, period: Period
) -> dict[object, list[ScopeResult]]:
    """Results of several calculations for one period, keyed by the caller's key.

    `requests` are (key, calculation code, parameters). Teacher shares of one population share
    their queries; hand-written calculations get their parameters.
    """
    results: dict[object, list[ScopeResult]] = {}
    shares_by_population: dict[str, dict[object, Q]] = {}
    for key, code, parameters in requests:
        entry = _REGISTRY.get(code)
        if entry is None:
            raise LookupError(f"Функция расчёта «{code}» не зарегистрирована.")
        if isinstance(entry, TeacherShare):
            shares_by_population.setdefault(entry.population, {})[key] = entry.condition(period)
        else:
            results[key] = entry.func(district_id, period, parameters or {})
    for population, conditions in shares_by_population.items():
        teachers = POPULATIONS[population](district_id, period)
        results.update(teacher_shares_by_scope(teachers, conditions, period.year, district_id))
    return results


def teacher_shares_by_scope(
    teachers: QuerySet[Teacher], conditions: dict[object, Q], year: int, district_id: int
) -> dict[object, list[ScopeResult]]:
    """For each condition: teachers meeting it / all `teachers`, for the district, each cluster of
    `year` and each organisation. Three aggregate queries whatever the number of conditions.

    Each teacher row appears once per group (a teacher works in one organisation; an organisation
    is in a cluster at most once), so plain COUNTs are exact and need no DISTINCT. A teacher whose
    organisation sits in two clusters counts in both clusters, once in the district.
    """
    names = {code: f"n{index}" for index, code in enumerate(conditions)}
    counts = {names[code]: Count("pk", filter=condition) for code, condition in conditions.items()}
    counts["den"] = Count("pk")
    results: dict[str, list[ScopeResult]] = {code: [] for code in conditions}

    def collect(kind: str, rows, cluster_field=None, organisation_field=None):
        for row in rows:
            for code in conditions:
                results[code].append(ScopeResult(
                    kind, row[names[code]], row["den"],
                    cluster_id=row[cluster_field] if cluster_field else None,
                    organisation_id=row[organisation_field] if organisation_field else None,
                ))

    collect(ScopeKind.DISTRICT, [teachers.aggregate(**counts)])
    cluster_field = "organisation__cluster_memberships__cluster_id"
    collect(
        ScopeKind.CLUSTER,
        teachers.filter(
            organisation__cluster_memberships__cluster__year=year,
            organisation__cluster_memberships__cluster__district_id=district_id,
        ).values(cluster_field).annotate(**counts).order_by(),
        cluster_field=cluster_field,
    )
    collect(ScopeKind.ORGANISATION, teachers.values("organisation_id").annotate(**counts).order_by(),
            organisation_field="organisation_id")
    return results


@register("net_schools_share", "Доля ОУ района в профессиональных сетевых сообществах (кластерах)")
def net_schools_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    """Active organisations with a cluster membership in the year / active organisations."""
    totals = Organisation.objects.filter(district_id=district_id, is_active=True).aggregate(
        den=Count("pk", distinct=True),
        num=Count(
            "pk",
            filter=Q(cluster_memberships__cluster__year=period.year, cluster_memberships__cluster__district_id=district_id),
            distinct=True,
        ),
    )
    return [ScopeResult(ScopeKind.DISTRICT, totals["num"], totals["den"])]


register_teacher_share(
    "net_teachers_cpd_share",
    "Доля участников сетевых сообществ в непрерывном повышении квалификации",
    "community_members",
    lambda period: expressions.trained_within_window(period.ends_on),
)
register_teacher_share(
    "net_teachers_iom_share",
    "Доля участников сетевых сообществ, повышающих квалификацию на основе ИОМ",
    "community_members",
    lambda period: expressions.on_individual_route(period.starts_on, period.ends_on),
)
register_teacher_share(
    "net_teachers_innovation_share",
    "Доля участников сетевых сообществ в инновационном проектировании",
    "community_members",
    lambda period: expressions.in_innovation_project(period.starts_on, period.ends_on),
)
# Seed 001: teachers in at least one community during the period / all working teachers.
register_teacher_share(
    "community_participation_share",
    "Доля педагогов — участников профессиональных объединений",
    "working_teachers",
    lambda period: expressions.community_member(period.starts_on, period.ends_on),
)
