"""Sections of this app (tiers) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
from __future__ import annotations

from clusters import panels
from clusters.selectors import cluster_memberships
from core.permissions import can

from .services.tiers import cluster_tier_summary
from .views.tiers import tiers_url


@panels.register("cluster")
def cluster_tiers_panel(request, cluster) -> panels.Panel | None:
    """Where the cluster's tiers come from: each member's index and source, and a link to the numbers.

    Readers of the district's network data only (a school administrator does not open the tiers page)."""
    if not can(request.user, "network.view") or request.user.district_id != cluster.district_id:
        return None
    memberships = cluster_memberships(cluster)  # the page's own table read them
    if not memberships:
        return None
    table = cluster_tier_summary(cluster, memberships)
    return panels.Panel("network/_tiers_panel.html", {"table": table, "url": tiers_url(cluster.pk)}, order=20)
