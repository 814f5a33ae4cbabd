"""Fault: kill -9 of the whole worker (main process, pool child, beat) while it renders the final
PDF of an approved справка. The Celery message stays unacked in Redis (redelivered only after the
visibility timeout) and the job row says «формируется». When a worker runs again the outbox
sweeper finds the job abandoned (its worker's advisory lock is gone) and queues it again: the final
PDF is ready without anyone pressing anything, one file, under the number given at approval."""
from __future__ import annotations

import pytest

from core.jobs import JobStatus
from reports import services
from reports.models import FileRole, RenderJob, Report, ReportStatus

from .conftest import wait_until
from .support import DIRECTOR_EMAIL, Stopwatch, draft_report, final_job, state_and, succeeded

pytestmark = pytest.mark.faults

READY_WITHIN_SECONDS = 120


def test_killed_worker_mid_render_final_pdf_ready_after_restart(worker, media_root, methodist, director):
    director.email = DIRECTOR_EMAIL
    director.save(update_fields=["email"])
    report = draft_report(methodist)
    services.report_submit(report=report, user=methodist)
    report = services.report_approve(report=Report.objects.get(pk=report.pk), user=director)
    number = (report.outgoing_year, report.outgoing_number, report.outgoing_label)

    job = wait_until(lambda: (j := final_job(report)) and j.status == JobStatus.RUNNING and j, 60,
                     what="the worker starts rendering the final PDF", log=state_and(worker))
    worker.kill()
    clock = Stopwatch()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING, "killed mid-render: nothing marked the job"
    assert not report.files.filter(role=FileRole.FINAL_PDF).exists()

    worker.start()
    wait_until(lambda: succeeded(RenderJob, report=report, target=FileRole.FINAL_PDF), READY_WITHIN_SECONDS,
               what="final PDF ready after the worker restarted", log=state_and(worker))
    ready_after = clock()
    print(f"\nkill -9 mid-render: final PDF ready {ready_after} s after the kill")

    report = Report.objects.get(pk=report.pk)
    assert report.status == ReportStatus.APPROVED
    assert (report.outgoing_year, report.outgoing_number, report.outgoing_label) == number
    assert report.files.filter(role=FileRole.FINAL_PDF).count() == 1
    assert RenderJob.objects.filter(report=report, target=FileRole.FINAL_PDF).count() == 1
    assert len(list(media_root.rglob("*.pdf"))) == 1, sorted(p.name for p in media_root.rglob("*"))
