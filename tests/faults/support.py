"""Shared steps of the fault tests: a report in a given state, job and mail look-ups."""
from __future__ import annotations

import re
import time
from pathlib import Path

from core.jobs import JobStatus
from reports import services
from reports.models import FileRole, RenderJob, Report
from tests.reports.workflow_support import make_programme

# What a page says after a committed write whose background work waits for the broker.
QUEUED = re.compile(r"в очереди[^<]*автоматически")
DIRECTOR_EMAIL = "director@imc.example"


def draft_report(methodist) -> Report:
    programme, periods = make_programme(methodist.district)
    return services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)


def final_job(report: Report) -> RenderJob | None:
    return RenderJob.objects.filter(report=report, target=FileRole.FINAL_PDF).order_by("pk").last()


def job_in(model, status: str, **lookup):
    """The job matching `lookup` once it has `status` (for wait_until), else None."""
    job = model.objects.filter(**lookup).order_by("pk").last()
    return job if job is not None and job.status == status else None


def succeeded(model, **lookup):
    job = model.objects.filter(**lookup).order_by("pk").last()
    if job is not None and job.status == JobStatus.FAILED:
        raise AssertionError(f"{model.__name__} {job.pk} failed: {job.message}")
    return job if job is not None and job.status == JobStatus.SUCCEEDED else None


def mails_to(folder: Path, address: str) -> int:
    """E-mails the worker wrote with the file backend (EMAIL_URL=filemail://…) addressed to `address`."""
    count = 0
    for path in folder.glob("*.log"):
        count += sum(1 for line in path.read_text(errors="replace").splitlines()
                     if line.startswith("To: ") and address in line)
    return count


def state_and(worker):
    """For a failure message: the jobs and mails as the database has them, then the worker's log."""
    from core.models import OutgoingMail
    from monitoring.models import RecomputeJob

    def describe() -> str:
        rows = [f"{model.__name__}: {list(model.objects.values('pk', 'status', 'published_at', 'attempts'))}"
                for model in (RenderJob, RecomputeJob, OutgoingMail)]
        return "\n".join([*rows, worker.output()])
    return describe


class Stopwatch:
    def __init__(self):
        self.started = time.monotonic()

    def __call__(self) -> float:
        return round(time.monotonic() - self.started, 1)
