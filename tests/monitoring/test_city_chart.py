"""The city comparison's chart is readable (issue 14.8, looked at in Chromium at 1366 and 390 px): a horizontal
bar per district with the district's name as a label, as tall as the districts need, its drawing narrow enough
that labels are not shrunk (the indicator's long name is an HTML caption, not text widening the SVG)."""
from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.city_support import city_user, city_world
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

COMPARISON = reverse("monitoring:city_comparison")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _chart(text: str) -> str:
    start = text.index('data-testid="city-chart"')
    return text[start:text.index("</figure>", start)]


def _view_box(svg: str) -> tuple[float, float]:
    width, height = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    return float(width), float(height)


def test_chart_labels_every_district_and_stays_narrow(district_a, district_b, methodist_client):
    world = city_world(district_a, district_b)
    del world
    page = _client(city_user(district_a.region)).get(COMPARISON, {"programme": "network", "period": "2021",
                                                                  "indicator": "net_share"})
    assert page.status_code == 200
    chart = _chart(page.text)
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", chart)
    assert district_a.name in labels and district_b.name in labels
    # The caption names the indicator in HTML; the drawing carries no title text that would widen it.
    assert "Доля ОУ в сетевых сообществах: факт, 2021" in chart
    assert not any("Доля ОУ" in label for label in labels)
    width, _ = _view_box(chart)
    assert width < 420  # points: shown about 1:1 on a 390 px phone; the old chart was > 500 wide with 3 districts
    assert re.search(r'font-size="12(px)?"', chart) or "12px" in chart
    # A methodist of one district has no city level.
    assert methodist_client.get(COMPARISON).status_code == 403


def test_chart_grows_with_the_number_of_districts(district_a, district_b):
    city_world(district_a, district_b)
    client = _client(city_user(district_a.region))
    query = {"programme": "network", "period": "2021", "indicator": "net_share"}
    _, few = _view_box(_chart(client.get(COMPARISON, query).text))
    extra = DistrictFactory.create_batch(10, region=district_a.region)
    _, many = _view_box(_chart(client.get(COMPARISON, query).text))
    assert many > few + 10 * 20  # ≥ 20 pt a district more
    assert all(district.name in _chart(client.get(COMPARISON, query).text) for district in extra)
