"""Celery entry point of the certificates: run a CertificateJob (its pk; core/outbox.py publishes it after the
issue's commit and the sweeper publishes it again if it never left or its worker died), as reports/tasks.py runs
render jobs.

Safe to receive twice: a finished job is left alone; while one worker runs a job it holds a PostgreSQL advisory
lock on it, so a second delivery returns at once (the lock belongs to the worker's session: a worker that dies
lets it go); and each certificate is rendered under its own row lock only while it has no PDF.
"""
from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from core.jobs import advisory_lock

from .models import CertificateJob
from .services import certificate_jobs as jobs

logger = logging.getLogger(__name__)

# Storage or database hiccups, another worker on the same certificates, and the soft time limit of a long
# event (the PDFs made so far are kept; the next attempt continues with the rest).
TRANSIENT_ERRORS = (OSError, OperationalError, jobs.CertificatesHeldElsewhere, SoftTimeLimitExceeded)
MAX_RETRIES = 3
RETRY_BASE_SECONDS = 10  # 10, 20, 40 s
_LOCK_NAMESPACE = CertificateJob.lock_namespace  # the advisory lock a worker holds on its job


def _attempt(job_id: int) -> tuple[str, BaseException | None]:
    """One attempt: (outcome, None), or ("", error) for a transient error worth another attempt."""
    with advisory_lock(_LOCK_NAMESPACE, job_id) as acquired:
        if not acquired:
            return "busy", None
        job = jobs.certificate_job_claim(job_id)
        if job is None:
            return "done already", None
        try:
            return jobs.certificate_job_run(job).status, None
        except TRANSIENT_ERRORS as error:
            return "", error
        except Exception as error:
            # A broken template, a signing failure…: the job row carries the failure to the page.
            logger.exception("Certificate job %s failed", job_id)
            jobs.certificate_job_fail(job_id, error)
            return "failed", None


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def render_certificates(self, job_id: int) -> str:
    """Render (and sign) the PDFs of a CertificateJob's event; transient errors are retried with backoff."""
    retries = self.request.retries
    while True:
        outcome, error = _attempt(job_id)
        if error is None:
            return outcome
        if retries >= self.max_retries:
            logger.error("Certificate job %s failed after %s retries: %s", job_id, retries, error)
            jobs.certificate_job_fail(job_id, error)
            return "failed"
        retries += 1
        logger.warning("Certificate job %s: transient error, retry %s of %s: %s", job_id, retries, self.max_retries,
                       error)
        jobs.certificate_job_retry_later(job_id, error, retries, self.max_retries)
        if not self.request.is_eager:
            raise self.retry(exc=error, countdown=RETRY_BASE_SECONDS * 2 ** (retries - 1))
        # Eager (development, tests): no broker to come back through, so the next attempt is now.
