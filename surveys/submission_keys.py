"""Submission keys of the public survey form: issued by the server, signed, scoped to one link.

A key is `<nonce>:<signature>`: a random nonce (what Response.submission_key stores) signed with
SECRET_KEY under a salt naming the campaign and the link. So a client can neither choose a key
nor carry one over from another campaign or link (its signature fails), and the same key posted
twice — a double click, a retried POST, Back + «Отправить» — finds the stored response instead of
storing a second one. Nothing in a key identifies the respondent.

Keys travel in the rendered form (a hidden field) and in the form page's own URL (`?k=`), not in
a session: the page is never cached, so Back or a reload fetches it again, and the URL is what
lets it come back with the same key (surveys/views/respond.py).
"""
from __future__ import annotations

import re
import secrets

from django.core import signing

from .models import CampaignLink

NONCE_BYTES = 16  # token_urlsafe(16): 22 characters, 128 random bits
_SHAPE = re.compile(r"[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{20,100}")


def _signer(link: CampaignLink) -> signing.Signer:
    return signing.Signer(salt=f"surveys.submission:{link.campaign_id}:{link.pk}")


def issue(link: CampaignLink) -> str:
    """A fresh key for one form of this link."""
    return _signer(link).sign(secrets.token_urlsafe(NONCE_BYTES))


def nonce(link: CampaignLink, key: str | None) -> str | None:
    """The nonce of a key this server issued for this link; None for anything else."""
    key = (key or "").strip()
    if not _SHAPE.fullmatch(key):
        return None
    try:
        return _signer(link).unsign(key)
    except signing.BadSignature:
        return None
