"""Helpers for signature tests: the demo CA made by our own command's code into a temporary folder
(never a developer's var/certs/), certificates it issues to people, a small справка-like PDF, signed
reports in the database, and a byte flipped inside the signed range.

    install_demo_certificate(settings, tmp_path_factory, *users) -> the demo CA folder (made once per
        session); each user gets a demo certificate in their own name, stored as their credential
    give_demo_credential(user, **issue) -> SigningCredential (issue: now=, days=, identity=)
    demo_pkcs12(identity, **issue) -> (PKCS#12 bytes, password), cached per identity and validity
    sample_credentials() -> reports.signing.Credentials of «Римкявичене Ольга Александровна»
    cms_signature(data, key=, cert_der=, …) -> a detached CMS built by hand (any OIDs)
    rsa_detached_signature(data, identity) / detached_signature_for(report, user) -> .sig bytes
    sample_pdf(pages=2) -> bytes (WeasyPrint, Cyrillic text, made once per session)
    signed_sample_pdf(settings) -> that sample signed with sample_credentials() (once)
    signed_report(district, signer, *, pdf=b"...") -> Report (status signed, a SIGNED_PDF file row)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from pathlib import Path

DEMO_PASSWORD = "test-p12-password"
SAMPLE_SIGNER = ("Римкявичене", "Ольга", "Александровна")
SAMPLE_ORGANISATION = "ГБУ «ИМЦ» Фрунзенского района"
_ca_folder: list[Path] = []


def install_demo_certificate(settings, tmp_path_factory, *users) -> Path:
    """Point REPORT_SIGNING_* at a demo CA in a session temp folder (made on first use); give each
    user a demo certificate in their own name."""
    from demo.management.commands.create_demo_certificate import demo_ca_ensure

    if not _ca_folder:
        _ca_folder.append(tmp_path_factory.mktemp("demo-ca"))
    settings.REPORT_SIGNING_DEMO_CA_DIR = _ca_folder[0]
    settings.REPORT_SIGNING_TRUST_ROOTS = []
    settings.REPORT_SIGNING_TIMESTAMP_URL = ""
    demo_ca_ensure()
    for user in users:
        give_demo_credential(user)
    return _ca_folder[0]


def identity(last_name: str, first_name: str, patronymic: str = "", *, common_name: str = "",
             organisation: str = SAMPLE_ORGANISATION):
    from demo.management.commands.create_demo_certificate import SignerIdentity

    given = " ".join(part for part in (first_name, patronymic) if part)
    return SignerIdentity(common_name=common_name or f"{last_name} {given}".strip(), organisation=organisation,
                          surname=last_name, given_name=given)


_issued: dict[tuple, tuple[bytes, str]] = {}


def demo_pkcs12(who, *, now: dt.datetime | None = None, days: int | None = None) -> tuple[bytes, str]:
    """A PKCS#12 of the installed demo CA for `who` (a SignerIdentity); the same one for the same
    identity, start and length within the session (an RSA key costs ~0.1 s)."""
    from demo.management.commands.create_demo_certificate import (
        SIGNER_VALIDITY_DAYS,
        demo_ca_ensure,
        issue_certificate,
        pkcs12_bytes,
    )

    ca = demo_ca_ensure()
    days = days or SIGNER_VALIDITY_DAYS
    key = (ca.certificate.serial_number, who, now, days)
    if key not in _issued:
        private_key, certificate = issue_certificate(ca, who, now=now, days=days)
        _issued[key] = (pkcs12_bytes(private_key, certificate, ca, DEMO_PASSWORD), DEMO_PASSWORD)
    return _issued[key]


def give_demo_credential(user, *, who=None, now: dt.datetime | None = None, days: int | None = None):
    """Store a demo certificate as the user's credential (bypassing the upload rules, so tests can
    give someone an expired, future or foreign certificate); returns the SigningCredential."""
    from demo.management.commands.create_demo_certificate import SignerIdentity
    from reports import certificates
    from reports.models import SigningCredential

    data, password = demo_pkcs12(who or SignerIdentity.of(user), now=now, days=days)
    facts = certificates.facts_of_pkcs12(data, password)
    credential = SigningCredential.objects.filter(user=user).first() or SigningCredential(user=user, version=0)
    credential.version += 1
    credential.pkcs12_token, credential.password_token = certificates.seal(data), certificates.seal(password.encode())
    credential.subject, credential.issuer, credential.serial = facts.owner, facts.issuer, facts.serial
    credential.not_before, credential.not_after, credential.fingerprint = facts.not_before, facts.not_after, facts.fingerprint
    credential.save()
    return credential


def sample_credentials():
    from reports.signing import credentials_from_pkcs12

    return credentials_from_pkcs12(*demo_pkcs12(identity(*SAMPLE_SIGNER)))


def cms_signature(data: bytes, *, key, cert_der: bytes, digest_oid: str = "sha256", signature_oid: str = "sha256_rsa",
         sign=None, message_digest: bytes | None = None) -> bytes:
    """A detached CMS SignedData over `data`, built by hand with asn1crypto (what КриптоАРМ writes)."""
    from asn1crypto import algos, cms, core
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    now = dt.datetime.now(dt.UTC)
    cert = asn1_x509.Certificate.load(cert_der)
    if message_digest is not None:
        digest = message_digest  # what the signer's own tool computed (e.g. Стрибог for a ГОСТ signature)
    else:
        digest = hashlib.sha256(data).digest() if digest_oid == "sha256" else b"\x5a" * 32
    attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": now})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [core.OctetString(digest)]}),
    ])
    to_sign = attrs.dump()
    signature = sign(to_sign) if sign else key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": cert.issuer, "serial_number": cert.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest_oid}),
        "signed_attrs": attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": signature_oid}),
        "signature": signature,
    })
    signed = cms.SignedData({
        "version": "v1", "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest_oid})],
        "encap_content_info": {"content_type": "data"}, "certificates": [cert], "signer_infos": [signer],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def rsa_detached_signature(data: bytes, who) -> bytes:
    """A detached RSA signature of `data` by a demo certificate of `who` (a SignerIdentity)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    blob, _ = demo_pkcs12(who)
    key, cert, _ = pkcs12.load_key_and_certificates(blob, DEMO_PASSWORD.encode())
    return cms_signature(data, key=key, cert_der=cert.public_bytes(serialization.Encoding.DER))


