"""A fact without a plan on the dashboard (issue 14.7): its own state «план не установлен» and colour, not the
grey «нет данных» that a missing fact has."""
from decimal import Decimal

import pytest
from django.urls import reverse

from core.charts import COLOURS
from core.scope import Scope
from monitoring.dashboards import NO_PLAN, bar_status, programme_dashboard
from monitoring.services import CellInput, values_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def fact_without_plan(network_programme, district_a, methodist):
    """The entered indicator: 2020 plan 30 % without a fact (no data), 2021 fact 54,8 % without a plan."""
    periods = {p.label: p for p in network_programme.periods.all()}
    entered = network_programme.indicators.get(code="entered")
    values_save(scope=Scope.of_district(district_a), user=methodist, cells=[
        CellInput(entered, periods["2020"], Decimal(30), None),
        CellInput(entered, periods["2021"], None, Decimal("54.8")),
    ])
    return network_programme


def test_bar_status_tells_a_fact_without_plan_from_no_data():
    assert bar_status("no_data", None, Decimal("54.8")) == NO_PLAN
    assert bar_status("no_data", Decimal(30), None) == "no_data"
    assert bar_status("no_data", None, None) == "no_data"
    assert bar_status("achieved", Decimal(30), Decimal(40)) == "achieved"


def test_dashboard_paints_a_fact_without_plan_as_plan_not_set(fact_without_plan, district_a, methodist_client,
                                                              school_admin_client):
    chart = programme_dashboard(fact_without_plan, Scope.of_district(district_a))["indicator_charts"][0]
    assert chart["no_plan_periods"] == ["2021"]
    svg = str(chart["svg"])
    # The 2021 bar (54,8) in the series colour; the only grey would be the 2020 bar, which has no fact (height 0).
    assert f'fill="{COLOURS["series"][0]}"' in svg

    url = reverse("monitoring:dashboard", args=[fact_without_plan.pk])
    body = methodist_client.get(url).content.decode()
    assert "План не установлен: 2021 — есть факт, достижение не оценивается." in body
    assert '<span class="text-primary">■</span> план не установлен' in body
    assert school_admin_client.get(url).status_code == 403


def test_dashboard_without_a_fact_has_no_plan_note(network_programme, district_a, methodist, methodist_client):
    periods = {p.label: p for p in network_programme.periods.all()}
    entered = network_programme.indicators.get(code="entered")
    values_save(scope=Scope.of_district(district_a), user=methodist,
                cells=[CellInput(entered, periods["2021"], Decimal(40), Decimal(50))])
    body = methodist_client.get(reverse("monitoring:dashboard", args=[network_programme.pk])).content.decode()
    assert "План не установлен:" not in body
