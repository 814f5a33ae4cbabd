"""Middleware for privacy and session hygiene; both read only Django settings.

- `PrivacyHeadersMiddleware`: `Permissions-Policy` on every response, and
  `Cache-Control: private, no-store` on every page answered to a logged-in user and on every
  download (a response with Content-Disposition), so neither a shared proxy nor the browser's
  back/forward cache or disk cache keeps a copy of personal data (registry lists, XLSX, PDFs).
- `SessionTimeoutMiddleware`: logs a session out after `SESSION_IDLE_TIMEOUT` seconds without a
  request and `SESSION_COOKIE_AGE` seconds after login, whatever the activity. Django's own
  SESSION_COOKIE_AGE alone is renewed by every write to the session, so it is no absolute limit.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control

__all__ = ["PrivacyHeadersMiddleware", "SessionTimeoutMiddleware", "permissions_policy_header", "start_session"]

NO_STORE = "private, no-store"

# Session keys (underscore: Django's own auth keys look the same and are never shown).
LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
# The last-seen stamp is rewritten at most this often: otherwise every request (htmx polling
# included) would write the session row.
SEEN_RESOLUTION_SECONDS = 60


def start_session(session) -> None:
    """Stamp a fresh login (called on user_logged_in), so the first page writes no session row."""
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} → 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


def is_download(response) -> bool:
    return bool(response.get("Content-Disposition"))


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if is_download(response) or (user is not None and user.is_authenticated):
            # Replaces max-age/public a view may have set: personal data is never cached.
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        return response


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> None:
        session = request.session
        now = int(time.time())
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT)
        idle = settings.SESSION_IDLE_TIMEOUT
        if (login_at is not None and now - login_at > settings.SESSION_COOKIE_AGE) or (
            idle and seen_at is not None and now - seen_at > idle
        ):
            # flush() with a new empty session: the request goes on as anonymous, so
            # LoginRequiredMiddleware sends the browser to the login form with ?next=.
            logout(request)
            return
        if login_at is None:  # a session from before this middleware: its lifetime starts now
            session[LOGIN_AT] = now
        if seen_at is None or now - seen_at >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
