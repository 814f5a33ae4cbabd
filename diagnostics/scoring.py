"""Scoring of diagnostic answers: pure arithmetic, no database (docs/domain.md, «Самодиагностика»).

An answer to an item with a scale of k options is option i (0-based, from the weakest) and scores i / (k − 1):
4 levels give 0, 1/3, 2/3, 1; 5 levels 0, 0,25, 0,5, 0,75, 1; «нет»/«да» 0 and 1. An area's index is the mean
score of the area's answered items, rounded to three decimals (half up). The level of an index: «дефицит» below
the district's `deficit_below` (0,5), «высокий» from `high_from` (0,8), «достаточный» between.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .models import Scale

SCORE_PLACES = Decimal("0.001")
DEFAULT_DEFICIT_BELOW = Decimal("0.5")
DEFAULT_HIGH_FROM = Decimal("0.8")

OPTIONS: dict[str, tuple[str, ...]] = {
    Scale.LIKERT4: ("не владею", "владею частично", "владею достаточно", "владею свободно"),
    Scale.LIKERT5: ("совсем нет", "скорее нет", "отчасти", "скорее да", "полностью"),
    Scale.YES_NO: ("нет", "да"),
}


class Level:
    DEFICIT = "deficit"
    SUFFICIENT = "sufficient"
    HIGH = "high"
    LABELS = {DEFICIT: "дефицит", SUFFICIENT: "достаточный", HIGH: "высокий"}


def rounded(value: Decimal) -> Decimal:
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def options(scale: str) -> tuple[str, ...]:
    return OPTIONS[scale]


def option_score(scale: str, choice: int) -> Decimal:
    """The 0–1 score of option `choice` (0-based) of the scale; ValueError for an option the scale has not."""
    count = len(OPTIONS[scale])
    if not 0 <= choice < count:
        raise ValueError(f"option {choice} is outside the scale {scale} (0…{count - 1})")
    return rounded(Decimal(choice) / Decimal(count - 1))


def area_indices(scored: Iterable[tuple[int, Decimal]]) -> dict[int, tuple[Decimal, int]]:
    """(area id, item score) pairs → area id → (index rounded to 3 decimals, number of items)."""
    sums: dict[int, list] = defaultdict(lambda: [Decimal(0), 0])
    for area_id, score in scored:
        sums[area_id][0] += score
        sums[area_id][1] += 1
    return {area_id: (rounded(total / count), count) for area_id, (total, count) in sums.items()}


def level_of(index: Decimal, *, deficit_below: Decimal = DEFAULT_DEFICIT_BELOW,
             high_from: Decimal = DEFAULT_HIGH_FROM) -> str:
    if index < deficit_below:
        return Level.DEFICIT
    if index >= high_from:
        return Level.HIGH
    return Level.SUFFICIENT
