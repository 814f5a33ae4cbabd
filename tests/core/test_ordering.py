"""core/ordering.py: one step up or down among siblings, renumbered, under a lock."""
from types import SimpleNamespace

import pytest

from core.errors import AppError, InvalidError
from core.ordering import DOWN, UP, MoveError, move, swapped
from monitoring.models import Indicator, Programme

EDGES = {"first": "Показатель уже первый.", "last": "Показатель уже последний."}


def _items(*pks):
    return [SimpleNamespace(pk=pk) for pk in pks]


def test_swapped_exchanges_an_item_with_its_neighbour():
    a, b, c = _items(1, 2, 3)
    assert [x.pk for x in swapped([a, b, c], b, UP, **EDGES)] == [2, 1, 3]
    assert [x.pk for x in swapped([a, b, c], b, DOWN, **EDGES)] == [1, 3, 2]
    # found by pk: a fresh copy of the object moves too
    assert [x.pk for x in swapped([a, b, c], SimpleNamespace(pk=3), UP, **EDGES)] == [1, 3, 2]


def test_swapped_refuses_at_the_edges_and_unknown_directions():
    a, b = _items(1, 2)
    with pytest.raises(MoveError, match="уже первый"):
        swapped([a, b], a, UP, **EDGES)
    with pytest.raises(MoveError, match="уже последний"):
        swapped([a, b], b, DOWN, **EDGES)
    with pytest.raises(MoveError, match="выше или ниже"):
        swapped([a, b], a, "sideways", **EDGES)
    assert issubclass(MoveError, InvalidError)


@pytest.fixture
def indicators(district_a):
    programme = Programme.objects.create(district=district_a, code="p", name="Программа")
    # Positions as an old import left them: a tie (0, 0) and a gap (5).
    return programme, [Indicator.objects.create(programme=programme, code=code, name=code, position=position)
                       for code, position in (("a", 0), ("b", 0), ("c", 5))]


def _order(programme):
    return list(programme.indicators.order_by("position", "pk").values_list("code", "position"))


@pytest.mark.django_db
def test_move_swaps_and_renumbers_all_siblings(indicators):
    programme, (a, b, c) = indicators
    move(programme.indicators.all(), c, UP, **EDGES)
    assert _order(programme) == [("a", 0), ("c", 1), ("b", 2)]
    move(programme.indicators.all(), a, DOWN, **EDGES)
    assert _order(programme) == [("c", 0), ("a", 1), ("b", 2)]


@pytest.mark.django_db
def test_move_numbers_from_start(indicators):
    programme, (a, b, c) = indicators
    ordered = move(programme.indicators.all(), b, UP, start=1, **EDGES)
    assert [x.code for x in ordered] == ["b", "a", "c"]
    assert _order(programme) == [("b", 1), ("a", 2), ("c", 3)]


@pytest.mark.django_db
def test_a_refused_move_writes_nothing_and_raises_the_callers_error(indicators):
    class BuilderError(AppError):
        pass

    programme, (a, b, c) = indicators
    with pytest.raises(BuilderError, match="уже последний"):
        move(programme.indicators.all(), c, DOWN, error_class=BuilderError, **EDGES)
    with pytest.raises(MoveError, match="Неизвестное направление"):
        move(programme.indicators.all(), c, "left", unknown="Неизвестное направление перемещения.", **EDGES)
    assert _order(programme) == [("a", 0), ("b", 0), ("c", 5)]
