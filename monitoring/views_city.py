"""The city level's comparison of districts (monitoring/city.py): the page with its chart, and its XLSX.

Read-only by construction: GET only, `monitoring.compare_districts` (the city role and the portal
admin); the districts are the user's (clusters.city.districts_for_user).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from clusters.city import districts_for_user
from clusters.models import District, Region
from core.charts import bar_comparison_chart
from core.permissions import require
from core.xlsx import XlsxColumn, XlsxSheet, build_workbook_sheets, xlsx_response

from . import city
from .calculations import Achievement, format_number, format_value
from .dashboards import bar_status
from .units import Unit, unit_maximum, unit_suffix

CAPABILITY = "monitoring.compare_districts"
# The chart's drawing: 4.2 in wide (plus the names) at 12 pt shows ~1:1 on a 390 px phone; CSS (.chart-bars) caps it on a desktop.
CHART_WIDTH_INCHES = 4.2
CHART_FONT_SIZE = 12


@dataclass
class Chosen:
    districts: QuerySet[District]  # the user's districts, narrowed to the chosen region
    regions: list[Region]  # offered only when the user's districts lie in more than one (the portal admin)
    region_id: int | None
    programmes: list[city.ProgrammeChoice]
    periods: list[city.PeriodChoice]
    programme_code: str | None
    period_label: str | None
    problems: list[str]

    @property
    def query(self) -> str:
        """The choice as a query string for the XLSX and the справка links."""
        return urlencode({"region": self.region_id or "", "programme": self.programme_code or "",
                          "period": self.period_label or ""})


def _region(districts: QuerySet[District], raw: str, problems: list[str]):
    regions = list(Region.objects.filter(districts__in=districts).distinct().order_by("name"))
    raw = (raw or "").strip()
    if not raw:
        return districts, regions, None
    region = next((r for r in regions if str(r.pk) == raw), None)
    if region is None:
        problems.append("Такого региона нет среди доступных вам — показаны все районы.")
        return districts, regions, None
    return districts.filter(region=region), regions, region.pk


def choose(districts: QuerySet[District], params) -> Chosen:
    """The region, programme code and period label asked for, else all regions, the most shared programme and its
    latest period. A value that is not among the choices is named in a Russian message and the default is shown.
    """
    problems: list[str] = []
    districts, regions, region_id = _region(districts, params.get("region"), problems)
    programmes = city.programme_choices(districts)
    codes = [p.code for p in programmes]
    code = (params.get("programme") or "").strip()
    if code and code not in codes:
        problems.append(f"Программы с кодом «{code}» нет ни в одном районе — показана другая.")
        code = ""
    code = code or (codes[0] if codes else None)
    periods = city.period_choices(districts, code) if code else []
    labels = [p.label for p in periods]
    label = (params.get("period") or "").strip()
    if label and label not in labels:
        problems.append(f"Периода «{label}» в этой программе нет — показан последний.")
        label = ""
    label = label or (labels[0] if labels else None)
    return Chosen(districts, regions if len(regions) > 1 else [], region_id, programmes, periods, code, label,
                  problems)


def _chart(comparison: city.Comparison, code: str | None):
    column = next((c for c in comparison.indicators if c.code == code), None) or \
        (comparison.indicators[0] if comparison.indicators else None)
    if column is None or not comparison.has_values:
        return None, None
    cells = [row.cells.get(column.code) for row in comparison.rows]
    # A bar per district with its name beside it, the chart as tall as the districts need; the long indicator
    # name is the page's <figcaption> (drawn inside, it widened the SVG and shrank every label to ~4 px).
    svg = bar_comparison_chart(
        [row.district.name for row in comparison.rows],
        [float(c.fact) if c and c.fact is not None else None for c in cells],
        title=f"{column.name}: факт {comparison.period_label}", title_drawn=False,
        unit=unit_suffix(column.unit), decimals=column.decimals,
        statuses=[bar_status(c.status, c.plan, c.fact) if c else Achievement.NO_DATA for c in cells],
        x_max=float(unit_maximum(column.unit)) if unit_maximum(column.unit) is not None else None,
        width=CHART_WIDTH_INCHES, font_size=CHART_FONT_SIZE,
    )
    return column, svg


@require_GET
def city_comparison(request):
    require(request.user, CAPABILITY)
    chosen = choose(districts_for_user(request.user), request.GET)
    for problem in chosen.problems:
        messages.warning(request, problem)
    comparison = (city.comparison(chosen.districts, chosen.programme_code, chosen.period_label)
                  if chosen.programme_code and chosen.period_label else None)
    chart_column, chart = _chart(comparison, request.GET.get("indicator")) if comparison else (None, None)
    return render(request, "monitoring/city_comparison.html", {
        "chosen": chosen, "comparison": comparison, "chart": chart, "chart_column": chart_column,
        "rows": table_rows(comparison) if comparison else [], "rollup": rollup_cells(comparison) if comparison else [],
        "district_count": len(comparison.rows) if comparison else chosen.districts.count(),
        "achievement_labels": Achievement.LABELS,
        "export_url": f"{reverse('monitoring:city_comparison_export')}?{chosen.query}",
        "report_url": f"{reverse('reports:city_report')}?{chosen.query}",
    })


def comparison_sheets(comparison: city.Comparison) -> list[XlsxSheet]:
    """Two sheets: «Районы» (a row per district × indicator) and «Город» (the rollup per indicator)."""
    detail = [
        [row.district.name, column.code, column.name, unit_suffix(column.unit) or Unit(column.unit).label,
         cell.plan if cell else None, cell.fact if cell else None, cell.percent if cell else None,
         Achievement.LABELS[cell.status] if cell else Achievement.LABELS[Achievement.NO_DATA]]
        for row in comparison.rows for column in comparison.indicators
        for cell in [row.cells.get(column.code)]
    ]
    rollup = [
        [column.code, column.name, column.districts_with_fact, column.plan_mean, column.fact_mean,
         column.percent_of_mean_plan, column.fact_min, column.fact_max, column.achieved]
        for column in comparison.indicators
    ]
    return [
        XlsxSheet("Районы", [
            XlsxColumn("Район", width=28), XlsxColumn("Код показателя", width=24, text=True),
            XlsxColumn("Показатель", width=50), XlsxColumn("Единица", width=12), XlsxColumn("План", width=10),
            XlsxColumn("Факт", width=10), XlsxColumn("% плана", width=10), XlsxColumn("Достижение", width=16),
        ], detail),
        XlsxSheet("Город", [
            XlsxColumn("Код показателя", width=24, text=True), XlsxColumn("Показатель", width=50),
            XlsxColumn("Районов с фактом", width=12), XlsxColumn("План, среднее", width=12),
            XlsxColumn("Факт, среднее", width=12), XlsxColumn("% плана (по средним)", width=14),
            XlsxColumn("Факт, минимум", width=12), XlsxColumn("Факт, максимум", width=12),
            XlsxColumn("Районов, достигших плана", width=14),
        ], rollup),
    ]


@require_GET
def city_comparison_export(request):
    require(request.user, CAPABILITY)
    chosen = choose(districts_for_user(request.user), request.GET)
    if not (chosen.programme_code and chosen.period_label):
        comparison = city.Comparison("", "", "", [], [])
    else:
        comparison = city.comparison(chosen.districts, chosen.programme_code, chosen.period_label)
    content = build_workbook_sheets(comparison_sheets(comparison))
    name = f"сравнение_районов_{comparison.programme_code}_{comparison.period_label}".rstrip("_")
    return xlsx_response(content, f"{name}.xlsx")


def table_rows(comparison: city.Comparison) -> list[dict]:
    """The page's table as texts: a row per district, plan / fact / % of plan per indicator."""
    rows = []
    for row in comparison.rows:
        cells = []
        for column in comparison.indicators:
            cell = row.cells.get(column.code)
            cells.append({
                "plan": format_value(cell.plan if cell else None, column.unit, column.decimals),
                "fact": format_value(cell.fact if cell else None, column.unit, column.decimals),
                "percent": format_number(cell.percent if cell else None, city.PERCENT_OF_PLAN_DECIMALS),
                "status": bar_status(cell.status, cell.plan, cell.fact) if cell else Achievement.NO_DATA,
            })
        rows.append({"district": row.district, "cells": cells})
    return rows


def rollup_cells(comparison: city.Comparison) -> list[dict]:
    return [{
        "plan": format_value(column.plan_mean, column.unit, column.decimals),
        "fact": format_value(column.fact_mean, column.unit, column.decimals),
        "percent": format_number(column.percent_of_mean_plan, city.PERCENT_OF_PLAN_DECIMALS),
        "achieved": column.achieved, "with_fact": column.districts_with_fact,
    } for column in comparison.indicators]
