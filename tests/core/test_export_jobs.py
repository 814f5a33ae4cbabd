"""core/exports.py on its own: progress written every PROGRESS_EVERY rows (not per row), the expiry, the registry.

The views and the two kinds are tested where their rows come from: tests/surveys/test_results_export_jobs.py
and tests/clusters/test_export_jobs.py.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core import exports
from core.jobs import JobStatus
from core.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_job(user, **fields) -> ExportJob:
    values = {"kind": "clusters.list", "title": "Педагоги", "filename": "teachers.xlsx", "parameters_key": "k"}
    return ExportJob.objects.create(requested_by=user, **{**values, **fields})


def test_progress_is_written_every_five_thousand_rows_not_per_row(methodist, django_assert_num_queries):
    job = make_job(methodist, status=JobStatus.RUNNING, rows_total=12_000)
    progress = exports._ProgressWriter(job)

    with django_assert_num_queries(2):  # at 5,000 and at 10,000 rows
        assert sum(1 for _ in exports.counted(range(12_000), progress)) == 12_000

    job.refresh_from_db()
    assert (job.rows_done, job.progress) == (10_000, 83)  # 10,000 × 100 // 12,000


def test_the_page_shows_rows_done_while_running(methodist, methodist_client):
    job = make_job(methodist, status=JobStatus.RUNNING, rows_total=12_000, rows_done=5_000, progress=41)

    page = methodist_client.get(reverse("core:export_detail", args=[job.pk])).content.decode()

    assert 'data-progress="41"' in page and "выполняется" in page and "скачать" not in page


def test_expired_exports_lose_their_file_and_row(methodist, tmp_path):
    now = timezone.now()
    old = make_job(methodist, status=JobStatus.SUCCEEDED, finished_at=now, expires_at=now - dt.timedelta(minutes=1))
    old.file.save("old.xlsx", ContentFile(b"PK"))
    fresh = make_job(methodist, parameters_key="other", status=JobStatus.SUCCEEDED, finished_at=now,
                     expires_at=now + dt.timedelta(hours=1))
    fresh.file.save("fresh.xlsx", ContentFile(b"PK"))
    old_path = tmp_path / old.file.name

    assert exports.purge_expired() == 1

    assert not old_path.exists() and (tmp_path / fresh.file.name).exists()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_an_expired_file_is_no_longer_served(methodist, methodist_client):
    now = timezone.now()
    job = make_job(methodist, status=JobStatus.SUCCEEDED, finished_at=now, expires_at=now - dt.timedelta(minutes=1))
    job.file.save("old.xlsx", ContentFile(b"PK"))

    assert methodist_client.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    assert "Срок хранения файла истёк" in methodist_client.get(job.page_url).content.decode()


def test_an_unregistered_kind_is_refused_before_anything_is_stored(methodist):
    with pytest.raises(exports.ExportRefused, match="не поддерживается"):
        exports.export_job_request(user=methodist, kind="nothing", title="x", filename="x.xlsx", parameters={},
                                   rows_total=20_000)
    assert not ExportJob.objects.exists()


def test_the_threshold_is_ten_thousand_rows_by_default(settings):
    del settings.EXPORT_JOB_THRESHOLD
    assert (exports.runs_as_job(10_000), exports.runs_as_job(10_001)) == (False, True)


def test_every_page_links_the_users_own_exports_from_the_user_menu(methodist_client, school_admin_client, client):
    """«Мои выгрузки» in the user menu of any role (the list shows only the reader's own jobs); no menu, no link
    for a visitor who is not logged in (the login page)."""
    url = reverse("core:export_list")
    for logged_in in (methodist_client, school_admin_client):
        page = logged_in.get(reverse("home"), follow=True).content.decode()
        assert f'href="{url}" data-testid="menu-exports">Мои выгрузки</a>' in page
    assert "menu-exports" not in client.get(reverse("login")).content.decode()
