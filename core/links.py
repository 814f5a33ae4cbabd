"""The portal's public address, and absolute links built on it.

Links that leave the portal — the verification link and QR code printed into a signed PDF, links
in e-mails sent by Celery — must point at the address people reach the portal on. A signed PDF
cannot be changed afterwards, so a wrong address there is dead forever.

- `PORTAL_BASE_URL` set (required when DEBUG is off; core/checks.py): always that.
- Embedded default (DEBUG on, the variable unset): the address of the request that triggered the
  action (`portal_base_url(request)`), e.g. the director's approval on http://127.0.0.1:8765;
  reports store it when approved (Report.public_base_url) so their PDF is rendered with it later.
- No setting and no request (Celery, management commands in development): DEVELOPMENT_BASE_URL,
  the address `make run` serves on.
"""
from __future__ import annotations

from django.conf import settings

DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"


def configured_base_url() -> str:
    """PORTAL_BASE_URL without a trailing slash; empty when unset."""
    return (getattr(settings, "PORTAL_BASE_URL", "") or "").strip().rstrip("/")


def portal_base_url(request=None) -> str:
    """The portal's public address: PORTAL_BASE_URL, else the request's scheme and host, else the
    development address. No trailing slash."""
    configured = configured_base_url()
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEVELOPMENT_BASE_URL


def absolute_url(path: str, *, base: str = "") -> str:
    """`base` (or the portal's address) + path, e.g. «https://imc.example.ru» + «/s/abc/»."""
    return (base.strip() or portal_base_url()).rstrip("/") + path
