"""Celery entry points: load by id, call a service."""
import logging

from celery import shared_task

from .models import RecomputeJob
from .services import recompute_current_periods, recompute_job_fail, recompute_job_run

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=2, default_retry_delay=10)
def recompute_job(self, job_id: int) -> str:
    job = RecomputeJob.objects.select_related("programme", "period").get(pk=job_id)
    try:
        return recompute_job_run(job).message
    except Exception as error:
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=error) from error
        # The job row carries the failure to the page; the request that queued it must not fail.
        logger.exception("Recompute job %s failed", job_id)
        recompute_job_fail(job_id, error)
        return "failed"


@shared_task(acks_late=True)
def recompute_nightly() -> int:
    """Celery beat, every night: the periods that include today, for every programme."""
    return recompute_current_periods()
