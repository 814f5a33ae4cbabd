"""Celery entry points of reports: load by id, call a service.

`render_report` is safe to receive twice (acks_late redelivers a message whose worker died, and
a double click queues the same job again): a finished job is left alone, and while one worker
renders a job it holds a PostgreSQL advisory lock on it, so a second delivery returns at once.
The lock belongs to the worker's database session, so a worker that dies releases it and the
redelivered message renders the job afresh.
"""
from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError, transaction

from core.jobs import advisory_lock

from . import services
from .models import RenderJob, Report

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, OperationalError)
RENDER_MAX_RETRIES = 3
RENDER_RETRY_BASE_SECONDS = 5  # 5, 10, 20 s
_LOCK_NAMESPACE = RenderJob.lock_namespace  # the advisory lock a worker holds on its job


def _render_attempt(job_id: int) -> tuple[str, BaseException | None]:
    """One attempt: (outcome, None), or ("", error) for a transient error worth another attempt."""
    with advisory_lock(_LOCK_NAMESPACE, job_id) as acquired:
        if not acquired:
            return "busy", None
        job = services.render_job_claim(job_id)
        if job is None:
            return "done already", None
        try:
            return services.render_job_run(job).status, None
        except TRANSIENT_ERRORS as error:
            return "", error
        except Exception as error:
            # The job row carries the failure to the page; the request that queued it must not fail.
            logger.exception("Render job %s failed", job_id)
            services.render_job_fail(job_id, error)
            return "failed", None


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=RENDER_MAX_RETRIES)
def render_report(self, job_id: int) -> str:
    """Render a report's PDF and XLSX for a RenderJob; transient errors are retried with backoff."""
    retries = self.request.retries
    while True:
        outcome, error = _render_attempt(job_id)
        if error is None:
            return outcome
        if retries >= self.max_retries:
            logger.error("Render job %s failed after %s retries: %s", job_id, retries, error)
            services.render_job_fail(job_id, error)
            return "failed"
        retries += 1
        logger.warning("Render job %s: transient error, retry %s of %s: %s", job_id, retries, self.max_retries, error)
        services.render_job_retry_later(job_id, error, retries, self.max_retries)
        if not self.request.is_eager:
            raise self.retry(exc=error, countdown=RENDER_RETRY_BASE_SECONDS * 2 ** (retries - 1))
        # Eager (development, tests): no broker to come back through, so the next attempt is now.


@shared_task(acks_late=True)
def report_notify(report_id: int, action: str) -> int:
    """Kept for messages queued before the outbox: the e-mails go through it (deduplicated)."""
    report = Report.objects.select_related("created_by").filter(pk=report_id).first()
    if report is None:
        return 0
    with transaction.atomic():
        return services.report_notify_enqueue(report, action)
