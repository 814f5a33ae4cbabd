"""ИОМ: list with filters, create/edit/delete by methodists and by a school for its own teachers."""
import datetime
import re

import pytest
from django.urls import reverse

from clusters.models import Deficit, IndividualRoute, RouteStatus
from tests.factories import IndividualRouteFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def route_data(teacher, **overrides):
    data = {"teacher": teacher.pk, "starts_on": "01.09.2021", "ends_on": "31.05.2022",
            "status": RouteStatus.ACTIVE, "deficits": [Deficit.SUBJECT, Deficit.COMMUNICATIVE],
            "goals": "Курсы ПК по предмету; посещение уроков наставника"}
    data.update(overrides)
    return data


def test_methodist_lists_the_districts_routes_only(methodist_client, teacher_a, teacher_b, school_other_district):
    own = {IndividualRouteFactory(teacher=teacher_a), IndividualRouteFactory(teacher=teacher_b)}
    IndividualRouteFactory(teacher__organisation=school_other_district)
    response = methodist_client.get(reverse("clusters:route_list"))
    assert response.status_code == 200
    assert set(response.context["object_list"]) == own


def test_school_admin_lists_only_own_teachers_routes(school_admin_client, teacher_a, teacher_b):
    own = IndividualRouteFactory(teacher=teacher_a)
    IndividualRouteFactory(teacher=teacher_b)
    assert list(school_admin_client.get(reverse("clusters:route_list")).context["object_list"]) == [own]


def test_list_shows_deficits_in_russian(director_client, teacher_a):
    IndividualRouteFactory(teacher=teacher_a, deficits=[Deficit.PSYCHO_PEDAGOGICAL, Deficit.SUBJECT])
    response = director_client.get(reverse("clusters:route_list"))
    assert response.status_code == 200
    assert "психолого-педагогические, предметные" in response.content.decode()


def test_deficit_filter_matches_whole_codes(methodist_client, teacher_a):
    methodical = IndividualRouteFactory(teacher=teacher_a, deficits=[Deficit.SUBJECT, Deficit.METHODICAL])
    IndividualRouteFactory(teacher=teacher_a, deficits=[Deficit.COMMUNICATIVE])
    IndividualRouteFactory(teacher=teacher_a, deficits=[])
    response = methodist_client.get(reverse("clusters:route_list"), {"deficit": Deficit.METHODICAL})
    assert list(response.context["object_list"]) == [methodical]


def test_list_filters_by_status_and_organisation(methodist_client, school_b, teacher_a, teacher_b):
    hit = IndividualRouteFactory(teacher=teacher_b, status=RouteStatus.COMPLETED)
    IndividualRouteFactory(teacher=teacher_b, status=RouteStatus.ACTIVE)
    IndividualRouteFactory(teacher=teacher_a, status=RouteStatus.COMPLETED)
    response = methodist_client.get(reverse("clusters:route_list"),
                                    {"status": RouteStatus.COMPLETED, "organisation": school_b.pk})
    assert list(response.context["object_list"]) == [hit]


def test_list_of_fifty_routes_runs_constant_queries(methodist_client, school_a, django_assert_max_num_queries):
    for _ in range(50):
        IndividualRouteFactory(teacher=TeacherFactory(organisation=school_a))
    with django_assert_max_num_queries(9):
        response = methodist_client.get(reverse("clusters:route_list"))
    assert len(response.context["object_list"]) == 50


def test_methodist_creates_a_route_with_deficits(methodist_client, teacher_b):
    response = methodist_client.post(reverse("clusters:route_create"), route_data(teacher_b))
    assert response.status_code == 302
    route = IndividualRoute.objects.get()
    assert route.teacher == teacher_b
    assert route.deficits == [Deficit.SUBJECT, Deficit.COMMUNICATIVE]
    assert (route.starts_on, route.ends_on) == (datetime.date(2021, 9, 1), datetime.date(2022, 5, 31))


def test_unknown_deficit_is_refused(methodist_client, teacher_a):
    response = methodist_client.post(reverse("clusters:route_create"), route_data(teacher_a, deficits=["bogus"]))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not IndividualRoute.objects.exists()


def test_route_ending_before_it_starts_is_refused(methodist_client, teacher_a):
    response = methodist_client.post(reverse("clusters:route_create"),
                                     route_data(teacher_a, starts_on="01.09.2021", ends_on="31.08.2021"))
    html = response.content.decode()
    assert "Окончание раньше начала." in html
    assert "Нарушено ограничение" not in html
    assert not IndividualRoute.objects.exists()


def test_school_admin_creates_a_route_for_own_teacher(school_admin_client, teacher_a):
    response = school_admin_client.post(reverse("clusters:route_create"), route_data(teacher_a))
    assert response.status_code == 302
    assert IndividualRoute.objects.get().teacher == teacher_a


def test_school_admin_cannot_create_a_route_for_another_schools_teacher(school_admin_client, teacher_b):
    response = school_admin_client.post(reverse("clusters:route_create"), route_data(teacher_b))
    assert "teacher" in response.context["form"].errors
    assert not IndividualRoute.objects.exists()


def test_methodist_cannot_post_a_teacher_of_another_district(methodist_client, school_other_district):
    stranger = TeacherFactory(organisation=school_other_district)
    response = methodist_client.post(reverse("clusters:route_create"), route_data(stranger))
    assert "teacher" in response.context["form"].errors
    assert not IndividualRoute.objects.exists()


def test_director_may_not_create_routes(director_client, teacher_a):
    assert director_client.post(reverse("clusters:route_create"), route_data(teacher_a)).status_code == 403
    assert not IndividualRoute.objects.exists()


def test_edit_form_shows_the_routes_deficits_ticked(methodist_client, teacher_a):
    route = IndividualRouteFactory(teacher=teacher_a, deficits=[Deficit.INFORMATIONAL])
    html = methodist_client.get(reverse("clusters:route_update", args=[route.pk])).content.decode()
    assert re.search(r'value="informational"[^>]*checked', html)
    assert not re.search(r'value="subject"[^>]*checked', html)


def test_school_admin_completes_own_teachers_route(school_admin_client, teacher_a):
    route = IndividualRouteFactory(teacher=teacher_a)
    response = school_admin_client.post(reverse("clusters:route_update", args=[route.pk]),
                                        route_data(teacher_a, status=RouteStatus.COMPLETED, deficits=[]))
    assert response.status_code == 302
    route.refresh_from_db()
    assert (route.status, route.deficits) == (RouteStatus.COMPLETED, [])


def test_another_schools_admin_cannot_reach_the_route(other_school_admin_client, teacher_a):
    route = IndividualRouteFactory(teacher=teacher_a)
    assert other_school_admin_client.get(reverse("clusters:route_update", args=[route.pk])).status_code == 404
    assert other_school_admin_client.post(reverse("clusters:route_delete", args=[route.pk])).status_code == 404
    assert IndividualRoute.objects.filter(pk=route.pk).exists()


def test_school_admin_deletes_own_teachers_route(school_admin_client, teacher_a):
    route = IndividualRouteFactory(teacher=teacher_a)
    assert school_admin_client.post(reverse("clusters:route_delete", args=[route.pk])).status_code == 302
    assert not IndividualRoute.objects.exists()
