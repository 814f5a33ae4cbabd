"""Writes of pairs of organisations (наставнические пары ОУ): proposals, decisions, activities.

Proposals (docs/domain.md, «Пары организаций: как предлагаются»): inside a cluster of year Y, from the
effective tiers of its members (ClusterMembership.tier) and the subject z's of year Y − 1
(network.results_index.subject_z). Every write runs in one transaction, validates with full_clean()
and refuses with a Russian message, changing nothing.
"""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clusters.models import Cluster, Organisation, Teacher, Tier
from core import formatting
from core.errors import ForbiddenError, InvalidError
from core.permissions import can, require

from ..models import ActivityStatus, OrganisationPair, PairActivity, PairStatus, TierSettings
from ..results_index import organisation_indices, subject_z
from ..selectors import pair_teacher_choices

OPEN_STATUSES = (PairStatus.PROPOSED, PairStatus.ACTIVE)
DEFAULT_MAX_MENTEES = 2
DATES_MESSAGE = "Дата окончания раньше даты начала."
EDIT = "network.edit"
ACTIVITIES = "network.update_pair_activities"


# --- proposals -------------------------------------------------------------------------------------


@dataclass
class Skipped:
    organisation: Organisation
    reason: str


@dataclass
class ProposalOutcome:
    created: list[OrganisationPair] = field(default_factory=list)
    already_open: int = 0  # lagging members that already had a proposed or active pair
    skipped: list[Skipped] = field(default_factory=list)
    lagging: int = 0

    def message(self) -> str:
        parts = [f"Предложено новых пар: {len(self.created)}."]
        if self.already_open:
            parts.append(f"Уже есть предложенные или действующие пары: {self.already_open}.")
        if not self.lagging:
            parts.append("В кластере нет отстающих организаций.")
        for skip in self.skipped:
            parts.append(f"{skip.organisation.short_name} ({skip.organisation.code}) — без пары: {skip.reason}.")
        return " ".join(parts)


def max_mentees(district_id: int) -> int:
    settings = TierSettings.objects.filter(district_id=district_id).first()
    return settings.max_mentees if settings else DEFAULT_MAX_MENTEES


def _check_district(user, cluster: Cluster) -> None:
    if not user.district_id or cluster.district_id != user.district_id:
        raise ForbiddenError("Кластер другого района.")


def weakest_subject(org_id: int, zs: dict[tuple[int, str], Decimal]) -> tuple[str, Decimal] | None:
    """The organisation's lowest subject z (ties: subject name alphabetically), or None without results."""
    own = [(z, subject) for (oid, subject), z in zs.items() if oid == org_id]
    if not own:
        return None
    z, subject = min(own)
    return subject, z


def _need_key(org: Organisation, indices) -> tuple:
    # Neediest first: lowest result index of Y − 1; those without an index after them; then the code.
    index = indices.get(org.pk)
    return (index is None, index.index if index else Decimal(0), org.code)


def _choose_mentor(lagging: Organisation, tops: list[Organisation], zs, load: Counter, capacity: int,
                   refused: set[tuple[int, int]]) -> tuple[Organisation, str, Decimal] | str:
    """The ТОП organisation for `lagging`, with the subject and the advantage; or the reason there is none."""
    weakest = weakest_subject(lagging.pk, zs)
    if weakest is None:
        return "нет результатов за предыдущий год"
    subject, lagging_z = weakest
    candidates = [(zs[(top.pk, subject)] - lagging_z, top) for top in tops if (top.pk, subject) in zs]
    if not candidates:
        return f"нет ТОП-организаций с результатами по предмету «{subject}»"
    candidates = [(adv, top) for adv, top in candidates if adv > 0]
    if not candidates:
        return f"ни одна ТОП-организация не сильнее её по предмету «{subject}»"
    candidates = [(adv, top) for adv, top in candidates if (top.pk, lagging.pk) not in refused]
    if not candidates:
        return f"пары с ТОП-организациями по предмету «{subject}» уже отклонены или завершены"
    free = [(adv, top) for adv, top in candidates if load[top.pk] < capacity]
    if not free:
        pairs = formatting.plural(capacity, "паре", "пары", "пар")
        return f"все ТОП-организации с результатами по предмету «{subject}» уже ведут по {capacity} {pairs}"
    advantage, top = min(free, key=lambda item: (-item[0], item[1].code))
    return top, subject, advantage


