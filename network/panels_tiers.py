"""Sections of this app (tiers) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
from __future__ import annotations

from clusters import panels
from core.permissions import can

from .services.tiers import cluster_tiers
from .views.tiers import tiers_url


@panels.register("cluster")
def cluster_tiers_panel(request, cluster) -> panels.Panel | None:
    """Where the cluster's tiers come from: each member's index and source, and a link to the numbers.

    Readers of the district's network data only (a school administrator does not open the tiers page)."""
    if not can(request.user, "network.view") or request.user.district_id != cluster.district_id:
        return None
    table = cluster_tiers(cluster, with_rows=False)
    if not table.members:
        return None
    return panels.Panel("network/_tiers_panel.html", {"table": table, "url": tiers_url(cluster.pk)}, order=20)
