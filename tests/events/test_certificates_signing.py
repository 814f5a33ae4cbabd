"""Signed certificates: the district's director's demo certificate signs the PDFs (like справки); pyHanko
(reports.signing.validate_pdf) and poppler's pdfsig call them valid; the public page /v/<code>/ — reports'
page, through the verifier events registers — shows the certificate and refuses a tampered copy."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events import verification as events_verification
from events.models import Certificate
from events.services import certificates as service
from reports import signing
from reports.verification import _verifiers
from tests.events.factories import CertAttendanceFactory, CertHeldEventFactory
from tests.reports.signing_helpers import install_demo_certificate, tampered

VALID = "Signature Validation: Signature is Valid."
TRUSTED = "Certificate Validation: Certificate is Trusted."


@pytest.fixture(autouse=True)
def _verifier_and_clean_cache():
    """The verifier the events app registers at start-up (idempotent); rate-limit counters start clean."""
    events_verification.register()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_ca(settings, tmp_path_factory, director):
    return install_demo_certificate(settings, tmp_path_factory, director)


@pytest.fixture
def signed_certificate(demo_ca, district_a, methodist, django_capture_on_commit_callbacks) -> Certificate:
    event = CertHeldEventFactory(district=district_a, title="Региональный семинар «Цифровая школа»", hours=6)
    CertAttendanceFactory(event=event, full_name="Петрова Ольга Игоревна")
    with django_capture_on_commit_callbacks(execute=True):
        service.certificates_issue(event=event, user=methodist)
    return event.certificates.get()


def _pdf(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_register_is_idempotent():
    events_verification.register()
    assert _verifiers.count(events_verification.verify_certificate) == 1


def test_the_pdf_is_signed_with_the_directors_certificate_and_validates(signed_certificate, director):
    pdf = _pdf(signed_certificate)

    check = signing.validate_pdf(pdf)

    assert signed_certificate.signed
    assert check.valid and check.trusted and check.covers_whole_file
    assert director.last_name in check.signer
    assert signed_certificate.sha256 == signing.sha256_hex(pdf)


def test_without_a_signing_certificate_the_pdf_is_unsigned(district_a, methodist, django_capture_on_commit_callbacks):
    event = CertHeldEventFactory(district=district_a)
    CertAttendanceFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        service.certificates_issue(event=event, user=methodist)

    certificate = event.certificates.get()
    assert certificate.pdf and not certificate.signed
    assert not signing.validate_pdf(_pdf(certificate)).signed


@pytest.fixture
def nss_db(demo_ca, tmp_path):
    missing = [tool for tool in ("pdfsig", "certutil") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (Debian: poppler-utils, libnss3-tools)")
    db = tmp_path / "nss"
    db.mkdir()
    for args in (("certutil", "-N", "--empty-password", "-d", f"sql:{db}"),
                 ("certutil", "-A", "-n", "demo-root", "-t", "CT,C,C", "-i", str(demo_ca / "root-ca.pem"),
                  "-d", f"sql:{db}")):
        done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
    return f"sql:{db}"


def test_pdfsig_calls_the_certificate_valid_and_a_tampered_copy_not(signed_certificate, nss_db, tmp_path):
    path = tmp_path / "certificate.pdf"
    results = {}
    for label, data in (("original", _pdf(signed_certificate)), ("tampered", tampered(_pdf(signed_certificate)))):
        path.write_bytes(data)
        done = subprocess.run(("pdfsig", "-nssdir", nss_db, str(path)), capture_output=True, text=True, timeout=60,
                              check=False)
        results[label] = done.stdout

    assert VALID in results["original"] and TRUSTED in results["original"]
    assert "Total document signed" in results["original"]
    assert VALID not in results["tampered"]


def test_the_public_page_shows_the_certificate(signed_certificate, anonymous):
    response = anonymous.get(reverse("report_public:verify", args=[signed_certificate.verification_code]))

    assert response.status_code == 200
    text = _text(response)
    assert "Проверка сертификата" in text
    assert "№ С-2021/0001" in text
    assert "Петрова Ольга Игоревна" in text
    assert "Региональный семинар «Цифровая школа»" in text and "18.03.2021" in text
    assert "6 ч" in text
    assert "подписан электронной подписью" in text
    assert signed_certificate.sha256 in text


def test_the_public_page_accepts_the_original_and_refuses_a_tampered_copy(signed_certificate, anonymous):
    url = reverse("report_public:verify", args=[signed_certificate.verification_code])
    original = _pdf(signed_certificate)

    same = anonymous.post(url, {"file": SimpleUploadedFile("c.pdf", original, content_type="application/pdf")})
    changed = anonymous.post(url, {"file": SimpleUploadedFile("c.pdf", tampered(original),
                                                              content_type="application/pdf")})

    assert 'data-testid="verify-match"' in same.content.decode()
    assert "Электронная подпись действительна" in _text(same)
    assert 'data-testid="verify-mismatch"' in changed.content.decode()
    assert "Файл отличается от выданного сертификата" in _text(changed)


def test_the_public_page_refuses_a_non_pdf_in_words(signed_certificate, anonymous):
    url = reverse("report_public:verify", args=[signed_certificate.verification_code])

    response = anonymous.post(url, {"file": SimpleUploadedFile("c.pdf", b"hello", content_type="application/pdf")})

    assert response.status_code == 200
    assert "Это не PDF-файл" in _text(response)


def test_an_unknown_code_is_still_reports_404(anonymous):
    response = anonymous.get(reverse("report_public:verify", args=["NoSuchCode123"]))

    assert response.status_code == 404


def test_a_certificate_whose_pdf_is_pending_shows_its_facts(district_a, methodist, anonymous):
    event = CertHeldEventFactory(district=district_a)
    CertAttendanceFactory(event=event, full_name="Смирнова Анна")
    service.certificates_issue(event=event, user=methodist)  # not committed: no PDF yet
    certificate = event.certificates.get()

    response = anonymous.get(reverse("report_public:verify", args=[certificate.verification_code]))

    assert response.status_code == 200
    assert "Смирнова Анна" in _text(response) and "ещё формируется" in _text(response)
    assert "без электронной подписи" in _text(response)
