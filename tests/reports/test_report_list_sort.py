"""The справки list takes ?sort= on whitelisted columns and ?page= (issue 14.2), like the registry lists.

Before: a function view with a fixed «newest first» order and «Вперёд» paging only.
"""
import datetime as dt

import pytest
from django.urls import reverse

from reports.models import ReportStatus
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(district_a, district_b):
    make = ReportFactory
    return {
        "b": make(district=district_a, title="Б: мониторинг 2021", status=ReportStatus.SIGNED, outgoing_year=2021,
                  outgoing_number=854, outgoing_label="1-854", dated=dt.date(2021, 12, 17)),
        "a": make(district=district_a, title="А: анализ сетевого взаимодействия", status=ReportStatus.SIGNED,
                  outgoing_year=2021, outgoing_number=12, outgoing_label="1-12", dated=dt.date(2021, 3, 1)),
        "v": make(district=district_a, title="В: черновик"),
        "foreign": make(district=district_b, title="А: чужой район"),
    }


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [r.title for r in response.context["reports"]]


@pytest.mark.parametrize("sort, expected", [
    ("title", ["А: анализ сетевого взаимодействия", "Б: мониторинг 2021", "В: черновик"]),
    ("-title", ["В: черновик", "Б: мониторинг 2021", "А: анализ сетевого взаимодействия"]),
    # by outgoing number (12 < 854, not «1-12» vs «1-854» as text); the draft has none and stays last
    ("number", ["А: анализ сетевого взаимодействия", "Б: мониторинг 2021", "В: черновик"]),
    ("-number", ["Б: мониторинг 2021", "А: анализ сетевого взаимодействия", "В: черновик"]),
    ("status", ["В: черновик", "Б: мониторинг 2021", "А: анализ сетевого взаимодействия"]),
])
def test_report_list_sorts(director_client, reports, sort, expected):
    assert listed(director_client.get(reverse("reports:report_list"), {"sort": sort})) == expected


def test_unknown_sort_keeps_newest_first(director_client, reports):
    assert listed(director_client.get(reverse("reports:report_list"), {"sort": "created_by__password"})) == [
        "В: черновик", "А: анализ сетевого взаимодействия", "Б: мониторинг 2021"]


def test_sort_headers_and_pages(director_client, reports, district_a):
    for n in range(30):
        ReportFactory(district=district_a, title=f"Г: справка {n:02d}")
    url = reverse("reports:report_list")
    page = director_client.get(url, {"sort": "title", "per_page": 25, "page": 2})
    assert listed(page) == [f"Г: справка {n:02d}" for n in range(22, 30)]
    html = page.content.decode()
    assert 'href="?sort=-title&amp;per_page=25"' in html or 'href="?per_page=25&amp;sort=-title"' in html
    assert 'data-testid="pager"' in html and "Показаны 26–33 из 33" in html


def test_observer_sees_only_signed_sorted(observer_client, reports):
    assert listed(observer_client.get(reverse("reports:report_list"), {"sort": "-title"})) == [
        "Б: мониторинг 2021", "А: анализ сетевого взаимодействия"]


def test_other_district_sorts_its_own(other_methodist_client, reports):
    assert listed(other_methodist_client.get(reverse("reports:report_list"), {"sort": "title"})) == ["А: чужой район"]


def test_report_scope_picker_is_searchable_in_place(methodist_client, district_a):
    """The «Объект» of a справка (the district, its clusters, every organisation) is marked for Tom Select."""
    from tests.reports.workflow_support import make_programme

    make_programme(district_a)
    html = methodist_client.get(reverse("reports:report_create"), {"kind": "monitoring"}).content.decode()
    assert '<select name="scope_key"' in html
    assert 'data-typeahead-local' in html.split('<select name="scope_key"')[1].split(">")[0]
