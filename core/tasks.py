"""Celery entry points of core: the mail outbox and its sweeper (core/outbox.py), export jobs (core/exports.py)."""
from celery import shared_task

from . import exports, outbox


@shared_task(acks_late=True)
def mail_send(mail_id: int) -> str:
    """Send one queued e-mail; a redelivered message sends nothing twice."""
    return outbox.mail_send_now(mail_id)


@shared_task(acks_late=True)
def outbox_sweep() -> dict:
    """Celery beat, every OUTBOX_SWEEP_SECONDS: publish what never left, re-queue abandoned jobs."""
    return outbox.sweep()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def export_job(job_id: int) -> str:
    """Write one large XLSX export (core/exports.py); a failure is on the job row, in Russian."""
    return exports.export_job_run(job_id)
