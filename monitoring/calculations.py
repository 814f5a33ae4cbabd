"""Pure arithmetic of monitoring: shares, rounding, unit checks, achievement. No database here."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core import formatting

from .models import UNIT_BOUNDS, Direction, Unit

HUNDRED = Decimal(100)


class Achievement:
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NO_DATA = "no_data"

    LABELS = {ACHIEVED: "достигнут", NOT_ACHIEVED: "не достигнут", NO_DATA: "нет данных"}


def share_percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator in percent, unrounded; None when there is nothing to divide by."""
    if not denominator:
        return None
    return Decimal(numerator) * HUNDRED / Decimal(denominator)


def quantize(value: Decimal | None, decimals: int) -> Decimal | None:
    """Round half up, as people round by hand (54,76 → 54,8), not banker's rounding."""
    if value is None:
        return None
    return formatting.round_half_up(value, decimals)


def achievement(plan: Decimal | None, fact: Decimal | None, direction: str, decimals: int = 1) -> str:
    """Achieved = fact ≥ plan (≤ for lower-is-better), compared at the precision users see."""
    if plan is None or fact is None:
        return Achievement.NO_DATA
    plan_r, fact_r = quantize(plan, decimals), quantize(fact, decimals)
    ok = fact_r <= plan_r if direction == Direction.LOWER else fact_r >= plan_r
    return Achievement.ACHIEVED if ok else Achievement.NOT_ACHIEVED


RANGE_MESSAGES = {
    Unit.PERCENT: "Процент должен быть от 0 до 100.",
    Unit.SCORE: "Оценка должна быть от 0 до 10.",
    Unit.INDEX: "Индекс должен быть от 0 до 1.",
    Unit.COUNT: "Количество не может быть отрицательным.",
    Unit.POINTS: "Баллы не могут быть отрицательными.",
    Unit.YES_NO: "Допустимы только значения «да» (1) и «нет» (0).",
}


def unit_error(unit: str, value: Decimal | None) -> str | None:
    """A Russian message if `value` does not fit the unit, else None."""
    if value is None:
        return None
    low, high = UNIT_BOUNDS[unit]
    if value < low or (high is not None and value > high):
        return RANGE_MESSAGES[unit]
    if unit == Unit.YES_NO and value not in (Decimal(0), Decimal(1)):
        return RANGE_MESSAGES[unit]
    if unit == Unit.COUNT and value != value.to_integral_value():
        return "Количество должно быть целым числом."
    return None


def parse_number(raw: str | int | float | Decimal | None) -> Decimal | None:
    """Read a number as people type it: «54,8», «54.8», «54,8 %», « 1 234 ». Empty → None."""
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw).strip().replace("\xa0", "").replace(" ", "").replace("%", "").replace(",", ".")
    if text in ("", "-", "—"):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"«{raw}» — не число.") from None


def format_number(value: Decimal | None, decimals: int) -> str:
    """54.8 → «54,8»; thousands separated by a narrow no-break space as Russian documents do."""
    if value is None:
        return "—"
    return formatting.number(value, decimals)


def format_value(value: Decimal | None, unit: str, decimals: int) -> str:
    if value is None:
        return "—"
    if unit == Unit.YES_NO:
        return "да" if value >= 1 else "нет"
    text = format_number(value, decimals)
    return f"{text}\u00a0%" if unit == Unit.PERCENT else text


@dataclass(frozen=True)
class ScopeResult:
    """One computed fact: numerator and denominator for a scope."""

    scope_kind: str
    numerator: int | Decimal
    denominator: int | Decimal
    cluster_id: int | None = None
    organisation_id: int | None = None

    @property
    def fact(self) -> Decimal | None:
        return share_percent(self.numerator, self.denominator)
