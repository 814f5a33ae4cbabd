"""One message per long report action (issue 14.4): with no broker the PDF is rendered by the time the page
comes back, so a flash «PDF в очереди, будет сформирован автоматически» beside the job's «Готово» contradicted
it. The job's status partial is the one message about the PDF; the flash says only what the action did."""
from __future__ import annotations

import pytest
from django.urls import reverse

from core.jobs import JobStatus
from reports import services
from reports.models import FileRole, RenderJob

pytestmark = pytest.mark.django_db


def _after(client, capture, url, data=None) -> str:
    with capture(execute=True):  # the commit: the job runs (eager, as in the embedded default's tests)
        response = client.post(url, data or {})
    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def test_render_pdf_page_says_ready_once_and_not_queued(
    draft, methodist_client, observer_client, fake_pipeline, django_capture_on_commit_callbacks,
):
    url = reverse("reports:report_render", args=[draft.pk])
    assert observer_client.post(url, {"target": FileRole.DRAFT_PDF}).status_code == 403
    assert not RenderJob.objects.exists()

    page = _after(methodist_client, django_capture_on_commit_callbacks, url, {"target": FileRole.DRAFT_PDF})
    assert RenderJob.objects.get(report=draft).status == JobStatus.SUCCEEDED
    assert "в очереди" not in page
    assert page.count("Готово: проект (PDF).") == 1, "the job's partial, the one message"


def test_approve_says_approved_and_the_final_pdf_once(
    draft, methodist, director_client, methodist_client, fake_pipeline, django_capture_on_commit_callbacks,
):
    services.report_submit(report=draft, user=methodist)
    url = reverse("reports:report_approve", args=[draft.pk])
    assert methodist_client.post(url).status_code == 403

    page = _after(director_client, django_capture_on_commit_callbacks, url)
    draft.refresh_from_db()
    assert RenderJob.objects.get(report=draft, target=FileRole.FINAL_PDF).status == JobStatus.SUCCEEDED
    assert f"Справка утверждена: № {draft.outgoing_label} от {draft.dated:%d.%m.%Y}." in page
    assert "в очереди" not in page
    assert page.count("Готово: утверждённая справка (PDF).") == 1
