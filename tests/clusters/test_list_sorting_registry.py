"""Every sortable column of the registry lists answers in both directions (issue 14.2), on the
database in use (SQLite by default, PostgreSQL with DATABASE_URL): a whitelisted key must map to an
ORM ordering the database accepts, with the list's annotations and filters."""
import pytest
from django.urls import resolve, reverse

from tests.factories import (
    ClusterFactory,
    CommunityFactory,
    EventFactory,
    IndividualRouteFactory,
    MentorshipFactory,
    TeacherFactory,
    TrainingCompletionFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ["clusters:organisation_list", "clusters:teacher_list", "clusters:cluster_list", "clusters:community_list",
         "clusters:mentorship_list", "clusters:training_list", "clusters:route_list", "clusters:event_list"]


@pytest.fixture
def registry(district_a, school_a, school_b, methodist):
    mentor = TeacherFactory(organisation=school_a, full_name="Андреева Вера")
    mentee = TeacherFactory(organisation=school_b, full_name="Борисова Анна")
    ClusterFactory(district=district_a, name="Кластер № 10", year=2025)
    ClusterFactory(district=district_a, name="Кластер № 2", year=2025)
    CommunityFactory(district=district_a, leader=mentor)
    MentorshipFactory(mentor=mentor, mentee=mentee)
    TrainingCompletionFactory(teacher=mentor)
    IndividualRouteFactory(teacher=mentee)
    EventFactory(district=district_a)


@pytest.mark.parametrize("url_name", LISTS)
def test_every_sort_key_answers_both_ways(methodist_client, registry, url_name):
    url = reverse(url_name)
    view = resolve(url).func.view_class
    assert view.sort_fields, f"{url_name} has no sortable column"
    assert view.default_sort.removeprefix("-") in view.sort_fields
    for key in view.sort_fields:
        for sort in (key, f"-{key}"):
            response = methodist_client.get(f"{url}?sort={sort}&per_page=25")
            assert response.status_code == 200, (url_name, sort)
            assert response.context["list_sort"]["current"] == sort
            assert f'aria-sort="{"descending" if sort.startswith("-") else "ascending"}"' in response.content.decode()
            assert response.context["paginator"].count >= 1


def test_cluster_year_descending_keeps_names_ascending_and_natural(methodist_client, registry):
    response = methodist_client.get(reverse("clusters:cluster_list"))  # default «-year»
    assert [c.name for c in response.context["object_list"]] == ["Кластер № 2", "Кластер № 10"]


# The refused persona of each list (tests/test_access_matrix.py): sorting and paging open nothing.
REFUSED = {"clusters:organisation_list": "school_admin_client", "clusters:community_list": "school_admin_client",
           "clusters:event_list": "school_admin_client", "clusters:teacher_list": "observer_client",
           "clusters:training_list": "observer_client", "clusters:route_list": "observer_client",
           "clusters:mentorship_list": "observer_client", "clusters:cluster_list": "portal_admin_client"}


@pytest.mark.parametrize("url_name", LISTS)
def test_refused_persona_gets_403_with_any_sort(request, registry, url_name):
    client = request.getfixturevalue(REFUSED[url_name])
    assert client.get(reverse(url_name) + "?sort=-name&page=2&per_page=100").status_code == 403
