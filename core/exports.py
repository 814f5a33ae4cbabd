"""Large XLSX exports as background jobs: the registry of export kinds, the job's life, its file.

An export view answers the XLSX in the request while the rows are at most EXPORT_JOB_THRESHOLD (10,000);
above, it calls `export_job_request`, which creates a `core.ExportJob` (or returns the one already pending
for the same user, kind and parameters: a second click gets the running job), publishes the Celery task
after the commit (core/outbox.py) and hands back the job, whose page (core:export_detail) polls its
progress and offers «Готово — скачать» when the file is ready.

Core imports no app: each app registers its kinds (`register(ExportKind(...))`, from its AppConfig.ready).
A kind's `write(job, workbook, progress)` re-reads what the user may see *in the task* (the user's role,
district and organisation as at the request, kept in the parameters, checked again), streams the rows
into the given write-only openpyxl workbook, calls `progress(rows_done)` as it goes (the job row is
updated every PROGRESS_EVERY rows, not per row) and returns the number of rows written; a refusal is an
`ExportRefused` whose Russian message the page shows. Personal-data kinds write their ExportLog entry
inside `write`, after the rows, as the direct download does.

The file is written to a temporary file (the workbook's bytes are never held in memory), then stored
under MEDIA_ROOT at a random path (`private/exports/…`, core.models.export_file_path) and answered only
by core:export_download to its owner. It is kept EXPORT_JOB_TTL_HOURS (24 h), then `purge_expired`
(run at the start of every export task) deletes the file and the row.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook

from .errors import AppError
from .formatting import count_phrase
from .jobs import ACTIVE_STATUSES, JobStatus, advisory_lock
from .models import ExportJob
from .outbox import publish_on_commit
from .xlsx import save_to

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 10_000
DEFAULT_TTL_HOURS = 24
PROGRESS_EVERY = 5_000  # rows between two updates of the job row
FAILED_MESSAGE = ("Выгрузка не выполнена из-за внутренней ошибки. Попробуйте ещё раз; если ошибка повторится, "
                  "сообщите администратору портала.")

TOO_LONG_MESSAGE = ("Выгрузка не уложилась в отведённое время (10 минут). Сузьте список фильтром "
                    "или повторите позже, когда сервер будет менее загружен.")


class ExportRefused(AppError):
    """The task may not (or no longer) export this for this user; the message is shown as is."""


Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportKind:
    """One kind of export an app offers as a job: `write(job, workbook, progress) -> rows written`."""

    kind: str
    write: Callable[[ExportJob, Workbook, Progress], int]


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    _KINDS[kind.kind] = kind
    return kind


def kind_of(name: str) -> ExportKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ExportRefused(f"Вид выгрузки «{name}» не поддерживается.") from None


def threshold() -> int:
    """Rows above which an export runs as a job rather than in the request."""
    return int(getattr(settings, "EXPORT_JOB_THRESHOLD", DEFAULT_THRESHOLD))


def runs_as_job(row_count: int) -> bool:
    return row_count > threshold()


def ttl() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "EXPORT_JOB_TTL_HOURS", DEFAULT_TTL_HOURS))


def parameters_key(kind: str, parameters: dict[str, Any]) -> str:
    canonical = json.dumps([kind, parameters], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def user_scope(user) -> dict[str, int | None]:
    """The user's district and organisation as at the request (a city user's district is the one picked
    in the navbar, set on the request's user): the task reads the same scope, or refuses."""
    return {"district": user.district_id, "organisation": user.organisation_id}


# --- requesting -----------------------------------------------------------------------------------


