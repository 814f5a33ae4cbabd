"""«Сравнительный анализ за пять и более периодов» of one programme.

Indicator × period (the fact, and the plan where there is one; a missed plan in bold), the
achievement per period, a dynamics chart per indicator, conclusion and recommendations (the
print layout says so when there are none).
"""
from __future__ import annotations

from monitoring.calculations import Achievement
from monitoring.models import Period
from monitoring.selectors import plan_fact_table
from reports import options
from reports.builders.plan_fact import (
    achievement_by_period,
    cell_texts,
    conclusion_text,
    dynamics_charts,
    has_values,
    report_periods,
    report_programme,
    report_table,
)
from reports.errors import ReportDataError
from reports.models import Report
from reports.xlsx import plan_fact_sheet

from .parameters import Chosen, ProgrammeParameters, programme_scope
from .registry import ReportKindSpec, register

CODE = "comparative"
MIN_PERIODS = 5


def _sections(table) -> list[dict]:
    sections = []
    for section, rows in table.sections:
        shown = [row for row in rows if has_values(row)]
        if shown:
            sections.append({
                "name": section,
                "rows": [
                    {"name": row.indicator.name, "cells": cell_texts(row),
                     "has_plan": any(c.value is not None and c.value.plan is not None for c in row.cells)}
                    for row in shown
                ],
            })
    return sections


def build_context(report: Report) -> dict:
    programme = report_programme(report)
    periods = report_periods(report, programme)
    if len(periods) < SPEC.min_periods:
        raise ReportDataError(SPEC.too_few_periods_message(len(periods)))
    table = report_table(report, programme, periods)
    sections = _sections(table)
    if not sections:
        raise ReportDataError("Для выбранных периодов нет ни плановых, ни фактических значений.")
    rows = [row for _, section_rows in table.sections for row in section_rows if has_values(row)]
    return {
        "programme": programme,
        "period_labels": [p.label for p in periods],
        "periods_text": f"{periods[0].label}–{periods[-1].label}",
        "sections": sections,
        "achievement": achievement_by_period(table, periods),
        "achievement_labels": Achievement.LABELS,
        "charts": dynamics_charts(rows) if options.charts_shown(report) else [],
    }


def prefill(report: Report, periods: list[Period]) -> None:
    """The conclusion from achievement in every period."""
    table = plan_fact_table(report.programme, programme_scope(report.programme, report.scope_key), periods)
    report.conclusion = conclusion_text(table, periods, rows=[row for row in table.rows if has_values(row)])


def suggested_title(chosen: Chosen) -> str:
    periods = chosen.periods
    span = f" за {periods[0].label}–{periods[-1].label} гг." if periods else ""
    return f"сравнительный анализ результатов мониторинга «{chosen.programme.name}»{span}"


SPEC = register(ReportKindSpec(
    code=CODE,
    label="Сравнительный анализ за пять и более периодов",
    help=f"Показатели программы за {MIN_PERIODS} и более периодов, рекомендации и управленческие решения.",
    heading="АНАЛИТИЧЕСКАЯ СПРАВКА",
    template="reports/pdf/comparative.html",
    parameters=ProgrammeParameters(periods_help="Не меньше {minimum} периодов."),
    build_context=build_context,
    sheets=(plan_fact_sheet,),
    suggested_title=suggested_title,
    prefill=prefill,
    min_periods=MIN_PERIODS,
    too_few_periods="Для сравнительного анализа нужно не меньше {minimum} периодов (выбрано: {chosen}).",
    # The print layout says «Рекомендации не сформулированы.» when empty, so no «Необязательно.».
    text_help={"recommendations": ""},
    has_charts=True,
    position=40,
))
