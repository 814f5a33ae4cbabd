"""The render task: one job → one PDF and one XLSX; idempotent; transient errors retried; failures
reported in Russian on the job the page polls. Celery is eager here, except in the real-worker test."""
from __future__ import annotations

import hashlib
import os
import time

import pytest
from django.db import OperationalError, connection, connections

from core.jobs import JobStatus
from reports import services, tasks
from reports.models import FileRole, RenderJob, Report, ReportFile, ReportStatus
from tests.reports.workflow_support import approved, fake_pdf, fake_xlsx, make_programme


def _request_draft(report, user, django_capture_on_commit_callbacks, *, run=True) -> RenderJob:
    with django_capture_on_commit_callbacks(execute=run):
        job = services.render_job_request(report=report, user=user, target=FileRole.DRAFT_PDF)
    job.refresh_from_db()
    return job


def test_a_draft_render_stores_the_pdf_and_the_xlsx_with_their_hashes(draft, methodist, fake_pipeline,
                                                                      django_capture_on_commit_callbacks):
    job = _request_draft(draft, methodist, django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.attempts, job.message) == (JobStatus.SUCCEEDED, 100, 1, "Готово: проект (PDF).")
    assert job.started_at is not None and job.finished_at >= job.started_at
    files = {f.role: f for f in draft.files.all()}
    assert set(files) == {FileRole.DRAFT_PDF, FileRole.XLSX}
    for role, expected in ((FileRole.DRAFT_PDF, fake_pdf(draft, final=False)), (FileRole.XLSX, fake_xlsx(draft))):
        assert files[role].file.open("rb").read() == expected
        assert (files[role].sha256, files[role].size) == (hashlib.sha256(expected).hexdigest(), len(expected))
    assert fake_pipeline.pdf == [(draft.pk, False)]


def test_running_the_task_twice_yields_one_file(draft, methodist, fake_pipeline, django_capture_on_commit_callbacks):
    job = _request_draft(draft, methodist, django_capture_on_commit_callbacks)
    result = tasks.render_report.delay(job.pk)
    assert result.get() == "done already"
    assert ReportFile.objects.filter(report=draft, role=FileRole.DRAFT_PDF).count() == 1
    assert fake_pipeline.pdf == [(draft.pk, False)], "rendered once"


