"""The registration and attendance panels of events:detail: numbers for everybody with events.view, names for
methodists and the director, a school administrator only their own teachers, observers none."""
from __future__ import annotations

import pytest

from events import panels
from events.registration_panels import attendance_context, registration_context
from tests.events.factories import OpenEventFactory, RegistrationFactory, TodayEventFactory
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(district_a, school_a, school_b):
    event = OpenEventFactory(district=district_a, capacity=1)
    RegistrationFactory(event=event, teacher=TeacherFactory(organisation=school_a, full_name="Своя Учительница"))
    RegistrationFactory(event=event, teacher=TeacherFactory(organisation=school_b, full_name="Чужая Учительница"),
                        status="waitlisted")
    return event


def _names(context):
    return None if context["registrations"] is None else [r.person_name for r in context["registrations"]]


def test_counts_and_names_by_persona(event, methodist, director, observer, school_admin, portal_admin):
    context = registration_context(event, methodist)
    # capacity 1: one registered, one waiting, no free place.
    assert context["counts"] == {"registered": 1, "waitlisted": 1, "capacity": 1, "free": 0}
    assert _names(context) == ["Своя Учительница", "Чужая Учительница"]
    assert context["may_register"] is True
    assert _names(registration_context(event, director)) == ["Своя Учительница", "Чужая Учительница"]
    assert _names(registration_context(event, school_admin)) == ["Своя Учительница"]
    assert _names(registration_context(event, observer)) is None
    assert registration_context(event, director)["may_register"] is False
    assert registration_context(event, portal_admin) is None
    assert "/e/" in context["public_url"]


def test_attendance_summary(district_a, methodist, observer):
    event = TodayEventFactory(district=district_a, pupils_count=180)
    event.attendances.create(full_name="Внешний Участник", organisation_name="ДДТ")
    context = attendance_context(event, methodist)
    assert context["summary"] == {"teachers": 0, "external": 1, "pupils": 180, "total": 1}
    assert context["may_mark"] is True and attendance_context(event, observer)["may_mark"] is False


def test_both_panels_are_registered():
    names = {panel.name: panel.template for panel in panels.registered()}
    assert names["registration"] == "events/_registrations_panel.html"
    assert names["attendance"] == "events/_attendance_panel.html"


def test_the_panel_templates_render(event, methodist):
    from django.template.loader import render_to_string

    html = render_to_string("events/_registrations_panel.html", {"event": event, **registration_context(event,
                                                                                                       methodist)})
    assert "Зарегистрировано: <strong>1</strong> из 1 мест" in html and "Чужая Учительница" in html
    html = render_to_string("events/_attendance_panel.html", {"event": event, **attendance_context(event, methodist)})
    assert "обучающихся" in html
