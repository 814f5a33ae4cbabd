"""The document frame every kind shares, and the whole context of a report's print template.

`document_context`: the ИМЦ's letterhead, «от DD.MM.YYYY № N» (blank on a draft), the title under
the kind's heading, the director's signature block, the approval block the report or its kind chose
(reports/options.py: none; «УТВЕРЖДАЮ» on a final document; «УТВЕРЖДЁН приказом … от … № …» as typed on
the document, on a draft too) and on a final document the verification link with its QR code. `build_context` adds the body
from the kind's registered builder (reports/kinds/).

Texts typed by methodists (intro, conclusion, recommendations, section texts) are user input:
they reach the context only as escaped HTML paragraphs (`user_text_html`), never as markup.
"""
from __future__ import annotations

import re

from clusters.models import MethodCentre
from reports import kinds, options
from reports.errors import ReportDataError
from reports.models import ApprovalBlock, Report

from .formatting import date_text, date_words, svg_data_uri, user_text_html

BLANK_NUMBER = "____"


def kind_of(report: Report) -> kinds.ReportKindSpec:
    spec = kinds.find(report.kind)
    if spec is None:
        raise ReportDataError(f"Неизвестный вид справки: {report.kind}.")
    return spec


def _centre(report: Report) -> MethodCentre:
    try:
        return report.district.method_centre
    except MethodCentre.DoesNotExist:
        raise ReportDataError(
            "У района не заполнены реквизиты ИМЦ (бланк справки): обратитесь к администратору портала."
        ) from None


def title_lines(report: Report) -> tuple[str, list[str]]:
    """(heading, lines): «АНАЛИТИЧЕСКАЯ СПРАВКА» and the report title's lines (its line breaks
    kept); a title that already starts with the heading does not repeat it."""
    heading = kind_of(report).heading
    title = report.title.strip()
    if heading and title.lower().startswith(heading.lower()):
        title = title[len(heading):].strip()
    return heading, [line.strip() for line in title.splitlines() if line.strip()]


def document_title(report: Report) -> str:
    """The title in one line, as the PDF's metadata and the XLSX «О справке» print it."""
    heading, lines = title_lines(report)
    return " ".join([heading.capitalize(), *lines]).strip()


def address_lines(address: str) -> list[str]:
    """Seed 000 prints «192241, Санкт-Петербург,» and the street on the next line: split after the
    city when the address starts with a postal code; otherwise one line."""
    parts = [part.strip() for part in address.split(",")]
    if len(parts) > 2 and re.fullmatch(r"\d{6}", parts[0]):
        return [f"{parts[0]}, {parts[1]},", ", ".join(parts[2:])]
    return [address.strip()]


def _verification(report: Report) -> dict:
    from reports import verification

    url = verification.verification_url(report)
    return {"url": url, "qr_data_uri": svg_data_uri(verification.qr_svg(url))}


def _centre_context(centre: MethodCentre) -> dict:
    return {
        "full_name": centre.full_name,
        "short_name": centre.short_name,
        "address": centre.address,
        "address_lines": address_lines(centre.address),
        "phone": centre.phone,
        "email": centre.email,
        "okpo": centre.okpo,
        "ogrn": centre.ogrn,
        "inn_kpp": "/".join(part for part in (centre.inn, centre.kpp) if part),
    }


def approval_context(report: Report, spec: kinds.ReportKindSpec, centre: MethodCentre, *, final: bool) -> dict | None:
    """The approval block as the template prints it, or None.

    «УТВЕРЖДАЮ» carries the date of approval, so only a final document has it; «утверждён приказом» carries
    the order typed on the document (seed 003: «УТВЕРЖДЁН приказом ГБУ ИМЦ … от 13.03.2024 № 65»), shown on
    the draft as well so the methodist sees it before submitting (blanks while it is not typed yet)."""
    mode = options.approval_mode(report)
    if mode == ApprovalBlock.ORDER:
        return {
            "mode": mode, "word": spec.approval_word, "issuer": centre.short_name,
            "date_text": date_text(report.approval_order_date),
            "number": report.approval_order_number.strip() or BLANK_NUMBER,
        }
    if mode == ApprovalBlock.DIRECTOR and final:
        return {"mode": mode, "position": centre.director_position, "name": centre.director_name,
                "date_words": date_words(report.dated)}
    return None


def document_context(report: Report, *, final: bool) -> dict:
    """Letterhead, number and date, title, approval, signature and verification of any kind."""
    spec = kind_of(report)
    centre = _centre(report)
    heading, lines = title_lines(report)
    dated = report.dated if final else None
    number = report.outgoing_label if final and report.outgoing_label else BLANK_NUMBER
    return {
        "report": report,
        "kind": report.kind,
        "final": final,
        "draft": not final,
        "watermark": "" if final else "ПРОЕКТ",
        "centre": _centre_context(centre),
        "dated_text": date_text(dated),
        "number_text": number,
        "heading": heading,
        "title_lines": lines,
        "document_title": document_title(report) or spec.label,
        "signature": {"position": centre.director_position, "name": centre.director_name},
        "approval": approval_context(report, spec, centre, final=final),
        "verification": _verification(report) if final else None,
        "intro_html": user_text_html(report.intro),
        "conclusion_html": user_text_html(report.conclusion),
        "recommendations_html": user_text_html(report.recommendations),
    }


def build_context(report: Report, *, final: bool) -> dict:
    """The whole context of the report's template: the document frame and its kind's body."""
    spec = kind_of(report)
    context = document_context(report, final=final)
    context.update(spec.build_context(report))
    return context
