"""The events demo (demo/events.py): the Frunzensky forms of interaction of 2021 in the signed справка, the Sayansk
regional seminar of 30 teachers and 180 pupils with certificates, the Kirovsky plan, consultations and achievements.

The whole demo loads once for tests/demo (conftest.py); the rerun is checked in test_rerun.py (events counted).
"""
from __future__ import annotations

import io
import re

import pytest
from django.db.models import Count, Q

from clusters.models import Event, EventForm, EventStatus
from demo import events_data as data
from demo.events import load_events_demo
from events.models import Achievement, AchievementKind, Attendance, Certificate, Consultation, Registration
from events.report_sections import KEY
from reports.models import FileRole, Report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def _pdf_text(report: Report) -> str:
    from pypdf import PdfReader

    content = report.files.get(role=FileRole.SIGNED_PDF).file.open("rb").read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_frunzensky_spravka_has_the_forms_of_interaction_of_2021():
    report = Report.objects.get(district__code="frunzensky", kind="monitoring")
    paragraph = report.section_texts[KEY]
    assert paragraph.startswith("В 2021 году ИМЦ провёл ")
    for form in ("взаимоапробация — 5", "видеоуроки — 4", "мастер-классы — 9", "фестивали — 1"):
        assert form in paragraph
    assert "Ежегодный педагогический фестиваль «Педагогические идеи — 2021» (15.04.2021)" in paragraph
    text = _pdf_text(report)
    assert "Формы взаимодействия в 2021 году" in text
    assert "В 2021 году ИМЦ провёл" in text


def test_the_frunzensky_events_of_2021_are_held_with_attendance_of_registry_teachers():
    held = Event.objects.filter(district__code="frunzensky", held_on__year=2021)
    assert not held.exclude(status=EventStatus.HELD).exists()
    festival = held.get(title__startswith="Ежегодный педагогический фестиваль")
    # Everybody counted at the festival is a registry teacher marked present, once.
    assert festival.attendances.filter(teacher__isnull=False).count() == festival.participants_count == 420
    assert held.filter(form=EventForm.MUTUAL_TESTING).count() == 5
    assert held.filter(form=EventForm.VIDEO_LESSON).count() == 4
    assert not Attendance.objects.filter(event__district__code="frunzensky", registration__isnull=True).exists()


def test_the_sayansk_seminar_has_30_teachers_and_180_pupils_and_certificates():
    seminar = Event.objects.get(district__code="sayansk", title=data.SAYANSK_SEMINAR)
    counts = seminar.attendances.aggregate(all=Count("pk"), external=Count("pk", filter=Q(teacher__isnull=True)),
                                           tulun=Count("pk", filter=Q(organisation_name__contains="Тулун")))
    assert counts == {"all": 30, "external": 6, "tulun": 6}
    assert (seminar.pupils_count, seminar.status, seminar.hours) == (180, EventStatus.HELD, 6)
    certificates = Certificate.objects.filter(event=seminar)
    assert certificates.count() == 30
    assert certificates.filter(kind="short_training", hours=6).count() == 30
    # The 24 registry teachers' certificates count in their professional-development record.
    assert certificates.exclude(training_completion=None).count() == 24


def test_the_kirovsky_plan_consultations_and_achievements():
    kirovsky = Event.objects.filter(district__code="kirovsky")
    assert kirovsky.filter(held_on__year=2024, status=EventStatus.HELD).count() == len(data.KIROVSKY_2024)
    upcoming = kirovsky.filter(status=EventStatus.PLANNED, registration_open=True)
    assert upcoming.count() == 2
    public = upcoming.get(public_registration=True)
    assert public.public_code
    # Two teachers of admin_ou_kirov's school on each open event, two people of another district on the public one.
    assert Registration.objects.filter(event=public, teacher__isnull=True).count() == 2
    assert Registration.objects.filter(event__in=upcoming, teacher__isnull=False).count() == 4
    consultations = Consultation.objects.filter(district__code="kirovsky")
    assert consultations.filter(kind="thematic").count() == data.THEMATIC_COUNT
    assert consultations.filter(kind="individual").count() == data.INDIVIDUAL_COUNT
    competition = kirovsky.get(title=data.KIROVSKY_COMPETITION)
    results = Achievement.objects.filter(event=competition).values("result").annotate(n=Count("pk"))
    assert {row["result"]: row["n"] for row in results} == {"winner": 3, "prize": 7, "participant": 20}
    assert Achievement.objects.filter(teacher__organisation__district__code="kirovsky",
                                      kind=AchievementKind.PUBLICATION).count() == data.PUBLICATIONS


def test_a_second_load_of_the_events_demo_adds_nothing():
    before = (Event.objects.count(), Registration.objects.count(), Attendance.objects.count(),
              Certificate.objects.count(), Consultation.objects.count(), Achievement.objects.count())
    stats = load_events_demo()
    assert not sum(stats.created.values())
    assert stats.line() == "Мероприятия: всё уже было загружено."
    assert (Event.objects.count(), Registration.objects.count(), Attendance.objects.count(),
            Certificate.objects.count(), Consultation.objects.count(), Achievement.objects.count()) == before
