"""A teacher's diagnostic profile (issue 12, item 3): reads only.

Per area of the latest submitted diagnosis: the index (0–1), its level at the district's thresholds
(LevelSettings, else 0,5 / 0,8 — scoring.py) and, for a deficit, the area's addressed recommendation;
the history is the teacher's submitted campaigns of the same family, oldest first (year, then submission).
Personal data: the teacher opens it by their link, staff through `teachers_for_user` (school administrator:
own organisation; methodists and the director: their district; anybody else: nothing → 404).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from clusters.models import Teacher
from core.permissions import can

from . import scoring
from .models import Area, AreaScore, Invitation, InvitationStatus, LevelSettings
from .services.campaigns import hash_token

SCHOOL = "diagnostics.school"
DISTRICT = "diagnostics.view"


@dataclass(frozen=True)
class Thresholds:
    deficit_below: Decimal = scoring.DEFAULT_DEFICIT_BELOW
    high_from: Decimal = scoring.DEFAULT_HIGH_FROM


@dataclass(frozen=True)
class AreaResult:
    area: Area
    score: Decimal
    level: str
    recommendation: str = ""

    @property
    def level_label(self) -> str:
        return scoring.Level.LABELS[self.level]

    @property
    def is_deficit(self) -> bool:
        return self.level == scoring.Level.DEFICIT


@dataclass(frozen=True)
class HistoryRow:
    invitation: Invitation
    scores: list[Decimal | None]  # in the order of Profile.history_areas

    @property
    def label(self) -> str:
        campaign = self.invitation.campaign
        return campaign.period_label or str(campaign.year)


@dataclass
class Profile:
    teacher: Teacher
    invitation: Invitation | None  # the diagnosis shown; None: the teacher has submitted none
    thresholds: Thresholds
    results: list[AreaResult] = field(default_factory=list)
    history_areas: list[Area] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)

    @property
    def recommendations(self) -> list[AreaResult]:
        """Deficit areas only, with the area's recommendation (empty text: the area has none written)."""
        return [result for result in self.results if result.is_deficit]

    def radar_svg(self):
        """The current indices (and the previous diagnosis's, if any) on one spoke per current area."""
        from core.charts import radar_chart  # matplotlib: loaded when a chart is drawn

        if not self.results:
            return ""
        positions = {area.pk: i for i, area in enumerate(self.history_areas)}
        rows = self.history[-2:][::-1]  # the shown diagnosis first, then the one before it
        series = [(row.label, [row.scores[positions[r.area.pk]] for r in self.results]) for row in rows]
        return radar_chart([r.area.name for r in self.results], series, title="Профиль по группам (0–1)")


def thresholds_for(district_id: int | None) -> Thresholds:
    settings_row = LevelSettings.objects.filter(district_id=district_id).first() if district_id else None
    if settings_row is None:
        return Thresholds()
    return Thresholds(settings_row.deficit_below, settings_row.high_from)


def submitted_invitation_for_token(token: str) -> Invitation:
    """The invitation behind a personal link, once submitted; any other token (unknown, declined, not yet
    submitted) → 404, saying nothing about which."""
    invitation = (Invitation.objects.select_related("campaign", "campaign__district", "campaign__instrument",
                                                    "teacher", "teacher__organisation")
                  .filter(token_hash=hash_token(token), status=InvitationStatus.SUBMITTED).first())
    if invitation is None:
        raise Http404("Профиль по этой ссылке недоступен.")
    return invitation


def teachers_for_user(user) -> QuerySet[Teacher]:
    """Teachers whose profiles the user may read: the school administrator's own organisation, the district's
    teachers for methodists and the director; nobody else's."""
    qs = Teacher.objects.select_related("organisation", "organisation__district")
    if can(user, SCHOOL) and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if can(user, DISTRICT) and user.district_id:
        return qs.filter(organisation__district_id=user.district_id)
    return qs.none()


def _submitted(teacher: Teacher) -> QuerySet[Invitation]:
    return (Invitation.objects.filter(teacher=teacher, status=InvitationStatus.SUBMITTED)
            .select_related("campaign", "campaign__instrument")
            .order_by("campaign__year", "submitted_at", "pk"))


def latest_invitation(teacher: Teacher) -> Invitation | None:
    return _submitted(teacher).last()


def latest_per_family(teacher: Teacher) -> list[Invitation]:
    """The teacher's latest submitted diagnosis of each instrument family (deficits, competencies, digital…),
    newest first — the staff page offers each, since a profile shows one family's areas."""
    latest: dict[str, Invitation] = {}
    for invitation in _submitted(teacher):
        latest[invitation.campaign.instrument.family] = invitation
    return sorted(latest.values(), key=lambda inv: (inv.campaign.year, inv.submitted_at, inv.pk), reverse=True)


def chosen_invitation(teacher: Teacher, raw: str | None) -> Invitation | None:
    """`?diagnosis=<pk>`: one of the teacher's submitted diagnoses (anything else: 404); absent → the latest."""
    if raw in (None, ""):
        return latest_invitation(teacher)
    if not (raw.isascii() and raw.isdigit()):
        raise Http404("Диагностика не найдена.")
    found = _submitted(teacher).filter(pk=int(raw)).first()
    if found is None:
        raise Http404("Диагностика не найдена.")
    return found


def profile_of(teacher: Teacher, invitation: Invitation | None = None) -> Profile:
    """The profile at `invitation` (default: the teacher's latest submitted diagnosis)."""
    invitation = invitation or latest_invitation(teacher)
    district_id = invitation.campaign.district_id if invitation else teacher.organisation.district_id
    thresholds = thresholds_for(district_id)
    profile = Profile(teacher=teacher, invitation=invitation, thresholds=thresholds)
    if invitation is None:
        return profile
    family = invitation.campaign.instrument.family
    same_family = list(_submitted(teacher).filter(campaign__instrument__family=family))
    ids = [inv.pk for inv in same_family]
    history = same_family[: ids.index(invitation.pk) + 1] if invitation.pk in ids else [invitation]
    scores = list(AreaScore.objects.filter(invitation__in=history).select_related("area")
                  .order_by("area__position", "area__name", "area_id"))
    by_invitation: dict[int, dict[int, Decimal]] = {}
    areas: dict[int, Area] = {}
    for row in scores:
        by_invitation.setdefault(row.invitation_id, {})[row.area_id] = row.score
        areas.setdefault(row.area_id, row.area)
    profile.history_areas = list(areas.values())
    profile.history = [HistoryRow(inv, [by_invitation.get(inv.pk, {}).get(a.pk) for a in profile.history_areas])
                       for inv in history]
    profile.results = [_result(row, thresholds) for row in scores if row.invitation_id == invitation.pk]
    return profile


def _result(row: AreaScore, thresholds: Thresholds) -> AreaResult:
    level = scoring.level_of(row.score, deficit_below=thresholds.deficit_below, high_from=thresholds.high_from)
    return AreaResult(row.area, row.score, level, row.area.recommendation if level == scoring.Level.DEFICIT else "")

