"""scripts/backup.sh and scripts/restore.sh (make backup / make restore): a backup restored into a
fresh database and media folder still proves the signed справки on the public verification page.

The PostgreSQL round trip runs the real scripts (pg_dump -Fc, pg_restore) against the test
database; the SQLite default gets its own round trip (sqlite3 backup API).
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from reports.models import FileRole, Report
from tests.reports.signing_helpers import install_demo_certificate, signed_report, signed_sample_pdf, tampered

SCRIPTS = Path(django_settings.BASE_DIR) / "scripts"


def _run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([str(SCRIPTS / script), *args], env={**os.environ, "PYTHON": sys.executable, **env},
                            capture_output=True, text=True, timeout=120, cwd=django_settings.BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _database_url(name: str) -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def signed_spravka(settings, tmp_path, tmp_path_factory, district_a, director):
    """A signed справка (a real PAdES signature of the demo CA) with its PDF in the media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    install_demo_certificate(settings, tmp_path_factory)
    pdf = signed_sample_pdf(settings)
    report = signed_report(district_a, director, pdf=pdf)
    stored = report.files.get(role=FileRole.SIGNED_PDF)
    default_storage.save(stored.file.name, ContentFile(pdf))
    return report, pdf


@pytest.fixture
def restored_database():
    """A fresh, empty PostgreSQL database beside the test database; dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore need PostgreSQL; the SQLite default has its own round trip below")
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _verify_on_the_public_page(report_code: str, pdf: bytes):
    cache.clear()  # no verdict cached from the original database
    url = reverse("report_public:verify", args=[report_code])
    return Client().post(url, {"file": SimpleUploadedFile("spravka.pdf", pdf, content_type="application/pdf")})


def test_a_restored_backup_still_verifies_the_signed_spravka(transactional_db, signed_spravka, restored_database,
                                                            tmp_path, settings, monkeypatch):
    report, pdf = signed_spravka
    backups = tmp_path / "backups"
    source_url = _database_url(connection.settings_dict["NAME"])

    made = _run("backup.sh", env={"DATABASE_URL": source_url, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                                  "BACKUP_DIR": str(backups)})
    (folder,) = backups.iterdir()
    assert re.fullmatch(r"\d{8}T\d{6}Z", folder.name), made.stdout
    assert {p.name for p in folder.iterdir()} == {"db.dump", "media.tar.gz", "SHA256SUMS"}
    assert (folder / "db.dump").read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    restored_media = tmp_path / "restored-media"
    _run("restore.sh", "--yes", str(folder),
         env={"DATABASE_URL": _database_url(restored_database), "MEDIA_ROOT": str(restored_media)})

    # Point the portal at the restored database and media folder, then ask the public page.
    settings.MEDIA_ROOT = restored_media
    original_name = connection.settings_dict["NAME"]
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "NAME", restored_database)
    try:
        restored = Report.objects.get(pk=report.pk)
        stored = restored.files.get(role=FileRole.SIGNED_PDF)
        with stored.file.open("rb") as handle:
            restored_pdf = handle.read()
        assert restored_pdf == pdf and hashlib.sha256(restored_pdf).hexdigest() == stored.sha256

        response = _verify_on_the_public_page(restored.verification_code, restored_pdf)
        assert response.status_code == 200
        text = _text(response)
        assert "Файл совпадает с подписанным оригиналом" in text
        assert "Электронная подпись в загруженном файле действительна" in text

        refused = _text(_verify_on_the_public_page(restored.verification_code, tampered(restored_pdf)))
        assert "Файл отличается от подписанного оригинала" in refused
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original_name


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path):
    folder = tmp_path / "20260101T000000Z"
    folder.mkdir()
    (folder / "db.sqlite3").write_bytes(b"not what was backed up")
    (folder / "media.tar.gz").write_bytes(b"")
    (folder / "SHA256SUMS").write_text(f"{'0' * 64}  db.sqlite3\n{'0' * 64}  media.tar.gz\n")
    target = tmp_path / "portal.sqlite3"
    target.write_bytes(b"untouched")

    result = subprocess.run([str(SCRIPTS / "restore.sh"), "--yes", str(folder)], capture_output=True, text=True,
                            env={**os.environ, "PYTHON": sys.executable, "DATABASE_URL": f"sqlite:///{target}",
                                 "MEDIA_ROOT": str(tmp_path / "media")}, timeout=60)

    assert result.returncode != 0
    assert "повреждена: контрольные суммы не совпадают" in result.stderr
    assert target.read_bytes() == b"untouched" and not (tmp_path / "media").exists()


def test_the_sqlite_default_is_backed_up_with_the_sqlite_backup_api(tmp_path):
    source = tmp_path / "portal.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE t (v TEXT)")
        db.execute("INSERT INTO t VALUES ('справка 1-854')")
    media = tmp_path / "media" / "reports"
    media.mkdir(parents=True)
    (media / "signed.pdf").write_bytes(b"%PDF signed")
    backups = tmp_path / "backups"

    _run("backup.sh", env={"DATABASE_URL": f"sqlite:///{source}", "MEDIA_ROOT": str(tmp_path / "media"),
                           "BACKUP_DIR": str(backups)})
    (folder,) = backups.iterdir()
    assert {p.name for p in folder.iterdir()} == {"db.sqlite3", "media.tar.gz", "SHA256SUMS"}
    target = tmp_path / "restored" / "portal.sqlite3"
    _run("restore.sh", "--yes", str(folder), env={"DATABASE_URL": f"sqlite:///{target}",
                                                   "MEDIA_ROOT": str(tmp_path / "restored-media")})

    with sqlite3.connect(target) as db:
        assert db.execute("SELECT v FROM t").fetchall() == [("справка 1-854",)]
    assert (tmp_path / "restored-media" / "reports" / "signed.pdf").read_bytes() == b"%PDF signed"
