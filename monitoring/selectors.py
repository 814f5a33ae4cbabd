"""Reads of monitoring: programmes in the user's scope, the plan/fact table, dashboards, summaries."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from clusters.models import Cluster, Organisation
from clusters.selectors import scope_choices as registry_scope_choices
from clusters.selectors import scope_from_key as registry_scope_from_key
from core import charts
from core.fragments import BODY_CACHE_SECONDS, RowsDigest, body_key
from core.permissions import can
from core.scope import Scope, ScopeNotFound
from imc_portal.models import User

from . import workflow
from .calculations import Achievement, achievement, format_number, format_value
from .models import Indicator, Period, PeriodApproval, Programme, ScopeKind, Value
from .services import active_approvals

logger = logging.getLogger(__name__)


def programmes_for_user(user: User) -> QuerySet[Programme]:
    """The programmes of the user's district, for a role that reads monitoring (else none)."""
    if can(user, "monitoring.view") and user.district_id:
        return Programme.objects.filter(district_id=user.district_id)
    return Programme.objects.none()


def programme_list_for_user(user: User) -> QuerySet[Programme]:
    """`programmes_for_user` with each programme's number of indicators (the list prints it)."""
    return programmes_for_user(user).annotate(indicator_count=Count("indicators", distinct=True))


def programme_get_for_user(*, user: User, pk: int) -> Programme:
    try:
        return programmes_for_user(user).select_related("district").get(pk=pk)
    except Programme.DoesNotExist:
        raise Http404("Программа мониторинга не найдена.") from None


def scope_from_key(programme: Programme, key: str | None) -> Scope:
    """Parse "district" / "cluster:12" / "organisation:7" within the programme's district (else 404)."""
    try:
        return registry_scope_from_key(key, district=programme.district)
    except ScopeNotFound:
        raise Http404("Такого объекта мониторинга нет в вашем районе.") from None


PICKER_PREFIXES = {ScopeKind.DISTRICT: "Район: ", ScopeKind.ORGANISATION: "ОУ: "}


def _picker_choices(district) -> list[tuple[str, str]]:
    return [
        (scope.key, f"Кластер {scope.year}: {scope.name}" if scope.is_cluster
         else PICKER_PREFIXES[scope.kind] + scope.name)
        for scope in registry_scope_choices(district)
    ]


# What the picker shows besides the district's name: its clusters and active organisations (one query, compiled once).
_PICKER_ROWS = RowsDigest(lambda district_id: (
    Cluster.objects.filter(district_id=district_id).values_list("pk", "name", "year"),
    Organisation.objects.filter(district_id=district_id, is_active=True).values_list("pk", "short_name"),
))
PICKER_CODE = "scope-picker-1"  # bump when _picker_choices or registry scope_choices changes what it lists


def scope_choices(programme: Programme) -> list[tuple[str, str]]:
    """The district, then clusters (newest year first), then active organisations — for the scope picker.

    Built once per version of those rows and kept in the page-body cache (core/fragments.py): the key holds the
    district, its name and a digest of its clusters' and active organisations' rows, so a renamed, added,
    deactivated or deleted one is another key on the next read. The picker is the district's whatever the
    reader (the pages that show it admit the district's readers only)."""
    district = programme.district
    if district is None or district.pk is None:
        return _picker_choices(district)
    version = _PICKER_ROWS(district_id=district.pk)
    key = body_key("scope-picker", [district.pk, district.name], version, PICKER_CODE)
    cache = charts._chart_cache()
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down costs a rebuild, not the page
        logger.warning("scope picker cache unavailable for get", exc_info=True)
        return _picker_choices(district)
    if found is not None:
        return [tuple(choice) for choice in found]
    choices = _picker_choices(district)
    try:
        cache.set(key, choices, BODY_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("scope picker cache unavailable for set", exc_info=True)
    return choices


@dataclass
class Cell:
    period: Period
    value: Value | None
    status: str
    approval: PeriodApproval | None

    @property
    def locked(self) -> bool:
        """The period's state for this scope keeps its values unchanged (approved)."""
        return not workflow.values_editable(workflow.state_of(self.approval))

    @property
    def provenance(self) -> str:
        """«17 из 31» for computed facts; who typed an entered one."""
        v = self.value
        if v is None or v.fact is None:
            return ""
        if v.numerator is not None and v.denominator is not None:
            return f"{format_number(v.numerator, 0)} из {format_number(v.denominator, 0)}"
        if v.updated_by:
            return f"внёс(ла) {v.updated_by.display_name}"
        return ""


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell] = field(default_factory=list)

    def formatted(self, number: Decimal | None) -> str:
        return format_value(number, self.indicator.unit, self.indicator.decimals)


