"""The public verification page /v/<code>/ under abuse (issue 9, «Why»: a 19 MiB junk «PDF» cost 13 s
of a worker; `/v/%00/` answered 500).

Cheap refusals come before any parsing: the code's shape (404, no query), a per-address rate limit
(429, no query), the declared size (413, body never parsed), the `%PDF-` head and `%%EOF` tail; a file
that differs from the signed original never reaches pyHanko. The wall-clock figure against a real
gunicorn is benchmarks/verify_abuse.py.
"""
from __future__ import annotations

import os
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import multipartparser
from django.urls import reverse

from reports import verification
from tests.reports.signing_helpers import signed_report

MIB = 1024 * 1024
STAND_IN = b"%PDF-1.7\n% signed report stand-in\n%%EOF\n"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report(district_a, director):
    return signed_report(district_a, director, pdf=STAND_IN)


@pytest.fixture
def nothing_is_parsed(monkeypatch):
    """Fails the test if the PDF parser or Django's multipart parser is reached."""

    def refuse(*args, **kwargs):
        raise AssertionError("parsed, but should have been refused before")

    monkeypatch.setattr(verification, "validate_pdf", refuse)
    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", refuse)


def _url(report) -> str:
    return reverse("report_public:verify", args=[report.verification_code])


def _upload(client, report, data: bytes, **extra):
    return client.post(_url(report), {"file": SimpleUploadedFile("spravka.pdf", data, "application/pdf")}, **extra)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- size: refused before the body is parsed -----------------------------------------------------


def test_a_19_mib_junk_upload_is_refused_before_parsing(client, report, nothing_is_parsed):
    junk = b"%PDF-1.7\n" + os.urandom(19 * MIB) + b"\n%%EOF\n"

    response = _upload(client, report, junk)

    assert response.status_code == 413
    text = _text(response)
    assert "Файл слишком большой: принимаются PDF не больше 1 МБ" in text
    assert "совпадает" not in text and "отличается" not in text


def test_a_19_mib_body_that_is_not_multipart_is_refused_unread(client, report, nothing_is_parsed):
    response = client.post(_url(report), data=b"a=" + b"x" * (19 * MIB), content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413 and "Файл слишком большой" in _text(response)


def test_the_limit_is_a_multiple_of_the_stored_pdf_but_at_least_1_mib(report):
    signed = report.files.get(role="signed_pdf")
    assert verification.upload_limit(signed) == MIB  # a 40-byte stand-in
    signed.size = 500_000
    assert verification.upload_limit(signed) == 2_000_000


def test_just_over_the_limit_is_refused_too(client, report, nothing_is_parsed):
    response = _upload(client, report, b"%PDF-1.7\n" + b"0" * (MIB + 128 * 1024) + b"\n%%EOF\n")

    assert response.status_code == 413 and "Файл слишком большой" in _text(response)


# --- shape: %PDF- head, %%EOF tail -----------------------------------------------------------------


def test_a_file_without_the_pdf_header_is_refused(client, report, monkeypatch):
    monkeypatch.setattr(verification, "validate_pdf", lambda *a, **k: pytest.fail("parsed"))

    response = _upload(client, report, b"PK\x03\x04" + b"x" * 5000)

    assert response.status_code == 200 and "Это не PDF-файл" in _text(response)


def test_a_truncated_pdf_without_eof_is_refused(client, report, monkeypatch):
    monkeypatch.setattr(verification, "validate_pdf", lambda *a, **k: pytest.fail("parsed"))

    response = _upload(client, report, b"%PDF-1.7\n" + b"x" * 5000)

    assert response.status_code == 200
    assert "в конце нет отметки %%EOF" in _text(response)


def test_junk_shaped_like_a_pdf_differs_and_is_never_parsed(client, report, monkeypatch):
    monkeypatch.setattr(verification, "validate_pdf", lambda *a, **k: pytest.fail("parsed"))

    response = _upload(client, report, b"%PDF-1.7\n" + os.urandom(900_000) + b"\n%%EOF\n")

    assert response.status_code == 200
    assert "Файл отличается от подписанного оригинала" in _text(response)


# --- codes of the wrong shape: 404 before any query ------------------------------------------------


@pytest.mark.parametrize("path", ["/v/%00/", "/v/%00abcdefgh/", "/v/" + "A" * 300 + "/", "/v/abc/", "/v/a%20b%20cdefgh/",
                                  "/v/%D0%BA%D0%BE%D0%B4%D0%BA%D0%BE%D0%B4%D0%BA%D0%BE%D0%B4/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_codes_of_the_wrong_shape_are_404_without_a_query(client, db, path, method, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = getattr(client, method)(path)

    assert response.status_code == 404


def test_a_well_shaped_unknown_code_is_looked_up_and_not_found(client, db):
    response = client.get("/v/AbCdEfGh1234/")

    assert response.status_code == 404 and "Документ не найден" in _text(response)


# --- rate limit per client address ------------------------------------------------------------------


def test_uploads_over_the_rate_limit_get_429_in_russian(client, report, settings, django_assert_num_queries):
    settings.VERIFY_UPLOAD_RATE_LIMIT = 3
    settings.VERIFY_UPLOAD_RATE_WINDOW = 600

    for _ in range(3):
        assert _upload(client, report, STAND_IN).status_code == 200
    with django_assert_num_queries(0):
        refused = _upload(client, report, STAND_IN)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    text = _text(refused)
    assert "Слишком много проверок файлов с вашего адреса" in text
    assert "не больше 3 файлов за 10 мин" in text
    # Reading the page is not limited; another address is counted on its own.
    assert client.get(_url(report)).status_code == 200
    assert _upload(client, report, STAND_IN, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_behind_a_proxy_a_forged_x_forwarded_for_does_not_reset_the_count(client, report, settings):
    settings.VERIFY_UPLOAD_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1

    statuses = [
        _upload(client, report, STAND_IN, REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 429, 429]
    other = _upload(client, report, STAND_IN, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200


def test_the_default_limit_is_20_uploads_per_10_minutes(settings):
    assert (settings.VERIFY_UPLOAD_RATE_LIMIT, settings.VERIFY_UPLOAD_RATE_WINDOW) == (20, 600)
