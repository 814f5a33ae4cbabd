"""Certificates on the public page /v/<code>/ (no login): reports owns the page and its upload check;
events registers `verify_certificate` with reports.verification.register_verifier at start-up
(`register()`, called by events/certificate_panels.py, which EventsConfig.ready imports).

Reports asks it only when no signed report has the code, after its own rate limit; the upload then goes
through reports' machinery (views_public.check_upload: size refusal, in-memory handler, CSRF, SHA-256
against the stored PDF, the signature of a byte-identical copy validated and cached).
"""
from __future__ import annotations

from django.shortcuts import render


class StoredPdf:
    """What reports' upload check needs of a stored original: its SHA-256 and size."""

    def __init__(self, certificate):
        self.sha256 = certificate.sha256
        try:
            self.size = certificate.pdf.size if certificate.pdf else 0
        except OSError:  # the file is gone from storage: the SHA-256 still identifies a copy
            self.size = 0


def verify_certificate(request, code: str):
    """The certificate's page, or None when no issued certificate has the code (reports shows its 404)."""
    from core.formatting import human_size
    from events.models import Certificate
    from reports.signing import signer_facts
    from reports.views_public import check_upload

    certificate = (
        Certificate.objects.filter(verification_code=code)
        .select_related("event__custom_form", "district__method_centre", "attendance__teacher__organisation")
        .first()
    )
    if certificate is None:
        return None
    original = StoredPdf(certificate)
    signer = None
    if certificate.signed and certificate.pdf:
        try:
            with certificate.pdf.open("rb") as handle:
                signer = signer_facts(handle.read())
        except OSError:
            signer = None

    def page(form, result, limit, status):
        return render(request, "events/certificates_verify.html", {
            "certificate": certificate,
            "event": certificate.event,
            "centre": getattr(certificate.district, "method_centre", None),
            "has_pdf": bool(certificate.sha256),
            "signer": signer,
            "form": form,
            "result": result,
            "max_upload_label": human_size(limit),
        }, status=status)

    if not certificate.sha256:  # issued, PDF not yet made: facts only, nothing to compare with
        return page(None, None, 0, 200)
    return check_upload(request, original, page)


def register() -> None:
    from reports.verification import register_verifier

    register_verifier(verify_certificate)
