"""Tiers of cluster members computed from assessment results (docs/domain.md, «Уровни организаций по
результатам оценочных процедур»).

In a cluster of year Y a member's tier comes from its result index of year Y − 1
(network/results_index.py): ТОП when index ≥ the district's top threshold, отстающая when ≤ the lagging
threshold, синхронная otherwise. A tier set by the methodist (source «изменён методистом») is kept by every
recompute until the methodist returns it to the computed rule; a member without results keeps the tier it
has, marked «задан вручную». Every change of tier or source leaves a TierChange row.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from clusters.models import Cluster, ClusterMembership, District, Tier, TierSource
from core import formatting
from core.errors import ForbiddenError, InvalidError
from core.permissions import can

from ..models import TierChange, TierSettings
from ..results_index import OrganisationIndex, ZRow, organisation_indices, z_rows

EDIT = "network.edit"
REASON_REQUIRED = "Укажите основание изменения уровня."
NOT_OVERRIDDEN = "Уровень этой организации не изменялся методистом: он уже определяется по правилу."
CLEARED_REASON = "Возвращён расчётный уровень."


@dataclass(frozen=True)
class TierRun:
    """What one recompute did: members with an index (computed), whose tier changed (changed), without
    results (manual, tier kept) and with a methodist's tier (overridden, kept)."""

    year: int
    results_year: int
    computed: int = 0
    changed: int = 0
    manual: int = 0
    overridden: int = 0

    @property
    def total(self) -> int:
        return self.computed + self.manual + self.overridden


def tier_settings(district: District) -> TierSettings:
    """The district's thresholds, or unsaved defaults (0.5 / −0.5 / 2) when none are stored."""
    return _settings_of(district.pk)


def _settings_of(district_id: int) -> TierSettings:
    stored = TierSettings.objects.filter(district_id=district_id).first()
    return stored if stored is not None else TierSettings(district_id=district_id)


def tier_for_index(index: Decimal, settings: TierSettings) -> str:
    """The default rule; `index` is already rounded to 3 decimals, so 0.500 with the threshold 0.5 is ТОП."""
    if index >= settings.top_threshold:
        return Tier.TOP
    if index <= settings.lagging_threshold:
        return Tier.LAGGING
    return Tier.SYNCHRONOUS


def _require_district_editor(user, district_id: int) -> None:
    if not can(user, EDIT) or user.district_id != district_id:
        raise ForbiddenError("Изменять уровни организаций этого района может только методист района.")


def _ruled(membership: ClusterMembership, found: OrganisationIndex | None,
           settings: TierSettings) -> tuple[str, str, Decimal | None]:
    """(tier, source, index) the rule gives a membership that is not overridden."""
    if found is None:
        return membership.tier, TierSource.MANUAL, None
    return tier_for_index(found.index, settings), TierSource.COMPUTED, found.index


def _change(membership: ClusterMembership, *, tier: str, source: str, index, user, reason: str = "") -> TierChange:
    return TierChange(membership=membership, tier=tier, previous_tier=membership.tier, source=source, index=index,
                      reason=reason, changed_by=user if getattr(user, "is_authenticated", False) else None)


def apply_computed_tiers(*, district: District, year: int, user=None) -> TierRun:
    """Recompute the tiers of every member of the district's clusters of `year` from the indices of `year − 1`.

    `user` is None when the portal itself recomputes (after a results import); a given user must be the
    district's methodist. A constant number of queries, whatever the number of members.
    """
    if user is not None:
        _require_district_editor(user, district.pk)
    settings = tier_settings(district)
    counts = {"computed": 0, "changed": 0, "manual": 0, "overridden": 0}
    with transaction.atomic():
        members = list(
            ClusterMembership.objects.select_for_update(of=("self",))
            .filter(cluster__district=district, cluster__year=year).order_by("pk")
        )
        indices = organisation_indices(district.pk, year - 1)
        updated: list[ClusterMembership] = []
        changes: list[TierChange] = []
        for membership in members:
            found = indices.get(membership.organisation_id)
            if membership.tier_source == TierSource.OVERRIDE:
                counts["overridden"] += 1
                # The methodist's tier stays; the index next to it is kept current for the page.
                index = found.index if found else None
                if membership.tier_index != index:
                    membership.tier_index = index
                    updated.append(membership)
                continue
            tier, source, index = _ruled(membership, found, settings)
            counts["computed" if source == TierSource.COMPUTED else "manual"] += 1
            if (tier, source, index) == (membership.tier, membership.tier_source, membership.tier_index):
                continue
            if tier != membership.tier or source != membership.tier_source:
                changes.append(_change(membership, tier=tier, source=source, index=index, user=user))
                counts["changed"] += tier != membership.tier
            membership.tier, membership.tier_source, membership.tier_index = tier, source, index
            updated.append(membership)
        _write_tiers(updated)
        TierChange.objects.bulk_create(changes, batch_size=500)
    return TierRun(year=year, results_year=year - 1, **counts)


