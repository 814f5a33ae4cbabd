"""The registration and attendance panels of an event's page (events:detail), registered in events.panels.
Imported at start-up from EventsConfig.ready."""
from __future__ import annotations

from django.urls import reverse

from core.links import absolute_url
from core.permissions import can

from . import panels
from .services import attendance, registration

NAMES_OF_ALL = "registry.view_personal_data"  # methodists, the director: every registrant's name


def registration_context(event, user) -> dict | None:
    """registered / waitlisted / capacity; names: methodists and the director all, a school administrator only
    their own teachers, observers none."""
    if not can(user, "events.view"):
        return None
    if can(user, registration.SCHOOL) or can(user, NAMES_OF_ALL):
        names = list(registration.registrations_visible_to(user, event).order_by("status", "created_at", "pk"))
    else:
        names = None
    may_register = (event.district_id == registration.user_district_id(user)
                    and (can(user, registration.SCHOOL) or can(user, registration.DISTRICT)))
    return {"counts": registration.counts(event), "registrations": names, "own_only": can(user, registration.SCHOOL),
            "may_register": may_register, "closed": registration.refusal(event),
            "public_url": _public_url(event)}


def _public_url(event) -> str:
    if not (event.public_registration and event.public_code) or registration.refusal(event, public=True):
        return ""
    return absolute_url(reverse("events_public:event", args=[event.public_code]))


def attendance_context(event, user) -> dict | None:
    """Teachers and external participants present, pupils; a methodist of the district gets the checklist link."""
    if not can(user, "events.view"):
        return None
    return {"summary": attendance.summary(event),
            "may_mark": can(user, attendance.ATTENDANCE) and event.district_id == user.district_id,
            "refusal": attendance.refusal(event)}


panels.register("registration", "events/_registrations_panel.html", registration_context, order=20)
panels.register("attendance", "events/_attendance_panel.html", attendance_context, order=30)
