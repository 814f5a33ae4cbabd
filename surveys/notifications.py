"""E-mail about survey campaigns: the opening notice and the reminder before closing.

`campaign_notifications_send` runs from Celery beat every hour. Notices go to the school
administrators of each addressed organisation — the holders of «surveys.respond_for_organisation»
— or to the organisation's own address when it has none.

Failures stay local. Each organisation's notice is queued in the mail outbox (core/outbox.py)
and recorded as a CampaignNotice in the same transaction; the outbox sends it after the commit and
retries a refusal of the mail server, and its dedup key keeps the same notice from being queued
twice. Each campaign runs in its own try/except: a campaign that fails (a broken
template, a database error) is logged and left unmarked for the next run, and never stops the
notices of other campaigns or districts. The campaign is marked (opening_notified_at,
reminder_sent_at) once no organisation is left. Every subject is one line (`_message`, the one
place mail is built): a newline in a header would raise BadHeaderError.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clusters.models import Organisation
from core.links import absolute_url
from core.outbox import mail_enqueue
from core.permissions import roles_with
from imc_portal.models import User

from .models import Audience, Campaign, CampaignNotice, NoticeKind, ResponseStatus
from .selectors import addressed_organisations
from .services import campaign_links_sync, one_line
from .workflow import local

logger = logging.getLogger(__name__)


def reminder_days() -> int:
    return int(getattr(settings, "SURVEY_REMINDER_DAYS", 3))


def _recipients(organisations: list[Organisation]) -> dict[int, list[str]]:
    """E-mail addresses of each organisation's active school administrators (its own e-mail if none)."""
    emails: dict[int, list[str]] = defaultdict(list)
    admins = (
        User.objects.filter(role__in=roles_with("surveys.respond_for_organisation"), is_active=True,
                            organisation__in=organisations)
        .exclude(email="").order_by("pk").values_list("organisation_id", "email")
    )
    for organisation_id, email in admins:
        if email not in emails[organisation_id]:
            emails[organisation_id].append(email)
    for organisation in organisations:
        if not emails[organisation.pk] and organisation.email:
            emails[organisation.pk].append(organisation.email)
    return emails


def _message(template: str, subject: str, to: list[str], context: dict) -> EmailMessage:
    body = render_to_string(f"surveys/campaigns/{template}", context)
    return EmailMessage(subject=one_line(subject), body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL)


Addressed = list[tuple[Organisation, EmailMessage]]


def _pending(campaign: Campaign, kind: str, organisations: Iterable[Organisation]) -> list[Organisation]:
    """The organisations that have not had this notice of this campaign yet."""
    done = set(CampaignNotice.objects.filter(campaign=campaign, kind=kind).values_list("organisation_id", flat=True))
    return [o for o in organisations if o.pk not in done]


def _opening_messages(campaign: Campaign, organisations: list[Organisation]) -> Addressed:
    emails = _recipients(organisations)
    tokens = dict(campaign.links.exclude(organisation=None).values_list("organisation_id", "token"))
    subject = f"Анкетирование «{campaign.title}»: приём ответов до {timezone.localtime(campaign.closes_at):%d.%m.%Y}"
    for_teachers = campaign.audience == Audience.TEACHERS
    messages = []
    for organisation in organisations:
        if not emails[organisation.pk]:
            logger.warning("Campaign %s: organisation %s has no e-mail address", campaign.pk, organisation.pk)
            continue
        if for_teachers:
            if organisation.pk not in tokens:
                continue
            link = absolute_url(reverse("survey_public:respond", args=[tokens[organisation.pk]]))
        else:
            link = absolute_url(reverse("surveys:organisation_fill", args=[campaign.pk]))
        context = {"campaign": campaign, "organisation": organisation, "link": link, "for_teachers": for_teachers}
        messages.append((organisation, _message("email_opening.txt", subject, emails[organisation.pk], context)))
    return messages


def _reminder_messages(campaign: Campaign) -> Addressed:
    submitted = set(
        campaign.responses.filter(for_organisation=True, status=ResponseStatus.SUBMITTED)
        .values_list("organisation_id", flat=True)
    )
    drafts = set(campaign.responses.filter(for_organisation=True, status=ResponseStatus.DRAFT)
                 .values_list("organisation_id", flat=True))
    pending = [o for o in _pending(campaign, NoticeKind.REMINDER, addressed_organisations(campaign))
               if o.pk not in submitted]
    emails = _recipients(pending)
    subject = f"Напоминание: анкета «{campaign.title}» — приём ответов до {local(campaign.closes_at)}"
    link = absolute_url(reverse("surveys:organisation_fill", args=[campaign.pk]))
    return [
        (o, _message("email_reminder.txt", subject, emails[o.pk],
                     {"campaign": campaign, "organisation": o, "link": link, "has_draft": o.pk in drafts}))
        for o in pending if emails[o.pk]
    ]


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


def _dedup_key(campaign: Campaign, kind: str, organisation: Organisation) -> str:
    # A reminder is keyed on the close date too: moving it resets the reminder (campaign_update).
    when = f":{campaign.closes_at:%Y%m%d%H%M}" if kind == NoticeKind.REMINDER else ""
    return f"surveys:{campaign.pk}:{kind}:{organisation.pk}{when}"


