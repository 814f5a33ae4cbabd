"""The background job (core/jobs.py): one status vocabulary, guarded transitions, one polling partial.

RecomputeJob (monitoring) and RenderJob (reports) are the concrete jobs; both are driven here.
"""
import importlib

import pytest
from django.apps import apps as django_apps
from django.template.loader import render_to_string
from django.urls import reverse

from core.jobs import ACTIVE_STATUSES, FINISHED_STATUSES, JobStatus
from monitoring.models import PeriodKind, Programme, RecomputeJob
from reports.models import FileRole, RenderJob, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(district_a, methodist):
    programme = Programme.objects.create(district=district_a, code="p", name="Программа", period_kind=PeriodKind.YEAR)
    return RecomputeJob.objects.create(programme=programme, requested_by=methodist)


@pytest.fixture
def report(district_a, methodist):
    return Report.objects.create(district=district_a, kind="monitoring", title="Справка", created_by=methodist)


def stored(job) -> RecomputeJob:
    return type(job).objects.get(pk=job.pk)


def test_one_vocabulary_with_russian_labels():
    assert [(s.value, s.label) for s in JobStatus] == [
        ("queued", "в очереди"), ("running", "выполняется"), ("succeeded", "готово"), ("failed", "ошибка"),
    ]
    assert set(ACTIVE_STATUSES) | set(FINISHED_STATUSES) == set(JobStatus)
    assert not set(ACTIVE_STATUSES) & set(FINISHED_STATUSES)


def test_a_job_goes_queued_running_succeeded(job):
    assert (job.status, job.is_active, job.is_finished, job.started_at) == (JobStatus.QUEUED, True, False, None)
    assert job.mark_running()
    assert stored(job).status == JobStatus.RUNNING and stored(job).started_at is not None
    assert job.mark_progress(40)
    assert stored(job).progress == 40
    assert job.mark_succeeded("Пересчёт завершён.")
    row = stored(job)
    assert (row.status, row.progress, row.message) == (JobStatus.SUCCEEDED, 100, "Пересчёт завершён.")
    assert row.finished_at is not None and row.is_finished and row.is_succeeded and not row.is_active
    assert (job.status, job.progress) == (JobStatus.SUCCEEDED, 100), "the instance follows the row"


def test_progress_stays_between_0_and_100(job):
    job.mark_running()
    job.mark_progress(150)
    assert stored(job).progress == 100
    job.mark_progress(-5)
    assert stored(job).progress == 0


def test_progress_of_a_job_not_running_is_ignored(job):
    assert not job.mark_progress(50)
    assert stored(job).progress == 0


def test_a_finished_job_stays_finished_whatever_a_stale_copy_says(job):
    worker, page = job, stored(job)
    worker.mark_running()
    worker.mark_succeeded("Готово.")
    # `page` still believes the job is queued.
    assert not page.mark_running()
    assert not page.mark_failed("Не удалось.")
    assert not page.mark_queued("Повтор.")
    assert (stored(job).status, stored(job).message) == (JobStatus.SUCCEEDED, "Готово.")
    assert page.status == JobStatus.QUEUED, "a refused change leaves the instance alone too"


def test_a_transient_error_puts_the_job_back_in_the_queue(job):
    job.mark_running(progress=5)
    job.mark_progress(60)
    assert job.mark_queued("Временная ошибка; повторная попытка 1 из 3.")
    row = stored(job)
    assert (row.status, row.progress, row.message) == (JobStatus.QUEUED, 0, "Временная ошибка; повторная попытка 1 из 3.")
    assert job.mark_running()
    assert stored(job).message == "", "the retry note goes once the job runs again"


def test_a_job_may_fail_while_queued_and_a_later_failure_replaces_the_message(job):
    assert job.mark_failed("Первая ошибка.")
    assert job.mark_failed("Вторая ошибка.")
    row = stored(job)
    assert (row.status, row.message, row.is_failed, row.is_finished) == (JobStatus.FAILED, "Вторая ошибка.", True, True)
    assert not job.mark_succeeded("Готово."), "a failed job is not turned into a success"


def test_recompute_service_leaves_a_finished_job_alone(job):
    from monitoring.services import recompute_job_fail, recompute_job_run

    job.mark_failed("Пересчёт не выполнен.")
    assert recompute_job_run(stored(job)).status == JobStatus.FAILED
    recompute_job_fail(job.pk, RuntimeError("нет связи"))
    assert stored(job).message.startswith("Пересчёт не выполнен: нет связи. Попробуйте ещё раз")


