"""System checks of core settings (run by `manage.py check`, `migrate`, CI's `make check`).

core.E001  PORTAL_BASE_URL is unset while DEBUG is off: signed PDFs would print a dead link
           (a deployment check: `check --deploy`, which docker-compose's `migrate` runs before migrating)
core.E002  PORTAL_BASE_URL is not an http(s) address with a host

E001 asks about the server's environment, not the code: as a deployment check it leaves a developer's
`makemigrations --check` or `check` without DEBUG alone, and still stops a production start.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from .links import configured_base_url

HINT_EXAMPLE = "PORTAL_BASE_URL=https://imc.example.ru"


def _applies(app_configs) -> bool:
    # `manage.py check <app>` asks about other apps only.
    return app_configs is None or any(config.label == "core" for config in app_configs)


def portal_base_url_set(app_configs=None, **kwargs) -> list[Error]:
    if not _applies(app_configs):
        return []
    base = configured_base_url()
    if not base:
        if settings.DEBUG:
            return []  # the embedded default takes the address from the approving request
        return [Error(
            "PORTAL_BASE_URL is not set, but DEBUG is off.",
            hint=(
                "Укажите публичный адрес портала в PORTAL_BASE_URL (например, "
                f"{HINT_EXAMPLE}): он печатается в подписанных справках (ссылка и QR-код проверки) "
                "и в письмах, и изменить его в уже подписанных документах нельзя. / Set PORTAL_BASE_URL "
                "to the portal's public address: it is printed into signed documents (verification "
                "link and QR code) and e-mails, and cannot be changed in documents already signed."
            ),
            id="core.E001",
        )]
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return [Error(
            f"PORTAL_BASE_URL={base!r} is not an http(s) address with a host name.",
            hint=(f"Пример: {HINT_EXAMPLE} (без параметров и якоря). / Example: {HINT_EXAMPLE} "
                  "(no query string or fragment)."),
            id="core.E002",
        )]
    return []


@register(deploy=True)
def portal_base_url_required(app_configs=None, **kwargs) -> list[Error]:
    return [e for e in portal_base_url_set(app_configs) if e.id == "core.E001"]


@register()
def portal_base_url_valid(app_configs=None, **kwargs) -> list[Error]:
    return [e for e in portal_base_url_set(app_configs) if e.id != "core.E001"]
