"""reports/verification.py and the public page /v/<code>/: the short link, the QR code, and the check of
an uploaded copy against the signed original (byte-identical by SHA-256; only then is the signature
validated). Abuse resistance (size, shape, rate limit, wrong codes): test_verification_abuse.py; the
portal address printed into the PDF: test_verification_base_url.py."""
from __future__ import annotations

import hashlib
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports import signing, verification, views_public
from reports.models import ReportFile
from tests.reports.signing_helpers import (
    install_demo_certificate,
    sample_pdf,
    signed_report,
    signed_sample_pdf,
    tampered,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached signature verdicts live in the cache: every test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(settings, tmp_path_factory):
    return install_demo_certificate(settings, tmp_path_factory)


@pytest.fixture
def signed_pdf(certificate, settings):
    return signed_sample_pdf(settings)


@pytest.fixture
def report(district_a, director, signed_pdf):
    director.last_name, director.first_name, director.patronymic = "Римкявичене", "Ольга", "Альгирдовна"
    director.position = "Директор"
    director.save()
    return signed_report(district_a, director, pdf=signed_pdf)


def _url(report) -> str:
    return reverse("report_public:verify", args=[report.verification_code])


def _upload(client: Client, report, data: bytes, name: str = "spravka.pdf"):
    return client.post(_url(report), {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- the short link and the QR code --------------------------------------------------------------


def test_verification_url_uses_the_address_stored_at_approval(settings, district_a, director):
    settings.PORTAL_BASE_URL = "https://imc.example.ru/"
    report = signed_report(district_a, director)
    report.public_base_url = "https://portal.imc.spb.ru"

    assert verification.verification_url(report) == f"https://portal.imc.spb.ru/v/{report.verification_code}/"


def test_verification_url_of_a_report_approved_before_it_was_stored_uses_portal_base_url(
        settings, district_a, director):
    report = signed_report(district_a, director)
    assert report.public_base_url == ""
    settings.PORTAL_BASE_URL = "https://imc.example.ru/"

    assert verification.verification_url(report) == f"https://imc.example.ru/v/{report.verification_code}/"


def test_qr_svg_is_an_inline_svg_of_the_url():
    svg = verification.qr_svg("https://imc.example.ru/v/AbCdEfGh1234/")

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert 'width="25mm" height="25mm"' in svg and "viewBox=" in svg
    assert "<path" in svg
    # A 37-character URL fits QR version 3 (29 modules) at level M; with 2 modules of quiet zone: 33.
    assert 'viewBox="0 0 33 33"' in svg
    assert verification.qr_svg("https://imc.example.ru/v/AbCdEfGh1234/") == svg  # deterministic

    free = verification.qr_svg("https://imc.example.ru/v/AbCdEfGh1234/", size_mm=None)
    assert "width=" not in free.split(">", 1)[0] and "viewBox=" in free


# --- verify_upload ---------------------------------------------------------------------------------


def _signed_file(report) -> ReportFile:
    return report.files.get(role="signed_pdf")


def test_verify_upload_of_the_original_matches_and_validates(report, signed_pdf):
    result = verification.verify_upload(_signed_file(report), signed_pdf)

    assert result.matches and result.verdict == "Файл совпадает с подписанным оригиналом"
    assert result.sha256 == result.original_sha256 == hashlib.sha256(signed_pdf).hexdigest()
    assert result.signature.valid and result.signature.signer == "Римкявичене Ольга Александровна"


def test_the_originals_signature_is_validated_once_then_taken_from_the_cache(report, signed_pdf, monkeypatch):
    calls = []
    real = verification.validate_pdf
    monkeypatch.setattr(verification, "validate_pdf", lambda data: calls.append(1) or real(data))

    first = verification.verify_upload(_signed_file(report), signed_pdf)
    second = verification.verify_upload(_signed_file(report), signed_pdf)

    assert len(calls) == 1
    assert first.signature == second.signature and second.signature.valid


def test_a_copy_with_one_changed_byte_differs_and_is_never_parsed(report, signed_pdf, monkeypatch):
    monkeypatch.setattr(verification, "validate_pdf", _must_not_parse)

    result = verification.verify_upload(_signed_file(report), tampered(signed_pdf))

    assert not result.matches and result.verdict == "Файл отличается от подписанного оригинала"
    assert result.signature is None and not result.extends_original


def test_the_original_with_data_appended_after_signing_is_recognised(report, signed_pdf, monkeypatch):
    monkeypatch.setattr(verification, "validate_pdf", _must_not_parse)

    result = verification.verify_upload(_signed_file(report), signed_pdf + b"1 0 obj\n<<>>\nendobj\n%%EOF\n")

    assert not result.matches and result.extends_original and result.signature is None


def _must_not_parse(data, **kwargs):
    raise AssertionError("a file that differs from the original must not reach the PDF parser")


# --- the public page -------------------------------------------------------------------------------


def test_page_shows_what_was_signed_to_anybody(client, report, signed_pdf):
    response = client.get(_url(report))

    assert response.status_code == 200
    text = _text(response)
    assert "№ 1-854 от 17.12.2021" in text
    assert "Аналитическая справка по результатам мониторинга эффективности сетевого взаимодействия" in text
    # The signer as the signature's certificate names her, not as the user record does (issue 9).
    assert "Римкявичене Ольга Александровна" in text and "Демонстрационный УЦ ИМЦ" in text
    assert hashlib.sha256(signed_pdf).hexdigest() in text
    assert "ГБУ «ИМЦ»" in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_logged_in_users_see_the_same_page(director_client, school_admin_client, report):
    assert director_client.get(_url(report)).status_code == 200
    assert school_admin_client.get(_url(report)).status_code == 200


def test_unknown_or_unsigned_codes_are_not_found(client, director_client, district_a, director):
    approved = signed_report(district_a, director, status="approved")

    for who in (client, director_client):  # even the director sees nothing before signing
        response = who.get(reverse("report_public:verify", args=[approved.verification_code]))
        assert response.status_code == 404
        assert "Документ не найден или ещё не подписан" in _text(response)
    response = client.get(reverse("report_public:verify", args=["no-such-code"]))
    assert response.status_code == 404 and "Документ не найден или ещё не подписан" in _text(response)
    response = client.post(reverse("report_public:verify", args=["no-such-code"]), {})
    assert response.status_code == 404


def test_a_signed_report_with_a_signed_replacement_says_so(client, report, district_a, director):
    correction = signed_report(district_a, director)
    correction.replaces = report
    correction.save()

    assert "Документ заменён исправленной редакцией: № 1-855 от 17.12.2021" in _text(client.get(_url(report)))


def test_uploading_the_original_says_it_matches(report, signed_pdf):
    client = Client(enforce_csrf_checks=True)
    token = _csrf_token(client, report)

    response = client.post(_url(report), {
        "csrfmiddlewaretoken": token,
        "file": SimpleUploadedFile("spravka.pdf", signed_pdf, content_type="application/pdf"),
    })

    assert response.status_code == 200
    text = _text(response)
    assert "Файл совпадает с подписанным оригиналом" in text
    assert "Электронная подпись в загруженном файле действительна: подписал Римкявичене Ольга Александровна" in text


def test_uploading_a_modified_copy_says_it_differs(client, report, signed_pdf, monkeypatch):
    monkeypatch.setattr(signing, "validate_pdf", _must_not_parse)

    response = _upload(client, report, tampered(signed_pdf))

    text = _text(response)
    assert response.status_code == 200
    assert "Файл отличается от подписанного оригинала" in text
    assert "Подпись в таком файле портал не проверяет" in text
    assert "Электронная подпись в загруженном файле" not in text
    assert hashlib.sha256(tampered(signed_pdf)).hexdigest() in text


def test_uploading_another_pdf_says_it_differs(client, report):
    text = _text(_upload(client, report, sample_pdf(2)))

    assert "Файл отличается от подписанного оригинала" in text
    assert "совпадает с подписанным" not in text


def test_uploading_the_original_with_an_appended_update_says_so(client, report, signed_pdf):
    text = _text(_upload(client, report, signed_pdf + b"1 0 obj\n<<>>\nendobj\n%%EOF\n"))

    assert "Файл отличается от подписанного оригинала" in text
    assert "после подписания в него дописаны данные" in text


def test_a_non_pdf_or_no_file_is_refused_in_russian(client, report):
    response = _upload(client, report, b"PK\x03\x04 an xlsx, not a pdf", name="spravka.pdf")
    assert response.status_code == 200
    assert "Это не PDF-файл" in _text(response)
    assert "совпадает" not in _text(response)

    assert "Выберите PDF-файл справки" in _text(client.post(_url(report), {}))


def test_a_file_over_the_limit_is_refused_while_it_is_read(client, report, signed_pdf, monkeypatch):
    # The declared length passes (generous framing allowance), the upload handler stops at the limit.
    monkeypatch.setattr(verification, "MIN_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(verification, "UPLOAD_SIZE_FACTOR", 0)
    monkeypatch.setattr(views_public, "MULTIPART_OVERHEAD", 10 * 1024 * 1024)

    response = _upload(client, report, signed_pdf)

    assert response.status_code == 413
    assert "Файл слишком большой: принимаются PDF не больше 1 КБ" in _text(response)
    assert "совпадает" not in _text(response)


def test_post_without_csrf_token_is_refused(report, signed_pdf):
    client = Client(enforce_csrf_checks=True)

    response = client.post(_url(report), {"file": SimpleUploadedFile("a.pdf", signed_pdf)})

    assert response.status_code == 403


def test_the_upload_is_never_stored(client, report, signed_pdf, settings, tmp_path):
    # Django would spill an upload over FILE_UPLOAD_MAX_MEMORY_SIZE into a temporary file: not here.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    files_before = list(ReportFile.objects.values_list("pk", "sha256"))

    response = _upload(client, report, tampered(signed_pdf))

    assert "Файл отличается от подписанного оригинала" in _text(response)
    assert list((tmp_path / "uploads").iterdir()) == []
    assert not (tmp_path / "media").exists()
    assert list(ReportFile.objects.values_list("pk", "sha256")) == files_before


def _csrf_token(client: Client, report) -> str:
    response = client.get(_url(report))
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the page has no CSRF token"
    return match.group(1)
