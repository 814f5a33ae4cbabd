"""Writes of survey campaigns: create, edit, close early, and their public links.

A campaign runs one questionnaire of its district (or a shared one) between two moments, for the
district's active organisations or for chosen ones. Teacher campaigns answer anonymously through
public links — one general link and one per addressed organisation, so results can be broken
down by organisation without identifying anybody. Organisation campaigns are filled by each
school administrator (responses.organisation_response_save).

Writes validate and run in one transaction; a refusal is a SurveyError with a Russian message
(CampaignInvalidError carries messages per form field) and changes nothing. Who may do what in
which state is the table of surveys/workflow.py. E-mail is surveys/notifications.py.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from clusters.models import Organisation
from core.errors import InvalidError
from imc_portal.models import User

from . import workflow
from .models import Audience, Campaign, CampaignLink, NoticeKind, Questionnaire
from .responses import SurveyError
from .selectors import addressed_organisations

NOT_SAVED = "Кампания не сохранена: исправьте отмеченные поля."


class CampaignInvalidError(SurveyError, InvalidError):
    """A refused create/update; `errors` maps form field names ("__all__" for the form) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(NOT_SAVED, field_errors=errors)


# --- validation ----------------------------------------------------------------------------------


def _questionnaire_problems(questionnaire: Questionnaire | None, district_id: int) -> list[str]:
    if questionnaire is None:
        return ["Выберите анкету."]
    if questionnaire.district_id not in (None, district_id):
        return ["Эта анкета принадлежит другому району и недоступна."]
    if not questionnaire.questions.exists():
        return ["В анкете нет вопросов — сначала добавьте их в конструкторе анкет."]
    return []


def _date_problems(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = defaultdict(list)
    if opens_at is None:
        problems["opens_at"].append("Укажите начало приёма ответов.")
    if closes_at is None:
        problems["closes_at"].append("Укажите окончание приёма ответов.")
    if opens_at and closes_at and closes_at <= opens_at:
        problems["closes_at"].append(
            f"Окончание приёма ответов ({workflow.local(closes_at)}) должно быть позже начала "
            f"({workflow.local(opens_at)})."
        )
    return problems


def _organisation_problems(organisations: list[Organisation], district_id: int) -> list[str]:
    problems = []
    foreign = [o.short_name for o in organisations if o.district_id != district_id]
    if foreign:
        problems.append("Организации другого района: " + ", ".join(foreign) + ".")
    inactive = [o.short_name for o in organisations if o.district_id == district_id and not o.is_active]
    if inactive:
        problems.append("Организация не действует: " + ", ".join(inactive) + ".")
    return problems


def _answered_problems(
    campaign: Campaign, questionnaire: Questionnaire | None, organisations: list[Organisation]
) -> dict[str, list[str]]:
    """Once answers came in, the questionnaire stays and answered organisations stay addressed."""
    problems: dict[str, list[str]] = defaultdict(list)
    if not campaign.responses.exists():
        return problems
    if questionnaire is not None and questionnaire.pk != campaign.questionnaire_id:
        problems["questionnaire"].append("На кампанию уже есть ответы — сменить анкету нельзя.")
    if organisations:
        answered = (
            Organisation.objects.filter(survey_responses__campaign=campaign)
            .exclude(pk__in={o.pk for o in organisations}).distinct().order_by("short_name")
        )
        names = [o.short_name for o in answered]
        if names:
            problems["organisations"].append(
                "Нельзя исключить организации, от которых уже есть ответы: " + ", ".join(names) + "."
            )
    return problems


def one_line(text: str) -> str:
    """A title on one line: it heads e-mail subjects, where a newline is a header injection."""
    return " ".join(text.split())


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
    errors["questionnaire"] += _questionnaire_problems(questionnaire, district_id)
    for name, messages in _date_problems(opens_at, closes_at).items():
        errors[name] += messages
    errors["organisations"] += _organisation_problems(organisations, district_id)
    if campaign is not None and campaign.pk:
        for name, messages in _answered_problems(campaign, questionnaire, organisations).items():
            errors[name] += messages
    return {name: messages for name, messages in errors.items() if messages}


# --- writes --------------------------------------------------------------------------------------


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
    workflow.ensure_may_create(user)
    organisations = list(organisations)
    errors = _validate(district_id=user.district_id, questionnaire=questionnaire, title=title,
                       opens_at=opens_at, closes_at=closes_at, organisations=organisations)
    if errors:
        raise CampaignInvalidError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            questionnaire=questionnaire, district_id=user.district_id, title=one_line(title),
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
    workflow.ensure_allowed(user, campaign, workflow.EDIT)
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
            campaign.notices.filter(kind=NoticeKind.REMINDER).delete()
        campaign.questionnaire, campaign.title = questionnaire, one_line(title)
        campaign.opens_at, campaign.closes_at = opens_at, closes_at
        campaign.save()
        campaign.organisations.set(organisations)
        campaign_links_sync(campaign)
        added = sorted(set(addressed_organisations(campaign).values_list("pk", flat=True)) - before)
        if added and campaign.opening_notified_at and campaign.is_open():
            # Queued in the mail outbox within this transaction; sent after the commit.
            from .notifications import campaign_opening_notify_organisations

            campaign_opening_notify_organisations(campaign, added)
    return campaign


def campaign_close(*, campaign: Campaign, user: User, now: dt.datetime | None = None) -> Campaign:
    """Stop accepting answers now (closes_at = now); drafts of organisations stay drafts."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        workflow.ensure_allowed(user, campaign, workflow.CLOSE, now)
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
