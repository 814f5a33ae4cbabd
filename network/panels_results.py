"""Sections of this app (results) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from clusters import panels

from .filters import may_see_results_of
from .models import AssessmentResult

YEARS_SHOWN = 3


@panels.register("organisation")
def organisation_results(request, organisation) -> panels.Panel | None:
    """The organisation's results of its last three years with results, for whoever may read them."""
    if not may_see_results_of(request.user, organisation):
        return None
    results = AssessmentResult.objects.filter(organisation=organisation).select_related("procedure")
    years = sorted(set(results.values_list("year", flat=True).distinct()), reverse=True)[:YEARS_SHOWN]
    rows = list(results.filter(year__in=years).order_by("-year", "procedure__name", "subject", "grade"))
    link = reverse("network:results") + "?" + urlencode({"organisation": organisation.pk})
    return panels.Panel("network/_results_panel.html", {"rows": rows, "years": years, "link": link}, order=10)
