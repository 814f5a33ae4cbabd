"""The city level (issue 14, item 8): the city role and the portal admin read every district, read-only.

Numbers are those of tests/city_support.py, worked out by hand there.
"""
from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clusters.models import Organisation
from core.roles import Role
from imc_portal.district_switch import SESSION_KEY
from monitoring import city as city_level
from monitoring.calculations import Achievement
from monitoring.models import Programme, Value
from reports.models import Report
from tests.city_support import city_user, city_world
from tests.factories import DistrictFactory, RegionFactory, UserFactory

COMPARISON = reverse("monitoring:city_comparison")
EXPORT = reverse("monitoring:city_comparison_export")
PROGRAMMES = reverse("monitoring:programme_list")
SWITCH = reverse("district_switch")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(district_a, district_b):
    return city_world(district_a, district_b)


@pytest.fixture
def city(district_a):
    return city_user(district_a.region)


@pytest.fixture
def city_client(city):
    return _client(city)


def _choose(client, district) -> None:
    response = client.post(SWITCH, {"district": district.pk, "next": PROGRAMMES})
    assert response.status_code == 302


# --- the «Why» bullet: nobody above a district saw anything ---------------------------------------------


def test_portal_admin_reads_monitoring_and_reports_instead_of_403(portal_admin_client, world, district_a):
    """Before: 403 on both (monitoring.view and reports.view held by district roles only)."""
    assert portal_admin_client.get(PROGRAMMES).status_code == 200
    assert portal_admin_client.get(reverse("reports:report_list")).status_code == 200
    _choose(portal_admin_client, district_a)
    page = portal_admin_client.get(PROGRAMMES)
    assert page.status_code == 200
    assert reverse("monitoring:programme_detail", args=[world.a.programme.pk]) in page.text
    dashboard = portal_admin_client.get(reverse("monitoring:dashboard", args=[world.a.programme.pk]))
    assert dashboard.status_code == 200


def test_portal_admin_still_refused_what_is_not_monitoring_or_reports(portal_admin_client, district_a):
    _choose(portal_admin_client, district_a)
    assert portal_admin_client.get(reverse("clusters:teacher_list")).status_code == 403
    assert portal_admin_client.get(reverse("monitoring:programme_create")).status_code == 403


def test_city_user_reads_district_a_then_district_b(city_client, world, district_a, district_b):
    # no district chosen: the district pages show nothing of anybody's
    assert reverse("monitoring:programme_detail", args=[world.a.programme.pk]) not in city_client.get(PROGRAMMES).text
    _choose(city_client, district_a)
    page = city_client.get(PROGRAMMES).text
    assert reverse("monitoring:programme_detail", args=[world.a.programme.pk]) in page
    assert reverse("monitoring:programme_detail", args=[world.b.programme.pk]) not in page
    assert city_client.get(reverse("monitoring:programme_detail", args=[world.a.programme.pk])).status_code == 200
    assert city_client.get(reverse("clusters:organisation_list")).status_code == 200

    _choose(city_client, district_b)
    page = city_client.get(PROGRAMMES).text
    assert reverse("monitoring:programme_detail", args=[world.b.programme.pk]) in page
    assert reverse("monitoring:programme_detail", args=[world.a.programme.pk]) not in page
    assert city_client.get(reverse("monitoring:programme_detail", args=[world.a.programme.pk])).status_code == 404


def test_city_user_sees_no_personal_data_of_teachers(city_client, district_a):
    _choose(city_client, district_a)
    assert city_client.get(reverse("clusters:teacher_list")).status_code == 403
    assert city_client.get(reverse("clusters:teacher_export")).status_code == 403


def test_switcher_refuses_a_district_of_another_region_and_stores_nothing(city_client, world):
    response = city_client.post(SWITCH, {"district": world.district_c.pk, "next": PROGRAMMES}, follow=True)
    assert "Такого района нет среди доступных вам." in response.text
    assert SESSION_KEY not in city_client.session
    assert city_client.post(SWITCH, {"district": "abc"}).status_code == 302  # a message, never a 500
    assert city_client.get(SWITCH).status_code == 405


def test_switcher_is_refused_to_district_roles(methodist_client, district_b):
    assert methodist_client.post(SWITCH, {"district": district_b.pk}).status_code == 403


def test_navbar_shows_the_switcher_to_the_city_only(city_client, methodist_client, district_a, district_b, world):
    page = city_client.get(PROGRAMMES).text
    assert 'data-testid="district-switch"' in page
    assert district_a.name in page and district_b.name in page and world.district_c.name not in page
    assert 'data-testid="district-switch"' not in methodist_client.get(PROGRAMMES).text


