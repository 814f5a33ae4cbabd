"""The effect of network interaction, measured (issue 11, item 5; docs/domain.md, «Эффект сетевого
взаимодействия»): the arithmetic and the reads behind the registered calculations (network/indicators.py)
and the network report (reports/kinds/network.py).

Year Y is the year of the clusters (a monitoring period's year). The result index of an organisation
for a year is network/results_index.py's (rounded to three decimals, as the tiers page shows it);
its change is index(Y) − index(Y − 1), and only organisations with both indices have one.

Scopes: the district counts each organisation once (an organisation in two clusters of Y is one
organisation; it is «paired» if it is the mentee of an effective pair in any of them); a cluster
counts its own members with its own tier and its own pairs. An effective pair is an active or
completed one (a proposed or rejected pair did nothing yet).

Reads are a few queries whatever the size of the district: the two years' indices (one SQL each),
the memberships with an EXISTS for the pair, and the clusters of the year; the rest is arithmetic
on those rows here.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from clusters.models import Cluster, ClusterMembership, Tier

from .models import OrganisationPair, PairStatus
from .results_index import organisation_indices

EFFECTIVE_PAIR_STATUSES = (PairStatus.ACTIVE, PairStatus.COMPLETED)
TIER_ORDER = (Tier.LAGGING, Tier.SYNCHRONOUS, Tier.TOP)  # low to high: a rise is a step right
TIER_RANK = {tier: rank for rank, tier in enumerate(TIER_ORDER)}
HUNDRED = Decimal(100)
DISTRICT = None  # the key of the district's figure in a by-scope dict (clusters are keyed by pk)


# --- pure arithmetic ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """numerator of denominator, with the share in percent (None when nothing is counted)."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        return Decimal(self.numerator) * HUNDRED / self.denominator if self.denominator else None


@dataclass(frozen=True)
class GainDifference:
    """Mean index change of paired lagging organisations minus that of unpaired ones, with both counts."""

    paired_n: int
    paired_mean: Decimal | None
    unpaired_n: int
    unpaired_mean: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        """None when either group is empty: there is nothing to compare with."""
        if self.paired_mean is None or self.unpaired_mean is None:
            return None
        return self.paired_mean - self.unpaired_mean

    def as_tuple(self) -> tuple:
        return self.paired_n, self.paired_mean, self.unpaired_n, self.unpaired_mean, self.difference


def mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def index_changes(before: dict[int, Decimal], after: dict[int, Decimal]) -> dict[int, Decimal]:
    """organisation → index(Y) − index(Y − 1), for organisations with both."""
    return {org: after[org] - before[org] for org in after.keys() & before.keys()}


def improved_share(organisations: Iterable[int], changes: dict[int, Decimal]) -> Share:
    """Of `organisations` with a change, those whose index rose (a change of exactly 0 is no rise)."""
    counted = [changes[org] for org in organisations if org in changes]
    return Share(sum(1 for change in counted if change > 0), len(counted))


def gain_difference(paired_by_organisation: dict[int, bool], changes: dict[int, Decimal]) -> GainDifference:
    paired = [changes[o] for o, is_paired in paired_by_organisation.items() if is_paired and o in changes]
    unpaired = [changes[o] for o, is_paired in paired_by_organisation.items() if not is_paired and o in changes]
    return GainDifference(len(paired), mean(paired), len(unpaired), mean(unpaired))


def by_scope(rows: Iterable[tuple[int, int, bool]]) -> dict[int | None, dict[int, bool]]:
    """(cluster, organisation, flag) rows → {DISTRICT: {organisation: any flag}, cluster: {organisation: flag}}."""
    scopes: dict[int | None, dict[int, bool]] = {DISTRICT: {}}
    for cluster_id, organisation_id, flag in rows:
        scopes.setdefault(cluster_id, {})[organisation_id] = flag
        scopes[DISTRICT][organisation_id] = scopes[DISTRICT].get(organisation_id, False) or flag
    return scopes


