"""E-mail about workflow steps: submitted → the district's directors, returned → the author.

The services queue a notification after their transaction commits; the Celery task
(reports.tasks.report_notify) sends it, so a slow or unreachable mail server never fails a step.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string

from core.links import absolute_url
from core.permissions import roles_with
from imc_portal.models import User
from reports.models import Report

from .common import one_line_title

logger = logging.getLogger(__name__)


def queue_notification(report_id: int, action: str) -> None:
    from reports.tasks import report_notify

    report_notify.delay(report_id, action)


def notify_on_commit(report: Report, action: str) -> None:
    report_id = report.pk
    # Looked up through the module at commit time, so tests can stand in for the queue.
    transaction.on_commit(lambda: queue_notification(report_id, action))


def _approvers_emails(report: Report) -> list[str]:
    return list(
        User.objects.filter(role__in=roles_with("reports.approve"), district_id=report.district_id, is_active=True)
        .exclude(email="").order_by("pk").values_list("email", flat=True)
    )


def report_notify_send(report: Report, action: str) -> int:
    """Submitted → those who approve the district's reports; returned → the author. Returns the
    number of e-mails sent."""
    if action == "submitted":
        recipients = _approvers_emails(report)
        subject = f"Справка на утверждение: {one_line_title(report)}"
    elif action == "returned":
        author = report.created_by
        recipients = [author.email] if author.email and author.is_active else []
        subject = f"Справка возвращена на доработку: {one_line_title(report)}"
    else:
        raise ValueError(action)
    if not recipients:
        logger.warning("Report %s %s: nobody to notify by e-mail", report.pk, action)
        return 0
    submitted_by = report.events.filter(action="submitted").select_related("user").order_by("-at", "-pk").first()
    body = render_to_string(f"reports/email_{action}.txt", {
        "report": report, "link": absolute_url(report.get_absolute_url()),
        "submitted_by": submitted_by.user if submitted_by else None,
    })
    messages = [EmailMessage(subject=subject[:250], body=body, to=[email], from_email=settings.DEFAULT_FROM_EMAIL)
                for email in dict.fromkeys(recipients)]
    return get_connection().send_messages(messages) or 0