@dataclass
class Table:
    programme: Programme
    scope: Scope
    periods: list[Period]
    rows: list[Row]
    approvals: dict[int, PeriodApproval]

    @property
    def column_count(self) -> int:
        return 1 + 2 * len(self.periods)

    @property
    def sections(self) -> list[tuple[str, list[Row]]]:
        grouped: dict[str, list[Row]] = {}
        for row in self.rows:
            grouped.setdefault(row.indicator.section, []).append(row)
        return list(grouped.items())


def plan_fact_table(programme: Programme, scope: Scope, periods: list[Period] | None = None) -> Table:
    """Indicators × periods for one scope: three queries whatever the size."""
    periods = periods if periods is not None else list(programme.periods.order_by("ends_on"))
    indicators = list(programme.indicators.order_by("position", "pk"))
    values = {
        (v.indicator_id, v.period_id): v
        for v in Value.objects.filter(period__in=periods, scope_key=scope.key, indicator__programme=programme)
        .select_related("updated_by")
    }
    approvals = {period_id: a for (period_id, _), a in active_approvals(periods, [scope.key]).items()}
    rows = []
    for indicator in indicators:
        row = Row(indicator)
        for period in periods:
            value = values.get((indicator.pk, period.pk))
            status = achievement(value.plan if value else None, value.fact if value else None,
                                 indicator.direction, indicator.decimals)
            row.cells.append(Cell(period, value, status, approvals.get(period.pk)))
        rows.append(row)
    return Table(programme, scope, periods, rows, approvals)


def achievement_summary(table: Table, period: Period) -> dict:
    """The sentence a справка needs for one period, and the lists behind it."""
    achieved, failed, missing = [], [], []
    index = table.periods.index(period)
    for row in table.rows:
        {Achievement.ACHIEVED: achieved, Achievement.NOT_ACHIEVED: failed, Achievement.NO_DATA: missing}[
            row.cells[index].status
        ].append(row.indicator)
    if failed:
        names = "; ".join(f"«{i.name}»" for i in failed)
        sentence = f"Не достигнуты показатели: {names}."
    elif achieved and not missing:
        sentence = f"Все количественные показатели программы «{table.programme.name}» за {period.label} достигнуты."
    elif achieved:
        sentence = (f"Все показатели с данными за {period.label} достигнуты; нет данных по "
                    f"{len(missing)} показател{'ю' if len(missing) == 1 else 'ям'}.")
    else:
        sentence = f"Данных за {period.label} пока нет."
    return {"achieved": achieved, "not_achieved": failed, "no_data": missing, "sentence": sentence}


def cluster_comparison(indicator: Indicator, period: Period) -> list[tuple[Cluster, Value]]:
    """Facts of one indicator for each cluster of the period's year (dashboards)."""
    return cluster_comparisons([indicator], period)[indicator.pk]


def cluster_comparisons(indicators: list[Indicator], period: Period) -> dict[int, list[tuple[Cluster, Value]]]:
    """`cluster_comparison` of several indicators in one query (the dashboard: one, not one per indicator)."""
    pairs: dict[int, list[tuple[Cluster, Value]]] = {indicator.pk: [] for indicator in indicators}
    if not pairs:
        return pairs
    values = (
        Value.objects.filter(indicator__in=list(pairs), period=period, scope_kind=ScopeKind.CLUSTER)
        .select_related("cluster")
        .order_by("cluster__name", "cluster_id")
    )
    for value in values:
        pairs[value.indicator_id].append((value.cluster, value))
    return pairs


def value_get_for_user(*, user: User, pk: int) -> Value:
    try:
        return (
            Value.objects.select_related("indicator", "period", "indicator__programme", "cluster", "organisation")
            .filter(Q(indicator__programme__in=programmes_for_user(user)))
            .get(pk=pk)
        )
    except Value.DoesNotExist:
        raise Http404("Значение не найдено.") from None
