"""Pure arithmetic of monitoring: shares, rounding, achievement, reading and printing numbers. No database here."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core import formatting

from .units import Direction, Unit, unit_suffix

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
    suffix = unit_suffix(unit)
    return f"{text}\u00a0{suffix}" if suffix else text


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
