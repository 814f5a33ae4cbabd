"""Celery entry points of surveys: load by id, call a service."""
import logging

from celery import shared_task

from .models import Campaign
from .notifications import campaign_notifications_send, campaign_opening_notify_organisations

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def campaign_notifications_hourly() -> str:
    """Celery beat, every hour: opening notices and reminders (the service is idempotent)."""
    report = campaign_notifications_send()
    logger.info("Survey notifications: %s", report)
    return str(report)


@shared_task(acks_late=True)
def campaign_opening_notify(campaign_id: int, organisation_ids: list[int]) -> int:
    """Organisations added to an announced campaign get the opening notice too."""
    campaign = Campaign.objects.select_related("questionnaire").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return campaign_opening_notify_organisations(campaign, organisation_ids)


@shared_task(acks_late=True)
def campaign_counts_rebuild(campaign_id: int) -> int:
    """Recount a campaign's results from its answers (after bulk writes); the rows written."""
    from .aggregates import campaign_rebuilt

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return 0 if campaign is None else campaign_rebuilt(campaign)
