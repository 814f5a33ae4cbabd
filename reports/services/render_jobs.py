"""Render jobs: «Сформировать PDF» queues one, a Celery worker claims it, renders the PDF and the
XLSX outside any transaction, and stores both under the report's lock.

One pending job per report and target (a unique constraint): a double click reuses the job
already waiting. The task (reports/tasks.py) retries transient errors and records failures here.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from core.jobs import ACTIVE_STATUSES
from core.outbox import publish
from imc_portal.models import User
from reports import workflow
from reports.errors import ReportError
from reports.models import FileRole, RenderJob, Report, ReportStatus

from .common import SIGNED_MESSAGE, locked
from .files import file_store

RENDER_ACTIONS = {FileRole.DRAFT_PDF: "render_draft", FileRole.FINAL_PDF: "render_final"}


def queue_render(job: RenderJob) -> None:
    """Publish the job's message (core/outbox.py): a broker that is down leaves it for the sweeper."""
    publish(job)


def render_job_create(report: Report, target: str, user: User | None) -> RenderJob:
    """One pending job per report and target (a partial unique index): a double click, even a
    simultaneous one, reuses the job already waiting."""
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(report=report, target=target, requested_by=user)
    except IntegrityError:
        job = RenderJob.objects.get(report=report, target=target, status__in=ACTIVE_STATUSES)
    # Published again even when reused: a message lost with a broker restart must not strand the
    # job, and the task does nothing for a job that is already done or being rendered. Looked up
    # through the module at commit time, so tests can stand in for the queue.
    transaction.on_commit(lambda: queue_render(job), robust=True)
    return job


def _render_refusal(target: str, status: str) -> str:
    if status == ReportStatus.SIGNED:
        return "Справка подписана — её файлы больше не формируются. Создайте исправленную версию."
    if target == FileRole.FINAL_PDF:
        return "Итоговый PDF формируется только для утверждённой справки."
    if status == ReportStatus.APPROVED:
        return "Справка утверждена — формируется итоговый PDF, проект больше не нужен."
    return "Проект справки формирует методист, пока справка не отправлена на утверждение."


@transaction.atomic
def render_job_request(*, report: Report, user: User, target: str) -> RenderJob:
    """«Сформировать PDF»: the draft while the report is being written, the final once approved."""
    action = RENDER_ACTIONS.get(target)
    workflow.authorise(user, action or "render_draft", report)
    if action is None:
        raise ReportError("Можно сформировать только проект или итоговый PDF.")
    report = locked(report)
    if not workflow.state_allows(user, action, report.status):
        raise ReportError(_render_refusal(target, report.status))
    return render_job_create(report, target, user)


def render_job_claim(job_id: int) -> RenderJob | None:
    """Mark the job as running (one more attempt); None if it is already finished."""
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().select_related("report").get(pk=job_id)
        if not job.mark_running(progress=5):
            return None
        return job


def render_job_progress(job_id: int, progress: int) -> None:
    job = RenderJob.objects.filter(pk=job_id).first()
    if job is not None:
        job.mark_progress(progress)


def render_job_run(job: RenderJob) -> RenderJob:
    """Render the PDF and the XLSX of a claimed job and store them; the job is then ready.

    The slow part (WeasyPrint) runs outside any transaction; the files and the job's status are
    written in one transaction at the end, under the report's lock, so a report signed meanwhile
    keeps its files.
    """
    from reports import rendering, xlsx

    report = job.report
    final = job.target == FileRole.FINAL_PDF
    if final and report.status not in (ReportStatus.APPROVED, ReportStatus.SIGNED):
        raise ReportError("Справка не утверждена — итоговый PDF не формируется.")
    if report.status == ReportStatus.SIGNED:
        raise ReportError(SIGNED_MESSAGE)
    pdf = rendering.render_report_pdf(report, final=final)
    job.mark_progress(60)
    table = xlsx.report_xlsx(report)
    job.mark_progress(85)
    with transaction.atomic():
        report = locked(report)
        if report.status == ReportStatus.SIGNED:
            raise ReportError(SIGNED_MESSAGE)
        file_store(report, job.target, pdf, job.requested_by)
        file_store(report, FileRole.XLSX, table, job.requested_by)
        job.mark_succeeded(f"Готово: {job.get_target_display()}.")
    return job


def render_job_retry_later(job_id: int, error: BaseException, attempt: int, attempts: int) -> None:
    """A transient failure: the job waits in the queue for the next attempt."""
    job = RenderJob.objects.filter(pk=job_id).first()
    if job is not None:
        job.mark_queued(f"Временная ошибка ({error}); повторная попытка {attempt} из {attempts}.")


def render_job_fail(job_id: int, error: BaseException) -> None:
    job = RenderJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    what = "итоговый PDF" if job.target == FileRole.FINAL_PDF else "PDF"
    if isinstance(error, ReportError):
        message = f"Не удалось сформировать {what}: {error}"
    else:
        message = (f"Не удалось сформировать {what}: {error or type(error).__name__}. "
                   "Нажмите «Сформировать PDF» ещё раз; если ошибка повторится, сообщите администратору портала.")
    job.mark_failed(message)
