"""Report options in the browser (issue 14.7): a methodist sets the approval order of seed 003's analysis and
moves a section of a monitoring справка without JavaScript buttons doing anything special; submits and
withdraws a справка; at 1366 and 390 px."""
import datetime as dt
from decimal import Decimal

import pytest

from monitoring.models import Indicator, Period, Programme, Value
from monitoring.units import Unit
from reports import services
from reports.models import Report, ReportStatus
from tests.reports.spravka_data import frunzensky_report

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1366, 390])
def test_methodist_sets_the_order_block_moves_a_section_and_withdraws(methodist, district_a, login_as, width,
                                                                      screenshot):
    programme = Programme.objects.create(district=district_a, code="dev", name="Программа развития 2020–2024")
    indicator = Indicator.objects.create(programme=programme, code="d1", name="Цифровой контент создан",
                                         unit=Unit.SCORE, decimals=0, section="Цифровая трансформация")
    period = Period.objects.create(programme=programme, label="Декабрь 2023", starts_on=dt.date(2023, 1, 1),
                                   ends_on=dt.date(2023, 12, 31))
    Value.objects.create(district=district_a, indicator=indicator, period=period, fact=Decimal(9))
    analysis = services.report_create(user=methodist, kind="development", programme=programme)
    spravka = frunzensky_report(district_a, methodist)

    page = login_as(methodist)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(analysis.get_absolute_url())
    assert "номер и дата приказа не указаны" in page.get_by_test_id("report-options-summary").inner_text()
    page.get_by_test_id("report-options").click()
    page.get_by_test_id("report-options-save").click()  # the kind's block without the order: refused in words
    assert "Укажите номер приказа об утверждении." in page.content()
    page.locator("input[name=approval_order_number]").fill("65")
    page.locator("input[name=approval_order_date]").fill("2024-03-13")
    page.get_by_test_id("report-options-save").click()
    page.get_by_test_id("report-options-summary").wait_for()
    assert "гриф «утверждён приказом» от 13.03.2024 № 65" in page.get_by_test_id("report-options-summary").inner_text()
    preview = page.frame_locator("[data-testid=report-preview]")
    assert "УТВЕРЖДЁН" in preview.locator(".approval-order").inner_text()
    screenshot(page, f"analysis-{width}")

    page.goto(spravka.get_absolute_url())
    page.get_by_test_id("report-options").click()
    page.get_by_test_id("section-conclusion").get_by_role("button", name="Выше").click()
    page.get_by_test_id("report-sections").wait_for()
    assert page.get_by_test_id("report-sections").locator("li").first.get_attribute("data-testid") == \
        "section-conclusion"
    assert page.viewport_size["width"] >= page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"options-{width}")
    assert Report.objects.get(pk=spravka.pk).section_order[0] == "conclusion"

    services.report_submit(report=spravka, user=methodist)
    page.goto(spravka.get_absolute_url())
    page.get_by_test_id("report-withdraw").click()
    page.get_by_test_id("report-history").wait_for()
    assert "отозвана автором с утверждения" in page.get_by_test_id("report-history").inner_text()
    assert Report.objects.get(pk=spravka.pk).status == ReportStatus.DRAFT
