"""Type-ahead pickers on the ИОМ pages (issue 14.2): a step's mentor and the list's organisation filter carry only
the chosen option, not the district's hundreds. The mentor search answers the step form's own choices (any teacher
of the route's district but the route's teacher), so a school administrator may still name another school's
mentor; an id outside the district is refused in Russian and nothing is saved."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clusters.models import RouteStatus
from diagnostics.models import RouteStep, StepKind, StepStatus
from tests.diagnostics.factories import area
from tests.factories import IndividualRouteFactory, TeacherFactory
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
def route(school_a):
    return IndividualRouteFactory(teacher=TeacherFactory(organisation=school_a, full_name="Петрова Ольга Ивановна"),
                                  status=RouteStatus.PLANNED, starts_on=dt.date(2021, 12, 1),
                                  ends_on=dt.date(2022, 5, 31))


def _step(mentor, **extra):
    return {"position": 1, "kind": StepKind.MENTOR, "area": area("subject").pk,
            "title": "Занятия с наставником", "mentor": mentor.pk, "due_on": "2022-04-15",
            "status": StepStatus.PLANNED, **extra}


def test_step_form_does_not_list_every_teacher(route, school_a, school_admin_client):
    bulk_teachers(school_a)
    url = reverse("diagnostics:route_step_create", args=[route.pk])
    html = school_admin_client.get(url).content.decode()
    search = reverse("diagnostics:route_mentors", args=[route.pk])
    assert f'data-typeahead="{search}"' in html
    assert TEACHER_PREFIX not in html and option_count(html) < 60


def test_mentor_search_answers_the_forms_choices(route, school_a, school_b, school_other_district,
                                                 school_admin_client, other_school_admin_client, methodist_client):
    colleague = TeacherFactory(organisation=school_b, full_name="Абрамова Ирина Сергеевна")
    TeacherFactory(organisation=school_other_district, full_name="Абрамова Нина Ивановна")
    search = reverse("diagnostics:route_mentors", args=[route.pk])
    answer = school_admin_client.get(search, {"q": "абрамова"}).json()
    assert answer == {"results": [{"id": colleague.pk, "text": f"Абрамова Ирина Сергеевна ({school_b.short_name})"}],
                      "more": False}
    assert school_admin_client.get(search, {"q": "петрова"}).json()["results"] == []  # not the route's own teacher
    assert methodist_client.get(search, {"q": "абрамова"}).status_code == 403  # reads routes, does not edit them
    assert other_school_admin_client.get(search, {"q": "абрамова"}).status_code == 404


def test_step_saves_another_schools_mentor_and_refuses_another_district(route, school_b, school_other_district,
                                                                        school_admin_client):
    url = reverse("diagnostics:route_step_create", args=[route.pk])
    foreign = TeacherFactory(organisation=school_other_district, full_name="Чужая Вера")
    response = school_admin_client.post(url, _step(foreign))
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert "Чужая Вера" not in response.content.decode()
    assert not RouteStep.objects.exists()
    colleague = TeacherFactory(organisation=school_b)
    assert school_admin_client.post(url, _step(colleague)).status_code == 302
    step = RouteStep.objects.get()
    assert step.mentor == colleague
    html = school_admin_client.get(reverse("diagnostics:route_step_update", args=[step.pk])).content.decode()
    assert f'value="{colleague.pk}" selected' in html


def test_route_list_organisation_filter_is_a_search(route, district_a, school_b, methodist_client, observer_client):
    bulk_organisations(district_a)
    html = methodist_client.get(reverse("diagnostics:routes"), {"organisation": school_b.pk}).content.decode()
    assert 'data-typeahead="/registry/typeahead/organisations/"' in html
    assert ORGANISATION_PREFIX not in html and f'value="{school_b.pk}" selected' in html
    assert observer_client.get(reverse("diagnostics:routes")).status_code == 403
