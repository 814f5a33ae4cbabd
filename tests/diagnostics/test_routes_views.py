"""The ИОМ pages: who reads, who edits and approves (the school), filters, bad input."""
from __future__ import annotations

import datetime as dt

import pytest

from clusters.models import RouteStatus
from diagnostics.models import RouteOrigin, RouteStep, StepKind, StepStatus
from tests.diagnostics.factories import area
from tests.factories import IndividualRouteFactory, TeacherFactory


@pytest.fixture
def routes(school_a, school_b):
    own = IndividualRouteFactory(teacher=TeacherFactory(organisation=school_a, full_name="Петрова Ольга"),
                                 status=RouteStatus.PLANNED, starts_on=dt.date(2021, 12, 1),
                                 ends_on=dt.date(2022, 5, 31))
    RouteOrigin.objects.create(route=own)
    other = IndividualRouteFactory(teacher=TeacherFactory(organisation=school_b, full_name="Сидорова Мария"),
                                   status=RouteStatus.ACTIVE)
    step = RouteStep.objects.create(route=own, position=1, kind=StepKind.OTHER, area=area("methodical"),
                                    title="Посетить пять открытых уроков", due_on=dt.date(2022, 3, 1))
    return own, other, step


def names(response):
    return [route.teacher.full_name for route in response.context["object_list"]]


def test_list_school_sees_own_methodist_all_with_filters(routes, school_admin_client, methodist_client, school_b):
    assert names(school_admin_client.get("/diagnostics/routes/")) == ["Петрова Ольга"]
    assert sorted(names(methodist_client.get("/diagnostics/routes/"))) == ["Петрова Ольга", "Сидорова Мария"]
    assert names(methodist_client.get("/diagnostics/routes/?status=active")) == ["Сидорова Мария"]
    assert names(methodist_client.get(f"/diagnostics/routes/?organisation={school_b.pk}")) == ["Сидорова Мария"]
    # a hand-made organisation filter does not widen a school administrator's list
    assert names(school_admin_client.get(f"/diagnostics/routes/?organisation={school_b.pk}")) == ["Петрова Ольга"]
    # a nonsense filter is ignored, never a 500
    assert methodist_client.get("/diagnostics/routes/?status=zzz&organisation=x").status_code == 200


def test_list_refused_to_observer_and_anonymous(routes, observer_client, anonymous):
    assert observer_client.get("/diagnostics/routes/").status_code == 403
    assert anonymous.get("/diagnostics/routes/").status_code == 302


def test_detail(routes, school_admin_client, director_client, other_school_admin_client):
    own, other, step = routes
    page = school_admin_client.get(f"/diagnostics/routes/{own.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Посетить пять открытых уроков" in html and "01.03.2022" in html and "Утвердить ИОМ" in html
    read_only = director_client.get(f"/diagnostics/routes/{own.pk}/").content.decode()
    assert "Посетить пять открытых уроков" in read_only and "Утвердить ИОМ" not in read_only
    assert other_school_admin_client.get(f"/diagnostics/routes/{own.pk}/").status_code == 404
    assert school_admin_client.get(f"/diagnostics/routes/{other.pk}/").status_code == 404


def test_step_create(routes, school_admin_client, methodist_client, other_school_admin_client):
    own, _, _ = routes
    url = f"/diagnostics/routes/{own.pk}/steps/new/"
    assert school_admin_client.get(url).status_code == 200
    data = {"position": 2, "kind": StepKind.OTHER, "area": area("subject").pk, "title": "Разработать рабочую программу",
            "due_on": "2022-04-15", "status": StepStatus.PLANNED}
    assert methodist_client.post(url, data).status_code == 403
    assert other_school_admin_client.post(url, data).status_code == 404
    assert own.steps.count() == 1
    response = school_admin_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/diagnostics/routes/{own.pk}/"
    created = own.steps.get(position=2)
    assert (created.title, created.due_on, created.area.code) == ("Разработать рабочую программу",
                                                                   dt.date(2022, 4, 15), "subject")


def test_step_create_bad_input_changes_nothing(routes, school_admin_client):
    own, _, _ = routes
    response = school_admin_client.post(f"/diagnostics/routes/{own.pk}/steps/new/",
                                        {"position": 2, "kind": "nonsense", "title": "", "due_on": "32.13.2022",
                                         "status": StepStatus.PLANNED})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"kind", "title", "due_on"}
    assert own.steps.count() == 1


def test_step_update_done_stamps_the_date(routes, school_admin_client, director_client, other_school_admin_client):
    own, _, step = routes
    url = f"/diagnostics/route-steps/{step.pk}/edit/"
    data = {"position": 1, "kind": StepKind.OTHER, "title": step.title, "due_on": "2022-03-01",
            "status": StepStatus.DONE}
    assert director_client.post(url, data).status_code == 403
    assert other_school_admin_client.get(url).status_code == 404
    assert school_admin_client.get(url).status_code == 200
    assert school_admin_client.post(url, data).status_code == 302
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.completed_on is not None


def test_last_open_step_done_completes_an_active_route(routes, school_admin_client):
    own, _, step = routes
    own.status = RouteStatus.ACTIVE
    own.save()
    school_admin_client.post(f"/diagnostics/route-steps/{step.pk}/edit/",
                             {"position": 1, "kind": StepKind.OTHER, "title": step.title, "status": StepStatus.DONE})
    own.refresh_from_db()
    assert own.status == RouteStatus.COMPLETED


def test_step_delete(routes, school_admin_client, methodist_client, other_school_admin_client):
    own, _, step = routes
    url = f"/diagnostics/route-steps/{step.pk}/delete/"
    assert methodist_client.post(url).status_code == 403
    assert other_school_admin_client.post(url).status_code == 404
    assert school_admin_client.get(url).status_code == 405
    assert school_admin_client.post(url).status_code == 302
    assert not own.steps.exists()


def test_approve_without_steps_is_refused_with_a_message(routes, school_admin_client):
    own, _, step = routes
    step.delete()
    response = school_admin_client.post(f"/diagnostics/routes/{own.pk}/approve/", follow=True)
    assert "нет ни одного шага" in response.content.decode()
    own.refresh_from_db()
    assert own.status == RouteStatus.PLANNED
