"""Scoring by hand: option i of k scores i / (k − 1); an area's index is the mean of its items; levels."""
from decimal import Decimal

import pytest

from diagnostics.models import Scale
from diagnostics.scoring import Level, area_indices, level_of, option_score


def test_option_scores():
    assert [option_score(Scale.LIKERT4, i) for i in range(4)] == [
        Decimal("0.000"), Decimal("0.333"), Decimal("0.667"), Decimal("1.000")]
    assert option_score(Scale.LIKERT5, 3) == Decimal("0.750")
    assert option_score(Scale.YES_NO, 1) == Decimal("1.000")
    with pytest.raises(ValueError):
        option_score(Scale.LIKERT4, 4)


def test_area_index_is_the_mean_of_its_items():
    # Area 1: 1/3 + 2/3 + 1 → 2 / 3 = 0,667 (from the rounded scores 0,333 + 0,667 + 1,000 = 2,000);
    # area 2: 0 and 0,75 → 0,375.
    scored = [(1, option_score(Scale.LIKERT4, 1)), (1, option_score(Scale.LIKERT4, 2)),
              (1, option_score(Scale.LIKERT4, 3)), (2, Decimal("0")), (2, option_score(Scale.LIKERT5, 3))]
    assert area_indices(scored) == {1: (Decimal("0.667"), 3), 2: (Decimal("0.375"), 2)}


def test_levels_at_the_thresholds():
    assert level_of(Decimal("0.499")) == Level.DEFICIT
    assert level_of(Decimal("0.5")) == Level.SUFFICIENT
    assert level_of(Decimal("0.799")) == Level.SUFFICIENT
    assert level_of(Decimal("0.8")) == Level.HIGH
    assert level_of(Decimal("0.6"), deficit_below=Decimal("0.7"), high_from=Decimal("0.9")) == Level.DEFICIT
