"""Dashboard content: plan vs fact dynamics per indicator and a comparison of clusters.

A fact without a plan is neither achieved nor «нет данных»: its bar has a state of its own, «план не
установлен» (NO_PLAN), drawn in the charts' series colour (core.charts paints a state it does not grade in
its first series colour, not in the grey of «нет данных»), and the card names its periods.

The page's body (heading, scope picker, charts) is rendered once per data version and served from the cache
(`dashboard_body`, core/fragments.py): its key holds the programme and the scope read, and a digest of every
row the body shows — the programme, its indicators and periods, the scope's values and every cluster value
(the comparisons), the district, its clusters and organisations (the picker, the labels). A typed or
recomputed value, a renamed cluster or an edited indicator is another key; a read of unchanged data costs
one query and a cache get instead of the table, the picker and the charts (issue 15.1).
"""
from __future__ import annotations

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from clusters.models import Cluster, District, Organisation
from core import fragments
from core.charts import Bar, bar_comparison_chart, plan_fact_chart
from core.scope import Scope

from . import calculations, selectors, units
from .calculations import Achievement, achievement
from .models import Indicator, Period, Programme, ScopeKind, Value
from .selectors import Table, cluster_comparisons, plan_fact_table
from .units import unit_maximum, unit_suffix

NO_PLAN = "no_plan"
NO_PLAN_LABEL = "план не установлен"


def _float(value):
    return float(value) if value is not None else None


def bar_status(status: str, plan, fact) -> str:
    """The cell's achievement, or NO_PLAN when there is a fact and no plan to judge it by."""
    if status == Achievement.NO_DATA and fact is not None and plan is None:
        return NO_PLAN
    return status


def programme_dashboard(programme: Programme, scope: Scope) -> dict:
    table = plan_fact_table(programme, scope)
    latest = table.periods[-1] if table.periods else None
    cluster_charts = _cluster_charts(table, latest) if latest is not None and scope.kind == ScopeKind.DISTRICT else []
    return {"table": table, "indicator_charts": _indicator_charts(table), "cluster_charts": cluster_charts,
            "latest_period": latest}


BODY_TEMPLATE = "monitoring/_dashboard_body.html"
_code = fragments.code_fingerprint(
    [BODY_TEMPLATE, "monitoring/_scope_picker.html"],
    [__file__, selectors.__file__, calculations.__file__, units.__file__, fragments.__file__],
)


def _dashboard_rows(programme_id: int, district_id: int, scope_key: str) -> list[QuerySet]:
    """Every row the dashboard of a scope shows."""
    return [
        Programme.objects.filter(pk=programme_id).values(),
        Indicator.objects.filter(programme_id=programme_id).values(),
        Period.objects.filter(programme_id=programme_id).values(),
        Value.objects.filter(indicator__programme_id=programme_id)
        .filter(Q(scope_key=scope_key) | Q(scope_kind=ScopeKind.CLUSTER)).values(),
        District.objects.filter(pk=district_id).values(),
        Cluster.objects.filter(district_id=district_id).values("id", "year", "name"),
        Organisation.objects.filter(district_id=district_id).values("id", "short_name", "is_active"),
    ]


_dashboard_digest = fragments.RowsDigest(_dashboard_rows)


def dashboard_version(programme: Programme, scope: Scope) -> str:
    """A digest of every row the dashboard of `scope` shows (one query on PostgreSQL)."""
    return _dashboard_digest(programme_id=programme.pk, district_id=programme.district_id, scope_key=scope.key)


def dashboard_body(programme: Programme, scope: Scope) -> SafeString:
    """The rendered body of the dashboard of `scope`, from the cache while its data is unchanged."""

    def render() -> str:
        return render_to_string(BODY_TEMPLATE, {
            "programme": programme, "scope": scope, "scope_choices": selectors.scope_choices(programme),
            **programme_dashboard(programme, scope),
        })

    return fragments.cached_body("monitoring-dashboard", [programme.pk, scope.key],
                                 dashboard_version(programme, scope), _code(), render)


def _indicator_charts(table: Table) -> list[dict]:
    """Plan and fact over the periods, one chart per indicator with any number; the axis ends at
    the unit's maximum (100 %, 10 points of a score) when it has one."""
    charts = []
    for row in table.rows:
        indicator = row.indicator
        bars = []
        for cell in row.cells:
            plan, fact = (cell.value.plan, cell.value.fact) if cell.value else (None, None)
            bars.append(Bar(cell.period.label, _float(fact), bar_status(cell.status, plan, fact), _float(plan)))
        if all(bar.value is None and bar.plan is None for bar in bars):
            continue
        svg = plan_fact_chart(bars, unit=unit_suffix(indicator.unit), decimals=indicator.decimals,
                              y_max=_float(unit_maximum(indicator.unit)), title="")
        charts.append({"indicator": indicator, "svg": svg, "row": row,
                       "no_plan_periods": [bar.label for bar in bars if bar.status == NO_PLAN]})
    return charts


def _cluster_charts(table: Table, latest: Period) -> list[dict]:
    """Facts of each computed indicator by cluster in the latest period, against its plan (one query for all)."""
    charts = []
    comparisons = cluster_comparisons([row.indicator for row in table.rows if row.indicator.is_computed], latest)
    for row in table.rows:
        indicator = row.indicator
        pairs = comparisons.get(indicator.pk, [])
        if not pairs:
            continue
        plan = row.cells[-1].value.plan if row.cells[-1].value else None
        statuses = [bar_status(achievement(plan, value.fact, indicator.direction, indicator.decimals), plan, value.fact)
                    for _, value in pairs]
        svg = bar_comparison_chart(
            [cluster.name for cluster, _ in pairs], [_float(value.fact) for _, value in pairs],
            unit=unit_suffix(indicator.unit), decimals=indicator.decimals, plan=_float(plan), statuses=statuses,
        )
        charts.append({"indicator": indicator, "svg": svg, "period": latest})
    return charts
