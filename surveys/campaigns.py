"""Survey campaigns: creating and editing them, their public links, closing early, e-mail.

A campaign runs one questionnaire of its district (or a shared one) between two moments, for the
district's active organisations or for chosen ones. Teacher campaigns answer anonymously through
public links — one general link and one per addressed organisation, so results can be broken
down by organisation without identifying anybody. Organisation campaigns are filled by each
school administrator (responses.organisation_response_save).

Writes validate and run in one transaction; a refusal is a CampaignInvalidError with Russian
messages per form field and changes nothing. E-mail goes out from `campaign_notifications_send`
(Celery beat, every hour); Campaign.opening_notified_at / reminder_sent_at make it idempotent.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clusters.models import Organisation
from core.links import absolute_url
from imc_portal.models import Role, User

from .models import Audience, Campaign, CampaignLink, Questionnaire, Response, ResponseStatus
from .responses import SurveyError
from .selectors import BUILDERS, campaigns_for_user

logger = logging.getLogger(__name__)

STATE_LABELS = {"scheduled": "запланирована", "open": "идёт приём", "closed": "завершена"}
ORGANISATION_STATUS_LABELS = {None: "не начата", ResponseStatus.DRAFT: "черновик", ResponseStatus.SUBMITTED: "отправлена"}


class CampaignInvalidError(SurveyError):
    """A refused create/update; `errors` maps form field names ("__all__" for the form) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("Кампания не сохранена: исправьте отмеченные поля.")


def _local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"


# --- reads ---------------------------------------------------------------------------------------


def addressed_organisations(campaign: Campaign) -> QuerySet[Organisation]:
    """The organisations a campaign is addressed to: the chosen ones, or all active of the district."""
    chosen = Organisation.objects.filter(campaigns=campaign)
    if chosen.exists():
        return chosen.order_by("short_name")
    return Organisation.objects.filter(district_id=campaign.district_id, is_active=True).order_by("short_name")


