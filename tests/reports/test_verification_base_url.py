"""The verification link printed into a final PDF is the portal's public address (issue 9, «Why»:
signed PDFs printed http://127.0.0.1:8000 whatever address the portal was served on).

PORTAL_BASE_URL wins when set; in the embedded default (unset) the address of the approving request
is stored on the report and the final PDF — rendered later, by Celery — prints it.
"""
from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from core.links import DEVELOPMENT_BASE_URL
from reports import services
from reports.builders.document import document_context
from reports.models import FileRole, Report

OTHER_PORT_HOST = "127.0.0.1:8765"


@pytest.fixture
def submitted_draft(draft, methodist):
    return services.report_submit(report=draft, user=methodist)


def _pdf_text(report: Report) -> str:
    final = report.files.get(role=FileRole.FINAL_PDF)
    with final.file.open("rb") as file:
        pages = pypdf.PdfReader(io.BytesIO(file.read())).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


def test_a_report_approved_on_another_port_prints_that_port_in_its_final_pdf(
        settings, submitted_draft, director_client, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = ""

    with django_capture_on_commit_callbacks(execute=True):  # the final PDF is rendered on commit
        response = director_client.post(reverse("reports:report_approve", args=[submitted_draft.pk]),
                                        HTTP_HOST=OTHER_PORT_HOST)

    assert response.status_code == 302
    report = Report.objects.get(pk=submitted_draft.pk)
    assert report.public_base_url == f"http://{OTHER_PORT_HOST}"
    text = _pdf_text(report)
    assert f"http://{OTHER_PORT_HOST}/v/{report.verification_code}/" in text
    assert "127.0.0.1:8000" not in text


def test_portal_base_url_wins_over_the_requests_address(settings, submitted_draft, director_client):
    settings.PORTAL_BASE_URL = "https://imc.example.ru/"

    director_client.post(reverse("reports:report_approve", args=[submitted_draft.pk]), HTTP_HOST=OTHER_PORT_HOST)

    report = Report.objects.get(pk=submitted_draft.pk)
    assert report.public_base_url == "https://imc.example.ru"
    url = document_context(report, final=True)["verification"]["url"]
    assert url == f"https://imc.example.ru/v/{report.verification_code}/"


def test_the_stored_address_survives_a_later_change_of_the_setting(settings, submitted_draft, director_client):
    settings.PORTAL_BASE_URL = ""
    director_client.post(reverse("reports:report_approve", args=[submitted_draft.pk]), HTTP_HOST=OTHER_PORT_HOST)
    settings.PORTAL_BASE_URL = "https://elsewhere.example.ru"  # e.g. a re-render of the final PDF later

    report = Report.objects.get(pk=submitted_draft.pk)
    assert document_context(report, final=True)["verification"]["url"].startswith(f"http://{OTHER_PORT_HOST}/v/")


def test_the_paper_number_form_stores_the_requests_address_too(settings, submitted_draft, director_client):
    settings.PORTAL_BASE_URL = ""

    response = director_client.post(
        reverse("reports:report_register_paper_number", args=[submitted_draft.pk]),
        {"number": "854", "dated": "17.12.2021"}, HTTP_HOST=OTHER_PORT_HOST,
    )

    assert response.status_code == 302
    assert Report.objects.get(pk=submitted_draft.pk).public_base_url == f"http://{OTHER_PORT_HOST}"


def test_approval_without_a_request_uses_the_setting_or_the_development_address(
        settings, submitted_draft, director, methodist, draft):
    settings.PORTAL_BASE_URL = ""
    report = services.report_approve(report=submitted_draft, user=director)
    assert report.public_base_url == DEVELOPMENT_BASE_URL

    settings.PORTAL_BASE_URL = "https://imc.example.ru"
    another = services.report_create(user=methodist, kind="monitoring", programme=draft.programme,
                                     periods=list(draft.periods.all()))
    another = services.report_submit(report=another, user=methodist)
    assert services.report_approve(report=another, user=director).public_base_url == "https://imc.example.ru"


def test_a_methodist_cannot_approve_and_stores_nothing(settings, submitted_draft, methodist_client):
    settings.PORTAL_BASE_URL = ""

    response = methodist_client.post(reverse("reports:report_approve", args=[submitted_draft.pk]),
                                     HTTP_HOST=OTHER_PORT_HOST)

    assert response.status_code == 403
    assert Report.objects.get(pk=submitted_draft.pk).public_base_url == ""
