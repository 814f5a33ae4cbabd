"""E-mail about workflow steps: submitted and withdrawn → the district's directors, returned → the author.

The services write the e-mails into the outbox (core.outbox.mail_enqueue) in the step's own
transaction: they leave only if the step commits, are sent after the commit by core.tasks.mail_send,
and a slow or unreachable mail server or broker never fails a step — the sweeper sends them later.
Each e-mail's dedup key names the step's event and the recipient, so it is never queued twice.
"""
from __future__ import annotations

import logging

from django.template.loader import render_to_string

from core.links import absolute_url
from core.outbox import mail_enqueue
from core.permissions import roles_with
from imc_portal.models import User
from reports.models import Report

from .common import one_line_title

logger = logging.getLogger(__name__)


def notify_on_commit(report: Report, action: str) -> int:
    """Queue the step's e-mails in the caller's transaction; they are sent after its commit."""
    return report_notify_enqueue(report, action)


def _approvers_emails(report: Report) -> list[str]:
    return list(
        User.objects.filter(role__in=roles_with("reports.approve"), district_id=report.district_id, is_active=True)
        .exclude(email="").order_by("pk").values_list("email", flat=True)
    )


def report_notify_enqueue(report: Report, action: str) -> int:
    """Submitted or withdrawn → those who approve the district's reports; returned → the author. Returns the
    number of e-mails queued (one per recipient)."""
    if action == "submitted":
        recipients = _approvers_emails(report)
        subject = f"Справка на утверждение: {one_line_title(report)}"
    elif action == "withdrawn":
        recipients = _approvers_emails(report)
        subject = f"Справка отозвана с утверждения: {one_line_title(report)}"
    elif action == "returned":
        author = report.created_by
        recipients = [author.email] if author.email and author.is_active else []
        subject = f"Справка возвращена на доработку: {one_line_title(report)}"
    else:
        raise ValueError(action)
    if not recipients:
        logger.warning("Report %s %s: nobody to notify by e-mail", report.pk, action)
        return 0
    step = report.events.filter(action=action).order_by("-at", "-pk").first()
    submitted_by = report.events.filter(action="submitted").select_related("user").order_by("-at", "-pk").first()
    body = render_to_string(f"reports/email_{action}.txt", {
        "report": report, "link": absolute_url(report.get_absolute_url()),
        "submitted_by": submitted_by.user if submitted_by else None,
    })
    queued = [
        mail_enqueue(subject=subject, body=body, to=[email],
                     dedup_key=f"reports:{report.pk}:{action}:{step.pk if step else 0}:{email}")
        for email in dict.fromkeys(recipients)
    ]
    return sum(1 for mail in queued if mail is not None)
