"""Context builders of the report templates: plain functions from the data to a dict.

No rendering here (reports/rendering.py renders), so every number, plural form and the
difference between a draft and a final document is tested on the dict alone.

    formatting.py  numbers, plurals, dates, names and typed text as a справка prints them
    document.py    the frame every kind shares and `build_context` (frame + the kind's body)
    plan_fact.py   programme, periods and plan/fact rows shared by the programme-based kinds

Each kind's body builder lives with its spec in reports/kinds/<kind>.py.
"""
from reports.errors import ReportDataError

from .document import (
    BLANK_NUMBER,
    address_lines,
    build_context,
    document_context,
    document_title,
    title_lines,
)
from .formatting import (
    BLANK_DATE,
    clusters_nominative,
    date_text,
    date_words,
    district_genitive,
    document_number,
    document_value,
    isolate_svg_ids,
    organisations_accusative,
    plural,
    share_text,
    user_text_html,
)

__all__ = [
    "BLANK_DATE", "BLANK_NUMBER", "ReportDataError", "address_lines", "build_context", "clusters_nominative",
    "date_text", "date_words", "district_genitive", "document_context", "document_number", "document_title",
    "document_value", "isolate_svg_ids", "organisations_accusative", "plural", "share_text", "title_lines",
    "user_text_html",
]