def _write_tiers(members: list[ClusterMembership]) -> None:
    """UPDATE … FROM a VALUES list (PostgreSQL, SQLite ≥ 3.33): one statement per chunk. Django's bulk_update
    builds a CASE per row and field in Python — 4.7 of 5.7 s for 2,000 members (benchmarks/network_tiers.py)."""
    table = connection.ops.quote_name(ClusterMembership._meta.db_table)
    chunk = min(1000, (connection.features.max_query_params or 4000) // 4)
    for start in range(0, len(members), chunk):
        part = members[start:start + chunk]
        params = [value for m in part for value in (m.pk, m.tier, m.tier_source, m.tier_index)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH v(id, tier, tier_source, tier_index) AS (VALUES {', '.join(['(%s, %s, %s, %s)'] * len(part))}) "
                f"UPDATE {table} SET tier = v.tier, tier_source = v.tier_source, "
                f"tier_index = CAST(v.tier_index AS NUMERIC) FROM v WHERE {table}.id = v.id",
                params,
            )


def _locked_membership(membership: ClusterMembership) -> ClusterMembership:
    return ClusterMembership.objects.select_for_update(of=("self",)).select_related("cluster").get(pk=membership.pk)


def override_tier(*, user, membership: ClusterMembership, tier: str, reason: str) -> TierChange:
    """The methodist sets a member's tier by hand, with the reason; recomputes keep it until cleared."""
    _require_district_editor(user, membership.cluster.district_id)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if tier not in Tier.values:
        errors["tier"] = ["Выберите уровень из списка."]
    if not reason:
        errors["reason"] = [REASON_REQUIRED]
    if errors:
        raise InvalidError(next(iter(errors.values()))[0], field_errors=errors)
    with transaction.atomic():
        locked = _locked_membership(membership)
        change = _change(locked, tier=tier, source=TierSource.OVERRIDE, index=locked.tier_index, user=user,
                         reason=reason)
        locked.tier, locked.tier_source = tier, TierSource.OVERRIDE
        _save(locked, change)
    membership.refresh_from_db()
    return change


def clear_override(*, user, membership: ClusterMembership) -> TierChange:
    """Return an overridden member to the rule: its computed tier, or its tier marked manual without results."""
    _require_district_editor(user, membership.cluster.district_id)
    with transaction.atomic():
        locked = _locked_membership(membership)
        if locked.tier_source != TierSource.OVERRIDE:
            raise InvalidError(NOT_OVERRIDDEN)
        district = locked.cluster.district
        found = organisation_indices(district.pk, locked.cluster.year - 1).get(locked.organisation_id)
        tier, source, index = _ruled(locked, found, tier_settings(district))
        change = _change(locked, tier=tier, source=source, index=index, user=user, reason=CLEARED_REASON)
        locked.tier, locked.tier_source, locked.tier_index = tier, source, index
        _save(locked, change)
    membership.refresh_from_db()
    return change


def _save(membership: ClusterMembership, change: TierChange) -> None:
    try:
        membership.full_clean(exclude=["theme"])
        change.full_clean(exclude=["membership", "changed_by"])
    except ValidationError as error:  # pragma: no cover - the inputs are checked above
        raise InvalidError("; ".join(error.messages)) from error
    membership.save(update_fields=["tier", "tier_source", "tier_index"])
    change.save()


def save_tier_settings(*, user, district: District, top_threshold, lagging_threshold, max_mentees) -> TierSettings:
    """Store the district's thresholds (lagging below top) and the mentees per ТОП organisation."""
    _require_district_editor(user, district.pk)
    settings = tier_settings(district)
    settings.top_threshold, settings.lagging_threshold = top_threshold, lagging_threshold
    settings.max_mentees = max_mentees
    try:
        settings.full_clean(exclude=["district"])
    except ValidationError as error:
        message = "; ".join(error.messages)
        raise InvalidError(message, field_errors=getattr(error, "message_dict", {})) from error
    with transaction.atomic():
        settings.save()
    return settings


# --- reads: the numbers behind a cluster's tiers (the tiers page and the cluster page's panel) ---------------

MINUS = "\u2212"
NO_Z_SINGLE = "нет сравнения: одна организация"
NO_Z_FLAT = "нет сравнения: нет разброса"


def signed_index(value: Decimal | None) -> str:
    """An index or z as the pages print it: three decimals, a decimal comma and its sign (+1,225 / −0,500)."""
    if value is None:
        return formatting.DASH
    text = formatting.number(abs(value), 3)
    return f"+{text}" if value > 0 else f"{MINUS}{text}" if value < 0 else text


@dataclass(frozen=True)
class RowView:
    row: ZRow

    @property
    def z_text(self) -> str:
        return signed_index(self.row.z)

    @property
    def no_z(self) -> str:
        """Why a row has no z (it is left out of the index), or ""."""
        if self.row.z is not None:
            return ""
        return NO_Z_SINGLE if self.row.group_size < 2 else NO_Z_FLAT


@dataclass(frozen=True)
class HistoryView:
    change: TierChange

    @property
    def index_text(self) -> str:
        return signed_index(self.change.index)


@dataclass
class MemberTier:
    membership: ClusterMembership
    current: OrganisationIndex | None  # the index of year − 1 as the results stand now
    override_reason: str = ""
    rows: list[RowView] = field(default_factory=list)
    history: list[HistoryView] = field(default_factory=list)

    @property
    def index_text(self) -> str:
        return signed_index(self.membership.tier_index)

    @property
    def current_text(self) -> str:
        return signed_index(self.current.index if self.current else None)

    @property
    def stale(self) -> bool:
        """The stored index differs from the results as they stand now: a recompute would change it."""
        now = self.current.index if self.current else None
        return self.membership.tier_source != TierSource.MANUAL and self.membership.tier_index != now \
            or self.membership.tier_source == TierSource.MANUAL and now is not None


@dataclass
class ClusterTiers:
    cluster: Cluster
    settings: TierSettings
    members: list[MemberTier]

    @property
    def results_year(self) -> int:
        return self.cluster.year - 1

    @property
    def top_text(self) -> str:
        return signed_index(Decimal(self.settings.top_threshold))

    @property
    def lagging_text(self) -> str:
        return signed_index(Decimal(self.settings.lagging_threshold))

    @property
    def any_stale(self) -> bool:
        return any(member.stale for member in self.members)


@dataclass(frozen=True)
class MemberSummary:
    membership: ClusterMembership

    @property
    def index_text(self) -> str:
        return signed_index(self.membership.tier_index)


@dataclass(frozen=True)
class TierSummary:
    """The cluster page's tiers panel: each member's stored tier, source and index and the district's thresholds.

    No index «now», no override reasons, no history: the panel shows none of them (the tiers page does, from
    `cluster_tiers`), and they were most of the cluster page's cost (the indices are computed over the whole
    district)."""

    cluster: Cluster
    settings: TierSettings
    members: list[MemberSummary]

    results_year = ClusterTiers.results_year
    top_text = ClusterTiers.top_text
    lagging_text = ClusterTiers.lagging_text


def cluster_tier_summary(cluster: Cluster, memberships: list[ClusterMembership]) -> TierSummary:
    """The panel's table from the cluster's memberships (with their organisations, in the page's order): one
    query, the district's thresholds."""
    return TierSummary(cluster=cluster, settings=_settings_of(cluster.district_id),
                       members=[MemberSummary(m) for m in memberships])


def cluster_tiers(cluster: Cluster) -> ClusterTiers:
    """Each member of the cluster with its tier, its index now, the override's reason, the result rows and the
    tier history. A fixed number of queries, whatever the cluster's size."""
    settings = _settings_of(cluster.district_id)
    memberships = list(cluster.memberships.select_related("organisation").order_by("organisation__short_name"))
    indices = organisation_indices(cluster.district_id, cluster.year - 1)
    members = [MemberTier(m, indices.get(m.organisation_id)) for m in memberships]
    history: dict[int, list[TierChange]] = defaultdict(list)
    for change in TierChange.objects.filter(membership__cluster=cluster).select_related("changed_by"):
        history[change.membership_id].append(change)  # newest first (the model's ordering)
    rows: dict[int, list[RowView]] = defaultdict(list)
    if memberships:
        for row in z_rows(cluster.district_id, cluster.year - 1, [m.organisation_id for m in memberships]):
            rows[row.organisation_id].append(RowView(row))
    for member in members:
        changes = history.get(member.membership.pk, [])
        if member.membership.tier_source == TierSource.OVERRIDE:
            member.override_reason = next((c.reason for c in changes if c.source == TierSource.OVERRIDE), "")
        member.history = [HistoryView(change) for change in changes]
        member.rows = rows.get(member.membership.organisation_id, [])
    return ClusterTiers(cluster=cluster, settings=settings, members=members)