def detached_signature_for(report, user) -> bytes:
    """A detached signature by `user`'s demo certificate of the report's final PDF (stored if missing)."""
    from demo.management.commands.create_demo_certificate import SignerIdentity
    from reports.models import FileRole
    from tests.reports.workflow_support import store_file

    final = report.files.filter(role=FileRole.FINAL_PDF).first() or store_file(
        report, FileRole.FINAL_PDF, f"%PDF-1.7 final of report {report.pk}".encode())
    with final.file.open("rb") as handle:
        return rsa_detached_signature(handle.read(), SignerIdentity.of(user))


SAMPLE_HTML = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm 15mm 25mm 25mm; }
body { font-family: "PT Serif", "Liberation Serif", serif; font-size: 12pt; }
table { border-collapse: collapse; } td, th { border: 1px solid #000; padding: 2pt 4pt; }
</style></head><body>
<p>ГБУ «ИМЦ» Фрунзенского района</p><p>от 17.12.2021 № 1-854</p>
<h1>Аналитическая справка по результатам мониторинга</h1>
<table><tr><th>Показатель</th><th>План 2021</th><th>Факт 2021</th></tr>
<tr><td>Доля ОУ района в сетевых сообществах</td><td>40,0 %</td><td>54,8 %</td></tr></table>
{paragraphs}
<p><b>Вывод.</b> Все показатели достигнуты.</p>
</body></html>"""


@lru_cache(maxsize=4)
def sample_pdf(pages: int = 2) -> bytes:
    from weasyprint import HTML

    paragraph = "<p>Сетевое взаимодействие педагогов района: кластеры, сообщества, наставничество.</p>"
    html = SAMPLE_HTML.replace("{paragraphs}", paragraph * (28 * pages - 24))
    return HTML(string=html).write_pdf()


_signed_cache: dict[tuple[str, int], bytes] = {}


def signed_sample_pdf(settings, pages: int = 2) -> bytes:
    """sample_pdf(pages) signed with sample_credentials() (once per demo CA and session)."""
    from reports.signing import sign_pdf

    key = (str(settings.REPORT_SIGNING_DEMO_CA_DIR), pages)
    if key not in _signed_cache:
        _signed_cache[key] = sign_pdf(
            sample_pdf(pages), credentials=sample_credentials(),
            signer_position="Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга",
        )
    return _signed_cache[key]


def byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match, "no /ByteRange in the PDF"
    return tuple(int(x) for x in match.groups())


def tampered(pdf: bytes) -> bytes:
    """One byte changed inside the signed range: a byte of the first content stream's data."""
    start, length, _, _ = byte_range(pdf)
    stream = re.search(rb"stream\r?\n", pdf)
    assert stream and stream.end() + 20 < start + length, "no stream inside the first signed range"
    position = stream.end() + 10
    data = bytearray(pdf)
    data[position] ^= 0x01
    return bytes(data)


def signed_report(district, signer, *, pdf: bytes = b"%PDF-1.7\n% signed report stand-in\n", status: str = "signed"):
    """A report of the district in `status` with a SIGNED_PDF file row holding `pdf`'s SHA-256.

    The file itself is not written to storage (the public page reads only the hash from the
    database), so tests of other apps need no MEDIA_ROOT override.
    """
    from django.utils import timezone

    from reports.models import FileRole, Report, ReportFile

    number = Report.objects.filter(district=district).count() + 854
    report = Report.objects.create(
        district=district,
        kind="monitoring",
        title="Аналитическая справка по результатам мониторинга эффективности сетевого взаимодействия",
        status=status,
        outgoing_year=2021,
        outgoing_number=number,
        outgoing_label=f"1-{number}",
        dated=dt.date(2021, 12, 17),
        created_by=signer,
        approved_by=signer,
        approved_at=timezone.now(),
        signed_by=signer if status == "signed" else None,
        signed_at=timezone.now() if status == "signed" else None,
    )
    from reports.signing import signer_facts

    facts = signer_facts(pdf) if status == "signed" and b"/ByteRange" in pdf else None
    ReportFile.objects.create(
        report=report,
        signature={"certificate": facts.as_dict()} if facts else {},
        role=FileRole.SIGNED_PDF if status == "signed" else FileRole.FINAL_PDF,
        file=f"reports/{district.pk}/{report.pk}/signed.pdf",
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        created_by=signer,
    )
    return report
