"""The director's journey through a справка, in a real browser:

a methodist creates and submits it; the director approves it, waits for the final PDF, signs it,
downloads the signed PDF, and the public verification page says the downloaded file matches.

Celery is eager here (the default in tests): the live server renders the final PDF in the request
that approves, and the page polls the render job like it does with a worker.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reports.models import FileRole, Report, ReportStatus
from tests.reports.signing_helpers import install_demo_certificate
from tests.reports.workflow_support import make_programme

pytestmark = pytest.mark.e2e


@pytest.fixture
def journey_settings(settings, tmp_path, tmp_path_factory, live_server, director):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = live_server.url
    install_demo_certificate(settings, tmp_path_factory, director)


def test_methodist_prepares_director_approves_signs_and_the_download_verifies(
    journey_settings, methodist, director, login_as, screenshot,
):
    programme, periods = make_programme(methodist.district)

    # --- the methodist creates the справка and submits it
    page = login_as(methodist)
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Справки").click()
    page.get_by_test_id("report-create").click()
    page.get_by_label("Аналитическая справка по результатам мониторинга").check()
    page.get_by_role("button", name="Далее").click()
    page.get_by_label("Программа мониторинга").select_option(label=programme.name)
    for period in periods:
        page.get_by_label(f"{programme.name}: {period.label}").check()
    page.get_by_test_id("report-create-submit").click()
    preview = page.frame_locator("[data-testid=report-preview]")
    assert "ПРОЕКТ" in preview.locator("body").inner_text()
    page.get_by_test_id("report-edit").click()
    page.get_by_label("Вывод", exact=True).fill("Все количественные показатели достигнуты.")
    page.get_by_test_id("report-texts-save").click()
    page.get_by_test_id("report-submit").click()
    assert page.get_by_test_id("report-status").get_attribute("data-status") == ReportStatus.SUBMITTED
    report = Report.objects.get()
    assert report.conclusion == "Все количественные показатели достигнуты."

    # --- the director approves, waits for the final PDF, signs
    page = login_as(director)
    page.goto(report.get_absolute_url())
    page.get_by_test_id("report-approve").click()
    page.locator("[data-testid=render-status][data-status=succeeded]").wait_for(timeout=60_000)
    report.refresh_from_db()
    assert page.get_by_test_id("report-number").inner_text() == f"№ {report.outgoing_label} от {report.dated:%d.%m.%Y}"
    page.get_by_test_id("download-final_pdf").wait_for()
    page.get_by_test_id("report-sign").click()
    assert page.get_by_test_id("report-status").get_attribute("data-status") == ReportStatus.SIGNED
    final_preview = page.frame_locator("[data-testid=report-preview]").locator("body")
    assert f"№ {report.outgoing_label}" in final_preview.inner_text()
    screenshot(page, "signed")

    # --- the director downloads the signed PDF
    with page.expect_download() as download_info:
        page.get_by_test_id("download-signed_pdf").click()
    download = download_info.value
    content = Path(download.path()).read_bytes()
    signed = report.files.get(role=FileRole.SIGNED_PDF)
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == signed.sha256
    assert download.suggested_filename.endswith("_подписана.pdf")
    assert page.reload() and page.get_by_test_id("download-log").inner_text().count("подписанная справка (PDF)") == 1

    # --- anyone checks the downloaded file on the public verification page
    page.context.clear_cookies()
    page.goto(f"/v/{report.verification_code}/")
    page.get_by_label("PDF-файл справки").set_input_files(download.path())
    page.get_by_role("button", name="Проверить").click()
    assert "Файл совпадает с подписанным оригиналом." in page.get_by_test_id("verify-match").inner_text()
    assert "действительна" in page.get_by_test_id("verify-signature").inner_text()
