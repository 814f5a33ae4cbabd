"""The ИМЦ requisites a справка's letterhead and signature need, and checks of the registration codes.

`requisites_missing(district)` names what is not filled yet (empty list = complete): reports refuse to
create a справка without them, and the setup wizard (setup/) asks for them up front. The code
validators check the length and the control digit of ИНН (10 digits for an organisation), ОГРН
(13 digits), ОКПО (8 digits for an organisation, 10 for some branches) and the shape of КПП, so a
typo is caught when typed, not when a signed document goes out.
"""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from .models import District, MethodCentre

# The fields the blank of a справка (reports/builders/document.py) and a certificate cannot do without.
REQUIRED_FIELDS: tuple[str, ...] = ("full_name", "short_name", "address", "director_name", "director_position")


def requisites_missing(district: District) -> list[str]:
    """Russian labels of the required requisites not filled for the district (all when there is no ИМЦ)."""
    try:
        centre = district.method_centre
    except MethodCentre.DoesNotExist:
        centre = None
    return centre_missing(centre)


def centre_missing(centre: MethodCentre | None) -> list[str]:
    """Russian labels of the required requisites the ИМЦ (None: none yet) lacks."""
    return [
        str(MethodCentre._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if centre is None or not str(getattr(centre, name) or "").strip()
    ]


def _digits(value: str, lengths: tuple[int, ...], label: str) -> str:
    value = (value or "").strip()
    if not re.fullmatch(r"\d+", value) or len(value) not in lengths:
        shape = " или ".join(str(n) for n in lengths)
        raise ValidationError(f"{label} — {shape} цифр без пробелов.")
    return value


def validate_inn(value: str) -> None:
    """ИНН of an organisation: 10 digits, the last one a weighted control digit."""
    value = _digits(value, (10,), "ИНН организации")
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    control = sum(int(d) * w for d, w in zip(value[:9], weights, strict=True)) % 11 % 10
    if control != int(value[9]):
        raise ValidationError("ИНН не проходит проверку контрольной цифры — проверьте, нет ли опечатки.")


def validate_ogrn(value: str) -> None:
    """ОГРН: 13 digits, the last one = (first 12 mod 11) mod 10."""
    value = _digits(value, (13,), "ОГРН")
    if int(value[:12]) % 11 % 10 != int(value[12]):
        raise ValidationError("ОГРН не проходит проверку контрольной цифры — проверьте, нет ли опечатки.")


def _okpo_control(body: str) -> int:
    for shift in (1, 3):
        total = sum(int(d) * ((i + shift - 1) % 10 + 1) for i, d in enumerate(body)) % 11
        if total < 10:
            return total
    return 0


def validate_okpo(value: str) -> None:
    """ОКПО: 8 digits (an organisation) or 10 (a branch), the last one a control digit."""
    value = _digits(value, (8, 10), "ОКПО")
    if _okpo_control(value[:-1]) != int(value[-1]):
        raise ValidationError("ОКПО не проходит проверку контрольной цифры — проверьте, нет ли опечатки.")


def validate_kpp(value: str) -> None:
    """КПП: 9 characters — 4 digits, 2 digits or capital Latin letters, 3 digits."""
    if not re.fullmatch(r"\d{4}[\dA-Z]{2}\d{3}", (value or "").strip()):
        raise ValidationError("КПП — 9 знаков: 4 цифры, 2 цифры или латинские буквы, 3 цифры.")
