"""The city level reads every district through the district pages, read-only.

A city user (Role.CITY, tied to a region) and the portal admin belong to no district, while every
district page asks its `*_for_user` selector for `user.district_id`. Rather than teaching each
selector about a second kind of user, the user picks a district in the navbar (POST to
`district_switch`, kept in the session) and, on safe requests only, the request's user reads as a
user of that district: `district` / `district_id` are set on the in-memory object (never stored —
User.save() puts the home district back). The capabilities stay the role's own: a city user has an
observer's reads (no teachers' personal data), the portal admin only monitoring and reports.

No write path opens: a POST, PUT, PATCH or DELETE to a district app's page by these users is
refused (403) before the view runs, and such a request never sees the chosen district either, so
even a view that forgot its capability would find nothing to change.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clusters.city import CAPABILITY, districts_for_user
from core.permissions import can

from .models import HOME_DISTRICT_ATTR, VIEWED_DISTRICT_ATTR

SESSION_KEY = "_viewed_district"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The apps whose pages belong to one district (their namespaces): written only by the district's own staff.
DISTRICT_NAMESPACES = frozenset({"clusters", "monitoring", "network", "surveys", "diagnostics", "reports", "events"})
READ_ONLY_MESSAGE = "Городской уровень видит районы только для чтения: изменения вносят сотрудники района."


def viewed_district(request):
    """The district chosen in the session, if the user may still read it; else None."""
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return districts_for_user(request.user).filter(pk=pk).first()


def view_as_district(user, district) -> None:
    """Let the request's user read `district`'s pages (in memory only)."""
    # setattr, not __dict__: request.user is a lazy proxy, and the markers belong on the User itself.
    if getattr(user, HOME_DISTRICT_ATTR, None) is None:
        setattr(user, HOME_DISTRICT_ATTR, user.district_id or 0)
    setattr(user, VIEWED_DISTRICT_ATTR, district)
    user.district = district


class DistrictSwitchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and can(user, CAPABILITY):
            request.viewed_district = None
            if request.method in SAFE_METHODS:
                district = viewed_district(request)
                if district is not None:
                    view_as_district(user, district)
                    request.viewed_district = district
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if request.method in SAFE_METHODS or user is None or not user.is_authenticated or not can(user, CAPABILITY):
            return None
        namespaces = request.resolver_match.namespaces if request.resolver_match else []
        if namespaces and namespaces[0] in DISTRICT_NAMESPACES:
            raise PermissionDenied(READ_ONLY_MESSAGE)
        return None


@require_POST
def district_switch(request):
    """Pick the district the city level reads (an empty choice goes back to the city pages)."""
    if not can(request.user, CAPABILITY):
        raise PermissionDenied("Выбор района доступен только городскому уровню и администратору портала.")
    raw = (request.POST.get("district") or "").strip()
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = resolve_url("home")
    if not raw:
        request.session.pop(SESSION_KEY, None)
        messages.info(request, "Район не выбран: показаны городские страницы.")
        return HttpResponseRedirect(resolve_url("home"))
    district = districts_for_user(request.user).filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() \
        else None
    if district is None:
        messages.error(request, "Такого района нет среди доступных вам.")
        return HttpResponseRedirect(target)
    request.session[SESSION_KEY] = district.pk
    messages.success(request, f"Показан район: {district.name} (только просмотр).")
    return HttpResponseRedirect(target)


def switcher_context(request) -> dict:
    """For the navbar: the districts to choose from and the one shown (base.html)."""
    user = request.user
    if not can(user, CAPABILITY):
        return {}
    return {"district_switch": {
        "choices": list(districts_for_user(user)),
        "current": getattr(request, "viewed_district", None),
        # An object page of one district is a 404 in another: such pages send the user to the start page.
        "next": "/" if request.resolver_match and request.resolver_match.kwargs else request.get_full_path(),
    }}
