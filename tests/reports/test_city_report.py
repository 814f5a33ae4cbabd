"""The city справка (reports/city.py): districts of a region rolled up, as a PDF file.

Numbers: tests/city_support.py, worked out by hand there.
"""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reports import city as city_report
from reports.models import Report
from tests.city_support import city_user, city_world

URL = reverse("reports:city_report")
QUERY = {"programme": "network", "period": "2021"}


@pytest.fixture
def world(district_a, district_b):
    return city_world(district_a, district_b)


@pytest.fixture
def city_client(district_a):
    client = Client()
    client.force_login(city_user(district_a.region))
    return client


def test_context_rolls_the_districts_up_by_hand(world, district_a):
    context = city_report.build_context(district_a.region.districts.all(), "network", "2021", charts=False)
    assert context["region"] == "Санкт-Петербург" and context["district_count"] == 2
    share, count = context["indicators"]
    rows = {row["district"]: row for row in share["rows"]}
    assert (rows["Фрунзенский район"]["fact"], rows["Фрунзенский район"]["percent"]) == ("54,8\u00a0%", "137,0")
    assert (rows["Кировский район"]["plan"], rows["Кировский район"]["percent"]) == ("50,0\u00a0%", "90,0")
    assert (share["plan_mean"], share["fact_mean"], share["achieved"], share["with_fact"]) == (
        "45,0\u00a0%", "49,9\u00a0%", 1, 2)
    assert (count["fact_mean"], count["achieved"]) == ("7", 1)
    assert context["conclusion"] == (
        "Данные за 2021 представили районов: 2 из 2. "
        "«Доля ОУ в сетевых сообществах»: план достигнут в 1 из 2 районов с данными. "
        "«Число сетевых мероприятий»: план достигнут в 1 из 2 районов с данными. "
        "Ни по одному показателю план не достигнут во всех районах с данными.")


def test_conclusion_counts_indicators_achieved_everywhere_and_without_facts(world, district_a):
    from monitoring.models import Indicator, Value

    Value.objects.filter(indicator__code="net_share", district__region=district_a.region).update(plan=40)
    Indicator.objects.create(programme=world.a.programme, code="no_facts", name="Без фактов", position=3)
    text = city_report.build_context(district_a.region.districts.all(), "network", "2021", charts=False)["conclusion"]
    # net_share: A 54,8 ≥ 40, B 45 ≥ 40 — both; events_count: B only; no_facts: no fact anywhere
    assert "«Доля ОУ в сетевых сообществах»: план достигнут в 2 из 2 районов с данными." in text
    assert "Во всех районах с данными план достигнут по 1 из 3 показателей." in text
    assert text.endswith("Нет фактических значений ни в одном районе по 1 из 3 показателей.")


def test_city_user_downloads_the_pdf_and_no_report_row_is_made(city_client, world):
    response = city_client.get(URL, QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Report.objects.count() == 0


def test_html_preview_shows_the_numbers_and_not_another_city(city_client, world):
    page = city_client.get(URL, {**QUERY, "format": "html"}).content.decode()
    for number in ("54,8", "137,0", "90,0", "150,0", "49,9"):
        assert number in page, number
    assert "Саянск" not in page and "<svg" in page


def test_without_parameters_the_form_is_shown(city_client, world):
    page = city_client.get(URL)
    assert page.status_code == 200 and 'data-testid="city-report-form"' in page.text


def test_unknown_period_is_a_message_and_the_form(city_client, world):
    page = city_client.get(URL, {"programme": "network", "period": "1999"})
    assert page.status_code == 200
    assert "Периода «1999» в этой программе нет" in page.text


def test_portal_admin_may_and_district_roles_may_not(portal_admin_client, methodist_client, director_client,
                                                       observer_client, world):
    assert portal_admin_client.get(URL, {**QUERY, "format": "html"}).status_code == 200
    for client in (methodist_client, director_client, observer_client):
        assert client.get(URL, QUERY).status_code == 403


def test_post_is_refused(city_client, portal_admin_client):
    """A read-only page: a POST by the city level is refused before the view (imc_portal/district_switch.py)."""
    assert city_client.post(URL, QUERY).status_code == 403
    assert portal_admin_client.post(URL, QUERY).status_code == 403
