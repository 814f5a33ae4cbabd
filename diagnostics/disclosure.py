"""What an observer may see of the diagnostic roll-ups: the anonymous-survey rule applied to diagnosed teachers.

A minimum cell size is not enough: the district's mean over 40 teachers and the shown means of organisations
with 36 of them give away the other 4 teachers' mean. So an observer sees an organisation's or a cluster's cell
only where surveys/disclosure.py's rule allows it — at least K teachers, and every residual (a shown group minus
its shown subgroups) either empty or of at least K teachers. The groups are the district's organisations and
every cluster of the district (any year: the competency index can be asked for an old cluster's members in
another year), decided per area and year, since each cell counts the teachers diagnosed in that area that year.
Methodists and the director see everything (they may open personal results anyway).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from django.db.models import Count

from clusters.models import ClusterMembership
from surveys.disclosure import disclosed

from .rollups import K_OBSERVER, ORGANISATION, YEAR, latest_scores


def _groups(district_id: int) -> tuple[dict[Hashable, list[int]], dict[Hashable, int]]:
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for cluster_id, organisation_id in (ClusterMembership.objects.filter(cluster__district_id=district_id)
                                        .values_list("cluster_id", "organisation_id")):
        groups[("cluster", cluster_id)].append(organisation_id)
    levels = dict.fromkeys(groups, 1)  # a cluster of one organisation comes before that organisation
    return groups, levels


def shown_groups(district_id: int, family: str) -> dict[tuple[int, int], frozenset]:
    """(area id, year) → the keys ("organisation", id) / ("cluster", id) an observer may see (two queries)."""
    counts: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    rows = (latest_scores(district_id, family=family).values("area_id", YEAR, ORGANISATION)
            .annotate(teachers=Count("pk")).order_by())
    for row in rows:
        counts[(row["area_id"], row[YEAR])][row[ORGANISATION]] = row["teachers"]
    clusters, levels = _groups(district_id)
    result = {}
    for key, per_organisation in counts.items():
        groups = {("organisation", pk): [pk] for pk in per_organisation} | clusters
        result[key] = disclosed(per_organisation, groups, K_OBSERVER,
                                levels=levels | dict.fromkeys(groups.keys() - clusters.keys(), 2))
    return result

