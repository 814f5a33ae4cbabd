"""Signing certificates of people: sealing them at rest, reading what they say, and the rules for
using one to sign.

    seal / unseal            Fernet (AES-128-CBC + HMAC-SHA256) with SIGNING_CREDENTIALS_KEY; several
                             comma-separated keys rotate (the first seals, every one unseals)
    open_pkcs12              a PKCS#12 file and its password → key, certificate, chain, or a Russian
                             CertificateError
    CertificateFacts         subject, issuer, serial, validity of a certificate (any algorithm:
                             read with asn1crypto, so a GOST certificate is described too)
    subject_names_user       the rule «the certificate names this person» (pure)
    signing_refusal          why this certificate may not sign for this person now ("" = it may)

Nothing here talks to pyHanko or the database; reports/signing.py and reports/services/ do.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import zoneinfo
from dataclasses import asdict, dataclass
from functools import lru_cache

from asn1crypto import x509 as asn1_x509

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
PKCS12_MAX_BYTES = 256 * 1024  # real ones are 3–10 KB; a chain of a dozen certificates fits
KEY_CONTEXT = b"imc-portal/signing-credentials/v1"


class CertificateError(Exception):
    """A certificate that cannot be used; str(error) is the Russian sentence for the page."""


# --- sealing at rest -----------------------------------------------------------------------------


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from SECRET_KEY (HKDF-SHA256): the embedded default, so `make run` works
    with no setup. Production sets SIGNING_CREDENTIALS_KEY (system check reports.E003)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_CONTEXT).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


def configured_keys(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]):
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(key) for key in keys])


def _current_fernet():
    from django.conf import settings

    keys = configured_keys(getattr(settings, "SIGNING_CREDENTIALS_KEY", ""))
    if not keys:
        keys = [derived_key(settings.SECRET_KEY).decode()]
    return _fernet(tuple(keys))


def seal(data: bytes) -> bytes:
    return _current_fernet().encrypt(data)


def unseal(token: bytes) -> bytes:
    """The plain bytes, or CertificateError when no configured key opens the token."""
    from cryptography.fernet import InvalidToken

    try:
        return _current_fernet().decrypt(bytes(token))
    except InvalidToken:
        raise CertificateError(
            "Сертификат подписи не расшифровывается ключом SIGNING_CREDENTIALS_KEY: ключ сменили без "
            "ротации. Администратору портала: верните прежний ключ (через запятую после нового) или "
            "загрузите сертификат заново."
        ) from None


def key_problem(value: str) -> str:
    """Why SIGNING_CREDENTIALS_KEY is unusable ("" when every key is a valid Fernet key)."""
    from cryptography.fernet import Fernet

    for key in configured_keys(value):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            return "a key is not a Fernet key (32 url-safe base64-encoded bytes)"
    return ""


# --- what a certificate says ---------------------------------------------------------------------


def _name_attr(name: asn1_x509.Name, attr: str) -> str:
    value = name.native.get(attr, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).strip()


def moscow_date(moment: dt.datetime) -> str:
    return f"{moment.astimezone(MOSCOW):%d.%m.%Y}"


@dataclass(frozen=True)
class CertificateFacts:
    """What the profile, the stamp and the verification page show about a certificate."""

    common_name: str
    surname: str
    given_name: str
    organisation: str
    title: str
    issuer: str
    serial: str  # upper-case hex, as CAs print it
    not_before: dt.datetime
    not_after: dt.datetime
    fingerprint: str  # SHA-256 of the DER certificate, hex

    @classmethod
    def of(cls, certificate: asn1_x509.Certificate) -> CertificateFacts:
        subject, issuer = certificate.subject, certificate.issuer
        validity = certificate["tbs_certificate"]["validity"]
        return cls(
            common_name=_name_attr(subject, "common_name"),
            surname=_name_attr(subject, "surname"),
            given_name=_name_attr(subject, "given_name"),
            organisation=_name_attr(subject, "organization_name"),
            title=_name_attr(subject, "title"),
            issuer=_name_attr(issuer, "common_name") or _name_attr(issuer, "organization_name"),
            serial=format(certificate.serial_number, "X"),
            not_before=validity["not_before"].native,
            not_after=validity["not_after"].native,
            fingerprint=hashlib.sha256(certificate.dump()).hexdigest(),
        )

    @classmethod
    def of_der(cls, der: bytes) -> CertificateFacts:
        return cls.of(asn1_x509.Certificate.load(der))

    @property
    def validity(self) -> str:
        """«с 01.02.2025 по 02.02.2028» in Moscow dates."""
        return f"с {moscow_date(self.not_before)} по {moscow_date(self.not_after)}"

    @property
    def owner(self) -> str:
        """The person's name as the certificate gives it: CN, else surname and given names."""
        return self.common_name or " ".join(part for part in (self.surname, self.given_name) if part)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["not_before"], data["not_after"] = self.not_before.isoformat(), self.not_after.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> CertificateFacts | None:
        """Facts stored with as_dict(); None for an empty or foreign dict."""
        try:
            values = {name: data[name] for name in cls.__dataclass_fields__}
            values["not_before"] = dt.datetime.fromisoformat(values["not_before"])
            values["not_after"] = dt.datetime.fromisoformat(values["not_after"])
        except (KeyError, TypeError, ValueError):
            return None
        return cls(**values)


