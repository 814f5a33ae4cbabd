"""Units of indicators, their allowed ranges and how many decimals a value keeps.

A leaf module (nothing of the portal is imported here), so that models, forms, charts, imports and
the reports app read one definition: the maximum of a percent is 100 here and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

# Value keeps four decimal places (its DecimalFields); showing or storing more would show digits
# that are not stored.
STORED_DECIMALS = 4


class Unit(models.TextChoices):
    PERCENT = "percent", "%"
    COUNT = "count", "количество"
    YES_NO = "yes_no", "да/нет"
    POINTS = "points", "баллы"
    SCORE = "score", "оценка 0–10"
    INDEX = "index", "индекс 0–1"


class Direction(models.TextChoices):
    HIGHER = "higher", "чем больше, тем лучше"
    LOWER = "lower", "чем меньше, тем лучше"


@dataclass(frozen=True)
class UnitRule:
    """What a plan or fact in the unit may be, and what a user is told when it is not."""

    maximum: Decimal | None  # None: unbounded above; every unit starts at 0
    out_of_range: str
    whole: bool = False  # counts are whole numbers
    only_bounds: bool = False  # yes/no: 0 or 1, nothing between
    suffix: str = ""  # printed after the number («54,8 %»)

    minimum: Decimal = Decimal(0)


UNIT_RULES: dict[str, UnitRule] = {
    Unit.PERCENT: UnitRule(Decimal(100), "Процент должен быть от 0 до 100.", suffix="%"),
    Unit.COUNT: UnitRule(None, "Количество не может быть отрицательным.", whole=True),
    Unit.YES_NO: UnitRule(Decimal(1), "Допустимы только значения «да» (1) и «нет» (0).", only_bounds=True),
    Unit.POINTS: UnitRule(None, "Баллы не могут быть отрицательными."),
    Unit.SCORE: UnitRule(Decimal(10), "Оценка должна быть от 0 до 10."),
    Unit.INDEX: UnitRule(Decimal(1), "Индекс должен быть от 0 до 1."),
}

WHOLE_NUMBER_MESSAGE = "Количество должно быть целым числом."


def unit_maximum(unit: str) -> Decimal | None:
    """The largest value the unit allows (the top of a chart's axis), None when unbounded."""
    return UNIT_RULES[unit].maximum


def unit_suffix(unit: str) -> str:
    return UNIT_RULES[unit].suffix


def unit_error(unit: str, value: Decimal | None) -> str | None:
    """A Russian message if `value` does not fit the unit, else None."""
    if value is None:
        return None
    rule = UNIT_RULES[unit]
    if value < rule.minimum or (rule.maximum is not None and value > rule.maximum):
        return rule.out_of_range
    if rule.only_bounds and value not in (rule.minimum, rule.maximum):
        return rule.out_of_range
    if rule.whole and value != value.to_integral_value():
        return WHOLE_NUMBER_MESSAGE
    return None
