"""Models of core: the mail outbox (core/outbox.py) and large exports run as jobs (core/exports.py)."""
from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .jobs import ACTIVE_STATUSES, BackgroundJob


class MailStatus(models.TextChoices):
    PENDING = "pending", "ожидает отправки"
    SENDING = "sending", "отправляется"
    SENT = "sent", "отправлено"
    FAILED = "failed", "не отправлено"


class OutgoingMail(models.Model):
    """One e-mail, written in the transaction of the action that causes it and sent after commit.

    `dedup_key` names the notice («reports:12:submitted:3»): the same notice is never queued twice.
    The row is claimed (pending → sending) before sending and marked sent after, by conditional
    UPDATEs, so a redelivered Celery message never sends it twice.
    """

    subject = models.CharField("тема", max_length=250)
    body = models.TextField("текст")
    recipients = models.JSONField("получатели", default=list)
    status = models.CharField("статус", max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    last_error = models.TextField("последняя ошибка", blank=True)
    dedup_key = models.CharField("ключ уведомления", max_length=200, unique=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    claimed_at = models.DateTimeField("взято в отправку", null=True, blank=True)
    published_at = models.DateTimeField("отправлено в очередь", null=True, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "исходящее письмо"
        verbose_name_plural = "исходящие письма"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outgoingmail_status")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)} ({self.get_status_display()})"


def export_file_path(instance: ExportJob, filename: str) -> str:
    """A private, unguessable path: the file is served only through core:export_download (owner checked)."""
    return f"private/exports/{uuid.uuid4().hex}.xlsx"


class ExportJob(BackgroundJob):
    """One large XLSX export run in the background (core/exports.py): who asked, which kind with which
    parameters, rows done of rows expected, and the file when it is ready (kept until `expires_at`).

    `kind` names an entry of the export registry (core/exports.py) that an upper app registers; its
    `parameters` are what that entry needs to rebuild the rows (the list's filter, the campaign and group,
    the district and organisation of the user as at the request). The file lies under MEDIA_ROOT at a
    random private path and is only ever answered by core:export_download to the user who asked.
    """

    kind = models.CharField("вид выгрузки", max_length=60)
    title = models.CharField("выгрузка", max_length=200)
    parameters = models.JSONField("параметры", default=dict)
    # sha256 of the kind and the canonical parameters: one pending job per user, kind and parameters.
    parameters_key = models.CharField("ключ параметров", max_length=64)
    filename = models.CharField("имя файла", max_length=200)
    rows_done = models.PositiveIntegerField("выгружено строк", default=0)
    rows_total = models.PositiveIntegerField("строк ожидается", default=0)
    file = models.FileField("файл", upload_to=export_file_path, max_length=300, blank=True)
    expires_at = models.DateTimeField("хранится до", null=True, blank=True)

    status_element_id = "export-status"
    task_name = "core.tasks.export_job"
    # A city-wide export on a busy worker may take minutes: past the default 300/360 s (core.tasks.export_job's
    # limits; Redis' visibility_timeout, 900 s, stays above them).
    time_limit_seconds = 660
    lock_namespace = 5_050_520  # «export jobs» (core/exports.py holds it while writing)

    class Meta:
        verbose_name = "выгрузка XLSX"
        verbose_name_plural = "выгрузки XLSX"
        ordering = ["-created_at"]
        constraints = [
            # A second click on the same export (same user, kind and parameters) gets the pending job.
            models.UniqueConstraint(
                fields=["requested_by", "kind", "parameters_key"], condition=Q(status__in=list(ACTIVE_STATUSES)),
                name="one_pending_export_job",
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="exportjob_user_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def subject(self) -> str:
        return f"Выгрузка «{self.title}»"

    @property
    def poll_url(self) -> str:
        return reverse("core:export_status", args=[self.pk])

    @property
    def page_url(self) -> str:
        return reverse("core:export_detail", args=[self.pk])

    @property
    def download_url(self) -> str:
        return reverse("core:export_download", args=[self.pk])

    @property
    def is_downloadable(self) -> bool:
        return self.is_succeeded and bool(self.file) and (self.expires_at is None or self.expires_at > timezone.now())
