"""Russian formatting (core/formatting.py): every expected string below is written out by hand."""
import datetime
from decimal import Decimal

import pytest

from core import formatting as f

THIN = "\u202f"  # narrow no-break space: thousands on pages
NBSP = "\u00a0"  # no-break space: thousands in PDFs, before «%» on pages


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (Decimal("1234567.891"), 1, f"1{THIN}234{THIN}567,9"),
    (Decimal("54.65"), 1, "54,7"),      # half up; banker's rounding would give 54,6
    (Decimal("0.125"), 2, "0,13"),
    (Decimal("54.8"), 2, "54,80"),      # fixed places unless trimmed
    (Decimal("999.95"), 1, f"1{THIN}000,0"),
    (Decimal("-1234.5"), 1, f"-1{THIN}234,5"),
    (7, 0, "7"),
    (1000, 0, f"1{THIN}000"),
])
def test_number_rounds_half_up_with_decimal_comma_and_thin_space(value, decimals, expected):
    assert f.number(value, decimals) == expected


def test_number_trim_drops_trailing_zeros_and_a_bare_comma():
    assert f.number(Decimal("54.80"), 2, trim=True) == "54,8"
    assert f.number(Decimal("10.0"), 1, trim=True) == "10"
    assert f.number(Decimal("1000"), 0, trim=True) == f"1{THIN}000"  # no comma: the zeros of 1000 stay


def test_number_in_a_pdf_uses_the_no_break_space():
    assert f.number(Decimal("12345.6"), 1, thousands=NBSP) == f"12{NBSP}345,6"


def test_a_float_is_rounded_as_the_binary_value_it_holds():
    # 2.675 is stored as 2.67499999…, so a chart label shows 2,67 (the table's Decimal shows 2,68).
    assert f.number(2.675, 2) == "2,67"
    assert f.number(Decimal("2.675"), 2) == "2,68"
    assert f.number(1234.5, 1, thousands="") == "1234,5"


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("12.50"), "12,5"), (Decimal("100"), "100"), (Decimal("1E+2"), "100"), ("0.5", "0,5"), (3, "3"),
])
def test_exact_keeps_all_digits_without_trailing_zeros(value, expected):
    assert f.exact(value) == expected


def test_integer_thousands_with_no_break_space():
    assert f.integer(20000) == f"20{NBSP}000"
    assert f.integer(999) == "999"
    assert f.integer(1234567) == f"1{NBSP}234{NBSP}567"


def test_percent_on_a_page_and_in_a_spravka():
    assert f.percent(Decimal("54.76")) == f"54,8{NBSP}%"
    assert f.percent(Decimal("54.8"), space="", trim=True) == "54,8%"
    assert f.percent(Decimal("10.0"), space="", trim=True) == "10%"
    assert f.percent(Decimal("66.666"), 1) == f"66,7{NBSP}%"


@pytest.mark.parametrize(("size", "expected"), [
    (5 * 1024 * 1024, "5 МБ"), (1572864, "1,5 МБ"), (2000, "2 КБ"), (100, "1 КБ"), (64 * 1024 * 1024, "64 МБ"),
])
def test_human_size(size, expected):
    assert f.human_size(size) == expected


@pytest.mark.parametrize(("count", "expected"), [
    (0, "значений"), (1, "значение"), (2, "значения"), (4, "значения"), (5, "значений"), (11, "значений"),
    (12, "значений"), (14, "значений"), (21, "значение"), (22, "значения"), (25, "значений"),
    (101, "значение"), (111, "значений"), (112, "значений"), (-1, "значение"),
])
def test_plural(count, expected):
    assert f.plural(count, "значение", "значения", "значений") == expected


def test_count_phrase():
    assert f.count_phrase(3, "кластер", "кластера", "кластеров") == "3 кластера"
    assert f.count_phrase(11, "кластер", "кластера", "кластеров") == "11 кластеров"


def test_dates():
    day = datetime.date(2021, 12, 17)
    assert f.date(day) == "17.12.2021"
    assert f.date(datetime.date(2024, 3, 5)) == "05.03.2024"
    assert f.date(None) == ""
    assert f.date(None, empty=f.BLANK_DATE) == "__.__.____"
    assert f.date_time(datetime.datetime(2021, 12, 17, 9, 5)) == "17.12.2021 09:05"
    assert f.date_words(datetime.date(2021, 12, 7)) == "«07» декабря 2021 г."
    assert f.date_words(datetime.date(2024, 3, 13)) == "«13» марта 2024 г."
    assert f.date_words(None) == "«__» __________ 20__ г."


def test_document_numbers():
    day = datetime.date(2021, 12, 17)
    assert f.document_ref("1-854", day) == "от 17.12.2021 № 1-854"
    assert f.number_and_date("1-854", day) == "№ 1-854 от 17.12.2021"