def test_a_double_click_creates_one_job(draft, methodist, fake_pipeline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = services.render_job_request(report=draft, user=methodist, target=FileRole.DRAFT_PDF)
        second = services.render_job_request(report=draft, user=methodist, target=FileRole.DRAFT_PDF)
    assert first.pk == second.pk
    assert RenderJob.objects.filter(report=draft).count() == 1
    for callback in queued:  # both clicks queued the job; the second delivery finds it done
        callback()
    assert fake_pipeline.pdf == [(draft.pk, False)]
    assert draft.files.filter(role=FileRole.DRAFT_PDF).count() == 1


def test_a_new_render_replaces_the_previous_draft_file(draft, methodist, fake_pipeline,
                                                       django_capture_on_commit_callbacks):
    _request_draft(draft, methodist, django_capture_on_commit_callbacks)
    old = draft.files.get(role=FileRole.DRAFT_PDF)
    old_path = old.file.path
    services.report_update(report=draft, user=methodist, conclusion="Новый вывод.")
    _request_draft(draft, methodist, django_capture_on_commit_callbacks)
    new = draft.files.get(role=FileRole.DRAFT_PDF)
    assert new.pk == old.pk and new.file.name != old.file.name
    assert not os.path.exists(old_path), "the replaced file is removed after the commit"
    assert os.path.exists(new.file.path)


def test_a_failed_render_says_why_in_russian(draft, methodist, fake_pipeline, monkeypatch,
                                             django_capture_on_commit_callbacks):
    from reports import rendering

    def broken(report, *, final):
        raise ValueError("нет данных за 2021 год")

    monkeypatch.setattr(rendering, "render_report_pdf", broken)
    job = _request_draft(draft, methodist, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.message.startswith("Не удалось сформировать PDF: нет данных за 2021 год. Нажмите «Сформировать PDF» ещё раз")
    assert not draft.files.exists()
    assert job.attempts == 1, "a programming or data error is not retried"


def test_transient_errors_are_retried(draft, methodist, fake_pipeline, monkeypatch,
                                      django_capture_on_commit_callbacks):
    from reports import rendering

    failures = iter([OSError("диск недоступен"), OperationalError("server closed the connection")])

    def flaky(report, *, final):
        error = next(failures, None)
        if error:
            raise error
        return b"%PDF-1.7 third time lucky"

    monkeypatch.setattr(rendering, "render_report_pdf", flaky)
    job = _request_draft(draft, methodist, django_capture_on_commit_callbacks)
    assert (job.status, job.attempts, job.message) == (JobStatus.SUCCEEDED, 3, "Готово: проект (PDF).")
    assert draft.files.get(role=FileRole.DRAFT_PDF).file.open("rb").read() == b"%PDF-1.7 third time lucky"


def test_a_transient_error_that_persists_fails_after_three_retries(draft, methodist, fake_pipeline, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    from reports import rendering

    def down(report, *, final):
        raise OSError("хранилище недоступно")

    monkeypatch.setattr(rendering, "render_report_pdf", down)
    job = _request_draft(draft, methodist, django_capture_on_commit_callbacks)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 4)
    assert job.message.startswith("Не удалось сформировать PDF: хранилище недоступно.")


def test_the_final_pdf_of_a_signed_report_is_never_replaced(draft, methodist, director, fake_pipeline,
                                                            django_capture_on_commit_callbacks):
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    report = services.report_sign(report=report, user=director)
    final_before = report.files.get(role=FileRole.FINAL_PDF).sha256
    # A message for a final render that reaches a worker after the signature (e.g. redelivered).
    stale_job = RenderJob.objects.create(report=report, target=FileRole.FINAL_PDF)

    assert tasks.render_report.delay(stale_job.pk).get() == "failed"
    stale_job.refresh_from_db()
    assert stale_job.message == ("Не удалось сформировать итоговый PDF: Справка подписана — изменить её нельзя. "
                                 "Создайте исправленную версию.")
    assert report.files.get(role=FileRole.FINAL_PDF).sha256 == final_before


def test_a_job_another_worker_holds_is_left_alone(draft, methodist, fake_pipeline, transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI must run the render lock test on PostgreSQL", pytrace=False)
        pytest.skip("advisory locks between connections need PostgreSQL, as in CI")
    job = RenderJob.objects.create(report=draft, target=FileRole.DRAFT_PDF)
    other = connections.create_connection("default")  # "another worker": its own session
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [tasks._LOCK_NAMESPACE, job.pk])
        assert tasks.render_report.delay(job.pk).get() == "busy"
        job.refresh_from_db()
        assert (job.status, job.attempts) == (JobStatus.QUEUED, 0)
    finally:
        other.close()
    assert tasks.render_report.delay(job.pk).get() == JobStatus.SUCCEEDED


@pytest.fixture
def worker_media_root(tmp_path, settings, monkeypatch):
    """The worker process writes where this test reads."""
    folder = tmp_path / "worker-media"
    settings.MEDIA_ROOT = folder
    monkeypatch.setenv("MEDIA_ROOT", str(folder))
    return folder


@pytest.mark.worker
def test_a_real_worker_renders_a_draft(worker_media_root, celery_worker_process, methodist):
    """The real thing: Redis, a worker process, WeasyPrint and the XLSX writer of the other modules."""
    programme, periods = make_programme(methodist.district)
    report = services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
    job = services.render_job_request(report=report, user=methodist, target=FileRole.DRAFT_PDF)  # commits, queues
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(0.5)
    assert job.status == JobStatus.SUCCEEDED, job.message
    pdf = report.files.get(role=FileRole.DRAFT_PDF)
    content = pdf.file.open("rb").read()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == pdf.sha256
    assert report.files.filter(role=FileRole.XLSX).exists()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT
