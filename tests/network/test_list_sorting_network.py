"""The network lists take ?sort= on whitelisted columns (issue 14.2): results, pairs, practices, mentors.

Organisation names sort naturally (№ 2 < № 12 < № 101, core.lists.natural_order), an unknown key keeps
the default order, and the scope is unchanged. Before: no column could be sorted.
"""
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, TeacherFactory
from tests.network.factories import AssessmentResultFactory, MentorProfileFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(district_a):
    return {n: OrganisationFactory(district=district_a, short_name=f"ГБОУ СОШ № {n}") for n in (101, 2, 12)}


@pytest.fixture
def results(schools, school_other_district):
    for n, mean in ((101, "3.10"), (2, "4.20"), (12, "3.60")):
        AssessmentResultFactory(organisation=schools[n], mean_score=Decimal(mean))
    AssessmentResultFactory(organisation=school_other_district, mean_score=Decimal("5.00"))


def result_schools(response) -> list[str]:
    assert response.status_code == 200
    return [r.organisation.short_name for r in response.context["object_list"]]


@pytest.mark.parametrize("sort, expected", [
    ("organisation", ["ГБОУ СОШ № 2", "ГБОУ СОШ № 12", "ГБОУ СОШ № 101"]),
    ("-organisation", ["ГБОУ СОШ № 101", "ГБОУ СОШ № 12", "ГБОУ СОШ № 2"]),
    ("mean", ["ГБОУ СОШ № 101", "ГБОУ СОШ № 12", "ГБОУ СОШ № 2"]),
    ("-mean", ["ГБОУ СОШ № 2", "ГБОУ СОШ № 12", "ГБОУ СОШ № 101"]),
])
def test_results_sort(director_client, results, sort, expected):
    assert result_schools(director_client.get(reverse("network:results"), {"sort": sort})) == expected


def test_results_header_is_sortable(methodist_client, results):
    html = methodist_client.get(reverse("network:results"), {"sort": "mean"}).content.decode()
    assert 'href="?sort=-mean"' in html and 'aria-sort="ascending"' in html


def test_results_sort_keeps_another_districts_scope(other_methodist_client, results, school_other_district):
    assert result_schools(other_methodist_client.get(reverse("network:results"), {"sort": "-mean"})) == [
        school_other_district.short_name]


def test_practices_sort_by_title(methodist_client, district_a, schools):
    for title in ("Сетевые уроки", "Взаимопосещение", "Кейс-метод"):
        PracticeFactory(district=district_a, organisation=schools[2], title=title)
    response = methodist_client.get(reverse("network:practices"), {"sort": "-title"})
    assert [p.title for p in response.context["object_list"]] == ["Сетевые уроки", "Кейс-метод", "Взаимопосещение"]


def test_mentors_sort_by_organisation(methodist_client, schools, school_admin_client):
    for n, name in ((101, "Андреева"), (2, "Яковлева"), (12, "Борисова")):
        MentorProfileFactory(teacher=TeacherFactory(organisation=schools[n], full_name=name))
    response = methodist_client.get(reverse("network:mentors"), {"sort": "organisation"})
    assert [m.teacher.full_name for m in response.context["object_list"]] == ["Яковлева", "Борисова", "Андреева"]
    response = methodist_client.get(reverse("network:mentors"), {"sort": "-name"})
    assert [m.teacher.full_name for m in response.context["object_list"]] == ["Яковлева", "Борисова", "Андреева"]
    assert school_admin_client.get(reverse("network:mentors"), {"sort": "name"}).status_code == 403


def test_pairs_sort_by_mentee_naturally(methodist_client, observer_client, district_a, schools, school_a):
    from tests.factories import ClusterFactory
    from tests.network.factories import OrganisationPairFactory

    cluster = ClusterFactory(district=district_a, name="Северный")
    for n in (101, 2, 12):
        OrganisationPairFactory(cluster=cluster, mentor_organisation=school_a, mentee_organisation=schools[n])
    response = methodist_client.get(reverse("network:pairs"), {"sort": "-mentee"})
    assert [p.mentee_organisation.short_name for p in response.context["object_list"]] == [
        "ГБОУ СОШ № 101", "ГБОУ СОШ № 12", "ГБОУ СОШ № 2"]
    response = observer_client.get(reverse("network:pairs"), {"sort": "mentee"})
    assert [p.mentee_organisation.short_name for p in response.context["object_list"]] == [
        "ГБОУ СОШ № 2", "ГБОУ СОШ № 12", "ГБОУ СОШ № 101"]
