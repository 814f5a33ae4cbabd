"""«Анализ реализации программы развития» — seed 003's analysis (Krasnoselsky, № 65 от 13.03.2024).

Per project (the indicators' section) a table «№ / Ожидаемый … результат / Самооценка» ×
checkpoints («-» where there is no score) and the project's conclusion (a section text), then the
programme's overall conclusion. The title stands alone (no «АНАЛИТИЧЕСКАЯ СПРАВКА»).
"""
from __future__ import annotations

import re

from core.xlsx import XlsxColumn, XlsxSheet
from monitoring.models import Period, Programme
from reports.builders.formatting import user_text_html
from reports.builders.plan_fact import cell_texts, report_periods, report_programme, report_table
from reports.errors import ReportDataError
from reports.models import Report
from reports.xlsx import xlsx_number

from .parameters import Chosen, ProgrammeParameters
from .registry import ReportKindSpec, register

CODE = "development"


def expected_result_header(programme: Programme, periods: list[Period]) -> str:
    """«Ожидаемый к 2024 году результат» when the programme's name gives its final year (the latest
    year in it, e.g. «Программа развития ИМЦ 2020–2024»), else «Ожидаемый результат»."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", programme.name)]
    last_year = max(years) if years else None
    if last_year and (not periods or last_year >= periods[-1].year):
        return f"Ожидаемый к {last_year} году результат"
    return "Ожидаемый результат"


def build_context(report: Report) -> dict:
    programme = report_programme(report)
    periods = report_periods(report, programme)
    if not periods:
        raise ReportDataError("В программе развития нет контрольных точек.")
    table = report_table(report, programme, periods)
    projects = []
    for number, (section, rows) in enumerate(table.sections, start=1):
        name = section or programme.name
        projects.append({
            "number": number,
            "name": name,
            "caption": f"Таблица {number} – Самооценка степени достижения планируемых результатов проекта «{name}»",
            "rows": [
                {"number": f"{index}.", "text": row.indicator.name,
                 "scores": [cell["fact"] for cell in cell_texts(row, empty="-")]}
                for index, row in enumerate(rows, start=1)
            ],
            "conclusion_html": user_text_html(report.section_texts.get(name, "")),
        })
    if not projects:
        raise ReportDataError("В программе развития нет показателей.")
    return {
        "programme": programme,
        "period_labels": [p.label for p in periods],
        "expected_header": expected_result_header(programme, periods),
        "projects": projects,
    }


def scores_sheet(report: Report) -> XlsxSheet:
    """«Самооценка»: project, №, expected result, a score per checkpoint."""
    programme = report_programme(report)
    periods = report_periods(report, programme)
    table = report_table(report, programme, periods)
    columns = [XlsxColumn("Проект", width=30), XlsxColumn("№", width=5), XlsxColumn("Ожидаемый результат", width=70)]
    columns += [XlsxColumn(period.label, width=14) for period in periods]
    rows = []
    for section, section_rows in table.sections:
        for number, row in enumerate(section_rows, start=1):
            rows.append([section, number, row.indicator.name,
                         *[xlsx_number(cell.value.fact) if cell.value else None for cell in row.cells]])
    return XlsxSheet("Самооценка", columns, rows)


def prefill(report: Report, periods: list[Period]) -> None:
    """An empty conclusion per project (the indicators' sections, in the programme's order)."""
    sections = report.programme.indicators.order_by("position", "pk").values_list("section", flat=True)
    report.section_texts = {section: "" for section in dict.fromkeys(sections) if section}


def suggested_title(chosen: Chosen) -> str:
    last = f" за {chosen.periods[-1].label}" if chosen.periods else ""
    return f"Анализ реализации программы развития\n«{chosen.programme.name}»{last}"


SPEC = register(ReportKindSpec(
    code=CODE,
    label="Анализ реализации программы развития",
    help="Таблица по каждому проекту с баллами самооценки на контрольных точках и вывод по проекту.",
    heading="",
    template="reports/pdf/development.html",
    parameters=ProgrammeParameters(
        programme_label="Программа развития", with_scope=False, all_periods_when_empty=True,
        periods_help="Пусто — все контрольные точки программы.",
    ),
    build_context=build_context,
    sheets=(scores_sheet,),
    suggested_title=suggested_title,
    prefill=prefill,
    min_periods=1,
    text_labels={"conclusion": "Общий вывод по программе"},
    text_help={"conclusion": ""},
    # Seed 003: «УТВЕРЖДЁН приказом ГБУ ИМЦ Красносельского района Санкт-Петербурга от 13.03.2024 № 65».
    approval_block="order",
    approval_word="УТВЕРЖДЁН",
    section_label_template="Вывод по проекту «{key}»",
    position=20,
))
