"""How a справка prints numbers, plural forms, dates, names and typed text.

The seeds' documents are the model (docs/domain.md): «54,8%» without a space, «10%» not «10,0%»,
«17» декабря 2021 г., «Фрунзенского района». Shared by every kind's builder; the Russian
formatting itself is core.formatting's, with the choices a printed document makes.
"""
from __future__ import annotations

import base64
import datetime
import re
from decimal import Decimal

from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from core import formatting
from core.formatting import BLANK_DATE, date_words, plural  # noqa: F401 - date_words: the document frame imports it from here
from monitoring.units import Unit


def organisations_accusative(number: int) -> str:
    """«Включает …»: 1 образовательную организацию, 3 образовательные организации, 9 образовательных
    организаций, 21 образовательную организацию, 22 образовательные организации."""
    words = plural(number, "образовательную организацию", "образовательные организации",
                   "образовательных организаций")
    return f"{number} {words}"


def clusters_nominative(number: int) -> str:
    return f"{number} {plural(number, 'кластер', 'кластера', 'кластеров')}"


def document_number(value: Decimal | None, decimals: int) -> str:
    """A number as the seeds print it: rounded half up to the indicator's precision, decimal comma,
    no trailing zeros (10 → «10», 54,80 → «54,8»), thousands split by a narrow no-break space."""
    if value is None:
        return ""
    # The vendored PT fonts have no narrow no-break space (U+202F): a plain no-break space instead.
    return formatting.number(value, decimals, thousands=formatting.NBSP, trim=True)


def document_value(value: Decimal | None, unit: str, decimals: int, *, empty: str = "—") -> str:
    """«54,8%» (seed 000 prints the percent sign without a space), «да»/«нет», «7», or `empty`."""
    if value is None:
        return empty
    if unit == Unit.YES_NO:
        return "да" if value >= 1 else "нет"
    text = document_number(value, decimals)
    return f"{text}%" if unit == Unit.PERCENT else text


def share_text(share: Decimal | None) -> str:
    """A share of respondents, one decimal: «66,7%»."""
    return document_value(share, Unit.PERCENT, 1)


def date_text(day: datetime.date | None) -> str:
    return formatting.date(day, empty=BLANK_DATE)


def district_genitive(name: str) -> str:
    """«Фрунзенский район» → «Фрунзенского района», «город Саянск» → «города Саянск»."""
    for nominative, genitive in (("ский район", "ского района"), ("цкий район", "цкого района"),
                                 ("ной район", "ного района"), ("ый район", "ого района")):
        if name.endswith(nominative):
            return name[: -len(nominative)] + genitive
    if name.startswith("город "):
        return "города " + name[len("город "):]
    return name


def user_text_html(text: str | None) -> SafeString:
    """User-typed text as escaped HTML paragraphs: blank lines split paragraphs, single line breaks
    stay line breaks, and any markup is shown as text (`<script>` → `&lt;script&gt;`)."""
    text = (text or "").strip()
    return mark_safe(linebreaks(text, autoescape=True)) if text else mark_safe("")  # noqa: S308 - escaped


_SVG_ID_REFERENCE = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')


def isolate_svg_ids(svg: str, prefix: str) -> SafeString:
    """Prefix the ids of an inline SVG and its references to them: matplotlib gives every chart the
    same ids (a fixed hash salt), and two inline charts on one page must not share clip paths."""
    ids = set(re.findall(r'\sid="([^"]+)"', svg))

    def rename(match: re.Match) -> str:
        name = match.group(2)
        return match.group(1) + (f"{prefix}-{name}" if name in ids else name)

    return mark_safe(_SVG_ID_REFERENCE.sub(rename, svg))  # noqa: S308 - a chart we generated


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def float_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
