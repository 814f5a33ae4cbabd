"""Type-ahead pickers in the events forms (issue 14.2): the achievement's teacher, the consultation's
organisations, the plan event's organisers carry only the chosen option(s), not the district's hundreds; a
picked id is saved; an id outside the user's scope is refused in Russian and nothing is saved."""
from __future__ import annotations

import pytest
from django.urls import reverse

from clusters.models import Event
from events.models import Achievement, Consultation
from tests.factories import TeacherFactory
from tests.typeahead_bulk import (
    ORGANISATION_PREFIX,
    TEACHER_PREFIX,
    bulk_organisations,
    bulk_teachers,
    option_count,
)

pytestmark = pytest.mark.django_db

REFUSED = "Выберите корректный вариант"


@pytest.fixture
def crowded(district_a, school_a):
    bulk_organisations(district_a)
    bulk_teachers(school_a)


# --- achievements: the teacher ---


def _achievement(teacher, **overrides):
    return {"teacher": teacher.pk, "kind": "competition", "title": "Учитель года", "venue": "", "year": 2021,
            "level": "district", "result": "prize", **overrides}


def test_achievement_form_does_not_list_every_teacher(methodist_client, observer_client, crowded):
    url = reverse("events:achievement_create")
    html = methodist_client.get(url).content.decode()
    assert 'data-typeahead="/registry/typeahead/teachers/"' in html
    assert TEACHER_PREFIX not in html and option_count(html) < 40
    assert observer_client.get(url).status_code == 403


def test_achievement_saves_a_picked_teacher_and_refuses_another_district(methodist_client, school_a,
                                                                         school_other_district):
    own = TeacherFactory(organisation=school_a, full_name="Алексеева Анна")
    foreign = TeacherFactory(organisation=school_other_district, full_name="Чужая Вера")
    url = reverse("events:achievement_create")
    response = methodist_client.post(url, _achievement(foreign))
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert "Чужая Вера" not in response.content.decode()  # the refused id is not echoed as an option
    assert not Achievement.objects.exists()
    assert methodist_client.post(url, _achievement(own)).status_code == 302
    assert Achievement.objects.get().teacher == own


# --- consultations: where it was held, and the checklist's organisation filter ---


def _consultation(teacher, **overrides):
    return {"held_on": "2021-03-10", "kind": "individual", "topic": "Рабочая программа", "methodist": "",
            "methodist_name": "Соколова Е.В.", "organisation": "", "notes": "", "teacher_organisation": "",
            "teacher_search": "", "teachers": [teacher.pk], **overrides}


def test_consultation_form_does_not_list_every_organisation(methodist_client, school_admin_client, crowded):
    url = reverse("events:consultation_create")
    html = methodist_client.get(url).content.decode()
    assert html.count('data-typeahead="/registry/typeahead/organisations/"') == 2
    assert ORGANISATION_PREFIX not in html
    assert school_admin_client.get(url).status_code == 403


def test_consultation_saves_a_picked_organisation_and_refuses_another_district(methodist_client, school_a, school_b,
                                                                               school_other_district):
    teacher = TeacherFactory(organisation=school_a)
    url = reverse("events:consultation_create")
    response = methodist_client.post(url, _consultation(teacher, organisation=school_other_district.pk))
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not Consultation.objects.exists()
    assert methodist_client.post(url, _consultation(teacher, organisation=school_b.pk)).status_code == 302
    assert Consultation.objects.get().organisation == school_b


# --- the annual plan: the event's organisers ---


def _event(**extra):
    return {"title": "Круглый стол наставников", "form_choice": "round_table", "level": "district",
            "held_on": "2021-04-14", "starts_at": "15:00", "ends_at": "17:00", "place": "ИМЦ, ауд. 5",
            "online_url": "", "audience": "наставники", "capacity": "25", "organised_by_imc": "on",
            "hours": "", "description": "", "result": "", **extra}


def test_event_form_does_not_list_every_organisation(methodist_client, observer_client, crowded):
    html = methodist_client.get(reverse("events:create")).content.decode()
    assert 'data-typeahead="/registry/typeahead/organisations/?mode=write"' in html
    assert ORGANISATION_PREFIX not in html
    assert observer_client.get(reverse("events:create")).status_code == 403


def test_event_saves_picked_organisers_and_refuses_another_district(methodist_client, school_a, school_b,
                                                                    school_other_district):
    response = methodist_client.post(reverse("events:create"), _event(organisers=[school_a.pk,
                                                                                  school_other_district.pk]))
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not Event.objects.filter(title="Круглый стол наставников").exists()
    response = methodist_client.post(reverse("events:create"), _event(organisers=[school_a.pk, school_b.pk]))
    assert response.status_code == 302
    event = Event.objects.get(title="Круглый стол наставников")
    assert set(event.organisers.all()) == {school_a, school_b}
    page = methodist_client.get(reverse("events:update", args=[event.pk])).content.decode()
    assert f'value="{school_a.pk}" selected' in page and f'value="{school_b.pk}" selected' in page
