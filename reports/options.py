"""A document's options: its approval block, whether it shows charts, the order of its movable sections.

Each option has a default in the report's kind (reports/kinds/: `approval_block`, `charts_by_default`,
`movable_sections`) and an override on the report (Report.approval_block, show_charts, section_order; empty
means «as the kind has it»), so changing a kind's default changes the reports that never chose otherwise.
The document frame (reports/builders/document.py), the kinds' builders and the options page read them here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reports import kinds, sections
from reports.models import ApprovalBlock, Report

ORDER_NUMBER_MAX_LENGTH = 40
ORDER_NUMBER_REQUIRED = "Укажите номер приказа об утверждении."
ORDER_DATE_REQUIRED = "Укажите дату приказа об утверждении."


def approval_mode(report: Report) -> str:
    """"none", "director" or "order": the report's own choice, else its kind's."""
    if report.approval_block in ApprovalBlock.values:
        return report.approval_block
    spec = kinds.find(report.kind)
    return spec.approval_block if spec is not None else ApprovalBlock.DIRECTOR


def order_refusals(number: str, dated: dt.date | None) -> dict[str, str]:
    """field → message when the «утверждён приказом» block lacks the order's number or date."""
    refusals = {}
    number = (number or "").strip()
    if not number:
        refusals["approval_order_number"] = ORDER_NUMBER_REQUIRED
    elif len(number) > ORDER_NUMBER_MAX_LENGTH:
        refusals["approval_order_number"] = f"Номер приказа — не длиннее {ORDER_NUMBER_MAX_LENGTH} символов."
    if not isinstance(dated, dt.date):
        refusals["approval_order_date"] = ORDER_DATE_REQUIRED
    return refusals


def missing_order(report: Report) -> str:
    """Why the report cannot be submitted as it is: its block is «утверждён приказом» without the order."""
    if approval_mode(report) != ApprovalBlock.ORDER:
        return ""
    refusals = order_refusals(report.approval_order_number, report.approval_order_date)
    if not refusals:
        return ""
    return ("Гриф «утверждён приказом» требует номера и даты приказа: " + " ".join(refusals.values())
            + " (страница «Параметры документа»).")


def has_charts(report: Report) -> bool:
    spec = kinds.find(report.kind)
    return bool(spec and spec.has_charts)


def charts_shown(report: Report) -> bool:
    """Whether the document draws its charts (a kind's builder skips them otherwise: matplotlib is slow)."""
    spec = kinds.find(report.kind)
    if spec is None or not spec.has_charts:
        return False
    return spec.charts_by_default if report.show_charts is None else bool(report.show_charts)


@dataclass(frozen=True)
class BodySection:
    key: str
    label: str
    generated: bool = False


def _default_sections(report: Report) -> list[BodySection]:
    spec = kinds.find(report.kind)
    if spec is None or not spec.movable_sections:
        return []
    texts = report.section_texts or {}
    generated = [BodySection(section.key, section.label_for(report), generated=True)
                 for section in sections.for_kind(report.kind) if section.key in texts
                 and section.key not in spec.movable_sections]
    result: list[BodySection] = []
    for key, label in spec.movable_sections.items():
        result.append(BodySection(key, label))
        if key == spec.generated_after:
            result += generated
    if not spec.generated_after:
        result += generated
    return result


def body_sections(report: Report) -> list[BodySection]:
    """The kind's movable sections and the report's generated ones, in the report's order.

    Keys the report ordered come first, in its order; sections it never ordered (a section registered since)
    keep their place after the section that precedes them in the kind's order."""
    default = _default_sections(report)
    by_key = {section.key: section for section in default}
    chosen = [key for key in dict.fromkeys(report.section_order or []) if key in by_key]
    if not chosen:
        return default
    ordered = [by_key[key] for key in chosen]
    for index, section in enumerate(default):
        if section.key in chosen:
            continue
        previous = default[index - 1].key if index else None
        position = next((i + 1 for i, s in enumerate(ordered) if s.key == previous), 0 if index == 0 else len(ordered))
        ordered.insert(position, section)
    return ordered


def moved(report: Report, key: str, direction: str) -> list[str]:
    """The report's section keys with `key` moved one place up or down (unchanged at either end)."""
    keys = [section.key for section in body_sections(report)]
    if key not in keys or direction not in ("up", "down"):
        return keys
    index = keys.index(key)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(keys):
        keys[index], keys[other] = keys[other], keys[index]
    return keys
