"""Celery entry point of the certificates: render (and sign) the PDFs an issue left to make.

Safe to receive twice: it renders only certificates still without a PDF, each under its own row lock
(PostgreSQL skips one another worker holds), so a redelivered or repeated message does no work twice.
"""
from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def render_certificates(self, event_id: int) -> int:
    from events.services.certificates import render_pending

    try:
        return render_pending(event_id)
    except (OSError, OperationalError) as error:  # storage or database hiccup: the rest is rendered later
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Certificates of event %s: rendering failed", event_id)
            return 0
        raise self.retry(exc=error, countdown=RETRY_SECONDS * 2 ** self.request.retries) from error
    except Exception:
        # A broken template, a signing failure…: the certificates stay without PDF, the page shows
        # them as not ready and offers to start again; the issuing request must not fail.
        logger.exception("Certificates of event %s: rendering failed", event_id)
        return 0
