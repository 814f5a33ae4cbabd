"""Dashboard content: plan vs fact dynamics per indicator and a comparison of clusters."""
from __future__ import annotations

from core.charts import Bar, bar_comparison_chart, plan_fact_chart
from core.scope import Scope

from .calculations import achievement
from .models import Period, Programme, ScopeKind
from .selectors import Table, cluster_comparison, plan_fact_table
from .units import unit_maximum, unit_suffix


def _float(value):
    return float(value) if value is not None else None


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
        bars = [
            Bar(cell.period.label, _float(cell.value.fact if cell.value else None), cell.status,
                _float(cell.value.plan if cell.value else None))
            for cell in row.cells
        ]
        if all(bar.value is None and bar.plan is None for bar in bars):
            continue
        svg = plan_fact_chart(bars, unit=unit_suffix(indicator.unit), decimals=indicator.decimals,
                              y_max=_float(unit_maximum(indicator.unit)), title="")
        charts.append({"indicator": indicator, "svg": svg, "row": row})
    return charts


def _cluster_charts(table: Table, latest: Period) -> list[dict]:
    """Facts of each computed indicator by cluster in the latest period, against its plan."""
    charts = []
    for row in table.rows:
        indicator = row.indicator
        pairs = cluster_comparison(indicator, latest) if indicator.is_computed else []
        if not pairs:
            continue
        plan = row.cells[-1].value.plan if row.cells[-1].value else None
        statuses = [achievement(plan, value.fact, indicator.direction, indicator.decimals) for _, value in pairs]
        svg = bar_comparison_chart(
            [cluster.name for cluster, _ in pairs], [_float(value.fact) for _, value in pairs],
            unit=unit_suffix(indicator.unit), decimals=indicator.decimals, plan=_float(plan), statuses=statuses,
        )
        charts.append({"indicator": indicator, "svg": svg, "period": latest})
    return charts