def tier_of_year(rows: Iterable[tuple[int, int, str]]) -> dict[int, str]:
    """(cluster pk, organisation, tier) rows of one year → organisation's tier: from the membership of
    the lowest cluster pk when it is in several clusters of the year (a fixed, checkable choice)."""
    tiers: dict[int, tuple[int, str]] = {}
    for cluster_id, organisation_id, tier in rows:
        if organisation_id not in tiers or cluster_id < tiers[organisation_id][0]:
            tiers[organisation_id] = (cluster_id, tier)
    return {organisation_id: tier for organisation_id, (_, tier) in tiers.items()}


def rose(before: str, after: str) -> bool:
    return TIER_RANK[after] > TIER_RANK[before]


@dataclass
class Movement:
    """Tier in clusters of `year` → tier in clusters of `year + 1`, counted by organisation."""

    year: int
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    left: int = 0  # in clusters of `year`, in none of `year + 1`
    joined: int = 0  # in clusters of `year + 1`, in none of `year`

    def count(self, before: str, after: str) -> int:
        return self.counts.get((before, after), 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rose(self) -> int:
        return sum(n for (before, after), n in self.counts.items() if rose(before, after))

    @property
    def fell(self) -> int:
        return sum(n for (before, after), n in self.counts.items() if rose(after, before))

    @property
    def stayed(self) -> int:
        return sum(n for (before, after), n in self.counts.items() if before == after)

    def matrix(self) -> list[list[int]]:
        """3×3, rows = tier of `year`, columns = tier of `year + 1`, both in TIER_ORDER."""
        return [[self.count(before, after) for after in TIER_ORDER] for before in TIER_ORDER]


def movement(before: dict[int, str], after: dict[int, str], year: int) -> Movement:
    result = Movement(year)
    for organisation_id, tier in before.items():
        if organisation_id in after:
            key = (tier, after[organisation_id])
            result.counts[key] = result.counts.get(key, 0) + 1
    result.left = len(before.keys() - after.keys())
    result.joined = len(after.keys() - before.keys())
    return result


# --- reads ----------------------------------------------------------------------------------------


def cluster_ids_of_year(district_id: int, year: int) -> list[int]:
    return list(Cluster.objects.filter(district_id=district_id, year=year).order_by("pk").values_list("pk", flat=True))


def _memberships(district_id: int, year: int):
    return ClusterMembership.objects.filter(cluster__district_id=district_id, cluster__year=year)


def _effective_pairs(role: str):
    """EXISTS: an effective pair of the membership's cluster with its organisation as `role`."""
    return Exists(OrganisationPair.objects.filter(
        cluster_id=OuterRef("cluster_id"), status__in=EFFECTIVE_PAIR_STATUSES,
        **{f"{role}_organisation_id": OuterRef("organisation_id")},
    ))


def lagging_rows(district_id: int, year: int) -> list[tuple[int, int, bool]]:
    """(cluster, organisation, is the mentee of an effective pair of that cluster) of the lagging members."""
    rows = (_memberships(district_id, year).filter(tier=Tier.LAGGING)
            .annotate(paired=_effective_pairs("mentee")).values_list("cluster_id", "organisation_id", "paired"))
    return [(cluster_id, organisation_id, bool(paired)) for cluster_id, organisation_id, paired in rows]


def changes_for_year(district_id: int, year: int) -> dict[int, Decimal]:
    """organisation → index(year) − index(year − 1): two SQL statements for the whole district."""
    before = {o: i.index for o, i in organisation_indices(district_id, year - 1).items()}
    after = {o: i.index for o, i in organisation_indices(district_id, year).items()}
    return index_changes(before, after)


@dataclass(frozen=True)
class LaggingEffect:
    """The two lagging-organisation figures of year Y for the district (key DISTRICT) and each cluster."""

    improved: dict[int | None, Share]
    gain: dict[int | None, GainDifference]
    changes: dict[int, Decimal]


def lagging_effect(district_id: int, year: int) -> LaggingEffect:
    """Share of lagging members whose index rose, and the paired − unpaired mean change, by scope.

    Every cluster of the year has an entry (0 of 0, no value, when it has no lagging member with both
    indices), so a recompute clears a figure that no longer has data.
    """
    scopes = by_scope(lagging_rows(district_id, year))
    for cluster_id in cluster_ids_of_year(district_id, year):
        scopes.setdefault(cluster_id, {})
    changes = changes_for_year(district_id, year)
    return LaggingEffect(
        improved={scope: improved_share(members, changes) for scope, members in scopes.items()},
        gain={scope: gain_difference(members, changes) for scope, members in scopes.items()},
        changes=changes,
    )


def top_tutoring(district_id: int, year: int) -> dict[int | None, Share]:
    """Of the ТОП members of clusters of Y, those that are the mentor of an effective pair of their cluster.

    Two aggregate queries (by cluster; distinct organisations for the district) and the clusters.
    """
    tops = _memberships(district_id, year).filter(tier=Tier.TOP).annotate(tutoring=_effective_pairs("mentor"))
    shares: dict[int | None, Share] = {cluster_id: Share(0, 0) for cluster_id in cluster_ids_of_year(district_id, year)}
    for row in tops.values("cluster_id").annotate(den=Count("pk"), num=Count("pk", filter=Q(tutoring=True))).order_by():
        shares[row["cluster_id"]] = Share(row["num"], row["den"])
    totals = tops.aggregate(den=Count("organisation_id", distinct=True),
                            num=Count("organisation_id", distinct=True, filter=Q(tutoring=True)))
    shares[DISTRICT] = Share(totals["num"], totals["den"])
    return shares


def _tier_rows(district_id: int, years: Iterable[int]) -> dict[int, list[tuple[int, int, str]]]:
    """year → (cluster pk, organisation, tier) of its memberships, in one query."""
    rows: dict[int, list[tuple[int, int, str]]] = {year: [] for year in years}
    for cluster_id, year, organisation_id, tier in ClusterMembership.objects.filter(
        cluster__district_id=district_id, cluster__year__in=list(rows)
    ).values_list("cluster_id", "cluster__year", "organisation_id", "tier"):
        rows[year].append((cluster_id, organisation_id, tier))
    return rows


def tier_movement(district_id: int, year: int) -> Movement:
    """The 3×3 table: tier in clusters of `year` → tier in clusters of `year + 1`, by organisation."""
    rows = _tier_rows(district_id, (year, year + 1))
    return movement(tier_of_year(rows[year]), tier_of_year(rows[year + 1]), year)


def tier_rise(district_id: int, year: int) -> dict[int | None, Share]:
    """Of the organisations in clusters of both Y − 1 and Y, those whose tier went up from Y − 1 to Y.

    The district compares each organisation's tier of Y − 1 with its tier of Y (the lowest cluster pk's
    membership in each year); a cluster of Y compares its own members' tier with their tier of Y − 1.
    """
    rows = _tier_rows(district_id, (year - 1, year))
    before, after = tier_of_year(rows[year - 1]), tier_of_year(rows[year])
    shares: dict[int | None, Share] = {cluster_id: Share(0, 0) for cluster_id in cluster_ids_of_year(district_id, year)}
    counted: dict[int, list[bool]] = {}
    for cluster_id, organisation_id, tier in rows[year]:
        if organisation_id in before:
            counted.setdefault(cluster_id, []).append(rose(before[organisation_id], tier))
    for cluster_id, flags in counted.items():
        shares[cluster_id] = Share(sum(flags), len(flags))
    both = [o for o in after if o in before]
    shares[DISTRICT] = Share(sum(1 for o in both if rose(before[o], after[o])), len(both))
    return shares
