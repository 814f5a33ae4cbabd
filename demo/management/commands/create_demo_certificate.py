"""`manage.py create_demo_certificate`: a self-signed demo CA and the ИМЦ director's signing certificate.

Writes into the folder of REPORT_SIGNING_PKCS12_PATH (var/certs/ by default, never committed):

    signer.p12    the director's key and certificate (+ the CA) in PKCS#12, protected with
                  REPORT_SIGNING_PKCS12_PASSWORD (unencrypted when the password is empty)
    root-ca.pem   the demo CA certificate: the trust root for pyHanko, pdfsig (certutil) or Adobe
    signer.pem    the director's certificate alone, for people who want to look at it

Idempotent: an existing certificate that opens with the password and is valid for at least 30 more
days is kept (unless --force). An expired or unreadable *demo* certificate is replaced; anything
else at that path (a real certificate of the ИМЦ) is never overwritten without --force.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.signing import (
    DEMO_CA_NAME,
    ROOT_PEM_NAME,
    SIGNER_PEM_NAME,
    SigningError,
    credentials_validity,
    load_credentials,
    pkcs12_path,
)

# The Frunzensky ИМЦ of seed 000 (demo/registry/districts.py), whose справка the demo signs.
DEFAULT_SIGNER_NAME = "О.А. Римкявичене"
DEFAULT_ORGANISATION = "ГБУ «ИМЦ» Фрунзенского района"
DEFAULT_TITLE = "Директор"
SIGNER_VALIDITY_DAYS = 3 * 365 + 1  # three years (one of them leap)
CA_VALIDITY_DAYS = 5 * 365 + 1  # the CA outlives the certificates it issues
KEEP_IF_VALID_FOR = dt.timedelta(days=30)
KEY_SIZE = 2048


@dataclass(frozen=True)
class SignerIdentity:
    name: str
    organisation: str
    title: str


def _name(*attributes: tuple) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes if value])


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def build_demo_certificates(identity: SignerIdentity, *, now: dt.datetime | None = None):
    """(ca_key, ca_cert, signer_key, signer_cert) — fresh keys, RSA 2048, SHA-256."""
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    not_before = now - dt.timedelta(minutes=5)  # clocks of validators may lag a little
    ca_key, signer_key = _new_key(), _new_key()

    ca_subject = _name(
        (NameOID.COUNTRY_NAME, "RU"),
        (NameOID.ORGANIZATION_NAME, identity.organisation),
        (NameOID.COMMON_NAME, DEMO_CA_NAME),
    )
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=CA_VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    signer_subject = _name(
        (NameOID.COUNTRY_NAME, "RU"),
        (NameOID.ORGANIZATION_NAME, identity.organisation),
        (NameOID.TITLE, identity.title),
        (NameOID.COMMON_NAME, identity.name),
    )
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(signer_subject)
        .issuer_name(ca_subject)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=SIGNER_VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return ca_key, ca_cert, signer_key, signer_cert


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def write_demo_certificates(
    identity: SignerIdentity, path: Path, password: str, *, now: dt.datetime | None = None
) -> x509.Certificate:
    _, ca_cert, signer_key, signer_cert = build_demo_certificates(identity, now=now)
    encryption = (
        serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    )
    p12 = pkcs12.serialize_key_and_certificates(
        name=identity.name.encode(), key=signer_key, cert=signer_cert, cas=[ca_cert], encryption_algorithm=encryption
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # The CA first: a validator never sees a new signer without its root.
    _write_atomically(path.parent / ROOT_PEM_NAME, ca_cert.public_bytes(serialization.Encoding.PEM), 0o644)
    _write_atomically(path.parent / SIGNER_PEM_NAME, signer_cert.public_bytes(serialization.Encoding.PEM), 0o644)
    _write_atomically(path, p12, 0o600)
    return signer_cert


class Command(BaseCommand):
    help = (
        "Создаёт демонстрационный сертификат подписи справок: самоподписанный «Демонстрационный УЦ ИМЦ» и "
        "сертификат директора ИМЦ (PKCS#12 по пути REPORT_SIGNING_PKCS12_PATH, корневой сертификат root-ca.pem "
        "рядом). Действующий сертификат сохраняется; --force создаёт новый."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="создать новый сертификат, даже если есть действующий")
        parser.add_argument(
            "--district",
            help="код района: ФИО, должность и краткое наименование ИМЦ берутся из его реквизитов (например frunzensky)",
        )
        parser.add_argument("--name", help=f"ФИО владельца (по умолчанию «{DEFAULT_SIGNER_NAME}»)")
        parser.add_argument("--organisation", help=f"краткое наименование ИМЦ (по умолчанию «{DEFAULT_ORGANISATION}»)")
        parser.add_argument("--title", help=f"должность (по умолчанию «{DEFAULT_TITLE}»)")

    def handle(self, *args, **options) -> None:
        path = pkcs12_path()
        password = settings.REPORT_SIGNING_PKCS12_PASSWORD
        if path.exists() and not options["force"]:
            keep, reason = self._existing_verdict()
            if keep:
                self.stdout.write(f"Сертификат уже есть и действует: {path} ({reason}). Новый не создан (--force).")
                return
            if reason:
                raise CommandError(reason)
        identity = self._identity(options)
        cert = write_demo_certificates(identity, path, password)
        self.stdout.write(self.style.SUCCESS(
            f"Создан демонстрационный сертификат «{identity.name}», {identity.organisation}: {path}\n"
            f"  серийный номер {cert.serial_number:X}, действует "
            f"с {cert.not_valid_before_utc:%d.%m.%Y} по {cert.not_valid_after_utc:%d.%m.%Y}\n"
            f"  корневой сертификат для проверки подписи: {path.parent / ROOT_PEM_NAME}"
        ))

    def _existing_verdict(self) -> tuple[bool, str]:
        """(keep, text): keep a valid one; replace an expired or broken demo one; refuse anything else."""
        path = pkcs12_path()
        try:
            credentials = load_credentials(check_validity=False)
        except SigningError as error:
            if _looks_like_demo(path):
                return False, ""
            return False, f"{error} Файл не создан демонстрационным УЦ; чтобы заменить его, запустите с --force."
        now = dt.datetime.now(dt.UTC)
        valid_long_enough = credentials.not_before <= now and credentials.not_after - KEEP_IF_VALID_FOR > now
        if valid_long_enough and not (credentials.is_demo and not (path.parent / ROOT_PEM_NAME).exists()):
            return True, f"действует {credentials_validity(credentials)}"
        if credentials.is_demo:  # expiring, expired, or its root is lost: make a new pair
            return False, ""
        return False, (
            f"Сертификат {path} выдан не демонстрационным УЦ и действует {credentials_validity(credentials)}; "
            "заменять его демонстрационным можно только с --force."
        )

    def _identity(self, options) -> SignerIdentity:
        name, organisation, title = DEFAULT_SIGNER_NAME, DEFAULT_ORGANISATION, DEFAULT_TITLE
        if options.get("district"):
            from clusters.models import MethodCentre

            centre = MethodCentre.objects.filter(district__code=options["district"]).first()
            if centre is None:
                raise CommandError(f"У района «{options['district']}» нет ИМЦ с реквизитами.")
            name, organisation, title = centre.director_name, centre.short_name, centre.director_position
        return SignerIdentity(
            name=options.get("name") or name,
            organisation=options.get("organisation") or organisation,
            title=options.get("title") or title,
        )


def _looks_like_demo(path: Path) -> bool:
    """An unreadable PKCS#12 next to our demo root (e.g. the password changed) was made by this command."""
    root = path.parent / ROOT_PEM_NAME
    try:
        ca = x509.load_pem_x509_certificate(root.read_bytes())
    except (OSError, ValueError):
        return False
    names = ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return bool(names) and names[0].value == DEMO_CA_NAME
