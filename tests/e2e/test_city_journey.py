"""The city level in a real browser (issue 14, item 8): a city user lands on the comparison of the districts,
picks district B in the navbar and reads its monitoring, cannot write there, and the page fits a phone.

Numbers: tests/city_support.py (worked out by hand there).
"""
from __future__ import annotations

import pytest

from tests.city_support import city_user, city_world


@pytest.fixture
def world(district_a, district_b):
    return city_world(district_a, district_b)


def test_city_user_compares_then_reads_district_b(login_as, district_a, district_b, world):
    page = login_as(city_user(district_a.region))
    assert page.url.endswith("/monitoring/city/")
    table = page.get_by_test_id("city-table")
    assert "137,0" in table.inner_text() and "150,0" in table.inner_text()
    assert page.locator("[data-testid=city-chart] svg").count() == 1

    page.select_option("#district-switch-select", label=district_b.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Район").click()
    assert "Показан район: Кировский район (только просмотр)." in page.content()
    page.goto("/monitoring/")
    page.get_by_role("link", name="Сетевое взаимодействие педагогов").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Сетевое взаимодействие педагогов" in page.content()
    # read-only: no write buttons for the city level
    assert page.get_by_test_id("edit-grid").count() == 0 and page.get_by_test_id("recompute").count() == 0


def test_comparison_fits_a_phone(login_as, browser_page, district_a, world):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    page = login_as(city_user(district_a.region))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide at 390"