def test_the_viewed_district_is_never_stored_on_the_user(city, city_client, district_a):
    _choose(city_client, district_a)
    request_user = city_client.get(PROGRAMMES).wsgi_request.user
    assert request_user.district_id == district_a.pk
    request_user.save()  # e.g. a view touching the user while a district is shown
    city.refresh_from_db()
    assert city.district_id is None


@pytest.mark.parametrize("name, kwargs, data", [
    ("clusters:organisation_create", None, {"code": "NEW", "short_name": "Новая школа", "full_name": "Новая"}),
    ("monitoring:programme_create", None, {"code": "x", "name": "X", "period_kind": "year"}),
    ("monitoring:grid_edit", "programme", {}),
    ("monitoring:period_approve", "period", {}),
    ("monitoring:recompute_start", "programme", {}),
    ("reports:report_create", None, {"kind": "monitoring"}),
    ("surveys:campaign_create", None, {}),
    ("events:create", None, {}),
    ("clusters:event_create", None, {}),
])
@pytest.mark.parametrize("persona", ["city", "portal_admin"])
def test_every_write_of_a_district_page_is_refused(persona, name, kwargs, data, world, district_a, city,
                                                   portal_admin):
    client = _client(city if persona == "city" else portal_admin)
    _choose(client, district_a)
    args = {None: {}, "programme": {"pk": world.a.programme.pk},
            "period": {"pk": world.a.programme.pk, "period_pk": world.a.period.pk}}[kwargs]
    counts = (Organisation.objects.count(), Programme.objects.count(), Value.objects.count(), Report.objects.count())
    response = client.post(reverse(name, kwargs=args), data)
    assert response.status_code == 403
    assert "только для чтения" in response.text
    assert (Organisation.objects.count(), Programme.objects.count(), Value.objects.count(),
            Report.objects.count()) == counts


def test_district_roles_write_as_before(methodist_client, district_a):
    response = methodist_client.post(reverse("monitoring:programme_create"),
                                     {"code": "new", "name": "Новая программа", "period_kind": "year"})
    assert response.status_code == 302
    assert Programme.objects.filter(district=district_a, code="new").exists()


# --- the user model ----------------------------------------------------------------------------------


def test_city_user_needs_a_region_and_no_district(district_a):
    with pytest.raises(ValidationError) as missing:
        UserFactory.build(role=Role.CITY, region=None).full_clean()
    assert "region" in missing.value.message_dict
    with pytest.raises(ValidationError) as with_district:
        UserFactory.build(role=Role.CITY, region=district_a.region, district=district_a).full_clean()
    assert "district" in with_district.value.message_dict
    with pytest.raises(ValidationError) as methodist_with_region:
        UserFactory.build(role=Role.METHODIST, district=district_a, region=district_a.region).full_clean()
    assert "region" in methodist_with_region.value.message_dict
    UserFactory.build(role=Role.CITY, region=district_a.region, username="ok-city").full_clean()


def test_role_value_and_label():
    assert Role.CITY == "city"
    assert Role.CITY.label == "Городской методист / комитет"


# --- the comparison ------------------------------------------------------------------------------------


def test_comparison_numbers_are_the_hand_worked_ones(world, district_a, district_b):
    districts = city_user(district_a.region).region.districts.all()
    result = city_level.comparison(districts, "network", "2021")
    assert [column.code for column in result.indicators] == ["net_share", "events_count"]
    rows = {row.district.pk: row for row in result.rows}
    assert set(rows) == {district_a.pk, district_b.pk}
    a, b = rows[district_a.pk].cells, rows[district_b.pk].cells
    assert (a["net_share"].plan, a["net_share"].fact, a["net_share"].percent) == (40, Decimal("54.8"), Decimal("137.0"))
    assert (a["events_count"].percent, b["net_share"].percent, b["events_count"].percent) == (
        Decimal("80.0"), Decimal("90.0"), Decimal("150.0"))
    assert (a["net_share"].status, a["events_count"].status) == (Achievement.ACHIEVED, Achievement.NOT_ACHIEVED)
    assert (b["net_share"].status, b["events_count"].status) == (Achievement.NOT_ACHIEVED, Achievement.ACHIEVED)
    share, count = result.indicators
    assert (share.districts_with_fact, share.plan_mean, share.fact_mean, share.percent_of_mean_plan) == (
        2, Decimal("45.0"), Decimal("49.9"), Decimal("110.9"))
    assert (share.fact_min, share.fact_max, share.achieved) == (45, Decimal("54.8"), 1)
    assert (count.plan_mean, count.fact_mean, count.percent_of_mean_plan, count.achieved) == (7, 7, Decimal("100.0"), 1)


