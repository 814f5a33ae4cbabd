"""The city справка: one programme code rolled up over the districts of a region, as a PDF file.

Why not a registered kind of `reports/kinds/`: a `Report` belongs to one district (its FK, the
district's ИМЦ numbering, letterhead and director's approval and signature), and a city справка has
no district. Until `Report` can name a region instead (a reports migration, not part of this
change), the city справка is a kind of its own parameterised by the user's districts (a city user's
region, every district for the portal admin), a programme code and a period label, rendered on
request as an unnumbered file — the same numbers as the comparison page and its XLSX
(monitoring/city.py), a table and a chart per indicator and a generated conclusion.

`build_context` is a plain function tested without rendering; `render_city_pdf` is the one call to
the PDF renderer.
"""
from __future__ import annotations

from django.utils import timezone

from core import formatting
from core.charts import bar_comparison_chart
from monitoring import city
from monitoring.calculations import Achievement, format_number, format_value
from monitoring.units import unit_maximum, unit_suffix

from .rendering import render_html, render_pdf

CODE = "city"
LABEL = "Справка по городу: сравнение районов"
HEADING = "АНАЛИТИЧЕСКАЯ СПРАВКА"
TEMPLATE = "reports/pdf/city.html"


def _region_name(comparison: city.Comparison) -> str:
    regions = sorted({row.district.region.name for row in comparison.rows})
    return ", ".join(regions)


def _indicator_block(comparison: city.Comparison, column: city.IndicatorColumn, *, charts: bool) -> dict:
    rows = []
    for row in comparison.rows:
        cell = row.cells.get(column.code)
        rows.append({
            "district": row.district.name,
            "plan": format_value(cell.plan if cell else None, column.unit, column.decimals),
            "fact": format_value(cell.fact if cell else None, column.unit, column.decimals),
            "percent": format_number(cell.percent if cell else None, city.PERCENT_OF_PLAN_DECIMALS),
            "status": cell.status if cell else Achievement.NO_DATA,
        })
    svg = None
    if charts and column.districts_with_fact:
        cells = [row.cells.get(column.code) for row in comparison.rows]
        maximum = unit_maximum(column.unit)
        svg = bar_comparison_chart(
            [row.district.name for row in comparison.rows],
            [float(c.fact) if c and c.fact is not None else None for c in cells],
            unit=unit_suffix(column.unit), decimals=column.decimals,
            statuses=[c.status if c else Achievement.NO_DATA for c in cells],
            x_max=float(maximum) if maximum is not None else None,
        )
    return {
        "code": column.code, "name": column.name, "rows": rows, "svg": svg,
        "plan_mean": format_value(column.plan_mean, column.unit, column.decimals),
        "fact_mean": format_value(column.fact_mean, column.unit, column.decimals),
        "fact_min": format_value(column.fact_min, column.unit, column.decimals),
        "fact_max": format_value(column.fact_max, column.unit, column.decimals),
        "achieved": column.achieved, "with_fact": column.districts_with_fact,
    }


def conclusion(comparison: city.Comparison) -> str:
    """Generated from the numbers, never typed: who reported, each indicator's achievement, the overall picture."""
    total = len(comparison.indicators)
    with_data = [c for c in comparison.indicators if c.districts_with_fact]
    everywhere = sum(1 for c in with_data if c.achieved == c.districts_with_fact)
    reporting = sum(1 for row in comparison.rows if row.cells)
    districts = len(comparison.rows)
    parts = [f"Данные за {comparison.period_label} представили районов: {reporting} из {districts}."]
    parts += [f"«{c.name}»: план достигнут в {c.achieved} из {c.districts_with_fact} "
              f"{formatting.plural(c.districts_with_fact, 'района', 'районов', 'районов')} с данными."
              for c in with_data]
    if with_data and everywhere == len(with_data) == total:
        parts.append("Во всех районах с данными план достигнут по всем показателям.")
    elif everywhere:
        parts.append(f"Во всех районах с данными план достигнут по {everywhere} из {total} "
                     f"{formatting.plural(total, 'показателя', 'показателей', 'показателей')}.")
    elif with_data:
        parts.append("Ни по одному показателю план не достигнут во всех районах с данными.")
    if len(with_data) < total:
        missing = total - len(with_data)
        parts.append(f"Нет фактических значений ни в одном районе по {missing} из {total} "
                     f"{formatting.plural(total, 'показателя', 'показателей', 'показателей')}.")
    return " ".join(parts)


def build_context(districts, programme_code: str, period_label: str, *, charts: bool = True) -> dict:
    comparison = city.comparison(districts, programme_code, period_label)
    return {
        "kind": CODE, "heading": HEADING, "label": LABEL,
        "document_title": f"{LABEL}: {comparison.programme_name}, {period_label}",
        "region": _region_name(comparison),
        "programme_name": comparison.programme_name, "programme_code": programme_code,
        "period_label": period_label, "district_count": len(comparison.rows),
        "indicators": [_indicator_block(comparison, column, charts=charts) for column in comparison.indicators],
        "conclusion": conclusion(comparison),
        "has_values": comparison.has_values,
        "achievement_labels": Achievement.LABELS,
        "generated_text": formatting.date(timezone.localdate()),
    }


def render_city_pdf(context: dict) -> bytes:
    return render_pdf(TEMPLATE, context)


def render_city_html(context: dict) -> str:
    return render_html(TEMPLATE, {**context, "for_pdf": False})
