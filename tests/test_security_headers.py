"""Security headers (issue 9, «No Content-Security-Policy, no Permissions-Policy, no Cache-Control:
no-store on pages and downloads that carry personal data»).

- Content-Security-Policy without 'unsafe-inline' on the portal's pages, logged in or public;
- Permissions-Policy switching off camera, microphone, geolocation …;
- `Cache-Control: private, no-store` on every page of a logged-in user and on every download
  (a registry XLSX export, a report PDF), while anonymous public pages keep their own caching;
- nothing in templates/ needs 'unsafe-inline' (no inline script, handler, javascript: URL or
  style attribute), and the charts inlined into pages carry no style attributes;
- sessions end after the idle timeout and after their absolute lifetime.

The browser side (no «Refused to …» in Chromium's console) is tests/e2e/test_content_security_policy.py.
"""
from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from core import middleware
from core.charts import Bar, bar_comparison_chart, line_chart, plan_fact_chart
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NO_STORE = {"private", "no-store"}


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_policy(response) -> None:
    policy = directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation"):
        assert features[feature] == "()"


# --- pages and downloads -----------------------------------------------------------------------


def test_a_logged_in_page_has_the_policy_and_is_never_stored(methodist_client, school_a):
    TeacherFactory(organisation=school_a, full_name="Иванова Анна Петровна")
    response = methodist_client.get(reverse("clusters:teacher_list"))

    assert response.status_code == 200 and "Иванова Анна Петровна" in response.content.decode()
    assert_policy(response)
    assert cache_control(response) == NO_STORE


def test_a_redirect_for_a_logged_in_user_is_not_stored_either(portal_admin_client):
    response = portal_admin_client.get(reverse("home"))

    assert response.status_code == 302
    assert cache_control(response) == NO_STORE


def test_the_teacher_xlsx_export_is_a_download_that_is_never_stored(school_admin_client, school_a):
    TeacherFactory(organisation=school_a)
    response = school_admin_client.get(reverse("clusters:teacher_export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert cache_control(response) == NO_STORE
    assert "Permissions-Policy" in response


def test_a_report_pdf_download_is_never_stored(methodist, methodist_client, district_a, settings, tmp_path):
    from reports import services
    from reports.models import FileRole, ReportFile
    from tests.reports.workflow_support import make_programme

    settings.MEDIA_ROOT = tmp_path / "media"
    programme, periods = make_programme(district_a)
    report = services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
    pdf = b"%PDF-1.4\n% draft of a report\n%%EOF\n"
    ReportFile.objects.create(report=report, role=FileRole.DRAFT_PDF, file=ContentFile(pdf, name="draft.pdf"),
                              sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), created_by=methodist)

    response = methodist_client.get(reverse("reports:report_file_download", args=[report.pk, FileRole.DRAFT_PDF]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment")
    assert cache_control(response) == NO_STORE


def test_a_download_is_not_stored_even_for_an_anonymous_client(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse(b"%PDF-", content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="document.pdf"'
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/v/some-code/file/")
    request.user = AnonymousUser()
    response = middleware.PrivacyHeadersMiddleware(view)(request)

    assert cache_control(response) == NO_STORE


def test_public_pages_have_the_policy(anonymous):
    for name in ("login", "password_reset"):
        response = anonymous.get(reverse(name))
        assert response.status_code == 200
        assert_policy(response)


def test_an_anonymous_page_that_is_no_download_keeps_its_own_caching(anonymous):
    response = anonymous.get(reverse("healthz"))

    assert response.status_code == 200 and "Cache-Control" not in response
    assert "Permissions-Policy" in response


def test_the_public_survey_form_has_the_policy(anonymous, district_a, school_a):
    from tests.surveys.factories import make_campaign, results_questionnaire

    campaign = make_campaign(results_questionnaire(district_a), district_a, organisations=[school_a])
    link = campaign.links.get(organisation=school_a)

    response = anonymous.get(link.get_absolute_url(), follow=True)

    assert response.status_code == 200 and 'data-testid="survey-form"' in response.content.decode()
    assert_policy(response)


def test_csp_report_only_mode_reports_instead_of_blocking(methodist_client, settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy

    response = methodist_client.get(reverse("home"))

    assert "Content-Security-Policy" not in response
    assert "'unsafe-inline'" not in response["Content-Security-Policy-Report-Only"]


# --- nothing on the pages needs 'unsafe-inline' --------------------------------------------------

INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def screen_templates() -> list[Path]:
    # templates/reports/pdf/ are print layouts for WeasyPrint; the on-screen preview of them is
    # checked with the others all the same (it is an HTML page in an iframe).
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_needs_unsafe_inline():
    found = []
    for path in screen_templates():
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "the Content-Security-Policy would block these:\n" + "\n".join(found)


def test_inline_charts_carry_presentation_attributes_not_styles():
    charts = [
        plan_fact_chart([Bar("2020", 54.8, "achieved", 50.0), Bar("2021", None, "no_data", 60.0)], title="Доля ОУ"),
        bar_comparison_chart(["Кластер «Север»", "Кластер «Юг»"], [12.5, 30.0], unit="%", decimals=1, plan=20.0),
        line_chart(["2019", "2020"], [("Группа A", [1.0, 2.5]), ("Группа Б", [2.0, 1.5])]),
    ]
    for svg in charts:
        assert not INLINE["style attribute"].search(svg) and not INLINE["<style> element"].search(svg)
        assert 'fill="#' in svg and 'text-anchor="' in svg
        assert 'stroke-linejoin="round"' in svg.split(">", 1)[0]  # matplotlib's <style>*{…} rule


def test_permissions_policy_header_format():
    header = middleware.permissions_policy_header({"camera": [], "fullscreen": ["self"]})
    assert header == "camera=(), fullscreen=(self)"


# --- session lifetime and idle timeout -----------------------------------------------------------


def _age_session(client, **seconds_ago) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_an_idle_session_is_logged_out(methodist_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    _age_session(methodist_client, **{middleware.SEEN_AT: 3601})

    response = methodist_client.get(reverse("clusters:teacher_list"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in methodist_client.session


def test_a_session_within_the_idle_timeout_goes_on(methodist_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    _age_session(methodist_client, **{middleware.SEEN_AT: 3500})

    assert methodist_client.get(reverse("clusters:teacher_list")).status_code == 200
    assert int(time.time()) - methodist_client.session[middleware.SEEN_AT] < 5  # the clock restarted


def test_an_active_session_still_ends_after_its_lifetime(methodist_client, settings):
    settings.SESSION_COOKIE_AGE = 12 * 3600
    _age_session(methodist_client, **{middleware.LOGIN_AT: 12 * 3600 + 1, middleware.SEEN_AT: 10})

    response = methodist_client.get(reverse("clusters:teacher_list"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_starts_both_clocks(methodist_client):
    session = methodist_client.session
    assert abs(session[middleware.LOGIN_AT] - time.time()) < 60
    assert session[middleware.SEEN_AT] == session[middleware.LOGIN_AT]
