"""Every role signs in through the real login form and lands on its own start page."""

import os
from urllib.parse import urlparse

import pytest

from tests.factories import ClusterFactory, ClusterMembershipFactory, TeacherFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def district_data(district_a, school_a, school_b):
    """Something to show on the start pages: two clusters of 2021 and a few teachers."""
    first = ClusterFactory(district=district_a, year=2021, name="Функциональная грамотность")
    second = ClusterFactory(district=district_a, year=2021, name="Цифровая образовательная среда")
    ClusterMembershipFactory(cluster=first, organisation=school_a, theme="Читательская грамотность на уроках")
    ClusterMembershipFactory(cluster=first, organisation=school_b)
    ClusterMembershipFactory(cluster=second, organisation=school_b)
    TeacherFactory.create_batch(3, organisation=school_a)
    TeacherFactory.create_batch(2, organisation=school_b)


@pytest.mark.parametrize("persona", ["methodist", "director", "observer"])
def test_district_roles_land_on_district_start_page(request, persona, district_data, login_as, screenshot):
    user = request.getfixturevalue(persona)

    page = login_as(user)

    start = page.get_by_test_id("start-district")
    start.wait_for()
    assert urlparse(page.url).path == "/"
    assert "действующих организаций" in start.inner_text()
    assert "Функциональная грамотность" in start.inner_text()
    assert page.get_by_test_id("start-school-admin").count() == 0
    if os.environ.get("E2E_SCREENSHOTS"):
        screenshot(page, "start")


def test_school_admin_lands_on_own_organisation_start(school_admin, district_data, login_as, screenshot):
    page = login_as(school_admin)

    start = page.get_by_test_id("start-school-admin")
    start.wait_for()
    assert urlparse(page.url).path == "/"
    text = start.inner_text()
    assert "Педагогов: 3" in text
    assert "Читательская грамотность на уроках" in text
    assert page.get_by_test_id("start-district").count() == 0
    if os.environ.get("E2E_SCREENSHOTS"):
        screenshot(page, "start")


def test_portal_admin_lands_on_the_setup_wizard(portal_admin, login_as):
    page = login_as(portal_admin)

    page.wait_for_url("**/setup/")
    page.get_by_test_id("setup-new-district").wait_for()
    assert page.get_by_test_id("start-district").count() == 0
