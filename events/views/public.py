"""The public page of an event (/e/<code>/, no login): the event's card and a registration form for people outside
the registry. Rate-limited per client address (core.ratelimit); CSRF-protected like every form; the page never shows
who else registered."""
from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.errors import AppError
from core.ratelimit import client_ip, hit
from diagnostics.views.campaigns import qr_data_uri

from ..services import registration as service

# Per client address: page views, and registrations sent (a school's computer class shares one address).
VIEW_LIMIT, POST_LIMIT, WINDOW_SECONDS = 120, 10, 600


def _limited(request, event_id: int) -> bool:
    if not hit(f"event-public:{client_ip(request)}", limit=VIEW_LIMIT, window_seconds=WINDOW_SECONDS):
        return True
    return request.method == "POST" and not hit(f"event-public-post:{event_id}:{client_ip(request)}",
                                                limit=POST_LIMIT, window_seconds=WINDOW_SECONDS)


def _page(request, event, *, status=200, **extra):
    return render(request, "events/public/event.html", {
        "event": event, "counts": service.counts(event), "closed": service.refusal(event, public=True),
        "consent_text": service.CONSENT_TEXT, "when_where": service.event_when_where(event), **extra}, status=status)


@login_not_required
@never_cache
def event_page(request, code: str):
    event = service.public_event(code)
    if event is None:
        raise Http404("Страница мероприятия не найдена.")
    if _limited(request, event.pk):
        return render(request, "events/public/too_many.html", {"event": event}, status=429)
    if request.method != "POST":
        return _page(request, event, values={})
    values = {name: request.POST.get(name, "")[:600] for name in ("full_name", "organisation_name", "email")}
    try:
        registration, token = service.register_external(event=event, consent=request.POST.get("consent") == "on",
                                                        **values)
    except AppError as error:
        return _page(request, event, status=400, values=values, error=str(error), field_errors={name: " ".join(messages) for name, messages in error.field_errors.items()})
    url = service.ticket_url(token)
    return render(request, "events/public/done.html", {
        "event": event, "registration": registration, "ticket_url": url, "qr": qr_data_uri(url)})
