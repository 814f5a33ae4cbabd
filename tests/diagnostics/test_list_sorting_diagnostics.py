"""The diagnostics campaign and route lists take ?sort= and ?page= (issue 14.2). Before: neither could be sorted
and the campaign list had no paging at all."""
import datetime as dt

import pytest
from django.urls import reverse

from clusters.models import IndividualRoute
from tests.diagnostics.factories import DiagnosticCampaignFactory
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(district_a, district_b):
    return [DiagnosticCampaignFactory(district=district_a, title=title, year=year)
            for title, year in (("Б: дефициты", 2022), ("А: компетенции", 2021), ("В: ИКТ", 2023))] + [
        DiagnosticCampaignFactory(district=district_b, title="А: чужой район")]


def campaign_titles(response) -> list[str]:
    assert response.status_code == 200
    return [c.title for c in response.context["campaigns"]]


@pytest.mark.parametrize("sort, expected", [
    ("title", ["А: компетенции", "Б: дефициты", "В: ИКТ"]),
    ("-title", ["В: ИКТ", "Б: дефициты", "А: компетенции"]),
    ("year", ["А: компетенции", "Б: дефициты", "В: ИКТ"]),
    ("-year", ["В: ИКТ", "Б: дефициты", "А: компетенции"]),
])
def test_campaigns_sort(methodist_client, campaigns, sort, expected):
    assert campaign_titles(methodist_client.get(reverse("diagnostics:campaigns"), {"sort": sort})) == expected


def test_campaigns_page(methodist_client, campaigns):
    response = methodist_client.get(reverse("diagnostics:campaigns"), {"sort": "title", "per_page": 25, "page": 9})
    assert campaign_titles(response) == ["А: компетенции", "Б: дефициты", "В: ИКТ"]  # past the end: the last page
    assert 'href="?sort=-title&amp;per_page=25"' in response.content.decode() or \
        'href="?per_page=25&amp;sort=-title"' in response.content.decode()


def test_observer_is_refused_campaigns(observer_client, campaigns):
    assert observer_client.get(reverse("diagnostics:campaigns"), {"sort": "title"}).status_code == 403


@pytest.fixture
def routes(school_a, school_b):
    def route(school, name, starts):
        return IndividualRoute.objects.create(teacher=TeacherFactory(organisation=school, full_name=name),
                                              starts_on=starts, ends_on=starts + dt.timedelta(days=300), goals="цели")
    return [route(school_a, "Борисова Анна", dt.date(2021, 9, 1)), route(school_b, "Андреева Ольга", dt.date(2022, 9, 1)),
            route(school_a, "Воронова Ирина", dt.date(2020, 9, 1))]


def route_names(response) -> list[str]:
    assert response.status_code == 200
    return [r.teacher.full_name for r in response.context["object_list"]]


@pytest.mark.parametrize("sort, expected", [
    ("teacher", ["Андреева Ольга", "Борисова Анна", "Воронова Ирина"]),
    ("-teacher", ["Воронова Ирина", "Борисова Анна", "Андреева Ольга"]),
    ("period", ["Воронова Ирина", "Борисова Анна", "Андреева Ольга"]),
    ("nonsense", ["Андреева Ольга", "Борисова Анна", "Воронова Ирина"]),  # the default: newest first
])
def test_routes_sort(methodist_client, routes, sort, expected):
    assert route_names(methodist_client.get(reverse("diagnostics:routes"), {"sort": sort})) == expected


def test_school_admin_sorts_own_routes(school_admin_client, routes):
    assert route_names(school_admin_client.get(reverse("diagnostics:routes"), {"sort": "-teacher"})) == [
        "Воронова Ирина", "Борисова Анна"]