def open_pkcs12(data: bytes, password: str):
    """(private key, certificate, chain) of cryptography, or CertificateError with the reason."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not data:
        raise CertificateError("Файл сертификата пустой.")
    if len(data) > PKCS12_MAX_BYTES:
        raise CertificateError("Файл больше 256 КБ — это не файл PKCS#12 (.p12, .pfx) с сертификатом подписи.")
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except Exception:  # cryptography raises ValueError, TypeError … for a wrong password, a broken or GOST file
        raise CertificateError(
            "Файл PKCS#12 не открывается: неверный пароль, файл повреждён или ключ ГОСТ (ключи ГОСТ портал "
            "не использует: подпишите справку в КриптоАРМ и приложите открепленную подпись .sig)."
        ) from None
    if key is None or cert is None:
        raise CertificateError("В файле PKCS#12 нет закрытого ключа или сертификата.")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise CertificateError("Ключ этого типа портал не поддерживает: нужен ключ RSA или ECDSA.")
    return key, cert, list(chain)


def facts_of_pkcs12(data: bytes, password: str) -> CertificateFacts:
    from cryptography.hazmat.primitives.serialization import Encoding

    _, cert, _ = open_pkcs12(data, password)
    return CertificateFacts.of_der(cert.public_bytes(Encoding.DER))


# --- the rules -------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _normal(text: str) -> str:
    return (text or "").casefold().replace("ё", "е").strip()


def _names_person(name: str, last_name: str, given: list[str]) -> bool:
    words = _WORD.findall(_normal(name))
    if last_name not in words:
        return False
    words.remove(last_name)
    # What remains are the given name and the patronymic, in full or as initials, in that order.
    if not len(given) <= len(words) <= 2:
        return False
    for word, part in zip(words, given, strict=False):
        if word != (part[0] if len(word) == 1 else part):
            return False
    return True


def subject_names_user(
    *, common_name: str, surname: str = "", given_name: str = "", last_name: str, first_name: str,
    patronymic: str = "",
) -> bool:
    """The certificate names this person: its CN (or SN + G, as qualified certificates of a legal
    entity's director put them) holds the person's last name as a word, and next to it the first
    name and the patronymic, each in full or as an initial: «Римкявичене Ольга Александровна»,
    «О.А. Римкявичене», «Римкявичене О. А.» all name Римкявичене Ольга Александровна.
    Case does not matter, ё = е. A person without a patronymic matches a certificate with one."""
    last = _normal(last_name)
    given = [_normal(part) for part in (first_name, patronymic) if _normal(part)]
    if not last or not given or not _WORD.fullmatch(last):
        return False
    candidates = [common_name, f"{surname} {given_name}" if surname else ""]
    return any(_names_person(candidate, last, given) for candidate in candidates if candidate)


def user_named_by(facts: CertificateFacts, user) -> bool:
    return subject_names_user(
        common_name=facts.common_name, surname=facts.surname, given_name=facts.given_name,
        last_name=user.last_name, first_name=user.first_name, patronymic=getattr(user, "patronymic", ""),
    )


def validity_refusal(facts: CertificateFacts, now: dt.datetime) -> str:
    if facts.not_after <= now:
        return f"Срок действия сертификата электронной подписи истёк {moscow_date(facts.not_after)}. Нужен новый сертификат."
    if facts.not_before > now:
        return (f"Сертификат электронной подписи начинает действовать только "
                f"{facts.not_before.astimezone(MOSCOW):%d.%m.%Y %H:%M} (МСК).")
    return ""


def name_refusal(facts: CertificateFacts, user) -> str:
    if user_named_by(facts, user):
        return ""
    return (f"Сертификат выдан на «{facts.owner}», а подписывает {user.display_name}: подписывать можно только "
            "своим сертификатом. Загрузите свой сертификат на странице «Сертификат подписи».")


def signing_refusal(facts: CertificateFacts, user, now: dt.datetime | None = None) -> str:
    """Why this certificate may not sign for this user now; "" when it may."""
    now = now or dt.datetime.now(dt.UTC)
    return validity_refusal(facts, now) or name_refusal(facts, user)
