"""Dashboard content: plan vs fact dynamics per indicator and a comparison of clusters.

A fact without a plan is neither achieved nor «нет данных»: its bar has a state of its own, «план не
установлен» (NO_PLAN), drawn in the charts' series colour (core.charts paints a state it does not grade in
its first series colour, not in the grey of «нет данных»), and the card names its periods.
"""
from __future__ import annotations

from core.charts import Bar, bar_comparison_chart, plan_fact_chart
from core.scope import Scope

from .calculations import Achievement, achievement
from .models import Period, Programme, ScopeKind
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
