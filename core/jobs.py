"""Background jobs a page waits for: one status vocabulary, progress and a Russian message.

A concrete job inherits `BackgroundJob` and adds what it works on (monitoring.RecomputeJob: a
programme and a period; reports.RenderJob: a report and the file to render). It also says how a
page polls it — `poll_url` and `status_element_id` (the element's id and data-testid) — and
`subject`, the words before its status («Пересчёт: выполняется…»). The one polling partial,
templates/core/job_status.html, asks htmx to fetch `poll_url` every second while the job is
active and stops once it is finished; the view behind `poll_url` renders the same partial.

    queued ── mark_running ──▶ running ── mark_succeeded ──▶ succeeded
      ▲                          │
      └──── mark_queued ─────────┤        (a transient error: wait for the next attempt)
                                 └── mark_failed ──▶ failed   (also straight from queued)

State changes are conditional UPDATEs of the row (only from the statuses allowed above), not saves
of a possibly stale instance: a worker, a retry of the same Celery message and a page may each hold
their own copy of a job, and a finished job must stay finished. Each `mark_*` returns whether the
change happened and, if so, updates the instance too.
"""
from __future__ import annotations

import contextlib
import datetime as dt

from django.conf import settings
from django.db import connection, models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    SUCCEEDED = "succeeded", "готово"
    FAILED = "failed", "ошибка"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED)


@contextlib.contextmanager
def advisory_lock(namespace: int, key: int):
    """A PostgreSQL session advisory lock on (namespace, key), taken without waiting: yields whether this session
    got it. It belongs to the session, so a worker that dies lets it go. Elsewhere (SQLite: one process) True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])


class BackgroundJob(models.Model):
    status = models.CharField("статус", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("готовность, %", default=0)
    # Russian, for the page: the result («Пересчёт завершён: …»), a retry note, or why it failed.
    message = models.TextField("сообщение", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="запросил", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    # The outbox (core/outbox.py): when the Celery message last left for the broker (None: not
    # yet, the sweeper publishes it), and how many times a worker has taken the job.
    published_at = models.DateTimeField("отправлено в очередь", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)

    status_element_id = "job-status"
    # The dotted path of the Celery task that runs a job (called with its pk), so core publishes
    # and sweeps jobs without importing any app; each concrete job names its own.
    task_name = ""
    # How long one run may take before the sweeper takes the job for lost (the task's hard limit).
    time_limit_seconds = 360
    # The first key of the advisory lock its worker holds on a running job (`advisory_lock(namespace, pk)`);
    # 0: the worker holds none and only the time limit tells a dead one.
    lock_namespace = 0

    class Meta:
        abstract = True

    @property
    def subject(self) -> str:
        return "Задание"

    @property
    def poll_url(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must say where its status partial is polled")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_succeeded(self) -> bool:
        return self.status == JobStatus.SUCCEEDED

    @property
    def is_failed(self) -> bool:
        return self.status == JobStatus.FAILED

    def is_abandoned(self, now) -> bool:
        """A running job whose worker is taken for dead (the sweeper re-queues it): on PostgreSQL, when its worker
        holds an advisory lock (`lock_namespace`), at once if nobody holds it; otherwise running past its time
        limit."""
        if self.lock_namespace and connection.vendor == "postgresql" and self.status == JobStatus.RUNNING:
            with advisory_lock(self.lock_namespace, self.pk) as free:
                return free
        limit = dt.timedelta(seconds=self.time_limit_seconds + 60)
        return self.status == JobStatus.RUNNING and self.started_at is not None and self.started_at < now - limit

    def _transition(self, allowed: tuple[str, ...], **fields) -> bool:
        updated = type(self)._default_manager.filter(pk=self.pk, status__in=allowed).update(**fields)
        if updated:
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(updated)

    def mark_running(self, *, progress: int = 0, **also) -> bool:
        """A worker takes the job (again, after a retry): one more attempt; `also`: the concrete
        job's own fields."""
        return self._transition(
            ACTIVE_STATUSES, status=JobStatus.RUNNING, progress=_percent(progress), message="",
            started_at=timezone.now(), attempts=self.attempts + 1, **also,
        )

    def mark_progress(self, progress: int) -> bool:
        return self._transition((JobStatus.RUNNING,), progress=_percent(progress))

    def mark_queued(self, message: str) -> bool:
        """Back to the queue after a transient error; `message` tells the page about the retry."""
        return self._transition(ACTIVE_STATUSES, status=JobStatus.QUEUED, progress=0, message=message)

    def mark_succeeded(self, message: str = "") -> bool:
        return self._transition(
            ACTIVE_STATUSES, status=JobStatus.SUCCEEDED, progress=100, message=message, finished_at=timezone.now()
        )

    def mark_failed(self, message: str) -> bool:
        """`message` is what the page shows: what failed and what to do, in Russian."""
        return self._transition(
            (*ACTIVE_STATUSES, JobStatus.FAILED), status=JobStatus.FAILED, message=message, finished_at=timezone.now()
        )


def _percent(value: int) -> int:
    return max(0, min(100, int(value)))
