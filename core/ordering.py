"""Move an item one step up or down among its siblings (indicators of a programme, sections of a
questionnaire …): swap it with its neighbour and renumber, under a row lock, in one transaction.

Siblings are ordered by the position field, then pk (two items may share a position after an
import or an old migration); after a move they are numbered start, start+1, … so the order is
unambiguous again. Only rows whose position changed are written.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet

from .errors import AppError, InvalidError

UP, DOWN = "up", "down"
DIRECTIONS = frozenset({UP, DOWN})
UNKNOWN_DIRECTION = "Укажите, куда переместить: выше или ниже."


class MoveError(InvalidError):
    """The item is already first/last, or the direction is not «up»/«down»."""


def check_direction(direction: str, *, message: str = UNKNOWN_DIRECTION, error_class: type[AppError] = MoveError
                    ) -> None:
    if direction not in DIRECTIONS:
        raise error_class(message)


def swapped(items: Sequence[Any], item: Any, direction: str, *, first: str, last: str,
            error_class: type[AppError] = MoveError) -> list[Any]:
    """A new list with `item` (found by pk) swapped with its neighbour; no database.

    `first`/`last` are the refusals at the edges («Показатель уже первый.»).
    """
    check_direction(direction, error_class=error_class)
    ordered = list(items)
    i = [x.pk for x in ordered].index(item.pk)
    j = i - 1 if direction == UP else i + 1
    if not 0 <= j < len(ordered):
        raise error_class(first if direction == UP else last)
    ordered[i], ordered[j] = ordered[j], ordered[i]
    return ordered


def renumber(items: Sequence[Model], *, field: str = "position", start: int = 0) -> list[Model]:
    """Give `items` consecutive positions from `start` in their list order; write only the changed."""
    changed = []
    for position, obj in enumerate(items, start=start):
        if getattr(obj, field) != position:
            setattr(obj, field, position)
            changed.append(obj)
    if changed:
        type(changed[0])._default_manager.bulk_update(changed, [field])
    return list(items)


def move(siblings: QuerySet, item: Model, direction: str, *, first: str, last: str, field: str = "position",
         start: int = 0, unknown: str = UNKNOWN_DIRECTION, error_class: type[AppError] = MoveError) -> list[Model]:
    """Move `item` one step within `siblings` (a queryset of it and its siblings) and renumber them.

    The siblings are locked (SELECT … FOR UPDATE) for the transaction, so two moves at once do
    not interleave. Raises `error_class` (default MoveError) with `first`/`last` at an edge and
    `unknown` for a direction other than UP/DOWN. Returns the siblings in their new order.
    """
    check_direction(direction, message=unknown, error_class=error_class)
    with transaction.atomic():
        ordered = list(siblings.select_for_update().order_by(field, "pk"))
        ordered = swapped(ordered, item, direction, first=first, last=last, error_class=error_class)
        return renumber(ordered, field=field, start=start)
