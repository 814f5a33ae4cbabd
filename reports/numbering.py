"""The ИМЦ's outgoing-documents register: gapless numbers per ИМЦ and calendar year.

A number is taken inside the approving transaction: the year's counter row is created if it is
missing (INSERT … ON CONFLICT DO NOTHING, so two first approvals of a year do not collide), then
locked with SELECT … FOR UPDATE and incremented. A second approval at the same moment waits on
the lock and gets the next number; an approval that rolls back rolls the counter back with it, so
no number is lost (the register has no gaps).
"""
from __future__ import annotations

from django.db import connection
from django.db.models import F

from clusters.models import MethodCentre

from .models import OutgoingCounter


class NumberingError(RuntimeError):
    """Programming error: a number must be taken inside the transaction that uses it."""


def _locked_counter(*, method_centre: MethodCentre, year: int) -> OutgoingCounter:
    if not connection.in_atomic_block:
        raise NumberingError("outgoing numbers are taken inside the approving transaction")
    OutgoingCounter.objects.bulk_create(
        [OutgoingCounter(method_centre=method_centre, year=year)], ignore_conflicts=True
    )
    return OutgoingCounter.objects.select_for_update().get(method_centre=method_centre, year=year)


def outgoing_number_take(*, method_centre: MethodCentre, year: int) -> int:
    """The next number of the year's register (1, 2, …); call inside the caller's transaction."""
    counter = _locked_counter(method_centre=method_centre, year=year)
    OutgoingCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return counter.last_number + 1


def outgoing_number_register(*, method_centre: MethodCentre, year: int, number: int) -> int:
    """Record a number given out on paper before the portal kept the register (demo: № 1-854).

    The counter moves up to `number` if it is behind, so the portal's next number follows it;
    it never moves down. Uniqueness of the number itself is the report's constraint.
    """
    if number < 1:
        raise ValueError("outgoing numbers start at 1")
    counter = _locked_counter(method_centre=method_centre, year=year)
    if counter.last_number < number:
        OutgoingCounter.objects.filter(pk=counter.pk).update(last_number=number)
    return number


def outgoing_label(method_centre: MethodCentre, number: int) -> str:
    """«1-854»: the ИМЦ's configurable prefix and the number."""
    return f"{method_centre.outgoing_prefix}{number}"


def outgoing_last_number(*, method_centre: MethodCentre, year: int) -> int:
    """The last number given out in the year (0 if none) — for the register's page and tests."""
    counter = OutgoingCounter.objects.filter(method_centre=method_centre, year=year).first()
    return counter.last_number if counter else 0
