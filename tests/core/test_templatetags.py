"""{% load ru %}: the template face of core/formatting.py."""
import datetime
from decimal import Decimal

from django.template import Context, Template

THIN, NBSP = "\u202f", "\u00a0"


def render(source: str, **context) -> str:
    return Template("{% load ru %}" + source).render(Context(context))


def test_numbers_and_percents():
    assert render("{{ v|ru_number:1 }}", v=Decimal("1234567.891")) == f"1{THIN}234{THIN}567,9"
    assert render("{{ v|ru_number }}", v=2500) == f"2{THIN}500"
    assert render("{{ v|ru_number:1 }}", v="54.65") == "54,7"
    assert render("{{ v|ru_percent }}", v=Decimal("54.76")) == f"54,8{NBSP}%"
    assert render("{{ v|ru_percent:0 }}", v=None) == "—"
    assert render("{{ v|ru_exact }}", v=Decimal("12.50")) == "12,5"


def test_plurals_and_dates():
    forms = "анкета,анкеты,анкет"
    assert [render("{{ n|ru_plural:f }}", n=n, f=forms) for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "анкета", "анкеты", "анкет", "анкет", "анкета", "анкеты", "анкет"]
    assert render("{{ d|ru_date }}", d=datetime.date(2021, 12, 17)) == "17.12.2021"
    assert render("{{ d|ru_date }}", d=None) == ""
