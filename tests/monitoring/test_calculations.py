from decimal import Decimal

import pytest

from monitoring.calculations import (
    Achievement,
    achievement,
    format_value,
    parse_number,
    quantize,
    share_percent,
)
from monitoring.units import Direction, Unit, unit_error, unit_maximum


def test_share_of_69_in_126_rounds_to_54_8():
    assert quantize(share_percent(69, 126), 1) == Decimal("54.8")


def test_share_with_empty_denominator_is_no_data():
    assert share_percent(3, 0) is None


def test_rounding_is_half_up_not_bankers():
    assert quantize(Decimal("0.25"), 1) == Decimal("0.3")
    assert quantize(Decimal("0.35"), 1) == Decimal("0.4")


@pytest.mark.parametrize(
    ("plan", "fact", "direction", "expected"),
    [
        ("40", "54.8", Direction.HIGHER, Achievement.ACHIEVED),
        ("30", "30", Direction.HIGHER, Achievement.ACHIEVED),
        ("30", "29.9", Direction.HIGHER, Achievement.NOT_ACHIEVED),
        ("5", "4", Direction.LOWER, Achievement.ACHIEVED),
        ("5", "6", Direction.LOWER, Achievement.NOT_ACHIEVED),
        (None, "6", Direction.HIGHER, Achievement.NO_DATA),
        ("6", None, Direction.HIGHER, Achievement.NO_DATA),
    ],
)
def test_achievement(plan, fact, direction, expected):
    to_dec = lambda v: None if v is None else Decimal(v)  # noqa: E731
    assert achievement(to_dec(plan), to_dec(fact), direction) == expected


def test_achievement_compares_at_shown_precision():
    # 29,96 is shown as 30,0 and a plan of 30,0 reads as met.
    assert achievement(Decimal("30"), Decimal("29.96"), Direction.HIGHER, 1) == Achievement.ACHIEVED


@pytest.mark.parametrize(
    ("unit", "value", "ok"),
    [
        (Unit.PERCENT, "100", True), (Unit.PERCENT, "100.1", False), (Unit.PERCENT, "-1", False),
        (Unit.SCORE, "10", True), (Unit.SCORE, "11", False),
        (Unit.INDEX, "0.623", True), (Unit.INDEX, "1.2", False),
        (Unit.YES_NO, "1", True), (Unit.YES_NO, "0.5", False),
        (Unit.COUNT, "582", True), (Unit.COUNT, "2.5", False), (Unit.COUNT, "-3", False),
        (Unit.POINTS, "7", True), (Unit.POINTS, "-1", False),
    ],
)
def test_unit_ranges(unit, value, ok):
    assert (unit_error(unit, Decimal(value)) is None) is ok


def test_unit_maximum_is_the_top_of_the_allowed_range():
    assert [unit_maximum(u) for u in (Unit.PERCENT, Unit.SCORE, Unit.INDEX, Unit.YES_NO, Unit.COUNT, Unit.POINTS)] == [
        Decimal(100), Decimal(10), Decimal(1), Decimal(1), None, None]
    assert unit_error(Unit.COUNT, Decimal("2.5")) == "Количество должно быть целым числом."
    assert unit_error(Unit.YES_NO, Decimal("0.5")) == "Допустимы только значения «да» (1) и «нет» (0)."


def test_parse_number_reads_russian_input():
    assert parse_number("54,8") == Decimal("54.8")
    assert parse_number(" 54,8 % ") == Decimal("54.8")
    assert parse_number("1 234,5") == Decimal("1234.5")
    assert parse_number("") is None
    assert parse_number("-") is None
    with pytest.raises(ValueError, match="не число"):
        parse_number("много")


def test_format_value_uses_decimal_comma():
    assert format_value(Decimal("54.7619"), Unit.PERCENT, 1) == "54,8\u00a0%"
    assert format_value(Decimal("1"), Unit.YES_NO, 0) == "да"
    assert format_value(None, Unit.SCORE, 0) == "—"