def test_comparison_queries_do_not_grow_with_districts(world, district_a, django_assert_max_num_queries):
    region = district_a.region
    for n in range(6):
        DistrictFactory(region=region, name=f"Район {n}", code=f"extra-{n}")
    with django_assert_max_num_queries(5):
        result = city_level.comparison(region.districts.all(), "network", "2021")
    assert len(result.rows) == 8


def test_comparison_page_shows_the_table_chart_and_rollup(city_client, world):
    page = city_client.get(COMPARISON, {"programme": "network", "period": "2021"})
    assert page.status_code == 200
    text = page.text
    assert 'data-testid="city-table"' in text and "<svg" in text
    for number in ("54,8", "137,0", "80,0", "90,0", "150,0", "49,9", "110,9", "1 из 2"):
        assert number in text, number
    assert "Саянск" not in text
    assert "99" not in page.context["rows"][0]["cells"][0]["fact"]


def test_portal_admin_compares_every_district(portal_admin_client, world):
    page = portal_admin_client.get(COMPARISON, {"programme": "network", "period": "2021"})
    assert page.status_code == 200
    assert "Саянск" in page.text


def test_unknown_programme_or_period_is_a_message_not_a_500(city_client, world):
    page = city_client.get(COMPARISON, {"programme": "nope", "period": "1999"}, follow=True)
    assert page.status_code == 200
    assert "Программы с кодом «nope» нет ни в одном районе" in page.text
    page = city_client.get(COMPARISON, {"programme": "network", "period": "1999"})
    assert "Периода «1999» в этой программе нет" in page.text


def test_city_home_is_the_comparison(city_client):
    assert city_client.get(reverse("home")).url == COMPARISON


def test_xlsx_opens_with_the_hand_worked_numbers(city_client, world):
    response = city_client.get(EXPORT, {"programme": "network", "period": "2021"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    detail = {(row[0], row[1]): row for row in workbook["Районы"].iter_rows(min_row=2, values_only=True)}
    assert detail[("Фрунзенский район", "net_share")][4:7] == (40, 54.8, 137)
    assert detail[("Фрунзенский район", "events_count")][4:7] == (10, 8, 80)
    assert detail[("Кировский район", "net_share")][4:8] == (50, 45, 90, "не достигнут")
    assert detail[("Кировский район", "events_count")][4:7] == (4, 6, 150)
    rollup = {row[0]: row for row in workbook["Город"].iter_rows(min_row=2, values_only=True)}
    assert rollup["net_share"][2:9] == (2, 45, 49.9, 110.9, 45, 54.8, 1)
    assert rollup["events_count"][2:6] == (2, 7, 7, 100)


@pytest.mark.parametrize("persona", ["methodist_client", "director_client", "observer_client", "school_admin_client"])
def test_district_personas_are_refused_the_comparison(persona, request, world):
    client = request.getfixturevalue(persona)
    assert client.get(COMPARISON).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_anonymous_goes_to_login(anonymous):
    assert anonymous.get(COMPARISON).status_code == 302


def test_menu_shows_the_city_group(city_client, methodist_client):
    assert "Сравнение районов" in city_client.get(COMPARISON).text
    assert "Сравнение районов" not in methodist_client.get(PROGRAMMES).text


def test_a_user_of_another_city_sees_only_their_districts(world):
    other = city_user(RegionFactory(name="Иркутская область"), username="irkutsk")
    page = _client(other).get(COMPARISON, {"programme": "network", "period": "2021"})
    assert [row["district"].name for row in page.context["rows"]] == ["Саянск"]


def test_portal_admin_narrows_the_comparison_to_one_region(portal_admin_client, world, district_a):
    page = portal_admin_client.get(COMPARISON, {"region": district_a.region.pk, "programme": "network",
                                                "period": "2021"})
    assert [row["district"].name for row in page.context["rows"]] == ["Кировский район", "Фрунзенский район"]
    assert 'id="city-region"' in page.text
    page = portal_admin_client.get(COMPARISON, {"region": "999999"})
    assert "Такого региона нет среди доступных вам" in page.text and len(page.context["rows"]) == 3


def test_city_user_is_offered_no_region_choice(city_client, world):
    assert 'id="city-region"' not in city_client.get(COMPARISON).text


def test_city_home_with_a_district_picked_is_that_districts_start_page(city_client, district_a):
    _choose(city_client, district_a)
    page = city_client.get(reverse("home"))
    assert page.status_code == 200
    # The start page names the district (imc_portal/home.py start_context: the navbar's label, no query).
    assert page.context["start"]["district"] == district_a.name and page.context["start"]["for_district"]
