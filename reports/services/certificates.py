"""Signers' own certificates: stored sealed (one per person), found for signing under the rules.

    signing_credential_store   a PKCS#12 and its password, from the person's profile page, the
                               portal admin (Django admin) or `create_demo_certificate`
    signing_credential_delete  the person (or the admin) removes it
    signing_credentials_for    the opened signer of a person who may sign now, or ReportError saying
                               why not (no certificate, expired, not yet valid, names someone else)

The password is sealed too (the choice is documented in docs/architecture.md, «PDF and
signatures»): the director signs with one click, and neither the file nor the password is ever
in the database in the clear.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.permissions import can
from imc_portal.models import User
from reports import certificates
from reports.errors import ReportError, ReportForbiddenError
from reports.models import SigningCredential

SIGNING_CAPABILITY = "reports.approve"
NO_CERTIFICATE_MESSAGE = (
    "У вас нет сертификата электронной подписи. Загрузите свой сертификат (файл PKCS#12 .p12/.pfx) на странице "
    "«Сертификат подписи» в меню пользователя или попросите администратора портала."
)


def may_manage_credential(actor: User | None, owner: User) -> bool:
    """The owner on their own profile, or the portal administrator; None is `manage.py` (the server's operator)."""
    if actor is None:
        return True
    if can(actor, "account.administers_portal"):
        return True
    return actor.pk == owner.pk and can(owner, SIGNING_CAPABILITY)


def _authorise(actor: User | None, owner: User) -> None:
    if not may_manage_credential(actor, owner):
        raise ReportForbiddenError("Загружать сертификат подписи может только его владелец или администратор портала.")
    if not can(owner, SIGNING_CAPABILITY):
        raise ReportError(f"{owner.display_name} не подписывает справки: сертификат подписи этому пользователю не нужен.")


@transaction.atomic
def signing_credential_store(*, owner: User, data: bytes, password: str, by: User | None) -> SigningCredential:
    """Seal and store the owner's PKCS#12 (replacing the previous one); refused, changing nothing,
    when it does not open, is expired or names someone else."""
    _authorise(by, owner)
    try:
        facts = certificates.facts_of_pkcs12(data, password or "")
    except certificates.CertificateError as error:
        raise ReportError(str(error)) from None
    now = dt.datetime.now(dt.UTC)
    if facts.not_after <= now:
        raise ReportError(certificates.validity_refusal(facts, now))
    refusal = certificates.name_refusal(facts, owner)
    if refusal:
        raise ReportError(
            f"Сертификат выдан на «{facts.owner}», а не на {owner.display_name}: у каждого подписанта свой сертификат."
        )
    credential = SigningCredential.objects.select_for_update().filter(user=owner).first()
    if credential is None:
        credential = SigningCredential(user=owner, version=1)
    else:
        credential.version += 1
    credential.pkcs12_token = certificates.seal(data)
    credential.password_token = certificates.seal((password or "").encode())
    credential.subject, credential.issuer, credential.serial = facts.owner[:300], facts.issuer[:300], facts.serial[:80]
    credential.not_before, credential.not_after, credential.fingerprint = facts.not_before, facts.not_after, facts.fingerprint
    credential.uploaded_by, credential.uploaded_at = by, timezone.now()
    credential.save()
    return credential


@transaction.atomic
def signing_credential_delete(*, owner: User, by: User | None) -> bool:
    if not may_manage_credential(by, owner):
        raise ReportForbiddenError("Удалить сертификат подписи может только его владелец или администратор портала.")
    deleted, _ = SigningCredential.objects.filter(user=owner).delete()
    return bool(deleted)


def credential_facts(credential: SigningCredential) -> certificates.CertificateFacts:
    """What the profile page shows: the stored copy of the certificate's public facts."""
    return certificates.CertificateFacts(
        common_name=credential.subject, surname="", given_name="", organisation="", title="",
        issuer=credential.issuer, serial=credential.serial, not_before=credential.not_before,
        not_after=credential.not_after, fingerprint=credential.fingerprint,
    )


def signing_credentials_for(user: User):
    """The opened signer (reports.signing.Credentials) of the user, checked against the rules on the
    certificate itself (not the copied facts); ReportError with the Russian reason otherwise."""
    from reports import signing

    credential = SigningCredential.objects.filter(user=user).first()
    if credential is None:
        raise ReportError(NO_CERTIFICATE_MESSAGE)
    try:
        opened = signing.load_credentials(credential)
    except signing.SigningError as error:
        raise ReportError(f"Сертификат подписи не открывается: {error}") from None
    refusal = certificates.signing_refusal(opened.facts, user)
    if refusal:
        raise ReportError(refusal)
    return opened


def signed_file_certificate(report_file) -> certificates.CertificateFacts | None:
    """The certificate of a signed PDF as its CMS names it: stored at signing; read from the file (and
    stored) for reports signed before the portal kept it."""
    from reports import signing
    from reports.models import FileRole

    facts = certificates.CertificateFacts.from_dict((report_file.signature or {}).get("certificate") or {})
    if facts is not None or report_file.role != FileRole.SIGNED_PDF:
        return facts
    try:
        with report_file.file.open("rb") as handle:
            facts = signing.signer_facts(handle.read())
    except (OSError, ValueError):
        return None
    if facts is not None:
        report_file.signature = {**(report_file.signature or {}), "certificate": facts.as_dict()}
        report_file.save(update_fields=["signature"])
    return facts


FILE_LABELS = {"final_pdf": "утверждённый PDF", "signed_pdf": "подписанный PDF (с подписью портала)"}


def detached_signature_summary(report) -> dict | None:
    """What the report page and the verification page show about the attached .sig, or None."""
    from reports.models import FileRole

    stored = report.files.filter(role=FileRole.DETACHED_SIGNATURE).first()
    if stored is None:
        return None
    check = stored.signature or {}
    signed_at = check.get("signed_at") or ""
    return {
        "file": stored,
        "certificate": certificates.CertificateFacts.from_dict(check.get("certificate") or {}),
        "covers": FILE_LABELS.get(check.get("covers", ""), ""),
        "digest_algorithm": check.get("digest_algorithm", ""),
        "crypto_verified": check.get("crypto_verified"),
        "signed_at": dt.datetime.fromisoformat(signed_at) if signed_at else None,
        "checked": check.get("checked", []),
        "not_checked": check.get("not_checked", []),
    }