@transaction.atomic
def export_job_request(*, user, kind: str, title: str, filename: str, parameters: dict[str, Any],
                       rows_total: int) -> ExportJob:
    """Queue an export unless the same one (user, kind, parameters) is already pending: then that job.

    The database keeps one pending job per user, kind and parameters (a partial unique index), so even
    two simultaneous clicks make one job. The Celery message leaves after the commit (core/outbox.py).
    """
    kind_of(kind)  # an unregistered kind is refused before anything is stored
    key = parameters_key(kind, parameters)
    for _ in range(2):  # the pending job may finish between the refusal and the lookup: try again
        try:
            with transaction.atomic():
                job = ExportJob.objects.create(
                    requested_by=user, kind=kind, title=title[:200], filename=filename[:200], parameters=parameters,
                    parameters_key=key, rows_total=rows_total,
                )
        except IntegrityError:
            job = ExportJob.objects.filter(requested_by=user, kind=kind, parameters_key=key,
                                           status__in=ACTIVE_STATUSES).first()
            if job is None:
                continue
            if job.status == JobStatus.QUEUED:  # a running job already has its worker
                publish_on_commit(job)
            return job
        publish_on_commit(job)
        return job
    raise ExportRefused("Не удалось поставить выгрузку в очередь — попробуйте ещё раз.")


def jobs_for_user(user):
    """The user's own exports, newest first (others' are never listed nor served: a 404)."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user)


# --- running --------------------------------------------------------------------------------------


class _ProgressWriter:
    """Counts rows reported by a kind and updates the job row every PROGRESS_EVERY rows."""

    def __init__(self, job: ExportJob):
        self.job = job
        self.reported = 0

    def __call__(self, done: int) -> None:
        if done - self.reported < PROGRESS_EVERY:
            return
        self.reported = done
        total = self.job.rows_total
        percent = min(99, done * 100 // total) if total else 0
        ExportJob.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(rows_done=done, progress=percent)


def counted(rows: Iterable, progress: Progress, start: int = 0) -> Iterator:
    """The rows, unchanged, with `progress(rows so far)` called on the way (the writer decides how often
    the job row is updated)."""
    done = start
    for row in rows:
        yield row
        done += 1
        if done % 1000 == 0:
            progress(done)
    progress(done)


def export_job_run(job_id: int) -> str:
    """Run a queued export: write the workbook to a temporary file, store it, mark the job succeeded.
    Safe to receive twice: a finished job, or one another worker holds, is left alone."""
    purge_expired()
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return "not pending"
    with advisory_lock(ExportJob.lock_namespace, job.pk) as acquired:
        if not acquired:
            return "held by another worker"
        if not job.mark_running():
            return "not pending"
        try:
            rows = _write_file(job)
        except ExportRefused as refusal:
            job.mark_failed(str(refusal))
            return "refused"
        except SoftTimeLimitExceeded:
            job.mark_failed(TOO_LONG_MESSAGE)
            return "too long"
        except Exception:
            logger.exception("Export job %s failed", job_id)
            job.mark_failed(FAILED_MESSAGE)
            return "failed"
    return f"{rows} rows"


def _write_file(job: ExportJob) -> int:
    if job.requested_by is None or not job.requested_by.is_active:
        raise ExportRefused("Выгрузка отменена: учётная запись, запросившая её, отключена.")
    spec = kind_of(job.kind)
    progress = _ProgressWriter(job)
    workbook = Workbook(write_only=True)
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
    os.close(handle)
    try:
        rows = spec.write(job, workbook, progress)
        save_to(workbook, path)
        with open(path, "rb") as stream:
            job.file.save(job.filename, File(stream), save=False)
    finally:
        os.unlink(path)
    finished = timezone.now()
    marked = ExportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED, progress=100, rows_done=rows, file=job.file.name, finished_at=finished,
        expires_at=finished + ttl(), message=f"Готово: {_rows_label(rows)}.",
    )
    if not marked:  # failed meanwhile (the sweeper gave up on it): the file is nobody's
        job.file.delete(save=False)
    return rows


def _rows_label(rows: int) -> str:
    return count_phrase(rows, "строка", "строки", "строк")


def export_job_fail(job_id: int, error: BaseException) -> None:
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is not None:
        job.mark_failed(str(error) if isinstance(error, ExportRefused) else FAILED_MESSAGE)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the files and rows of exports past their expiry; returns how many."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(expires_at__lt=now).exclude(status__in=ACTIVE_STATUSES))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(expired)
