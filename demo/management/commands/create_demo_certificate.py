"""`manage.py create_demo_certificate`: the demo CA and a signing certificate for every demo director.

The demo CA lives in REPORT_SIGNING_DEMO_CA_DIR (var/certs/ by default, never committed):

    root-ca.pem      the demo CA certificate: the trust root for pyHanko, pdfsig (certutil) or Adobe
    root-ca-key.pem  its key (0600), so that later runs issue certificates under the same root

Each director gets a certificate in their own name (CN «Фамилия Имя Отчество», SN, G, T, O of their
ИМЦ), as a PKCS#12 with a random password stored sealed through the same service the profile page
uses (reports.services.signing_credential_store). Idempotent: a director who has a credential
valid for at least 30 more days keeps it; an expiring demo one is replaced; a certificate that the
demo CA did not issue (a real one, uploaded by the director) is never touched. A CA that expires
within 30 days is replaced, and then every demo-issued credential is issued again.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management.base import BaseCommand, CommandError

from core.permissions import roles_with
from demo.registry.districts import DEMO_DISTRICT_CODES
from imc_portal.models import User
from reports import services
from reports.errors import ReportError
from reports.models import SigningCredential
from reports.signing import DEMO_CA_NAME, ROOT_PEM_NAME, demo_ca_dir

ROOT_KEY_NAME = "root-ca-key.pem"
DEFAULT_TITLE = "Директор"
SIGNER_VALIDITY_DAYS = 3 * 365 + 1  # three years (one of them leap)
CA_VALIDITY_DAYS = 5 * 365 + 1  # the CA outlives the certificates it issues
KEEP_IF_VALID_FOR = dt.timedelta(days=30)
KEY_SIZE = 2048


@dataclass(frozen=True)
class SignerIdentity:
    common_name: str
    organisation: str
    title: str = DEFAULT_TITLE
    surname: str = ""
    given_name: str = ""

    @classmethod
    def of(cls, user: User) -> SignerIdentity:
        """The user's full name, as a qualified certificate gives it (CN, SN, G), and their ИМЦ."""
        given = " ".join(part for part in (user.first_name, user.patronymic) if part)
        centre = getattr(user.district, "method_centre", None) if user.district_id else None
        return cls(
            common_name=f"{user.last_name} {given}".strip(), surname=user.last_name, given_name=given,
            organisation=centre.short_name if centre else "", title=DEFAULT_TITLE,
        )


@dataclass(frozen=True)
class DemoCA:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    created: bool = False


def _name(*attributes: tuple) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes if value])


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )


