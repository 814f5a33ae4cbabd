"""The teacher's side of a personal link: consent, refusal, draft, submission (one transaction each)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.errors import ClosedError, InvalidError

from .. import scoring
from ..models import Answer, AreaScore, Invitation, InvitationStatus
from .campaigns import hash_token, is_open
from .instruments import items_for, profession_of
from .routes import propose_route_for_deficits

MISSING_MESSAGE = "Ответьте, пожалуйста, на все утверждения: не отмечено {count}. Ваши ответы сохранены на странице."
FINISHED = (InvitationStatus.SUBMITTED, InvitationStatus.DECLINED)


def invitation_by_token(token: str) -> Invitation | None:
    return (Invitation.objects.select_related("campaign", "campaign__district", "campaign__instrument", "teacher")
            .filter(token_hash=hash_token(token)).first())


def campaign_items(invitation: Invitation):
    """The campaign's variant; a campaign for every profession gives each teacher the projection of their
    registry position (a psychologist is not asked a speech therapist's items)."""
    campaign = invitation.campaign
    profession = campaign.profession or profession_of(invitation.teacher.position)
    return items_for(campaign.instrument, campaign.level, profession)


def _locked(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("campaign").get(pk=invitation.pk)
    if invitation.status in FINISHED:
        raise ClosedError("Эта ссылка больше не действует.")
    if not is_open(invitation.campaign):
        raise ClosedError("Кампания сейчас не принимает ответы.")
    return invitation


def consent(invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.consent_at is None:
            invitation.consent_at = timezone.now()
            invitation.status = InvitationStatus.DRAFT
            invitation.save(update_fields=["consent_at", "status"])
    return invitation


def decline(invitation: Invitation) -> Invitation:
    """Nothing is kept but the refusal (answers of a draft are deleted)."""
    with transaction.atomic():
        invitation = _locked(invitation)
        invitation.answers.all().delete()
        invitation.status = InvitationStatus.DECLINED
        invitation.declined_at = timezone.now()
        invitation.consent_at = None
        invitation.save(update_fields=["status", "declined_at", "consent_at"])
    return invitation


def parse_choices(items, data) -> tuple[dict[int, int], list[int]]:
    """Form data (`item_<pk>` = option index) → {item pk: choice}, and the pks of unanswered items.
    A value that is not an option of the item's scale counts as unanswered."""
    choices, missing = {}, []
    for item in items:
        raw = (data.get(f"item_{item.pk}") or "").strip()
        try:
            choice = int(raw)
            scoring.option_score(item.scale, choice)
        except (TypeError, ValueError):
            missing.append(item.pk)
            continue
        choices[item.pk] = choice
    return choices, missing


def _store_answers(invitation: Invitation, items, choices: dict[int, int]) -> list[Answer]:
    """The chosen answers stored in a fixed number of queries (callers hold the invitation's row lock)."""
    invitation.answers.exclude(item_id__in=list(choices)).delete()
    existing = {answer.item_id: answer for answer in invitation.answers.all()}
    stored, new, changed = [], [], []
    for item in items:
        if item.pk not in choices:
            continue
        choice, score = choices[item.pk], scoring.option_score(item.scale, choices[item.pk])
        answer = existing.get(item.pk)
        if answer is None:
            answer = Answer(invitation=invitation, item=item, choice=choice, score=score)
            new.append(answer)
        elif (answer.choice, answer.score) != (choice, score):
            answer.choice, answer.score = choice, score
            changed.append(answer)
        stored.append(answer)
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(changed, ["choice", "score"])
    return stored


def save_draft(invitation: Invitation, data) -> Invitation:
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.consent_at is None:
            raise InvalidError("Сначала дайте согласие на обработку персональных данных.")
        items = campaign_items(invitation)
        choices, _ = parse_choices(items, data)
        _store_answers(invitation, items, choices)
    return invitation


def submit(invitation: Invitation, data) -> Invitation:
    """All items answered → Answer rows with scores, one AreaScore per area, status submitted."""
    items = campaign_items(invitation)
    choices, missing = parse_choices(items, data)
    if missing:
        raise InvalidError(MISSING_MESSAGE.format(count=len(missing)),
                           field_errors={f"item_{pk}": ["Выберите вариант ответа."] for pk in missing})
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.consent_at is None:
            raise InvalidError("Сначала дайте согласие на обработку персональных данных.")
        _store_answers(invitation, items, choices)
        by_item = {item.pk: item for item in items}
        indices = scoring.area_indices(
            (by_item[pk].area_id, scoring.option_score(by_item[pk].scale, choice)) for pk, choice in choices.items())
        invitation.area_scores.all().delete()
        AreaScore.objects.bulk_create(
            [AreaScore(invitation=invitation, area_id=area_id, score=score, items=count)
             for area_id, (score, count) in indices.items()])
        invitation.status = InvitationStatus.SUBMITTED
        invitation.submitted_at = timezone.now()
        invitation.save(update_fields=["status", "submitted_at"])
        propose_route_for_deficits(invitation)
    return invitation
