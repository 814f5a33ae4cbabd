"""Teacher and organisation pages lead to the teacher's courses, routes, communities, projects, pairs."""
import datetime

import pytest
from django.urls import reverse

from clusters.models import InnovationParticipation
from tests.factories import (
    CommunityMembershipFactory,
    EventFactory,
    IndividualRouteFactory,
    InnovationProjectFactory,
    MentorshipFactory,
    TeacherFactory,
    TrainingCompletionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(school_a):
    return TeacherFactory(organisation=school_a, full_name="Петрова Ольга Ивановна")


@pytest.fixture
def records(district_a, school_a, school_b, teacher):
    membership = CommunityMembershipFactory(community__district=district_a, teacher=teacher)
    project = InnovationProjectFactory(district=district_a, lead_organisation=school_a)
    InnovationParticipation.objects.create(project=project, teacher=teacher, role="разработчик")
    mentee = TeacherFactory(organisation=school_b, full_name="Смирнов Илья Олегович")
    event = EventFactory(district=district_a)
    event.organisers.add(school_a)
    return {
        "completion": TrainingCompletionFactory(teacher=teacher),
        "route": IndividualRouteFactory(teacher=teacher),
        "community": membership.community,
        "project": project,
        "pair": MentorshipFactory(mentor=teacher, mentee=mentee, starts_on=datetime.date(2021, 9, 1)),
    }


def test_methodist_sees_links_to_every_record_of_the_teacher(methodist_client, teacher, records):
    html = methodist_client.get(reverse("clusters:teacher_detail", args=[teacher.pk])).content.decode()
    for url in (
        reverse("clusters:training_update", args=[records["completion"].pk]),
        reverse("clusters:route_update", args=[records["route"].pk]),
        records["community"].get_absolute_url(),
        records["project"].get_absolute_url(),
        reverse("clusters:mentorship_update", args=[records["pair"].pk]),
        f'{reverse("clusters:training_create")}?teacher={teacher.pk}',
        f'{reverse("clusters:route_create")}?teacher={teacher.pk}',
    ):
        assert url in html
    assert "наставник педагога" in html
    assert "Смирнов Илья Олегович" in html


def test_school_admin_gets_no_links_into_district_registers(school_admin_client, teacher, records):
    response = school_admin_client.get(reverse("clusters:teacher_detail", args=[teacher.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("clusters:route_update", args=[records["route"].pk]) in html  # their own teacher's ИОМ
    assert records["community"].get_absolute_url() not in html
    assert records["project"].get_absolute_url() not in html
    assert reverse("clusters:mentorship_update", args=[records["pair"].pk]) not in html
    assert str(records["community"]) in html  # named, just not linked


def test_director_reads_the_teacher_page_without_edit_links(director_client, teacher, records):
    html = director_client.get(reverse("clusters:teacher_detail", args=[teacher.pk])).content.decode()
    assert records["community"].get_absolute_url() in html
    assert reverse("clusters:training_update", args=[records["completion"].pk]) not in html


def test_organisation_page_counts_its_records_with_links_to_filtered_lists(methodist_client, school_a, records):
    response = methodist_client.get(reverse("clusters:organisation_detail", args=[school_a.pk]))
    html = response.content.decode()
    # School A: one completion, one route, one pair (its teacher mentors), leads one project, organised one event.
    assert response.context["development"] == {
        "trainings": 1, "routes": 1, "mentorships": 1, "innovations": 1, "events": 1}
    assert f'{reverse("clusters:training_list")}?organisation={school_a.pk}' in html
    assert f'{reverse("clusters:event_list")}?organiser={school_a.pk}' in html


def test_observer_sees_only_registers_it_may_open(observer_client, school_a, records):
    response = observer_client.get(reverse("clusters:organisation_detail", args=[school_a.pk]))
    assert response.context["development"] == {"innovations": 1, "events": 1}
    assert reverse("clusters:training_list") not in response.content.decode()


def test_school_admin_sees_own_schools_development_counts(school_admin_client, school_a, records):
    response = school_admin_client.get(reverse("clusters:organisation_detail", args=[school_a.pk]))
    assert response.context["development"] == {"trainings": 1, "routes": 1, "mentorships": 1}
