"""Roll-ups of personal diagnostic results (docs/domain.md, «Самодиагностика: индексы, дефициты, показатели»).

Selectors only: every number is a GROUP BY over AreaScore rows in the database, never a loop over teachers.

Definitions:
    result of a teacher for a year   their latest submitted invitation of that year (DiagnosticCampaign.year)
                                     per family (Area.family), i.e. its AreaScore rows; an earlier submission
                                     of the same year and family is left out (later submitted_at, then pk)
    deficit in an area               score < the district's deficit_below (LevelSettings, default 0,5)
    competency index                 of a scope × area × year: the mean AreaScore over the scope's teachers
                                     with a result in that area (3 decimals, half up)
    deficit share                    teachers with a deficit in the area / teachers diagnosed in the area

A teacher belongs to the organisation of their record (Teacher.organisation) and, through it, to the clusters
of the year whose members include that organisation (an organisation in two clusters counts in both).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum

from .models import Area, AreaScore, Invitation, InvitationStatus, LevelSettings
from .scoring import DEFAULT_DEFICIT_BELOW

K_OBSERVER = 5  # observers see no group of fewer diagnosed teachers (diagnostics/disclosure.py)
TEACHER = "invitation__teacher"
ORGANISATION = "invitation__teacher__organisation_id"
CLUSTER = "invitation__teacher__organisation__cluster_memberships__cluster_id"
YEAR = "invitation__campaign__year"


@dataclass(frozen=True)
class Cell:
    """One scope × area (× year): diagnosed teachers, those with a deficit, the mean index."""

    teachers: int
    deficits: int
    mean: Decimal | None
    total: Decimal = Decimal(0)  # sum of the results (a mean indicator's numerator)

    @property
    def deficit_share(self) -> Decimal | None:
        """Share 0–1 (3 decimals) of diagnosed teachers with a deficit."""
        if not self.teachers:
            return None
        return _rounded(Decimal(self.deficits) / Decimal(self.teachers))


def _rounded(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def deficit_below(district_id: int) -> Decimal:
    found = LevelSettings.objects.filter(district_id=district_id).values_list("deficit_below", flat=True).first()
    return found if found is not None else DEFAULT_DEFICIT_BELOW


def latest_scores(district_id: int, *, family: str, year: int | None = None) -> QuerySet[AreaScore]:
    """AreaScore rows of the teachers' results: per teacher, year and family the latest submitted invitation
    (an anti-join: no later submitted invitation of the same teacher, year and family exists)."""
    later = Invitation.objects.filter(
        teacher_id=OuterRef("invitation__teacher_id"),
        campaign__year=OuterRef("invitation__campaign__year"),
        campaign__instrument__family=family,
        status=InvitationStatus.SUBMITTED,
    ).filter(Q(submitted_at__gt=OuterRef("invitation__submitted_at"))
             | Q(submitted_at=OuterRef("invitation__submitted_at"), pk__gt=OuterRef("invitation_id")))
    scores = AreaScore.objects.filter(
        invitation__status=InvitationStatus.SUBMITTED,
        invitation__teacher__organisation__district_id=district_id,
        invitation__campaign__instrument__family=family,
        area__family=family,
    )
    if year is not None:
        scores = scores.filter(invitation__campaign__year=year)
    return scores.filter(~Exists(later))


def _aggregates(threshold: Decimal) -> dict:
    return {"teachers": Count("pk"), "deficits": Count("pk", filter=Q(score__lt=threshold)), "mean": Avg("score"),
            "total": Sum("score")}


def _cell(row: dict) -> Cell:
    return Cell(row["teachers"], row["deficits"], _rounded(row["mean"]), Decimal(str(row["total"] or 0)))


def district_by_area(district_id: int, year: int, family: str) -> dict[int, Cell]:
    """area id → the district's cell (one query)."""
    rows = latest_scores(district_id, family=family, year=year).values("area_id").annotate(
        **_aggregates(deficit_below(district_id))).order_by()
    return {row["area_id"]: _cell(row) for row in rows}


def organisation_by_area(district_id: int, year: int, family: str,
                         organisation_ids=None) -> dict[tuple[int, int], Cell]:
    """(organisation id, area id) → cell (one query); `organisation_ids` narrows to some organisations."""
    scores = latest_scores(district_id, family=family, year=year)
    if organisation_ids is not None:
        scores = scores.filter(invitation__teacher__organisation_id__in=organisation_ids)
    rows = scores.values(ORGANISATION, "area_id").annotate(**_aggregates(deficit_below(district_id))).order_by()
    return {(row[ORGANISATION], row["area_id"]): _cell(row) for row in rows}


def cluster_by_area(district_id: int, year: int, family: str) -> dict[tuple[int, int], Cell]:
    """(cluster id, area id) → cell over the members of the district's clusters of `year` (one query)."""
    rows = latest_scores(district_id, family=family, year=year).filter(
        invitation__teacher__organisation__cluster_memberships__cluster__year=year,
        invitation__teacher__organisation__cluster_memberships__cluster__district_id=district_id,
    ).values(CLUSTER, "area_id").annotate(**_aggregates(deficit_below(district_id))).order_by()
    return {(row[CLUSTER], row["area_id"]): _cell(row) for row in rows}


def index_by_year(district_id: int, family: str, *, organisation_ids=None) -> dict[tuple[int, int], Cell]:
    """(area id, year) → cell over every year with results (one query); the Sayansk table.

    `organisation_ids` narrows to a cluster's or an organisation's teachers (None: the whole district)."""
    scores = latest_scores(district_id, family=family)
    if organisation_ids is not None:
        scores = scores.filter(invitation__teacher__organisation_id__in=organisation_ids)
    rows = scores.values("area_id", YEAR).annotate(**_aggregates(deficit_below(district_id))).order_by()
    return {(row["area_id"], row[YEAR]): _cell(row) for row in rows}


def years_with_results(district_id: int, family: str | None = None) -> list[int]:
    """Years of the district's submitted diagnoses, newest first."""
    invitations = Invitation.objects.filter(status=InvitationStatus.SUBMITTED,
                                            teacher__organisation__district_id=district_id)
    if family:
        invitations = invitations.filter(campaign__instrument__family=family)
    return sorted(set(invitations.values_list("campaign__year", flat=True).distinct()), reverse=True)


def areas_of(family: str) -> list[Area]:
    return list(Area.objects.filter(family=family).order_by("position", "name"))
