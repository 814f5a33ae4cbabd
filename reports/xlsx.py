"""The report's tables as XLSX, offered beside its PDF (written through core/xlsx.py).

The numbers are the ones the PDF prints, as numbers in the indicator's unit (54.8 for 54,8 %),
with the unit in its own column: a sheet mixes percentages, counts and scores row by row, and a
column has one number format.

Sheets per kind:
    monitoring, comparative   «План и факт»: indicator, unit, then plan and fact of each period
                              («2020 план», «2020 факт», …), plus the achievement of each period
    development               «Самооценка»: project, №, expected result, a score per checkpoint
    survey                    «Сводка»: the survey results summary (surveys/xlsx_results.py rows)
and «О справке» for all: title, number and date, status.
"""
from __future__ import annotations

from decimal import Decimal

from core.xlsx import XlsxColumn, XlsxSheet, build_workbook_sheets
from monitoring.calculations import Achievement

from .builders import ReportDataError, report_periods, report_programme, report_table, title_lines
from .models import Report, ReportKind


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def plan_fact_sheet(report: Report) -> XlsxSheet:
    programme = report_programme(report)
    periods = report_periods(report, programme)
    table = report_table(report, programme, periods)
    columns = [
        XlsxColumn("Раздел", width=30), XlsxColumn("Показатель", width=60), XlsxColumn("Единица", width=12),
    ]
    for period in periods:
        columns += [XlsxColumn(f"{period.label} план", width=12),
                    XlsxColumn(f"{period.label} факт", width=12)]
    columns += [XlsxColumn(f"{period.label} достижение", width=16) for period in periods]
    rows = []
    for row in table.rows:
        values = [cell.value for cell in row.cells]
        if not any(v is not None and (v.plan is not None or v.fact is not None) for v in values):
            continue
        line = [row.indicator.section, row.indicator.name, row.indicator.get_unit_display()]
        for value in values:
            line += [_number(value.plan) if value else None, _number(value.fact) if value else None]
        line += [Achievement.LABELS[cell.status] for cell in row.cells]
        rows.append(line)
    return XlsxSheet("План и факт", columns, rows)


def scores_sheet(report: Report) -> XlsxSheet:
    programme = report_programme(report)
    periods = report_periods(report, programme)
    table = report_table(report, programme, periods)
    columns = [XlsxColumn("Проект", width=30), XlsxColumn("№", width=5), XlsxColumn("Ожидаемый результат", width=70)]
    columns += [XlsxColumn(period.label, width=14) for period in periods]
    rows = []
    for section, section_rows in table.sections:
        for number, row in enumerate(section_rows, start=1):
            rows.append([section, number, row.indicator.name,
                         *[_number(cell.value.fact) if cell.value else None for cell in row.cells]])
    return XlsxSheet("Самооценка", columns, rows)


def survey_sheet(report: Report) -> XlsxSheet:
    from surveys import results as r
    from surveys.xlsx_results import SUMMARY_COLUMNS, summary_rows

    if report.campaign_id is None:
        raise ReportDataError("Для справки не выбрана кампания анкетирования.")
    results = r.campaign_results(report.campaign, with_texts=False)
    return XlsxSheet("Сводка", SUMMARY_COLUMNS, list(summary_rows(results.questions)))


def about_sheet(report: Report) -> XlsxSheet:
    heading, lines = title_lines(report)
    rows = [
        ["Справка", " ".join([heading.capitalize(), *lines]).strip()],
        ["Вид", report.get_kind_display()],
        ["Район", str(report.district)],
        ["Дата", report.dated],
        ["Номер", report.outgoing_label or "не присвоен (проект)"],
        ["Статус", report.get_status_display()],
    ]
    return XlsxSheet("О справке", [XlsxColumn("", width=16), XlsxColumn("", width=90)], rows)


SHEETS = {
    ReportKind.MONITORING: plan_fact_sheet,
    ReportKind.COMPARATIVE: plan_fact_sheet,
    ReportKind.DEVELOPMENT: scores_sheet,
    ReportKind.SURVEY: survey_sheet,
}


def report_xlsx(report: Report) -> bytes:
    """The same tables as the report's PDF, as a workbook."""
    return build_workbook_sheets([SHEETS[report.kind](report), about_sheet(report)])
