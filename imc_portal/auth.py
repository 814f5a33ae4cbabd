"""Login hardening around django-axes and Django's auth views (README «Вход, блокировка, сеансы»).

- `LoginThrottleBackend`: axes' lockout check as the first authentication backend. Requests
  only: `authenticate()` without a request (the test client's `login()`, a shell, a management
  command) is no web login, nothing to throttle, and is passed on to ModelBackend.
- `lockout_response`: the Russian page (HTTP 429) axes answers a locked-out login with, on the
  portal's form and on /admin/login/ alike.
- `log_failed_login` / `log_lockout`: one log line per failed login and per lockout, with the
  user name and the client address, never the password (axes keeps the attempts in its tables).
- `stamp_session`: starts the session's lifetime and idle clocks (core.middleware) at login.
- `ThrottledPasswordResetView`: Django's reset by e-mail, with the portal's Russian templates and
  a per-address limit on how many reset e-mails one client may ask for.
"""
from __future__ import annotations

import logging

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.shortcuts import render

from core import formatting, ratelimit
from core.middleware import start_session

logger = logging.getLogger("imc_portal.auth")

__all__ = ["LoginThrottleBackend", "PasswordResetDoneView", "ThrottledPasswordResetView", "lockout_response"]


def axes_client_ip(request) -> str | None:
    """The address axes stores (a PostgreSQL `inet` column): None when the request has none.

    The test client's `login()`, a shell or a management command log in with a bare HttpRequest
    (no REMOTE_ADDR); core.ratelimit calls that client «unknown», which is no address for `inet`.
    """
    address = ratelimit.client_ip(request)
    return None if address == ratelimit.UNKNOWN_CLIENT else address


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cooloff_phrase() -> str:
    """«15 минут», «1 час 30 минут»: how long a lockout lasts, as the lockout page says it."""
    cool_off = get_cool_off()
    if not cool_off:
        return ""
    minutes = max(int(cool_off.total_seconds() // 60), 1)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(formatting.count_phrase(hours, "час", "часа", "часов"))
    if minutes:
        parts.append(formatting.count_phrase(minutes, "минуту", "минуты", "минут"))
    return " ".join(parts)


def reset_valid_for() -> str:
    """«24 часа»: how long a password reset link works (PASSWORD_RESET_TIMEOUT)."""
    hours = max(round(settings.PASSWORD_RESET_TIMEOUT / 3600), 1)
    return formatting.count_phrase(hours, "час", "часа", "часов")


def lockout_response(request, original_response=None, credentials=None):
    context = {
        "title": "Вход временно заблокирован",
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff": cooloff_phrase(),
    }
    return render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@receiver(user_login_failed, dispatch_uid="imc_portal.auth.log_failed_login")
def log_failed_login(sender, credentials: dict, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the user name is read anyway.
    username = credentials.get("username", "")
    address = ratelimit.client_ip(request) if request is not None else "-"
    path = request.path if request is not None else "-"
    logger.warning("Failed login: username=%r ip=%s path=%s", username, address, path)


@receiver(user_logged_in, dispatch_uid="imc_portal.auth.stamp_session")
def stamp_session(sender, request=None, user=None, **kwargs) -> None:
    # Lifetime and idle clock of core.middleware.SessionTimeoutMiddleware start at login.
    if request is not None and hasattr(request, "session"):
        start_session(request.session)


@receiver(user_locked_out, dispatch_uid="imc_portal.auth.log_lockout")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    logger.warning("Login locked out after %s failures: username=%r ip=%s",
                   settings.AXES_FAILURE_LIMIT, username, ip_address)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_for": reset_valid_for()}


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link only to an active user with that e-mail; says the same either way."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"valid_for": reset_valid_for()}
        address = ratelimit.client_ip(self.request)
        if not ratelimit.hit(f"password-reset:{address}", limit=settings.PASSWORD_RESET_RATE_LIMIT,
                             window_seconds=3600):
            logger.warning("Password reset refused (rate limit): ip=%s", address)
            form.add_error(None, "Слишком много запросов на восстановление пароля с этого адреса. "
                                 "Попробуйте через час или обратитесь к администратору портала.")
            return self.form_invalid(form)
        return super().form_valid(form)