def test_a_render_claim_counts_the_attempt_in_the_same_change(report):
    from reports.services import render_job_claim

    job = RenderJob.objects.create(report=report, target=FileRole.DRAFT_PDF)
    claimed = render_job_claim(job.pk)
    assert (claimed.status, claimed.progress, claimed.attempts) == (JobStatus.RUNNING, 5, 1)
    assert (stored(job).status, stored(job).attempts) == (JobStatus.RUNNING, 1)
    claimed.mark_succeeded("Готово: проект (PDF).")
    assert render_job_claim(job.pk) is None, "a finished job is not claimed again"
    assert stored(job).attempts == 1


def test_one_active_render_job_per_report_and_target(report):
    from django.db import IntegrityError, transaction

    first = RenderJob.objects.create(report=report, target=FileRole.DRAFT_PDF)
    first.mark_running()
    with pytest.raises(IntegrityError), transaction.atomic():
        RenderJob.objects.create(report=report, target=FileRole.DRAFT_PDF)
    first.mark_succeeded()
    RenderJob.objects.create(report=report, target=FileRole.DRAFT_PDF)  # the finished one no longer counts


# --- the polling partial ------------------------------------------------------------------------


def partial(job, **context) -> str:
    return render_to_string("core/job_status.html", {"job": job, **context})


def test_an_active_job_is_polled_every_second(job):
    html = partial(job)
    assert f'hx-get="{reverse("monitoring:recompute_status", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'data-testid="recompute-status" data-status="queued"' in html
    assert "Пересчёт: в очереди…" in html


def test_a_finished_job_is_not_polled_and_says_how_it_ended(job):
    job.mark_running()
    job.mark_succeeded("Пересчёт завершён: новых значений 3.")
    html = partial(job, polled=True)
    assert "hx-get" not in html and 'data-status="succeeded"' in html
    assert "Пересчёт завершён: новых значений 3. (" in html
    assert "Обновить страницу" in html
    assert "Обновить страницу" not in partial(job), "the page that loads with a finished job is already fresh"


def test_a_failed_job_shows_its_russian_message_as_an_alert(job):
    job.mark_failed("Пересчёт не выполнен: нет связи.")
    html = partial(job)
    assert 'role="alert">Пересчёт не выполнен: нет связи.</div>' in html
    assert "hx-get" not in html


def test_a_render_job_is_polled_with_the_page_reload_flag_and_named_by_its_file(report):
    job = RenderJob.objects.create(report=report, target=FileRole.FINAL_PDF)
    html = partial(job)
    assert f'hx-get="{reverse("reports:render_job_status", args=[job.pk])}?poll=1"' in html
    assert 'data-testid="render-status" data-status="queued"' in html
    assert "утверждённая справка (PDF): в очереди…" in html


# --- the data migrations ------------------------------------------------------------------------


def test_recompute_migration_maps_done_to_succeeded_and_back(job):
    migration = importlib.import_module("monitoring.migrations.0002_recomputejob_background_job")
    RecomputeJob.objects.filter(pk=job.pk).update(status="done")
    migration.statuses_forward(django_apps, None)
    assert stored(job).status == "succeeded"
    migration.statuses_backward(django_apps, None)
    assert stored(job).status == "done"


def test_render_migration_maps_rendering_and_ready_and_back(report):
    migration = importlib.import_module("reports.migrations.0004_renderjob_background_job")
    running, done, failed = (RenderJob.objects.create(report=report, target=FileRole.FINAL_PDF, status=old)
                             for old in ("rendering", "ready", "failed"))
    migration.statuses_forward(django_apps, None)
    assert [stored(j).status for j in (running, done, failed)] == ["running", "succeeded", "failed"]
    migration.statuses_backward(django_apps, None)
    assert [stored(j).status for j in (running, done, failed)] == ["rendering", "ready", "failed"]


@pytest.mark.django_db(transaction=True)
def test_the_render_migration_keeps_who_asked_and_the_error_text(report, methodist):
    """Run 0004 itself over rows written in the old shape: renamed columns keep their values."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = ("reports", "0003_report_kind_from_registry")  # the migration under test is the next one, "0004_renderjob_background_job"
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        OldJob = executor.loader.project_state([before]).apps.get_model("reports", "RenderJob")
        old = OldJob.objects.create(report_id=report.pk, target="draft_pdf", status="ready", error="Было сообщение",
                                    created_by_id=methodist.pk)
    finally:
        # Forward to every app's latest migration, not just the one under test: stepping back also unapplied
        # the later migrations of other apps and of this one, and the rest of the suite needs them.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    job = RenderJob.objects.get(pk=old.pk)
    assert (job.status, job.message, job.requested_by_id) == (JobStatus.SUCCEEDED, "Было сообщение", methodist.pk)
