"""reports/verification.py and the public page /v/<code>/: the short link, the QR code, and the check of
an uploaded copy against the signed original (byte-identical by SHA-256, plus signature validation)."""
from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from reports import verification, views_public
from reports.models import ReportFile
from tests.reports.signing_helpers import (
    install_demo_certificate,
    sample_pdf,
    signed_report,
    signed_sample_pdf,
    tampered,
)


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


def test_verification_url_uses_portal_base_url_without_a_request(settings, district_a, director):
    report = signed_report(district_a, director)
    settings.PORTAL_BASE_URL = "https://imc.example.ru/"

    assert verification.verification_url(report) == f"https://imc.example.ru/v/{report.verification_code}/"


def test_verification_url_uses_the_requests_host(settings, district_a, director):
    settings.ALLOWED_HOSTS = ["portal.imc.spb.ru"]
    report = signed_report(district_a, director)
    request = RequestFactory().get("/reports/", HTTP_HOST="portal.imc.spb.ru", secure=True)

    assert verification.verification_url(report, request) == f"https://portal.imc.spb.ru/v/{report.verification_code}/"


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


def test_verify_upload_of_the_original_matches_and_validates(report, signed_pdf):
    result = verification.verify_upload(report, signed_pdf)

    assert result.matches and result.verdict == "Файл совпадает с подписанным оригиналом"
    assert result.sha256 == result.original_sha256 == hashlib.sha256(signed_pdf).hexdigest()
    assert result.signature.valid and result.signature.signer == "О.А. Римкявичене"


def test_verify_upload_of_a_copy_with_one_changed_byte_does_not_match(report, signed_pdf):
    result = verification.verify_upload(report, tampered(signed_pdf))

    assert not result.matches and result.verdict == "Файл не совпадает с оригиналом"
    assert result.signature.signed and not result.signature.intact and not result.signature.valid


# --- the public page -------------------------------------------------------------------------------


def test_page_shows_what_was_signed_to_anybody(client, report, signed_pdf):
    response = client.get(_url(report))

    assert response.status_code == 200
    text = _text(response)
    assert "№ 1-854 от 17.12.2021" in text
    assert "Аналитическая справка по результатам мониторинга эффективности сетевого взаимодействия" in text
    assert "Римкявичене О.А., Директор" in text
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
    assert "Электронная подпись в загруженном файле действительна: подписал О.А. Римкявичене" in text


def test_uploading_a_modified_copy_says_it_does_not_match(client, report, signed_pdf):
    response = _upload(client, report, tampered(signed_pdf))

    text = _text(response)
    assert response.status_code == 200
    assert "Файл не совпадает с оригиналом" in text
    assert "Электронная подпись в загруженном файле недействительна" in text
    assert "Документ изменён после подписания" in text
    assert hashlib.sha256(tampered(signed_pdf)).hexdigest() in text


def test_uploading_an_unsigned_pdf_says_there_is_no_signature(client, report):
    text = _text(_upload(client, report, sample_pdf(2)))

    assert "Файл не совпадает с оригиналом" in text
    assert "В загруженном файле нет электронной подписи" in text


def test_a_non_pdf_or_no_file_is_refused_in_russian(client, report):
    response = _upload(client, report, b"PK\x03\x04 an xlsx, not a pdf", name="spravka.pdf")
    assert response.status_code == 200
    assert "Это не PDF-файл" in _text(response)
    assert "совпадает" not in _text(response)

    assert "Выберите PDF-файл справки" in _text(client.post(_url(report), {}))


def test_a_file_over_the_limit_is_refused(client, report, signed_pdf, monkeypatch):
    monkeypatch.setattr(views_public, "MAX_UPLOAD_BYTES", 1000)

    response = _upload(client, report, signed_pdf)

    assert response.status_code == 200
    assert "Файл слишком большой" in _text(response)
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

    assert "Файл не совпадает с оригиналом" in _text(response)
    assert list((tmp_path / "uploads").iterdir()) == []
    assert not (tmp_path / "media").exists()
    assert list(ReportFile.objects.values_list("pk", "sha256")) == files_before


def _csrf_token(client: Client, report) -> str:
    response = client.get(_url(report))
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "the page has no CSRF token"
    return match.group(1)