def propose_pairs(*, user, cluster: Cluster) -> ProposalOutcome:
    """Offer each lagging member without an open pair the ТОП member with the largest z advantage in its
    weakest subject of year Y − 1 (see the module docstring); existing pairs are left as they are."""
    require(user, EDIT)
    _check_district(user, cluster)
    with transaction.atomic():
        # One proposal run per cluster at a time: the row lock serialises them (no-op on SQLite).
        cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
        year = cluster.year - 1
        zs = subject_z(cluster.district_id, year)
        indices = organisation_indices(cluster.district_id, year)
        capacity = max_mentees(cluster.district_id)
        members = list(cluster.memberships.select_related("organisation"))
        tops = [m.organisation for m in members if m.tier == Tier.TOP]
        laggings = sorted((m.organisation for m in members if m.tier == Tier.LAGGING),
                          key=lambda org: _need_key(org, indices))
        pairs = list(cluster.pairs.all())
        open_mentees = {p.mentee_organisation_id for p in pairs if p.status in OPEN_STATUSES}
        # A ТОП organisation's load counts its open pairs in every cluster of the year (it may be in two).
        load = Counter(OrganisationPair.objects.filter(
            cluster__district_id=cluster.district_id, cluster__year=cluster.year, status__in=OPEN_STATUSES,
        ).values_list("mentor_organisation_id", flat=True))
        refused = {(p.mentor_organisation_id, p.mentee_organisation_id) for p in pairs if p.status not in OPEN_STATUSES}
        outcome = ProposalOutcome(lagging=len(laggings))
        for lagging in laggings:
            if lagging.pk in open_mentees:
                outcome.already_open += 1
                continue
            if not tops:
                outcome.skipped.append(Skipped(lagging, "в кластере нет ТОП-организаций"))
                continue
            choice = _choose_mentor(lagging, tops, zs, load, capacity, refused)
            if isinstance(choice, str):
                outcome.skipped.append(Skipped(lagging, choice))
                continue
            top, subject, advantage = choice
            pair = OrganisationPair(cluster=cluster, mentor_organisation=top, mentee_organisation=lagging,
                                    subject=subject, advantage=advantage, status=PairStatus.PROPOSED)
            pair.full_clean()
            pair.save()
            load[top.pk] += 1
            outcome.created.append(pair)
        return outcome


# --- decisions -------------------------------------------------------------------------------------


def _invalid(error: ValidationError) -> InvalidError:
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    first = next(iter(fields.values()))[0]
    return InvalidError(first, field_errors=fields)


def _locked_for_edit(pair: OrganisationPair, user) -> OrganisationPair:
    """The pair re-read under a row lock, inside the user's district."""
    require(user, EDIT)
    locked = OrganisationPair.objects.select_for_update().select_related("cluster").get(pk=pair.pk)
    _check_district(user, locked.cluster)
    return locked


def _decided(pair: OrganisationPair, user) -> None:
    pair.decided_by = user
    pair.decided_at = timezone.now()


def _save(pair: OrganisationPair) -> OrganisationPair:
    try:
        pair.full_clean()
    except ValidationError as error:
        raise _invalid(error) from None
    pair.save()
    return pair


def _require_status(pair: OrganisationPair, allowed: tuple[str, ...], action: str) -> None:
    if pair.status not in allowed:
        raise InvalidError(f"Пара «{pair}» {pair.get_status_display()} — её нельзя {action}.")


def confirm_pair(*, user, pair: OrganisationPair, goal: str, starts_on: datetime.date | None,
                 ends_on: datetime.date | None = None) -> OrganisationPair:
    """A proposed pair becomes active: a goal and a start date are required."""
    with transaction.atomic():
        pair = _locked_for_edit(pair, user)
        _require_status(pair, (PairStatus.PROPOSED,), "подтвердить")
        errors = {}
        if not (goal or "").strip():
            errors["goal"] = ["Укажите цель пары."]
        if starts_on is None:
            errors["starts_on"] = ["Укажите дату начала работы пары."]
        elif ends_on is not None and ends_on < starts_on:
            errors["ends_on"] = [DATES_MESSAGE]
        if errors:
            raise InvalidError("Пара не подтверждена: " + " ".join(m[0] for m in errors.values()), field_errors=errors)
        pair.goal, pair.starts_on, pair.ends_on = goal.strip(), starts_on, ends_on
        pair.status = PairStatus.ACTIVE
        _decided(pair, user)
        return _save(pair)


def reject_pair(*, user, pair: OrganisationPair, reason: str) -> OrganisationPair:
    with transaction.atomic():
        pair = _locked_for_edit(pair, user)
        _require_status(pair, (PairStatus.PROPOSED,), "отклонить")
        if not (reason or "").strip():
            raise InvalidError("Укажите причину отклонения.", field_errors={"reason": ["Укажите причину отклонения."]})
        pair.status = PairStatus.REJECTED
        pair.rejection_reason = reason.strip()
        _decided(pair, user)
        return _save(pair)


def complete_pair(*, user, pair: OrganisationPair, ends_on: datetime.date | None = None) -> OrganisationPair:
    """An active pair's work is finished; the end date defaults to today."""
    with transaction.atomic():
        pair = _locked_for_edit(pair, user)
        _require_status(pair, (PairStatus.ACTIVE,), "завершить")
        pair.ends_on = ends_on or pair.ends_on or timezone.localdate()
        if pair.starts_on and pair.ends_on < pair.starts_on:
            raise InvalidError(DATES_MESSAGE, field_errors={"ends_on": [DATES_MESSAGE]})
        pair.status = PairStatus.COMPLETED
        _decided(pair, user)
        return _save(pair)


