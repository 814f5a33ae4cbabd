"""A methodist enters plan/fact in the grid, runs «Пересчитать» on the real worker, sees the chart."""
from decimal import Decimal

import pytest

from monitoring.models import Value
from tests.monitoring.conftest import network_programme, small_district  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e


def test_methodist_enters_values_recomputes_and_sees_the_dashboard(
    methodist, small_district, network_programme, celery_worker_process, login_as  # noqa: F811
):
    entered = network_programme.indicators.get(code="entered")
    year_2021 = network_programme.periods.get(label="2021")
    page = login_as(methodist)

    page.get_by_role("link", name="Мониторинг").click()
    page.get_by_role("link", name=network_programme.name).click()
    page.get_by_test_id("edit-grid").click()
    page.locator(f"input[name=plan_{entered.pk}_{year_2021.pk}]").fill("40")
    page.locator(f"input[name=fact_{entered.pk}_{year_2021.pk}]").fill("54,8")
    page.get_by_test_id("save-grid").click()

    table = page.get_by_test_id("plan-fact-table")
    table.wait_for()
    assert "54,8\xa0%" in table.inner_text()
    assert Value.objects.get(indicator=entered, period=year_2021).fact == Decimal("54.8")

    page.get_by_test_id("recompute").click()
    page.locator("[data-testid=recompute-status][data-status=succeeded]").wait_for(timeout=60_000)
    assert "Пересчёт завершён" in page.get_by_test_id("recompute-status").inner_text()
    page.reload()
    # net_schools_share of the small district: 3 of 5 active organisations → 60,0 %.
    assert "3 из 5" in page.get_by_test_id("plan-fact-table").inner_text()

    page.get_by_role("link", name="Дашборд").click()
    charts = page.get_by_test_id("dashboard-charts")
    charts.wait_for()
    assert charts.locator("svg").count() >= 2
    assert "54,8" in charts.inner_text()
