"""Issue 10: with the broker down, «Отправить на утверждение», «Утвердить» and «Сформировать PDF»
keep their writes, answer at once (no 500, no 19 s wait) and say the work is queued; once the
broker is back the sweeper renders the PDF and sends the director's e-mail exactly once."""
from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse

from core import outbox
from core.jobs import JobStatus
from core.models import MailStatus, OutgoingMail
from reports.models import FileRole, RenderJob, ReportStatus
from tests.core import test_outbox as core_outbox

pytestmark = pytest.mark.django_db
FAST_SECONDS = core_outbox.FAST_SECONDS
broker_down = core_outbox.broker_down  # the fixture: Celery pointed at a closed port


def _post(client, name, report, capture, **data):
    started = time.monotonic()
    with capture(execute=True):
        response = client.post(reverse(name, args=[report.pk]), data, follow=True)
    return response, time.monotonic() - started


def test_submit_approve_and_render_with_the_broker_down(
    broker_down, draft, methodist_client, director_client, observer_client, director_email, fake_pipeline,
    django_capture_on_commit_callbacks,
):
    assert observer_client.post(reverse("reports:report_approve", args=[draft.pk])).status_code == 403

    response, elapsed = _post(methodist_client, "reports:report_submit", draft, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and elapsed < FAST_SECONDS
    assert "Справка отправлена директору ИМЦ на утверждение." in response.content.decode()
    notice = OutgoingMail.objects.get()
    assert notice.status == MailStatus.PENDING and notice.recipients == [director_email.email]

    response, elapsed = _post(director_client, "reports:report_approve", draft, django_capture_on_commit_callbacks)
    page = response.content.decode()
    assert response.status_code == 200 and elapsed < FAST_SECONDS
    draft.refresh_from_db()
    assert draft.status == ReportStatus.APPROVED and draft.outgoing_number
    assert f"Справка утверждена: № {draft.outgoing_label}" in page
    assert "будет выполнено автоматически" in page, "the job partial says the job is queued"
    job = RenderJob.objects.get(report=draft, target=FileRole.FINAL_PDF)
    assert (job.status, job.published_at) == (JobStatus.QUEUED, None)

    response, elapsed = _post(director_client, "reports:report_render", draft, django_capture_on_commit_callbacks,
                              target=FileRole.FINAL_PDF)
    assert response.status_code == 200 and elapsed < FAST_SECONDS
    assert RenderJob.objects.filter(report=draft).count() == 1, "the pending render is reused"
    assert not mail.outbox and not fake_pipeline.pdf

    broker_down.conf.task_always_eager = True  # the broker is back
    outbox.sweep()
    outbox.sweep()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert draft.files.filter(role=FileRole.FINAL_PDF).count() == 1
    assert [m.to for m in mail.outbox] == [[director_email.email]], "the director's e-mail, exactly once"
