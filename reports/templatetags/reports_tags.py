"""Template helpers of the reports pages: the status badge's colour comes from the status here, so
templates compare no status codes; the document's options in one line."""
from __future__ import annotations

from django import template

from reports.models import ReportStatus

register = template.Library()

STATUS_BADGES = {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.SUBMITTED: "text-bg-warning",
    ReportStatus.RETURNED: "text-bg-danger",
    ReportStatus.APPROVED: "text-bg-primary",
    ReportStatus.SIGNED: "text-bg-success",
}


@register.filter
def options_summary(report) -> str:
    """«гриф: …; графики: …» — what the document carries (reports/options.py)."""
    from reports.services.options import options_summary as summary

    return summary(report)


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge class of a report status."""
    return STATUS_BADGES.get(status, "text-bg-secondary")
