"""The type-ahead search behind the pickers (core/widgets.py): teachers, organisations, scopes as JSON.

GET typeahead/<kind>/?q=абрам[&mode=write]. The rows come from the same `*_for_user` selectors as
the pages and the forms — a methodist's district, a school administrator's own organisation — so a
picker never offers what the form would refuse; `mode=write` narrows to what the user may edit
(the forms' choices: working teachers, open organisations). The text is matched with core.search
(Cyrillic case, «ё» = «е», any word order, part of a word). At most TYPEAHEAD_LIMIT rows; `more`
says there were others (type more letters).
"""
from __future__ import annotations

from django.db.models import Q
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from core.permissions import require
from core.search import matches, matching

from .. import selectors
from .common import ORGANISATIONS_READ, TEACHER_RECORDS_READ

TYPEAHEAD_LIMIT = 20
MAX_QUERY_LENGTH = 100


def teacher_label(teacher) -> str:
    """As the forms' TeacherChoiceField shows a teacher: namesakes are told apart by organisation."""
    return f"{teacher.full_name} ({teacher.organisation.short_name})"


def _teachers(request, query: str, write: bool) -> list[dict]:
    require(request.user, *TEACHER_RECORDS_READ)
    qs = selectors.teachers_for_user(request.user, write=write)
    if write:
        qs = qs.filter(is_active=True)
    qs = matching(qs, query).order_by("full_name", "pk")[: TYPEAHEAD_LIMIT + 1]
    return [{"id": t.pk, "text": teacher_label(t)} for t in qs]


def _organisations(request, query: str, write: bool) -> list[dict]:
    require(request.user, *ORGANISATIONS_READ)
    qs = selectors.organisations_for_user(request.user, write=write)
    if write:
        qs = qs.filter(is_active=True)
    qs = matching(qs, query).order_by("short_name", "pk")[: TYPEAHEAD_LIMIT + 1]
    return [{"id": o.pk, "text": o.short_name} for o in qs]


def _scopes(request, query: str, write: bool) -> list[dict]:
    """The district, its clusters and the organisations the user reads, as scope keys (core/scope.py)."""
    require(request.user, selectors.DISTRICT_READ)
    district = selectors.user_district(request.user)
    if district is None:
        return []
    organisations = selectors.organisations_for_user(request.user).filter(Q(is_active=True))
    found = [s for s in selectors.scope_choices(district, organisations=organisations) if matches(s.label, query)]
    return [{"id": s.key, "text": s.label} for s in found[: TYPEAHEAD_LIMIT + 1]]


SOURCES = {"teachers": _teachers, "organisations": _organisations, "scopes": _scopes}


@require_GET
def typeahead(request, kind: str):
    source = SOURCES.get(kind)
    if source is None:
        raise Http404("Неизвестный список для поиска.")
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    rows = source(request, query, request.GET.get("mode") == "write")
    return JsonResponse({"results": rows[:TYPEAHEAD_LIMIT], "more": len(rows) > TYPEAHEAD_LIMIT})
