"""Registered calculations of computed indicators.

A calculation takes the district and the period and returns a ScopeResult (numerator,
denominator) for every scope it applies to — the district, each cluster of the period's year and
each organisation — using a few aggregate queries, never a loop over teachers.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Exists, Q, QuerySet

from clusters.models import Organisation, Teacher

from . import expressions
from .calculations import ScopeResult
from .models import Period, ScopeKind

Calculation = Callable[[int, Period], list[ScopeResult]]
_REGISTRY: dict[str, tuple[str, Calculation]] = {}


def register(code: str, label: str):
    def decorator(func: Calculation) -> Calculation:
        _REGISTRY[code] = (label, func)
        return func

    return decorator


def registered_calculations() -> dict[str, str]:
    """code → Russian label, for the indicator form and validation."""
    return {code: label for code, (label, _) in _REGISTRY.items()}


def calculate(code: str, district_id: int, period: Period) -> list[ScopeResult]:
    try:
        _, func = _REGISTRY[code]
    except KeyError:
        raise LookupError(f"Функция расчёта «{code}» не зарегистрирована.") from None
    return func(district_id, period)


def teacher_share_by_scope(
    teachers: QuerySet[Teacher], counted: Exists | Q, year: int, district_id: int
) -> list[ScopeResult]:
    """Share of `teachers` meeting `counted`, for the district, each cluster of `year`, each organisation.

    Three aggregate queries. A teacher whose organisation sits in two clusters counts in both
    clusters, once in the district.
    """
    numerator = Count("pk", filter=counted, distinct=True)
    denominator = Count("pk", distinct=True)
    results: list[ScopeResult] = []

    totals = teachers.aggregate(num=numerator, den=denominator)
    results.append(ScopeResult(ScopeKind.DISTRICT, totals["num"], totals["den"]))

    by_cluster = (
        teachers.filter(
            organisation__cluster_memberships__cluster__year=year,
            organisation__cluster_memberships__cluster__district_id=district_id,
        )
        .values("organisation__cluster_memberships__cluster_id")
        .annotate(num=numerator, den=denominator)
        .order_by()
    )
    results += [
        ScopeResult(ScopeKind.CLUSTER, row["num"], row["den"], cluster_id=row["organisation__cluster_memberships__cluster_id"])
        for row in by_cluster
    ]

    by_organisation = teachers.values("organisation_id").annotate(num=numerator, den=denominator).order_by()
    results += [
        ScopeResult(ScopeKind.ORGANISATION, row["num"], row["den"], organisation_id=row["organisation_id"])
        for row in by_organisation
    ]
    return results


def _community_members(district_id: int, period: Period) -> QuerySet[Teacher]:
    return Teacher.objects.filter(organisation__district_id=district_id).filter(
        expressions.community_member(period.starts_on, period.ends_on)
    )


@register("net_schools_share", "Доля ОУ района в профессиональных сетевых сообществах (кластерах)")
def net_schools_share(district_id: int, period: Period) -> list[ScopeResult]:
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


@register("net_teachers_cpd_share", "Доля участников сетевых сообществ в непрерывном повышении квалификации")
def net_teachers_cpd_share(district_id: int, period: Period) -> list[ScopeResult]:
    return teacher_share_by_scope(
        _community_members(district_id, period), expressions.trained_within_window(period.ends_on), period.year, district_id
    )


@register("net_teachers_iom_share", "Доля участников сетевых сообществ, повышающих квалификацию на основе ИОМ")
def net_teachers_iom_share(district_id: int, period: Period) -> list[ScopeResult]:
    return teacher_share_by_scope(
        _community_members(district_id, period),
        expressions.on_individual_route(period.starts_on, period.ends_on),
        period.year,
        district_id,
    )


@register("net_teachers_innovation_share", "Доля участников сетевых сообществ в инновационном проектировании")
def net_teachers_innovation_share(district_id: int, period: Period) -> list[ScopeResult]:
    return teacher_share_by_scope(
        _community_members(district_id, period),
        expressions.in_innovation_project(period.starts_on, period.ends_on),
        period.year,
        district_id,
    )


@register("community_participation_share", "Доля педагогов — участников профессиональных объединений")
def community_participation_share(district_id: int, period: Period) -> list[ScopeResult]:
    """Seed 001: teachers in at least one community during the period / all working teachers."""
    teachers = Teacher.objects.filter(organisation__district_id=district_id, is_active=True)
    return teacher_share_by_scope(
        teachers, expressions.community_member(period.starts_on, period.ends_on), period.year, district_id
    )