def state_q(state: str, now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    return {
        "scheduled": Q(opens_at__gt=now),
        "open": Q(opens_at__lte=now, closes_at__gt=now),
        "closed": Q(closes_at__lte=now),
    }.get(state, Q())


def campaign_list_for_user(user: User, *, state: str = "") -> QuerySet[Campaign]:
    """The campaigns page: counts of submitted responses and chosen organisations in one query."""
    submitted = Q(responses__status=ResponseStatus.SUBMITTED)
    return (
        campaigns_for_user(user)
        .filter(state_q(state))
        .annotate(
            response_count=Count("responses", filter=submitted, distinct=True),
            chosen_count=Count("organisations", distinct=True),
        )
        .order_by("-opens_at", "-pk")
    )


def district_organisation_count(district_id: int) -> int:
    return Organisation.objects.filter(district_id=district_id, is_active=True).count()


@dataclass(frozen=True)
class LinkRow:
    organisation: Organisation | None
    token: str
    path: str
    response_count: int


def link_table(campaign: Campaign) -> list[LinkRow]:
    """The general link first, then one per organisation by name, with anonymous response counts."""
    counts = dict(
        campaign.responses.filter(status=ResponseStatus.SUBMITTED)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    links = campaign.links.select_related("organisation").order_by("organisation__short_name")
    rows = [
        LinkRow(link.organisation, link.token, link.get_absolute_url(), counts.get(link.organisation_id, 0))
        for link in links
    ]
    rows.sort(key=lambda row: row.organisation is not None)  # stable: general link first
    return rows


@dataclass(frozen=True)
class OrganisationProgress:
    organisation: Organisation
    response: Response | None

    @property
    def status(self) -> str | None:
        return self.response.status if self.response else None

    @property
    def status_label(self) -> str:
        return ORGANISATION_STATUS_LABELS[self.status]

    @property
    def submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


def organisation_progress(campaign: Campaign) -> list[OrganisationProgress]:
    """Each addressed organisation with its response (or None): two queries."""
    responses = {
        r.organisation_id: r
        for r in campaign.responses.filter(for_organisation=True).select_related("updated_by")
    }
    rows = [OrganisationProgress(org, responses.pop(org.pk, None)) for org in addressed_organisations(campaign)]
    # An organisation removed from the addressees after it answered still shows its response.
    if responses:
        extra = Organisation.objects.filter(pk__in=responses).order_by("short_name")
        rows += [OrganisationProgress(org, responses[org.pk]) for org in extra]
    return rows


def school_campaigns(user: User, *, now: dt.datetime | None = None, current_only: bool = False) -> list[Campaign]:
    """Campaigns addressed to a school administrator's organisation.

    Organisation campaigns carry `own_status` (None, draft or submitted) and `own_submitted_on`;
    teacher campaigns carry `own_token`, the organisation's public link to hand to its teachers.
    `current_only` keeps what is still to do: campaigns not closed yet.
    """
    if user.role != Role.SCHOOL_ADMIN or not user.organisation_id:
        return []
    now = now or timezone.now()
    own = Response.objects.filter(campaign=OuterRef("pk"), organisation_id=user.organisation_id, for_organisation=True)
    own_link = CampaignLink.objects.filter(campaign=OuterRef("pk"), organisation_id=user.organisation_id)
    qs = campaigns_for_user(user).annotate(
        own_status=Subquery(own.values("status")[:1]),
        own_submitted_on=Subquery(own.values("submitted_on")[:1]),
        own_token=Subquery(own_link.values("token")[:1]),
    )
    if current_only:
        qs = qs.filter(closes_at__gt=now)
    campaigns = list(qs.order_by("closes_at", "pk"))
    for campaign in campaigns:
        campaign.own_status_label = ORGANISATION_STATUS_LABELS[campaign.own_status]
        campaign.state_key = campaign.state(now)
    return campaigns


# --- writes --------------------------------------------------------------------------------------


def _validate(
    *,
    district_id: int,
    questionnaire: Questionnaire | None,
    title: str,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    organisations: list[Organisation],
    campaign: Campaign | None = None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    if not title.strip():
        errors["title"].append("Укажите название кампании.")
    if questionnaire is None:
        errors["questionnaire"].append("Выберите анкету.")
    elif questionnaire.district_id not in (None, district_id):
        errors["questionnaire"].append("Эта анкета принадлежит другому району и недоступна.")
    elif not questionnaire.questions.exists():
        errors["questionnaire"].append("В анкете нет вопросов — сначала добавьте их в конструкторе анкет.")
    if opens_at is None:
        errors["opens_at"].append("Укажите начало приёма ответов.")
    if closes_at is None:
        errors["closes_at"].append("Укажите окончание приёма ответов.")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"].append(
            f"Окончание приёма ответов ({_local(closes_at)}) должно быть позже начала ({_local(opens_at)})."
        )
    foreign = [o.short_name for o in organisations if o.district_id != district_id]
    if foreign:
        errors["organisations"].append("Организации другого района: " + ", ".join(foreign) + ".")
    inactive = [o.short_name for o in organisations if o.district_id == district_id and not o.is_active]
    if inactive:
        errors["organisations"].append("Организация не действует: " + ", ".join(inactive) + ".")
    if campaign is not None and campaign.pk and campaign.responses.exists():
        if questionnaire is not None and questionnaire.pk != campaign.questionnaire_id:
            errors["questionnaire"].append("На кампанию уже есть ответы — сменить анкету нельзя.")
        if organisations:
            kept = {o.pk for o in organisations}
            answered = (
                Organisation.objects.filter(survey_responses__campaign=campaign)
                .exclude(pk__in=kept).distinct().order_by("short_name")
            )
            names = [o.short_name for o in answered]
            if names:
                errors["organisations"].append(
                    "Нельзя исключить организации, от которых уже есть ответы: " + ", ".join(names) + "."
                )
    return dict(errors)


def campaign_create(
    *,
    user: User,
    questionnaire: Questionnaire | None,
    title: str,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    organisations: Iterable[Organisation] = (),
) -> Campaign:
    """A methodist starts a campaign in their district; no organisations chosen = all active ones."""
    if user.role not in BUILDERS or not user.district_id:
        raise SurveyError("Создавать кампании анкетирования может только методист района.")
    organisations = list(organisations)
    errors = _validate(district_id=user.district_id, questionnaire=questionnaire, title=title,
                       opens_at=opens_at, closes_at=closes_at, organisations=organisations)
    if errors:
        raise CampaignInvalidError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            questionnaire=questionnaire, district_id=user.district_id, title=title.strip(),
            opens_at=opens_at, closes_at=closes_at, created_by=user,
        )
        campaign.organisations.set(organisations)
        campaign_links_sync(campaign)
    return campaign


def campaign_update(
    *,
    campaign: Campaign,
    user: User,
    questionnaire: Questionnaire | None,
    title: str,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    organisations: Iterable[Organisation] = (),
) -> Campaign:
    """Edit dates, title, questionnaire (until the first response) and addressees.

    Organisations added after the opening e-mail went out get theirs once the change is saved;
    moving the close date resets the reminder so it is sent against the new date.
    """
    if user.role not in BUILDERS or user.district_id != campaign.district_id:
        raise SurveyError("Изменять кампанию может только методист её района.")
    organisations = list(organisations)
    errors = _validate(district_id=campaign.district_id, questionnaire=questionnaire, title=title,
                       opens_at=opens_at, closes_at=closes_at, organisations=organisations, campaign=campaign)
    if errors:
        raise CampaignInvalidError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = set(addressed_organisations(campaign).values_list("pk", flat=True))
        if closes_at != campaign.closes_at:
            campaign.reminder_sent_at = None
        campaign.questionnaire, campaign.title = questionnaire, title.strip()
        campaign.opens_at, campaign.closes_at = opens_at, closes_at
        campaign.save()
        campaign.organisations.set(organisations)
        campaign_links_sync(campaign)
        added = sorted(set(addressed_organisations(campaign).values_list("pk", flat=True)) - before)
        if added and campaign.opening_notified_at and campaign.is_open():
            from .tasks import campaign_opening_notify

            pk = campaign.pk
            transaction.on_commit(lambda: campaign_opening_notify.delay(pk, added))
    return campaign


def campaign_close(*, campaign: Campaign, user: User, now: dt.datetime | None = None) -> Campaign:
    """Stop accepting answers now (closes_at = now); drafts of organisations stay drafts."""
    if user.role not in BUILDERS or user.district_id != campaign.district_id:
        raise SurveyError("Завершить кампанию может только методист её района.")
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        state = campaign.state(now)
        if state == "scheduled":
            raise SurveyError(
                f"Приём ответов ещё не начался (начало {_local(campaign.opens_at)}) — измените даты кампании."
            )
        if state == "closed":
            raise SurveyError(f"Приём ответов уже завершён {_local(campaign.closes_at)}.")
        campaign.closes_at = now
        campaign.save(update_fields=["closes_at"])
    return campaign


def campaign_links_sync(campaign: Campaign) -> None:
    """Teacher campaigns: one general link and one per addressed organisation.

    Links of organisations no longer addressed are removed unless teachers already answered
    through them. Organisation campaigns have no public links.
    """
    if campaign.audience != Audience.TEACHERS:
        return
    CampaignLink.objects.get_or_create(campaign=campaign, organisation=None)
    wanted = set(addressed_organisations(campaign).values_list("pk", flat=True))
    existing = set(campaign.links.exclude(organisation=None).values_list("organisation_id", flat=True))
    CampaignLink.objects.bulk_create([CampaignLink(campaign=campaign, organisation_id=pk) for pk in wanted - existing])
    answered = set(campaign.responses.exclude(organisation=None).values_list("organisation_id", flat=True))
    stale = existing - wanted - answered
    if stale:
        campaign.links.filter(organisation_id__in=stale).delete()


# --- e-mail --------------------------------------------------------------------------------------


def reminder_days() -> int:
    return int(getattr(settings, "SURVEY_REMINDER_DAYS", 3))


def _recipients(organisations: list[Organisation]) -> dict[int, list[str]]:
    """E-mail addresses of each organisation's active school administrators (its own e-mail if none)."""
    emails: dict[int, list[str]] = defaultdict(list)
    admins = (
        User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True, organisation__in=organisations)
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
    return EmailMessage(subject=subject, body=body, to=to, from_email=settings.DEFAULT_FROM_EMAIL)


def _opening_messages(campaign: Campaign, organisations: list[Organisation]) -> list[EmailMessage]:
    emails = _recipients(organisations)
    tokens = dict(campaign.links.exclude(organisation=None).values_list("organisation_id", "token"))
    subject = f"Анкетирование «{campaign.title}»: приём ответов до {timezone.localtime(campaign.closes_at):%d.%m.%Y}"
    messages = []
    for organisation in organisations:
        if not emails[organisation.pk]:
            logger.warning("Campaign %s: organisation %s has no e-mail address", campaign.pk, organisation.pk)
            continue
        if campaign.audience == Audience.TEACHERS:
            if organisation.pk not in tokens:
                continue
            link = absolute_url(reverse("survey_public:respond", args=[tokens[organisation.pk]]))
        else:
            link = absolute_url(reverse("surveys:organisation_fill", args=[campaign.pk]))
        context = {"campaign": campaign, "organisation": organisation, "link": link,
                   "for_teachers": campaign.audience == Audience.TEACHERS}
        messages.append(_message("email_opening.txt", subject, emails[organisation.pk], context))
    return messages


def _reminder_messages(campaign: Campaign) -> list[EmailMessage]:
    submitted = set(
        campaign.responses.filter(for_organisation=True, status=ResponseStatus.SUBMITTED)
        .values_list("organisation_id", flat=True)
    )
    drafts = set(campaign.responses.filter(for_organisation=True, status=ResponseStatus.DRAFT)
                 .values_list("organisation_id", flat=True))
    pending = [o for o in addressed_organisations(campaign) if o.pk not in submitted]
    emails = _recipients(pending)
    subject = f"Напоминание: анкета «{campaign.title}» — приём ответов до {_local(campaign.closes_at)}"
    link = absolute_url(reverse("surveys:organisation_fill", args=[campaign.pk]))
    return [
        _message("email_reminder.txt", subject, emails[o.pk],
                 {"campaign": campaign, "organisation": o, "link": link, "has_draft": o.pk in drafts})
        for o in pending if emails[o.pk]
    ]


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


@dataclass
class NotificationReport:
    opened: int = 0
    reminded: int = 0
    messages: int = 0

    def __str__(self) -> str:
        return f"opening notices: {self.opened} campaigns, reminders: {self.reminded} campaigns, {self.messages} e-mails"


def campaign_notifications_send(now: dt.datetime | None = None) -> NotificationReport:
    """Opening notices for campaigns that have opened, reminders N days before closing.

    Each campaign is claimed under a row lock and marked in the same transaction as its e-mail is
    sent, so running twice (or two workers at once) sends nothing new; if the mail server
    refuses, the mark is rolled back and the next hourly run tries again.
    """
    now = now or timezone.now()
    report = NotificationReport()
    opening = Campaign.objects.filter(opens_at__lte=now, closes_at__gt=now, opening_notified_at__isnull=True)
    for pk in opening.values_list("pk", flat=True):
        with transaction.atomic():
            campaign = (
                Campaign.objects.select_for_update().select_related("questionnaire")
                .filter(pk=pk, opening_notified_at__isnull=True).first()
            )
            if campaign is None:
                continue
            campaign_links_sync(campaign)
            report.messages += _send(_opening_messages(campaign, list(addressed_organisations(campaign))))
            campaign.opening_notified_at = now
            campaign.save(update_fields=["opening_notified_at"])
            report.opened += 1

    window = dt.timedelta(days=reminder_days())
    due = Campaign.objects.filter(
        questionnaire__audience=Audience.ORGANISATION, opens_at__lte=now, closes_at__gt=now,
        closes_at__lte=now + window, reminder_sent_at__isnull=True, opening_notified_at__isnull=False,
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            campaign = (
                Campaign.objects.select_for_update().select_related("questionnaire")
                .filter(pk=pk, reminder_sent_at__isnull=True).first()
            )
            if campaign is None:
                continue
            # The opening notice already went out inside the reminder window: it named the date.
            if campaign.opening_notified_at >= campaign.closes_at - window:
                continue
            report.messages += _send(_reminder_messages(campaign))
            campaign.reminder_sent_at = now
            campaign.save(update_fields=["reminder_sent_at"])
            report.reminded += 1
    return report


def campaign_opening_notify_organisations(campaign: Campaign, organisation_ids: Iterable[int]) -> int:
    """The opening notice for organisations added to a campaign that had already been announced."""
    if not campaign.opening_notified_at or not campaign.is_open():
        return 0
    addressed = addressed_organisations(campaign).filter(pk__in=list(organisation_ids))
    return _send(_opening_messages(campaign, list(addressed)))
