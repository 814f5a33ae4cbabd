"""Celery tasks of diagnostics: reminders to teachers who have not finished a campaign closing soon."""
from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.outbox import mail_enqueue

from .models import Invitation, InvitationStatus
from .services.campaigns import absolute_url, hash_token, new_token, public_path

REMIND_BEFORE = dt.timedelta(days=3)


def _body(invitation: Invitation, url: str) -> str:
    closes = timezone.localtime(invitation.campaign.closes_at)
    return (f"Здравствуйте, {invitation.teacher.full_name}!\n\n"
            f"Напоминаем: самодиагностика «{invitation.campaign.title}» завершается {closes:%d.%m.%Y %H:%M}.\n"
            f"Ваша персональная ссылка: {url}\n"
            "Она заменяет ссылки из прежних писем и распечаток; сохранённые ответы не теряются.\n")


def remind_due(now=None) -> int:
    """Queue one reminder per invited/draft invitation with an e-mail whose open campaign closes within
    REMIND_BEFORE; `reminded_at` keeps it to once. Only token hashes are stored, so the reminder carries a
    freshly issued link (the old one stops working; a draft's answers belong to the invitation and stay)."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = (Invitation.objects.select_for_update(of=("self",))
               .filter(status__in=[InvitationStatus.INVITED, InvitationStatus.DRAFT], reminded_at__isnull=True,
                       campaign__closed_at__isnull=True, campaign__opens_at__lte=now,
                       campaign__closes_at__gt=now, campaign__closes_at__lte=now + REMIND_BEFORE)
               .exclude(teacher__email="").select_related("campaign", "teacher"))
        for invitation in due:
            token = new_token()
            invitation.token_hash = hash_token(token)
            url = absolute_url(public_path(token))
            mail_enqueue(subject=f"Напоминание: {invitation.campaign.title}", body=_body(invitation, url),
                         to=[invitation.teacher.email], dedup_key=f"diagnostic-reminder:{invitation.pk}")
            invitation.reminded_at = now
            invitation.save(update_fields=["reminded_at", "token_hash"])
            sent += 1
    return sent


@shared_task(name="diagnostics.tasks.send_reminders")
def send_reminders() -> int:
    return remind_due()
