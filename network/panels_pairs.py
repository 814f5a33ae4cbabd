"""Sections of this app (pairs) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from clusters import panels
from core.permissions import can, can_any

from .selectors import EDIT, VIEW, VIEW_OWN, pairs_for_user, pairs_of_organisation


@panels.register("organisation")
def organisation_pairs(request, organisation) -> panels.Panel | None:
    """The organisation's pairs (as mentor or mentee): for the district's M/D/OBS and the school of either side."""
    user = request.user
    if not can_any(user, VIEW, VIEW_OWN):
        return None
    pairs = list(pairs_of_organisation(user, organisation))
    # A school administrator sees the panel on their own organisation's page only (the only one they open).
    if not pairs and not (user.district_id == organisation.district_id or user.organisation_id == organisation.pk):
        return None
    list_url = f"{reverse('network:pairs')}?{urlencode({'organisation': organisation.pk})}"
    return panels.Panel("network/_pairs_panel.html", {"organisation": organisation, "pairs": pairs,
                                                      "list_url": list_url}, order=30)


@panels.register("cluster")
def cluster_pairs(request, cluster) -> panels.Panel | None:
    """The cluster's pairs the user reads (a school: its own), and «Предложить пары» for the district's methodist."""
    user = request.user
    if not can_any(user, VIEW, VIEW_OWN):
        return None
    pairs = list(pairs_for_user(user).filter(cluster=cluster).order_by("status", "mentee_organisation__code"))
    can_propose = can(user, EDIT) and user.district_id == cluster.district_id
    if not pairs and not can_propose:
        return None
    list_url = f"{reverse('network:pairs')}?{urlencode({'cluster': cluster.pk})}"
    return panels.Panel("network/_pairs_panel.html", {"cluster": cluster, "pairs": pairs, "list_url": list_url,
                                                      "can_propose": can_propose}, order=40)
