"""The city role over the whole access matrix, without widening every row of it by a column.

A city user holds an observer's reads (core/permissions.py) and, with district A picked in the navbar
(imc_portal/district_switch.py), reads district A's pages as the observer does. So every row of
tests/test_access_matrix.py must answer the city user exactly what it answers the observer — except
the pages of the city level itself, listed here. Without a district picked, district objects are out
of reach (404) and the lists are empty.
"""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from imc_portal.district_switch import SESSION_KEY
from tests.city_support import city_user
from tests.test_access_matrix import EXPECTED, PERSONAS, URL_NAMES, _mismatch, world  # noqa: F401 — a fixture

OBSERVER = PERSONAS.index("observer")
# The city level's own pages: the observer is refused, the city user served.
CITY_PAGES = {
    "monitoring:city_comparison": "200",
    "monitoring:city_comparison_export": "200",
    "reports:city_report": "200",
}


def expected_for_city(name: str) -> str:
    return CITY_PAGES.get(name) or EXPECTED[name].tokens()[OBSERVER]


def test_the_city_pages_are_the_only_exceptions():
    assert set(CITY_PAGES) <= set(EXPECTED)
    assert all(EXPECTED[name].tokens()[OBSERVER] == "403" for name in CITY_PAGES)


@pytest.mark.parametrize("name", sorted(set(EXPECTED) & URL_NAMES))
def test_city_user_with_district_a_answers_like_its_observer(name, world):  # noqa: F811
    row = EXPECTED[name]
    client = Client()
    client.force_login(city_user(world.district_a.region))
    session = client.session
    session[SESSION_KEY] = world.district_a.pk
    session.save()
    url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    token = expected_for_city(name)
    problem = _mismatch(token, client.get(url))
    assert problem is None, f"GET {url} ({name}) as the city user: expected {token}, {problem}"
