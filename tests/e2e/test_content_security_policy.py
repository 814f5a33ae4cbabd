"""The Content-Security-Policy in a real browser: Chromium refuses nothing on the portal's pages, and
what used to be inline (handlers, the copy button's script, style attributes, chart styles) still
works from static files (issue 9, «No Content-Security-Policy …»).

Chromium reports every blocked script, handler or style as a console error «Refused to …»; the
collector below fails the test on any of them. The first test proves the collector sees one.
"""
from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tests.factories import TeacherFactory
from tests.reports.workflow_support import make_programme
from tests.surveys.factories import make_campaign, results_questionnaire, seven_responses

pytestmark = pytest.mark.e2e


@pytest.fixture
def violations(browser_page):
    """Console messages of CSP refusals on this page (and its frames), in order."""
    seen: list[str] = []

    def collect(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            seen.append(f"{browser_page.url}: {text}")

    browser_page.on("console", collect)
    return seen


@pytest.fixture
def portal_data(methodist, district_a, school_a, school_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    TeacherFactory(organisation=school_a, full_name="Иванова Анна Петровна")
    programme, periods = make_programme(district_a)
    campaign = make_campaign(results_questionnaire(district_a), district_a, organisations=[school_a, school_b])
    seven_responses(campaign, school_a, school_b)
    from reports import services

    report = services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
    return {"programme": programme, "campaign": campaign, "report": report}


def test_the_collector_sees_a_refused_inline_style(browser_page, live_server, violations):
    browser_page.goto(reverse("login"))
    browser_page.evaluate("document.body.setAttribute('style', 'background: red')")
    browser_page.wait_for_timeout(200)

    assert any("style" in line for line in violations), violations


def test_a_methodist_walks_the_portal_and_the_browser_refuses_nothing(
    portal_data, methodist, login_as, violations, browser_page, screenshot
):
    page = login_as(methodist)
    programme, campaign, report = portal_data["programme"], portal_data["campaign"], portal_data["report"]

    # Bootstrap's dropdowns (static JS) open.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Сменить пароль").wait_for(state="visible")

    page.goto(reverse("clusters:teacher_list"))
    page.get_by_text("Иванова Анна Петровна").wait_for()

    # The scope picker submits itself on change (data-autosubmit in static/js/portal.js).
    page.goto(reverse("monitoring:programme_detail", args=[programme.pk]))
    picker = page.locator("select[name=scope]")
    assert picker.locator("option").count() > 1  # the district and its organisations
    value = picker.locator("option").nth(1).get_attribute("value")
    with page.expect_navigation():
        picker.select_option(value)
    assert f"scope={value}" in page.url.replace("%3A", ":")

    page.goto(reverse("monitoring:grid_edit", args=[programme.pk]))
    page.goto(reverse("monitoring:dashboard", args=[programme.pk]))
    bar_fill = page.locator(".chart svg path[fill='#2e7d32']").first
    bar_fill.wait_for(state="attached")
    # The chart's colours come from presentation attributes, not blocked style attributes.
    assert bar_fill.evaluate("el => getComputedStyle(el).fill") == "rgb(46, 125, 50)"
    if os.environ.get("E2E_SCREENSHOTS"):
        screenshot(page, "dashboard")

    # The copy buttons of the public links appear (they were an inline <script>).
    page.goto(reverse("surveys:campaign_detail", args=[campaign.pk]))
    page.locator(".js-copy").first.wait_for(state="visible")
    page.goto(reverse("surveys:campaign_results", args=[campaign.pk]))
    page.locator("[data-testid=question-result] svg").first.wait_for()

    # The report page with its preview (another document in an iframe, under the same policy).
    page.goto(reverse("reports:report_detail", args=[report.pk]))
    page.get_by_test_id("report-preview").wait_for()
    page.frame_locator("[data-testid=report-preview]").locator("body").wait_for()
    page.wait_for_timeout(300)

    assert violations == []


def test_the_public_survey_form_lines_up_its_grid_without_style_attributes(
    portal_data, browser_page, violations, school_a, screenshot
):
    link = portal_data["campaign"].links.get(organisation=school_a)
    browser_page.goto(reverse("survey_public:respond", args=[link.token]))
    browser_page.get_by_test_id("survey-form").wait_for()

    head = browser_page.locator(".survey-grid-head span").nth(1).bounding_box()
    first_cell = browser_page.locator(".survey-grid-row").first.locator(".survey-grid-cell").first.bounding_box()

    assert abs(head["x"] - first_cell["x"]) < 2 and abs(head["width"] - first_cell["width"]) < 2
    if os.environ.get("E2E_SCREENSHOTS"):
        screenshot(browser_page, "form")
    assert violations == []
