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


# --- certificates (events/views/certificates.py) ---


class CertHeldEventFactory(EventFactory):
    """A held event of the plan (certificates are issued after it)."""

    title = factory.Sequence(lambda n: f"Региональный семинар {n}")
    held_on = datetime.date(2021, 3, 18)
    status = cm.EventStatus.HELD
    participants_count = 0


class CertAttendanceFactory(DjangoModelFactory):
    """An attendee: an external person unless a teacher is given (then the name is the teacher's)."""

    class Meta:
        model = "events.Attendance"

    event = factory.SubFactory(CertHeldEventFactory)
    full_name = factory.Sequence(lambda n: f"Петрова Ольга Игоревна {n}")
    organisation_name = "ГБОУ гимназия № 2 Саянска"


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


# --- registration and attendance (events/views/registration.py, attendance.py, public.py) ---


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


class OpenEventFactory(EventFactory):
    """A planned event ten days ahead taking registrations (also on its public page), 2 places."""

    title = factory.Sequence(lambda n: f"Мастер-класс {n}")
    held_on = factory.LazyFunction(lambda: _today() + datetime.timedelta(days=10))
    starts_at = datetime.time(15, 0)
    place = "ИМЦ, ауд. 12"
    capacity = 2
    status = cm.EventStatus.PLANNED
    registration_open = True
    public_registration = True
    public_code = factory.Sequence(lambda n: f"open-event-{n}")
    participants_count = 0


class TodayEventFactory(OpenEventFactory):
    """The same, held today (attendance is marked)."""

    held_on = factory.LazyFunction(_today)


def _ticket_hash(n: int) -> str:
    import hashlib

    return hashlib.sha256(f"ticket-{n}".encode()).hexdigest()


class RegistrationFactory(DjangoModelFactory):
    """A registered teacher (pass teacher=…, or teacher=None with full_name/email for an external person).
    The ticket's token is f"ticket-{n}"; tests that need a known token pass ticket_hash themselves."""

    class Meta:
        model = "events.Registration"

    event = factory.SubFactory(OpenEventFactory)
    teacher = factory.SubFactory("tests.factories.TeacherFactory")
    status = "registered"
    ticket_hash = factory.Sequence(_ticket_hash)
