"""Verification of signed reports: the short link and QR code printed on the PDF, and the public check.

A signed report has a public page /v/<verification_code>/ (reports/urls_public.py) with its number,
date, title, signer and the SHA-256 of the signed PDF. Anyone may upload a PDF there; uploads are
checked in memory and never stored. The page is open to anybody, so the check is built to cost
little whatever is uploaded (docs/architecture.md, «Public verification page»):

1. cheap refusals before any parsing: a size limit derived from the stored signed PDF
   (`upload_limit`: 4× its size, at least 1 MiB — real справки are ~80 KB), a `%PDF-` head and a
   `%%EOF` within the last KiB (`upload_refusal`);
2. SHA-256 compared with the stored signed original: byte-identical means «совпадает», and its
   signature is validated once and the verdict cached (`stored_signature_check`);
3. a file that differs is never handed to the PDF parser: it is not the signed document, whatever
   signature it carries, and pyHanko on a crafted file can take seconds of a worker (a 19 MiB junk
   «PDF» took 13 s). A worker thread with a timeout would not stop the CPU it burns, so the page
   says plainly that the file differs, and — a cheap prefix hash — whether it is the original with
   data appended after signing (an incremental update, e.g. a second signature added elsewhere).
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse

from core.links import absolute_url

from .models import FileRole, Report, ReportFile, ReportStatus
from .signing import SignatureCheck, validate_pdf

logger = logging.getLogger(__name__)

MIB = 1024 * 1024
# Largest upload: this many times the stored signed PDF, but never below MIN_UPLOAD_BYTES.
UPLOAD_SIZE_FACTOR = 4
MIN_UPLOAD_BYTES = MIB
# ISO 32000 allows junk before the header; writers put %%EOF at the very end (plus a newline or two).
HEAD_WINDOW = 1024
TAIL_WINDOW = 1024
# The validation verdict of a signed original, by its SHA-256. The version changes when
# SignatureCheck does, so a shared cache never hands back an object of an older shape.
SIGNATURE_CACHE_SECONDS = 24 * 3600
SIGNATURE_CACHE_VERSION = 1
QR_SIZE_MM = 25

_XML_HEAD = re.compile(rb"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?")
_SIZE_ATTRS = re.compile(r'\s(width|height)="[^"]*"')


def verification_path(report: Report) -> str:
    return reverse("report_public:verify", args=[report.verification_code])


def verification_url(report: Report) -> str:
    """The short link printed on the final PDF, on the portal address stored at approval
    (Report.public_base_url; core/links.py), else on PORTAL_BASE_URL."""
    return absolute_url(verification_path(report), base=report.public_base_url)


def qr_svg(url: str, *, size_mm: float | None = QR_SIZE_MM) -> str:
    """An inline <svg> QR code of the URL (no XML declaration), `size_mm` square; None leaves the size
    to CSS (the viewBox stays)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, image_factory=SvgPathImage)
    code.add_data(url)
    code.make(fit=True)
    svg = _XML_HEAD.sub(b"", code.make_image().to_string()).decode("utf-8").strip()
    head_end = svg.index(">")
    head = _SIZE_ATTRS.sub("", svg[:head_end])
    if size_mm is not None:
        head = head.replace("<svg", f'<svg width="{size_mm:g}mm" height="{size_mm:g}mm"', 1)
    return head + svg[head_end:]


# --- other documents on the same page ------------------------------------------------------------
# Apps above reports (events' certificates) print their own codes as /v/<code>/ links. Reports never
# imports them: each registers a verifier at start-up, asked in order when no signed report has the
# code. A verifier gets (request, code) and answers with its page, or None when the code is not its.
_verifiers: list[Callable] = []


def register_verifier(verifier: Callable) -> None:
    """Add a verifier(request, code) -> HttpResponse | None (once: a repeated ready() adds nothing)."""
    if verifier not in _verifiers:
        _verifiers.append(verifier)


def other_verification(request, code: str):
    """The first registered verifier's page for the code, or None."""
    for verifier in _verifiers:
        response = verifier(request, code)
        if response is not None:
            return response
    return None


# --- the public page -----------------------------------------------------------------------------


def signed_report_by_code(code: str) -> tuple[Report, ReportFile] | None:
    """The signed report behind a verification code and its signed PDF; None for anything else."""
    report = (
        Report.objects.filter(verification_code=code, status=ReportStatus.SIGNED)
        .select_related("district", "signed_by")
        .first()
    )
    if report is None:
        return None
    signed = report.files.filter(role=FileRole.SIGNED_PDF).first()
    if signed is None:
        return None
    return report, signed


def replacement_of(report: Report) -> Report | None:
    """The newest signed correction that replaces this report, if any."""
    return report.replaced_by.filter(status=ReportStatus.SIGNED).order_by("-signed_at").first()


def upload_limit(signed: ReportFile) -> int:
    """The largest upload the page reads for this report."""
    return max(MIN_UPLOAD_BYTES, UPLOAD_SIZE_FACTOR * (signed.size or 0))


def upload_refusal(data: bytes) -> str:
    """Why the bytes cannot be a whole PDF (Russian, for the form); empty when they may be."""
    if not data:
        return "Файл пустой."
    if b"%PDF-" not in data[:HEAD_WINDOW]:
        return "Это не PDF-файл. Загрузите справку в формате PDF."
    if b"%%EOF" not in data[-TAIL_WINDOW:]:
        return ("Файл не похож на целый PDF: в конце нет отметки %%EOF. "
                "Загрузите файл справки целиком, в том виде, в каком его скачали.")
    return ""


@dataclass(frozen=True)
class VerificationResult:
    sha256: str  # of the uploaded file
    original_sha256: str  # of the stored signed PDF
    signature: SignatureCheck | None = None  # of the signed original; only for a matching file
    extends_original: bool = False  # the original's bytes followed by data appended after signing

    @property
    def matches(self) -> bool:
        """Byte-identical to the signed original."""
        return bool(self.original_sha256) and self.sha256 == self.original_sha256

    @property
    def verdict(self) -> str:
        if self.matches:
            return "Файл совпадает с подписанным оригиналом"
        return "Файл отличается от подписанного оригинала"


def stored_signature_check(sha256: str, data: bytes) -> SignatureCheck:
    """The validation of the signed original whose bytes are `data`: computed once, then cached."""
    key = f"reports:verify:signature:v{SIGNATURE_CACHE_VERSION}:{sha256}"
    try:
        check = cache.get(key)
    except Exception:  # noqa: BLE001 — without a cache the check is merely recomputed
        logger.warning("verification: cache unavailable", exc_info=True)
        check = None
    if isinstance(check, SignatureCheck):
        return check
    check = validate_pdf(data)
    try:
        cache.set(key, check, timeout=SIGNATURE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("verification: cache unavailable", exc_info=True)
    return check


def verify_upload(signed: ReportFile, data: bytes) -> VerificationResult:
    """Compare an uploaded PDF (already through `upload_refusal`) with the stored signed original.

    Only a byte-identical file has its signature validated; a different file is not parsed at all.
    """
    digest = hashlib.sha256(data).hexdigest()
    if signed.sha256 and digest == signed.sha256:
        return VerificationResult(digest, signed.sha256, signature=stored_signature_check(digest, data))
    extends = bool(signed.size) and len(data) > signed.size and (
        hashlib.sha256(data[:signed.size]).hexdigest() == signed.sha256
    )
    return VerificationResult(digest, signed.sha256, extends_original=extends)
