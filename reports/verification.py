"""Verification of signed reports: the short link and QR code printed on the PDF, and the public check.

A signed report has a public page /v/<verification_code>/ (reports/urls_public.py) with its number,
date, title, signer and the SHA-256 of the signed PDF. Anyone may upload a PDF there: it is compared
byte for byte (by SHA-256) with the stored signed original, and its embedded signature is validated
(reports/signing.validate_pdf). Uploads are checked in memory and never stored.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.urls import reverse

from core.links import absolute_url

from .models import FileRole, Report, ReportFile, ReportStatus
from .signing import SignatureCheck, validate_pdf

# Largest PDF the public page accepts (bytes).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
QR_SIZE_MM = 25

_XML_HEAD = re.compile(rb"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?")
_SIZE_ATTRS = re.compile(r'\s(width|height)="[^"]*"')


def verification_path(report: Report) -> str:
    return reverse("report_public:verify", args=[report.verification_code])


def verification_url(report: Report, request=None) -> str:
    """The short link printed on the PDF: from the request's host, else from PORTAL_BASE_URL (Celery)."""
    path = verification_path(report)
    if request is not None:
        return request.build_absolute_uri(path)
    return absolute_url(path)


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


@dataclass(frozen=True)
class VerificationResult:
    sha256: str  # of the uploaded file
    original_sha256: str  # of the stored signed PDF
    signature: SignatureCheck

    @property
    def matches(self) -> bool:
        """Byte-identical to the signed original."""
        return bool(self.original_sha256) and self.sha256 == self.original_sha256

    @property
    def verdict(self) -> str:
        if self.matches:
            return "Файл совпадает с подписанным оригиналом"
        return "Файл не совпадает с оригиналом"


def verify_upload(report: Report, data: bytes) -> VerificationResult:
    """Compare an uploaded PDF with the report's signed original and validate its signature."""
    signed = report.files.filter(role=FileRole.SIGNED_PDF).first()
    return VerificationResult(
        sha256=hashlib.sha256(data).hexdigest(),
        original_sha256=signed.sha256 if signed is not None else "",
        signature=validate_pdf(data),
    )


def looks_like_pdf(data: bytes) -> bool:
    """A PDF header within the first kilobyte (ISO 32000 allows leading junk before it)."""
    return b"%PDF-" in data[:1024]
