"""Models of core: the mail outbox (core/outbox.py)."""
from __future__ import annotations

from django.db import models


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
