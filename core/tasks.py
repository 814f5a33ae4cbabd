"""Celery entry points of core: the mail outbox and its sweeper (core/outbox.py)."""
from celery import shared_task

from . import outbox


@shared_task(acks_late=True)
def mail_send(mail_id: int) -> str:
    """Send one queued e-mail; a redelivered message sends nothing twice."""
    return outbox.mail_send_now(mail_id)


@shared_task(acks_late=True)
def outbox_sweep() -> dict:
    """Celery beat, every OUTBOX_SWEEP_SECONDS: publish what never left, re-queue abandoned jobs."""
    return outbox.sweep()
