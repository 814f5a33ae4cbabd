"""Files of practices: type by extension and content, size limit, nothing saved on refusal, protected download."""
from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from network.models import Practice, PracticeFile
from tests.network.factories import PracticeFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _form(**extra):
    data = {"title": "Практика с файлами", "authors": "Петрова И.С.", "form": "method", "year": 2022,
            "description": "Описание"}
    data.update(extra)
    return data


def stored_files() -> list[str]:
    from django.conf import settings

    root = os.path.join(settings.MEDIA_ROOT, "practices")
    return sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files) if os.path.isdir(root) else []


@pytest.mark.django_db
def test_several_allowed_files_are_stored_with_sanitised_names(school_admin_client, school_a):
    files = [upload("Конспект урока.pdf", PDF), upload("../../etc/план.docx", DOCX), upload("фото.PNG", PNG),
             upload("кадр.jpg", JPEG), upload("видео.mp4", MP4), upload("текст.odt", ODT)]
    response = school_admin_client.post(reverse("network:practice_create"), _form(files=files))
    assert response.status_code == 302
    practice = Practice.objects.get()
    records = list(practice.files.all())
    assert [r.original_name for r in records] == ["Конспект урока.pdf", "план.docx", "фото.PNG", "кадр.jpg",
                                                  "видео.mp4", "текст.odt"]
    assert records[0].content_type == "application/pdf" and records[0].size == len(PDF)
    for record in records:
        # stored under practices/<id>/ with a random ASCII name: nothing the user typed reaches the path
        assert record.file.name.startswith(f"practices/{practice.pk}/")
        assert record.file.name.isascii() and ".." not in record.file.name


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "words"), [
    ("script.exe", b"MZ\x90\x00", "тип файла не принимается"),
    ("page.html", b"<html></html>", "тип файла не принимается"),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "не похож на PDF"),
    ("fake.docx", b"%PDF-1.4 renamed", "не похож на DOCX"),
    ("zip.docx", _zip({"a.txt": b"x"}), "не похож на DOCX"),  # a zip, but no Office document
    ("doc.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "не похож на ODT"),
    ("pic.png", JPEG, "не похож на PNG"),
    ("empty.pdf", b"", "файл пуст"),
])
def test_refused_type_saves_nothing(methodist_client, school_a, name, content, words):
    before = stored_files()
    files = [upload("good.pdf", PDF), upload(name, content)]
    response = methodist_client.post(reverse("network:practice_create"), _form(organisation=school_a.pk, files=files))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert words in errors and name in errors
    assert not Practice.objects.exists() and not PracticeFile.objects.exists()
    assert stored_files() == before


@pytest.mark.django_db
@override_settings(PRACTICE_FILE_MAX_BYTES=1024 * 1024)
def test_too_large_file_is_refused_with_sizes(methodist_client, school_a):
    before = stored_files()
    big = upload("большой.pdf", PDF + b"0" * (1536 * 1024))  # 1,5 МБ + 31 bytes > 1 МБ
    response = methodist_client.post(reverse("network:practice_create"), _form(organisation=school_a.pk, files=[big]))
    errors = " ".join(response.context["form"].errors["files"])
    assert "«большой.pdf» больше допустимого размера: 1,5 МБ, допускается не более 1 МБ" in errors
    assert not Practice.objects.exists() and stored_files() == before


@pytest.mark.django_db
def test_refused_file_on_update_changes_nothing(methodist_client, district_a, school_a):
    practice = PracticeFactory(district=district_a, organisation=school_a, title="Было")
    response = methodist_client.post(reverse("network:practice_update", args=[practice.pk]),
                                     _form(title="Стало", organisation=school_a.pk, files=[upload("x.exe", b"MZ")]))
    assert response.status_code == 200
    practice.refresh_from_db()
    assert practice.title == "Было" and not practice.files.exists()


# --- the download view ------------------------------------------------------------------------------


@pytest.fixture
def stored(methodist, district_a, school_a):
    from network.services import practices as services

    practice = PracticeFactory(district=district_a, organisation=school_a)
    services.add_files(methodist, practice, [upload("Конспект «Дроби».pdf", PDF)])
    return practice.files.get()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["methodist", "director", "observer", "school_admin", "other_school_admin"])
def test_download_for_readers_of_the_district(request, stored, persona):
    client = request.getfixturevalue(f"{persona}_client")
    response = client.get(reverse("network:practice_file", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    # RFC 5987: the Cyrillic name travels percent-encoded as filename*=utf-8''…
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    assert "%D0%9A%D0%BE%D0%BD%D1%81%D0%BF%D0%B5%D0%BA%D1%82" in disposition  # «Конспект»


@pytest.mark.django_db
def test_download_refused_outside_the_district_and_to_other_roles(stored, other_methodist_client,
                                                                  portal_admin_client, anonymous):
    url = reverse("network:practice_file", args=[stored.pk])
    assert other_methodist_client.get(url).status_code == 404
    assert portal_admin_client.get(url).status_code == 403
    assert anonymous.get(url).status_code == 302  # to the login page


@pytest.mark.django_db
def test_media_url_is_not_the_way_in(stored, school_admin_client):
    # files are reached only through the view; nothing serves MEDIA_URL
    assert school_admin_client.get("/media/" + stored.file.name).status_code == 404


@pytest.mark.django_db
def test_file_delete_by_own_school_refused_to_other_school(stored, school_admin_client, other_school_admin_client,
                                                          django_capture_on_commit_callbacks):
    url = reverse("network:practice_file_delete", args=[stored.pk])
    assert other_school_admin_client.post(url).status_code == 404
    assert PracticeFile.objects.filter(pk=stored.pk).exists()
    path = stored.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = school_admin_client.post(url)
    assert response.status_code == 302
    assert not PracticeFile.objects.filter(pk=stored.pk).exists()
    assert not os.path.exists(path)  # removed from storage after the commit


@pytest.mark.django_db
def test_file_delete_refused_to_director(stored, director_client):
    assert director_client.post(reverse("network:practice_file_delete", args=[stored.pk])).status_code == 403
    assert PracticeFile.objects.filter(pk=stored.pk).exists()


def test_no_media_route_even_with_debug(settings):
    """The embedded default runs with DEBUG on: its URLconf still has no /media/ route (files go through views)."""
    import importlib

    from django.urls import Resolver404, resolve

    import imc_portal.urls

    settings.DEBUG = True
    try:
        importlib.reload(imc_portal.urls)
        with pytest.raises(Resolver404):
            resolve("/media/private/exports/x.xlsx", urlconf=imc_portal.urls)
    finally:
        settings.DEBUG = False
        importlib.reload(imc_portal.urls)
