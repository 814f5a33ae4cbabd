"""Russian formatting in templates: `{% load ru %}` then the filters below (core/formatting.py).

    {{ value|ru_number:1 }}        → 1 234 567,9   (half up, narrow no-break space)
    {{ value|ru_exact }}           → 12,5          (all digits, as typed back into a form)
    {{ share|ru_percent:1 }}       → 54,8 %
    {{ count|ru_plural:"анкета,анкеты,анкет" }} → анкеты
    {{ day|ru_date }}              → 17.12.2021
An empty value (None or "") prints «—» for numbers and percents and nothing for dates.
"""
from __future__ import annotations

from decimal import Decimal

from django import template

from core import formatting

register = template.Library()


def _empty(value) -> bool:
    return value is None or value == ""


@register.filter
def ru_number(value, decimals=0) -> str:
    return formatting.DASH if _empty(value) else formatting.number(_numeric(value), int(decimals))


@register.filter
def ru_exact(value) -> str:
    return "" if _empty(value) else formatting.exact(value)


@register.filter
def ru_percent(value, decimals=1) -> str:
    return formatting.DASH if _empty(value) else formatting.percent(_numeric(value), int(decimals))


@register.filter
def ru_plural(count, forms: str) -> str:
    """`forms` is «one,few,many»: {{ n|ru_plural:"кластер,кластера,кластеров" }}."""
    one, few, many = (form.strip() for form in forms.split(","))
    return formatting.plural(int(count), one, few, many)


@register.filter
def ru_date(day) -> str:
    return formatting.date(day or None)


def _numeric(value):
    """Strings from a context become Decimals; numbers stay what they are (a float keeps its rounding)."""
    return Decimal(value) if isinstance(value, str) else value