def _deliver(campaign: Campaign, kind: str, addressed: Addressed, now: dt.datetime) -> Delivery:
    """Queue each organisation's message in the outbox (core/outbox.py) and record it, in the
    caller's transaction: the mail leaves after the commit, and a mail server or broker that is
    down delays it (the outbox sweeper sends it later) without losing or doubling it."""
    delivery = Delivery()
    for organisation, message in addressed:
        mail_enqueue(subject=message.subject, body=message.body, to=message.to,
                     dedup_key=_dedup_key(campaign, kind, organisation))
        CampaignNotice.objects.create(campaign=campaign, organisation=organisation, kind=kind, sent_at=now)
        delivery.sent += 1
    return delivery


@dataclass
class NotificationReport:
    opened: int = 0
    reminded: int = 0
    messages: int = 0
    failed: int = 0  # recipients and campaigns left for the next run

    def __str__(self) -> str:
        text = f"opening notices: {self.opened} campaigns, reminders: {self.reminded} campaigns, {self.messages} e-mails"
        return f"{text}, {self.failed} failures left for the next run" if self.failed else text


def _claimed(pk: int, unmarked: str) -> Campaign | None:
    """The campaign under a row lock, unless another run has marked it meanwhile."""
    return (
        Campaign.objects.select_for_update().select_related("questionnaire")
        .filter(pk=pk, **{f"{unmarked}__isnull": True}).first()
    )


def _open_one(pk: int, now: dt.datetime, report: NotificationReport) -> None:
    with transaction.atomic():
        campaign = _claimed(pk, "opening_notified_at")
        if campaign is None:
            return
        campaign_links_sync(campaign)
        organisations = _pending(campaign, NoticeKind.OPENING, addressed_organisations(campaign))
        delivery = _deliver(campaign, NoticeKind.OPENING, _opening_messages(campaign, organisations), now)
        report.messages += delivery.sent
        report.failed += delivery.failed
        if delivery.failed:
            return  # not marked: the refused recipients are tried again next hour
        campaign.opening_notified_at = now
        campaign.save(update_fields=["opening_notified_at"])
        report.opened += 1


def _remind_one(pk: int, now: dt.datetime, window: dt.timedelta, report: NotificationReport) -> None:
    with transaction.atomic():
        campaign = _claimed(pk, "reminder_sent_at")
        if campaign is None:
            return
        # The opening notice already went out inside the reminder window: it named the date.
        if campaign.opening_notified_at >= campaign.closes_at - window:
            return
        delivery = _deliver(campaign, NoticeKind.REMINDER, _reminder_messages(campaign), now)
        report.messages += delivery.sent
        report.failed += delivery.failed
        if delivery.failed:
            return
        campaign.reminder_sent_at = now
        campaign.save(update_fields=["reminder_sent_at"])
        report.reminded += 1


def _isolated(step, pk: int, *args) -> bool:
    """Run one campaign's step; a failure is logged and the campaign left for the next run."""
    try:
        step(pk, *args)
    except Exception:  # noqa: BLE001 — one campaign must never stop the notices of the others
        logger.exception("Campaign %s: notices failed; the campaign is tried again next hour", pk)
        return False
    return True


def _send_openings(now: dt.datetime, report: NotificationReport) -> None:
    opening = Campaign.objects.filter(opens_at__lte=now, closes_at__gt=now, opening_notified_at__isnull=True)
    for pk in opening.values_list("pk", flat=True):
        if not _isolated(_open_one, pk, now, report):
            report.failed += 1


def _send_reminders(now: dt.datetime, report: NotificationReport) -> None:
    window = dt.timedelta(days=reminder_days())
    due = Campaign.objects.filter(
        questionnaire__audience=Audience.ORGANISATION, opens_at__lte=now, closes_at__gt=now,
        closes_at__lte=now + window, reminder_sent_at__isnull=True, opening_notified_at__isnull=False,
    )
    for pk in due.values_list("pk", flat=True):
        if not _isolated(_remind_one, pk, now, window, report):
            report.failed += 1


def campaign_notifications_send(now: dt.datetime | None = None) -> NotificationReport:
    """Opening notices for campaigns that have opened, reminders N days before closing.

    Each campaign is claimed under a row lock and each organisation's notice recorded in the same
    transaction as it is sent, so running twice (or two workers at once) sends nothing new; a
    recipient or campaign that fails is logged and tried again by the next hourly run.
    """
    now = now or timezone.now()
    report = NotificationReport()
    _send_openings(now, report)
    _send_reminders(now, report)
    return report


def campaign_opening_notify_organisations(campaign: Campaign, organisation_ids: Iterable[int]) -> int:
    """The opening notice for organisations added to a campaign that had already been announced."""
    if not campaign.opening_notified_at or not campaign.is_open():
        return 0
    addressed = addressed_organisations(campaign).filter(pk__in=list(organisation_ids))
    organisations = _pending(campaign, NoticeKind.OPENING, addressed)
    return _deliver(campaign, NoticeKind.OPENING, _opening_messages(campaign, organisations), timezone.now()).sent
