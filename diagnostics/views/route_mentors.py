"""The type-ahead search behind a route step's mentor picker (forms_routes.RouteStepForm).

GET routes/<pk>/mentors/?q=абрам → {"results": [{"id", "text"}], "more"} as clusters:typeahead answers, but
from the step form's own choices (forms_routes.mentor_choices: the route's district, not the registry scope
of a school administrator, who may name a mentor of another school). Only who may edit the route asks it
(diagnostics.school, the route in their write scope; another school's route is 404).
"""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from core.permissions import require
from core.search import matching

from ..forms_routes import mentor_choices, mentor_label
from ..services import routes as service
from .routes import WRITE

LIMIT = 20
MAX_QUERY_LENGTH = 100


@require_GET
def route_mentors(request, pk: int):
    require(request.user, WRITE)
    route = get_object_or_404(service.routes_for_user(request.user, write=True).select_related(
        "teacher__organisation"), pk=pk)
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    rows = list(matching(mentor_choices(route).filter(is_active=True), query).order_by("full_name", "pk")[:LIMIT + 1])
    return JsonResponse({"results": [{"id": t.pk, "text": mentor_label(t)} for t in rows[:LIMIT]],
                         "more": len(rows) > LIMIT})
