"""Factories of the events app (issue 13). Each area only ADDS its classes here; the registry's EventFactory
lives in tests/factories.py and is reused."""
from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from clusters import models as cm
from tests.factories import DistrictFactory, EventFactory

__all__ = ["EventFactory", "DistrictEventFormFactory", "PlannedEventFactory"]


# --- plan (events/views/plan.py) ---


class DistrictEventFormFactory(DjangoModelFactory):
    class Meta:
        model = cm.DistrictEventForm

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Педагогическая мастерская {n}")


class PlannedEventFactory(EventFactory):
    """An event of the annual plan: time, place, audience, capacity; planned."""

    title = factory.Sequence(lambda n: f"Мероприятие плана {n}")
    held_on = datetime.date(2021, 3, 18)
    starts_at = datetime.time(15, 0)
    ends_at = datetime.time(17, 0)
    place = "ГБОУ СОШ № 1, актовый зал"
    audience = "учителя начальных классов"
    capacity = 30
    status = cm.EventStatus.PLANNED
    participants_count = 0
