"""The teacher's personal link (no account): consent (152-ФЗ) or refusal, the form with drafts, submission.

Every request is rate-limited per client address (core.ratelimit, the survey pages' settings); an unknown
token is a 404, a finished, closed or not-yet-open link a page that says so.
"""
from __future__ import annotations

from collections import OrderedDict

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.errors import AppError
from core.ratelimit import client_ip, hit

from .. import scoring
from ..models import InvitationStatus
from ..services import answers as service
from ..services.campaigns import is_open

LOOKUP_FACTOR = 10  # requests per address allowed per write per link allowed


def _limited(request, invitation=None) -> bool:
    """Per client address: every request (LOOKUP_FACTOR × the survey limit); per address and link: writes
    (the survey limit), so a computer class behind one NAT address is not refused as a whole."""
    window = settings.SURVEY_SUBMIT_RATE_WINDOW
    if invitation is None:
        return not hit(f"diagnostic-ip:{client_ip(request)}", limit=settings.SURVEY_SUBMIT_RATE_LIMIT * LOOKUP_FACTOR,
                       window_seconds=window)
    return request.method == "POST" and not hit(f"diagnostic-post:{invitation.pk}:{client_ip(request)}",
                                                limit=settings.SURVEY_SUBMIT_RATE_LIMIT, window_seconds=window)


def _invitation(request, token: str):
    invitation = service.invitation_by_token(token)
    if invitation is None:
        raise Http404("Ссылка не найдена.")
    return invitation


def _profile_url(token: str) -> str:
    try:
        return reverse("diagnostics_public:profile", args=[token])
    except NoReverseMatch:
        return ""


def _page(request, template: str, invitation, token: str, status: int = 200, **extra):
    return render(request, f"diagnostics/public/{template}", {
        "invitation": invitation, "campaign": invitation.campaign, "token": token, **extra}, status=status)


def _stop_page(request, invitation, token: str):
    """The page of a link that takes no answers now, or None."""
    if invitation.status == InvitationStatus.SUBMITTED:
        return _page(request, "done.html", invitation, token, profile_url=_profile_url(token))
    if invitation.status == InvitationStatus.DECLINED:
        return _page(request, "declined.html", invitation, token)
    if not is_open(invitation.campaign):
        not_yet = invitation.campaign.closed_at is None and timezone.now() < invitation.campaign.opens_at
        return _page(request, "not_open.html", invitation, token, not_yet=not_yet)
    return None


def _too_many(request):
    return render(request, "diagnostics/public/too_many.html", status=429)


@login_not_required
@never_cache
def start(request, token: str):
    if _limited(request):
        return _too_many(request)
    invitation = _invitation(request, token)
    if _limited(request, invitation):
        return _too_many(request)
    stop = _stop_page(request, invitation, token)
    if stop is not None:
        return stop
    if request.method == "POST":
        try:
            if request.POST.get("action") == "decline":
                service.decline(invitation)
                return redirect("diagnostics_public:start", token=token)
            service.consent(invitation)
        except AppError as error:
            return _page(request, "start.html", invitation, token, error=str(error), status=400)
        return redirect("diagnostics_public:form", token=token)
    if invitation.consent_at is not None:
        return redirect("diagnostics_public:form", token=token)
    return _page(request, "start.html", invitation, token)


def _areas(invitation, values: dict, errors: set):
    areas: OrderedDict = OrderedDict()
    for number, item in enumerate(service.campaign_items(invitation), start=1):
        chosen = values.get(item.pk)
        options = [{"value": i, "label": label, "checked": chosen == i}
                   for i, label in enumerate(scoring.options(item.scale))]
        areas.setdefault(item.area, []).append(
            {"item": item, "number": number, "options": options, "missing": item.pk in errors})
    return list(areas.items())


def _form_page(request, invitation, token, values, errors=(), message="", status=200, saved=False):
    return _page(request, "form.html", invitation, token, status=status, areas=_areas(invitation, values, set(errors)),
                 error=message, saved=saved)


@login_not_required
@never_cache
def form(request, token: str):
    if _limited(request):
        return _too_many(request)
    invitation = _invitation(request, token)
    if _limited(request, invitation):
        return _too_many(request)
    stop = _stop_page(request, invitation, token)
    if stop is not None:
        return stop
    if invitation.consent_at is None:
        return redirect("diagnostics_public:start", token=token)
    if request.method != "POST":
        values = dict(invitation.answers.values_list("item_id", "choice"))
        return _form_page(request, invitation, token, values, saved=request.GET.get("saved") == "1")
    items = service.campaign_items(invitation)
    typed, _ = service.parse_choices(items, request.POST)
    try:
        if request.POST.get("action") == "submit":
            service.submit(invitation, request.POST)
            return redirect("diagnostics_public:start", token=token)
        service.save_draft(invitation, request.POST)
    except AppError as error:
        missing = [int(name.removeprefix("item_")) for name in error.field_errors if name.startswith("item_")]
        return _form_page(request, invitation, token, typed, missing, str(error), status=400)
    return redirect(reverse("diagnostics_public:form", args=[token]) + "?saved=1")
