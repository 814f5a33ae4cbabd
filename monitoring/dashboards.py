"""Dashboard content: plan vs fact dynamics per indicator and a comparison of clusters."""
from __future__ import annotations

from core.charts import Bar, bar_comparison_chart, plan_fact_chart
from core.scope import Scope

from .calculations import achievement
from .models import Programme, ScopeKind, Unit
from .selectors import cluster_comparison, plan_fact_table

UNIT_SUFFIX = {Unit.PERCENT: "%"}
UNIT_MAX = {Unit.PERCENT: 100, Unit.SCORE: 10, Unit.INDEX: 1, Unit.YES_NO: 1}


def _float(value):
    return float(value) if value is not None else None


def programme_dashboard(programme: Programme, scope: Scope) -> dict:
    table = plan_fact_table(programme, scope)
    indicator_charts = []
    for row in table.rows:
        indicator = row.indicator
        bars = [
            Bar(cell.period.label, _float(cell.value.fact if cell.value else None), cell.status,
                _float(cell.value.plan if cell.value else None))
            for cell in row.cells
        ]
        if all(bar.value is None and bar.plan is None for bar in bars):
            continue
        svg = plan_fact_chart(bars, unit=UNIT_SUFFIX.get(indicator.unit, ""), decimals=indicator.decimals,
                              y_max=UNIT_MAX.get(indicator.unit), title="")
        indicator_charts.append({"indicator": indicator, "svg": svg, "row": row})

    cluster_charts = []
    latest = table.periods[-1] if table.periods else None
    if latest is not None and scope.kind == ScopeKind.DISTRICT:
        for row in table.rows:
            if not row.indicator.is_computed:
                continue
            pairs = cluster_comparison(row.indicator, latest)
            if not pairs:
                continue
            plan = row.cells[-1].value.plan if row.cells[-1].value else None
            statuses = [achievement(plan, value.fact, row.indicator.direction, row.indicator.decimals) for _, value in pairs]
            svg = bar_comparison_chart(
                [cluster.name for cluster, _ in pairs], [_float(value.fact) for _, value in pairs],
                unit=UNIT_SUFFIX.get(row.indicator.unit, ""), decimals=row.indicator.decimals,
                plan=_float(plan), statuses=statuses,
            )
            cluster_charts.append({"indicator": row.indicator, "svg": svg, "period": latest})
    return {"table": table, "indicator_charts": indicator_charts, "cluster_charts": cluster_charts,
            "latest_period": latest}
