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


# --- journal: consultations and achievements (events/views/journal.py) ---


class ConsultationFactory(DjangoModelFactory):
    """A thematic consultation of a district given by a named consultant; add teachers with `teachers=[...]`."""

    class Meta:
        model = "events.Consultation"
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    kind = "thematic"
    topic = factory.Sequence(lambda n: f"Тематическая консультация {n}")
    held_on = datetime.date(2021, 3, 10)
    methodist_name = "Соколова Е.В."

    @factory.post_generation
    def teachers(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create and extracted:
            obj.teachers.set(extracted)


class AchievementFactory(DjangoModelFactory):
    """A teacher's competition participation (a publication: kind="publication", result="")."""

    class Meta:
        model = "events.Achievement"

    teacher = factory.SubFactory("tests.factories.TeacherFactory")
    kind = "competition"
    title = factory.Sequence(lambda n: f"Конкурс педагогического мастерства {n}")
    year = 2021
    level = cm.ActivityLevel.DISTRICT
    result = "participant"
