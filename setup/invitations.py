"""Invitations to set a password: Django's own token machinery, not a token of our own.

`InvitationTokenGenerator` is Django's PasswordResetTokenGenerator with its own salt: an invitation
link cannot be used as a password-reset link or the other way round. The token hashes the user's
password and last login, so it stops working once the password is set; it expires after
PASSWORD_RESET_TIMEOUT, and the wizard can always show a fresh one.
"""
from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.links import absolute_url


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "setup.invitations.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()


def invitation_path(user) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("setup_public:invitation", kwargs={"uidb64": uidb64,
                                                      "token": invitation_token_generator.make_token(user)})


def invitation_url(user, *, base: str = "") -> str:
    return absolute_url(invitation_path(user), base=base)


def is_pending(user) -> bool:
    """Invited and not yet arrived: no usable password was ever set."""
    return not user.has_usable_password()