def _check_pair_parties(pair: OrganisationPair, mentor: Organisation, teachers: list[Teacher]) -> None:
    if mentor.pk == pair.mentee_organisation_id:
        message = "ТОП-организация и отстающая должны быть разными организациями."
        raise InvalidError(message, field_errors={"mentor_organisation": [message]})
    if not pair.cluster.memberships.filter(organisation=mentor).exists():
        message = f"«{mentor}» не входит в кластер «{pair.cluster}»."
        raise InvalidError(message, field_errors={"mentor_organisation": [message]})
    parties = {mentor.pk, pair.mentee_organisation_id}
    strangers = [t for t in teachers if t.organisation_id not in parties]
    if strangers:
        names = ", ".join(t.full_name for t in strangers)
        message = f"Педагоги-наставники должны работать в одной из организаций пары: {names}."
        raise InvalidError(message, field_errors={"mentor_teachers": [message]})
    allowed = set(pair_teacher_choices(pair, mentor.pk).filter(pk__in=[t.pk for t in teachers]).values_list(
        "pk", flat=True))
    if outside := [t for t in teachers if t.pk not in allowed]:
        names = ", ".join(t.full_name for t in outside)
        message = f"Нет в базе наставников и в реестре наставничества (или не работают): {names}."
        raise InvalidError(message, field_errors={"mentor_teachers": [message]})


def update_pair(*, user, pair: OrganisationPair, subject: str, goal: str, starts_on, ends_on,
                mentor_organisation: Organisation, mentor_teachers: list[Teacher]) -> OrganisationPair:
    """The methodist edits a proposed or active pair; the advantage follows the subject and the mentor."""
    with transaction.atomic():
        pair = _locked_for_edit(pair, user)
        _require_status(pair, OPEN_STATUSES, "изменить")
        _check_pair_parties(pair, mentor_organisation, mentor_teachers)
        if pair.status == PairStatus.ACTIVE and (not (goal or "").strip() or starts_on is None):
            message = "У действующей пары должны быть цель и дата начала."
            raise InvalidError(message, field_errors={"goal" if starts_on else "starts_on": [message]})
        if starts_on and ends_on and ends_on < starts_on:
            raise InvalidError(DATES_MESSAGE, field_errors={"ends_on": [DATES_MESSAGE]})
        changed = subject != pair.subject or mentor_organisation.pk != pair.mentor_organisation_id
        pair.subject, pair.goal = (subject or "").strip(), (goal or "").strip()
        pair.starts_on, pair.ends_on = starts_on, ends_on
        pair.mentor_organisation = mentor_organisation
        if changed:
            pair.advantage = subject_advantage(pair)
        _decided(pair, user)
        _save(pair)
        pair.mentor_teachers.set(mentor_teachers)
        return pair


def subject_advantage(pair: OrganisationPair) -> Decimal | None:
    """z of the mentor minus z of the mentee in the pair's subject, year Y − 1 (None without both z's)."""
    zs = subject_z(pair.cluster.district_id, pair.cluster.year - 1)
    mentor = zs.get((pair.mentor_organisation_id, pair.subject))
    mentee = zs.get((pair.mentee_organisation_id, pair.subject))
    return None if mentor is None or mentee is None else mentor - mentee


# --- activities ------------------------------------------------------------------------------------


def _check_activity_access(user, pair: OrganisationPair) -> None:
    require(user, ACTIVITIES)
    if can(user, EDIT):
        _check_district(user, pair.cluster)
    elif user.organisation_id not in (pair.mentor_organisation_id, pair.mentee_organisation_id):
        raise ForbiddenError("Мероприятия пары ведут только организации этой пары.")
    if pair.status not in OPEN_STATUSES:
        raise InvalidError(f"Пара {pair.get_status_display()} — её план мероприятий не меняется.")


ACTIVITY_FIELDS = ("form", "topic", "held_on", "responsible", "status", "result")


def _save_activity(activity: PairActivity, user, data: dict) -> PairActivity:
    for name in ACTIVITY_FIELDS:
        if name in data:
            value = data[name]
            setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if activity.status == ActivityStatus.DONE and not activity.result:
        message = "Опишите результат проведённого мероприятия."
        raise InvalidError(message, field_errors={"result": [message]})
    activity.updated_by = user
    try:
        activity.full_clean()
    except ValidationError as error:
        raise _invalid(error) from None
    activity.save()
    return activity


def create_activity(*, user, pair: OrganisationPair, data: dict) -> PairActivity:
    with transaction.atomic():
        pair = OrganisationPair.objects.select_for_update().select_related("cluster").get(pk=pair.pk)
        _check_activity_access(user, pair)
        return _save_activity(PairActivity(pair=pair), user, data)


def update_activity(*, user, activity: PairActivity, data: dict) -> PairActivity:
    with transaction.atomic():
        activity = PairActivity.objects.select_for_update().select_related("pair__cluster").get(pk=activity.pk)
        _check_activity_access(user, activity.pair)
        return _save_activity(activity, user, data)


def delete_activity(*, user, activity: PairActivity) -> None:
    with transaction.atomic():
        activity = PairActivity.objects.select_for_update().select_related("pair__cluster").get(pk=activity.pk)
        _check_activity_access(user, activity.pair)
        activity.delete()
