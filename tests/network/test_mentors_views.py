"""Mentor pages, from the browser review: step one of a new mentor says what is wrong with the organisation."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TeacherFactory
from tests.network.factories import MentorProfileFactory

CREATE = reverse("network:mentor_create")


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "message"), [
    ("", "Обязательное поле."),
    ("abc", "Выберите корректный вариант."),
])
def test_step_one_with_nothing_or_junk_shows_the_error(value, message, methodist_client):
    response = methodist_client.get(CREATE, {"organisation": value})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.django_db
def test_step_one_with_another_districts_organisation_lists_no_teachers(school_other_district, methodist_client):
    response = methodist_client.get(CREATE, {"organisation": school_other_district.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "Выберите корректный вариант." in html
    assert 'name="teacher"' not in html


@pytest.mark.django_db
def test_step_one_refused_to_director(school_a, director_client):
    assert director_client.get(CREATE, {"organisation": school_a.pk}).status_code == 403


@pytest.mark.django_db
def test_edit_page_shows_the_fixed_teacher_without_an_empty_choice(school_a, methodist_client, observer_client):
    profile = MentorProfileFactory(teacher=TeacherFactory(organisation=school_a))
    update = reverse("network:mentor_update", args=[profile.pk])
    html = methodist_client.get(update).content.decode()
    assert profile.teacher.full_name in html and "---------" not in html
    assert observer_client.get(update).status_code == 403


@pytest.mark.django_db
def test_step_two_of_an_organisation_without_free_teachers_says_so(school_a, methodist_client):
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_a))  # its only teacher is already a mentor
    html = methodist_client.get(CREATE, {"organisation": school_a.pk}).content.decode()
    assert "нет педагогов, которых ещё нет в базе наставников" in html and 'name="teacher"' not in html
    teacher = TeacherFactory(organisation=school_a)
    html = methodist_client.get(CREATE, {"organisation": school_a.pk}).content.decode()
    assert teacher.full_name in html and "no-teachers" not in html
