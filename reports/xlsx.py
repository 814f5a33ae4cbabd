"""The report's tables as XLSX, offered beside its PDF (written through core/xlsx.py).

The numbers are the ones the PDF prints, as numbers in the indicator's unit (54.8 for 54,8 %),
with the unit in its own column: a sheet mixes percentages, counts and scores row by row, and a
column has one number format.

Each kind names its sheets in its spec (reports/kinds/); the sheets shared by several kinds live
here — «План и факт» (indicator, unit, plan and fact of each period, then the achievement of
each period) — and «О справке» (title, number and date, status) ends every workbook.
"""
from __future__ import annotations

from decimal import Decimal

from core.xlsx import XlsxColumn, XlsxSheet, build_workbook_sheets
from monitoring.calculations import Achievement

from .builders.document import document_title, kind_of
from .builders.plan_fact import report_periods, report_programme, report_table
from .models import Report


def xlsx_number(value: Decimal | None) -> int | float | None:
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
            line += [xlsx_number(value.plan) if value else None, xlsx_number(value.fact) if value else None]
        line += [Achievement.LABELS[cell.status] for cell in row.cells]
        rows.append(line)
    return XlsxSheet("План и факт", columns, rows)


def about_sheet(report: Report) -> XlsxSheet:
    rows = [
        ["Справка", document_title(report)],
        ["Вид", report.kind_label],
        ["Район", str(report.district)],
        ["Дата", report.dated],
        ["Номер", report.outgoing_label or "не присвоен (проект)"],
        ["Статус", report.get_status_display()],
    ]
    return XlsxSheet("О справке", [XlsxColumn("", width=16), XlsxColumn("", width=90)], rows)


def report_xlsx(report: Report) -> bytes:
    """The same tables as the report's PDF, as a workbook: the kind's sheets, then «О справке»."""
    spec = kind_of(report)
    return build_workbook_sheets([*(sheet(report) for sheet in spec.sheets), about_sheet(report)])
