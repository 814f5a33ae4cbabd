"""«Параметры документа»: the approval block, the charts and the order of sections of a draft (reports/options.py).

Options change the printed document, so they change while its texts may (a draft or a returned справка), by
whoever may edit them (the workflow's "edit" row). Refusals say why in Russian and change nothing.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from imc_portal.models import User
from reports import options
from reports import workflow as flow
from reports.errors import ReportError
from reports.models import ApprovalBlock, Report

from .common import event, locked
from .workflow import not_editable_reason


def _refuse_if_not_editable(report: Report) -> None:
    reason = not_editable_reason(report)
    if reason:
        raise ReportError(reason)


@transaction.atomic
def report_options_update(
    *, report: Report, user: User, approval_block: str = "", order_number: str = "",
    order_date: dt.date | None = None, show_charts: bool | None = None,
) -> Report:
    """Set the document's approval block ("" — the kind's), the order it was approved by, and its charts.

    The order's number and date are required when the block in force is «утверждён приказом»; they are kept
    (not cleared) when another block is chosen, so switching back does not lose them."""
    flow.authorise(user, "edit", report)
    report = locked(report)
    _refuse_if_not_editable(report)
    if approval_block not in ("", *ApprovalBlock.values):
        raise ReportError("Выберите гриф утверждения из списка.")
    order_number = (order_number or "").strip()
    report.approval_block = approval_block
    if options.approval_mode(report) == ApprovalBlock.ORDER:
        refusals = options.order_refusals(order_number, order_date)
        if refusals:
            raise ReportError(" ".join(refusals.values()), field_errors={k: [v] for k, v in refusals.items()})
    elif len(order_number) > options.ORDER_NUMBER_MAX_LENGTH:
        raise ReportError(f"Номер приказа — не длиннее {options.ORDER_NUMBER_MAX_LENGTH} символов.")
    if show_charts is not None and not options.has_charts(report):
        show_charts = None  # a kind without charts has nothing to leave out
    report.approval_order_number, report.approval_order_date = order_number, order_date
    report.show_charts = show_charts
    report.save(update_fields=["approval_block", "approval_order_number", "approval_order_date", "show_charts",
                               "updated_at"])
    event(report, "options", user, options_summary(report))
    return report


SUMMARY_BLOCKS = {
    ApprovalBlock.NONE: "без грифа утверждения",
    ApprovalBlock.DIRECTOR: "гриф «УТВЕРЖДАЮ»",
    ApprovalBlock.ORDER: "гриф «утверждён приказом»",
}


def options_summary(report: Report) -> str:
    """«гриф «утверждён приказом» от 13.03.2024 № 65; графики: нет» for the history and the report's page."""
    mode = options.approval_mode(report)
    block = SUMMARY_BLOCKS[ApprovalBlock(mode)]
    if mode == ApprovalBlock.ORDER:
        if report.approval_order_date and report.approval_order_number:
            block += f" от {report.approval_order_date:%d.%m.%Y} № {report.approval_order_number}"
        else:
            block += " — номер и дата приказа не указаны"
    parts = [block]
    if options.has_charts(report):
        parts.append("графики: " + ("да" if options.charts_shown(report) else "нет"))
    return "; ".join(parts)


@transaction.atomic
def report_section_move(*, report: Report, user: User, key: str, direction: str) -> Report:
    """Move one of the document's movable sections one place up or down."""
    flow.authorise(user, "edit", report)
    report = locked(report)
    _refuse_if_not_editable(report)
    keys = [section.key for section in options.body_sections(report)]
    if key not in keys:
        raise ReportError("Такого раздела в этой справке нет.")
    if direction not in ("up", "down"):
        raise ReportError("Раздел можно переместить только выше или ниже.")
    order = options.moved(report, key, direction)
    if order != keys:
        report.section_order = order
        report.save(update_fields=["section_order", "updated_at"])
    return report


@transaction.atomic
def report_section_order_reset(*, report: Report, user: User) -> Report:
    """Back to the kind's order of sections."""
    flow.authorise(user, "edit", report)
    report = locked(report)
    _refuse_if_not_editable(report)
    if report.section_order:
        report.section_order = []
        report.save(update_fields=["section_order", "updated_at"])
    return report
