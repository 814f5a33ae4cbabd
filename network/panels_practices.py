"""Sections of this app (practices) on the registry's pages (clusters/panels.py); imported by NetworkConfig.ready.

The organisation page lists the organisation's practices (verified first), the event page the
practices linked to the event — to everybody who reads the practice base of that district
(school administrators too).
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from clusters import panels
from core.permissions import can

from .selectors_practices import (
    CONTRIBUTE,
    EDIT,
    VIEW_PRACTICES,
    practices_of_event,
    practices_of_organisation,
)

SHOWN = 10


def _reader_of(request, district_id: int) -> bool:
    user = request.user
    return can(user, VIEW_PRACTICES) and user.district_id == district_id


def _panel(heading: str, practices, query: dict, create_url: str | None) -> panels.Panel:
    return panels.Panel("network/_practices_panel.html", {
        "heading": heading,
        "practices": list(practices[:SHOWN]),
        "total": practices.count(),
        "list_url": f"{reverse('network:practices')}?{urlencode(query)}",
        "create_url": create_url,
    }, order=300)


@panels.register("organisation")
def organisation_practices(request, organisation):
    if not _reader_of(request, organisation.district_id):
        return None
    user = request.user
    # A methodist adds a practice of any organisation; a school administrator only of their own.
    may_add = can(user, EDIT) or (can(user, CONTRIBUTE) and user.organisation_id == organisation.pk)
    create_url = f"{reverse('network:practice_create')}?organisation={organisation.pk}" if may_add else None
    return _panel("Практики организации", practices_of_organisation(user, organisation),
                  {"organisation": organisation.pk}, create_url)


@panels.register("event")
def event_practices(request, event):
    if not _reader_of(request, event.district_id):
        return None
    user = request.user
    create_url = f"{reverse('network:practice_create')}?event={event.pk}" if can(user, CONTRIBUTE) else None
    return _panel("Практики, представленные на мероприятии", practices_of_event(user, event),
                  {"event": event.pk}, create_url)