def build_demo_ca(*, now: dt.datetime | None = None) -> DemoCA:
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    not_before = now - dt.timedelta(minutes=5)  # clocks of validators may lag a little
    key = _new_key()
    subject = _name((NameOID.COUNTRY_NAME, "RU"), (NameOID.ORGANIZATION_NAME, "Портал ИМЦ (демонстрация)"),
                    (NameOID.COMMON_NAME, DEMO_CA_NAME))
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_before + dt.timedelta(days=CA_VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return DemoCA(key=key, certificate=certificate, created=True)


def issue_certificate(
    ca: DemoCA, identity: SignerIdentity, *, now: dt.datetime | None = None, days: int = SIGNER_VALIDITY_DAYS,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A fresh RSA-2048 key and its certificate from the demo CA, valid `days` from `now` (backdated 5 minutes)."""
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    not_before = now - dt.timedelta(minutes=5)
    key = _new_key()
    subject = _name(
        (NameOID.COUNTRY_NAME, "RU"), (NameOID.ORGANIZATION_NAME, identity.organisation),
        (NameOID.TITLE, identity.title), (NameOID.SURNAME, identity.surname),
        (NameOID.GIVEN_NAME, identity.given_name), (NameOID.COMMON_NAME, identity.common_name),
    )
    ca_ski = ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(ca.certificate.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before).not_valid_after(not_before + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return key, certificate


def pkcs12_bytes(key, certificate: x509.Certificate, ca: DemoCA, password: str) -> bytes:
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(
        name=certificate.subject.rfc4514_string().encode(), key=key, cert=certificate, cas=[ca.certificate],
        encryption_algorithm=encryption,
    )


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _stored_ca(folder: Path) -> DemoCA | None:
    try:
        certificate = x509.load_pem_x509_certificate((folder / ROOT_PEM_NAME).read_bytes())
        key = serialization.load_pem_private_key((folder / ROOT_KEY_NAME).read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names or names[0].value != DEMO_CA_NAME or not isinstance(key, rsa.RSAPrivateKey):
        return None
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        return None
    return DemoCA(key=key, certificate=certificate)


def demo_ca_ensure(*, force: bool = False, now: dt.datetime | None = None) -> DemoCA:
    """The demo CA of REPORT_SIGNING_DEMO_CA_DIR; a new one when missing, broken or expiring (or forced)."""
    folder = demo_ca_dir()
    now = now or dt.datetime.now(dt.UTC)
    stored = None if force else _stored_ca(folder)
    if stored is not None and stored.certificate.not_valid_after_utc - KEEP_IF_VALID_FOR > now:
        return stored
    ca = build_demo_ca(now=now)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / ROOT_KEY_NAME, ca.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), 0o600)
    _write_atomically(folder / ROOT_PEM_NAME, ca.certificate.public_bytes(serialization.Encoding.PEM), 0o644)
    return ca


def demo_directors() -> list[User]:
    """Every active user of a demo district whose role signs справки."""
    return list(User.objects.filter(
        role__in=roles_with("reports.approve"), district__code__in=DEMO_DISTRICT_CODES, is_active=True,
    ).select_related("district__method_centre").order_by("district__code", "username"))


def _keeps(credential: SigningCredential | None, ca: DemoCA, now: dt.datetime) -> bool:
    if credential is None:
        return False
    if credential.issuer != DEMO_CA_NAME:
        return True  # a real certificate the director uploaded: never replaced by a demo one
    return not ca.created and credential.not_after - KEEP_IF_VALID_FOR > now


def demo_credentials_ensure(
    users: Iterable[User] | None = None, *, force: bool = False, stdout: TextIO | None = None,
) -> list[User]:
    """Issue and store a demo certificate for each director without a usable one; returns those issued now."""
    ca = demo_ca_ensure(force=force)
    now = dt.datetime.now(dt.UTC)
    issued = []
    for user in demo_directors() if users is None else users:
        existing = SigningCredential.objects.filter(user=user).first()
        if not force and _keeps(existing, ca, now):
            continue
        if existing is not None and existing.issuer != DEMO_CA_NAME:
            continue
        key, certificate = issue_certificate(ca, SignerIdentity.of(user), now=now)
        password = secrets.token_urlsafe(18)
        try:
            services.signing_credential_store(owner=user, data=pkcs12_bytes(key, certificate, ca, password),
                                              password=password, by=None)
        except ReportError as error:
            raise CommandError(f"{user.username}: {error}") from None
        issued.append(user)
        if stdout is not None:
            stdout.write(f"Сертификат подписи: {user.display_name} ({user.username}), № {certificate.serial_number:X}, "
                         f"действует по {certificate.not_valid_after_utc:%d.%m.%Y}.\n")
    return issued


class Command(BaseCommand):
    help = (
        "Создаёт демонстрационный УЦ (корневой сертификат root-ca.pem в REPORT_SIGNING_DEMO_CA_DIR) и выдаёт "
        "каждому директору демонстрационных районов сертификат подписи на его имя. Действующие сертификаты "
        "сохраняются; --force выдаёт новые (загруженные директорами настоящие сертификаты не трогаются)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="новый УЦ и новые демонстрационные сертификаты")
        parser.add_argument("--user", action="append", default=[], metavar="USERNAME",
                            help="выдать сертификат этому пользователю (можно несколько раз); по умолчанию — "
                                 "всем директорам демонстрационных районов")

    def handle(self, *args, **options) -> None:
        users = None
        if options["user"]:
            found = {u.username: u for u in User.objects.filter(username__in=options["user"])}
            missing = [name for name in options["user"] if name not in found]
            if missing:
                raise CommandError(f"Нет пользователей: {', '.join(missing)}.")
            users = [found[name] for name in options["user"]]
        issued = demo_credentials_ensure(users, force=options["force"], stdout=self.stdout)
        root = demo_ca_dir() / ROOT_PEM_NAME
        if not issued:
            self.stdout.write(f"Новые сертификаты не нужны: у директоров есть действующие. Корневой сертификат: {root}")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Выдано сертификатов: {len(issued)}. Корневой сертификат для проверки подписи: {root}"))
