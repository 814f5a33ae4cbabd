"""Celery tasks of events: the reminder the day before an event to every registered participant with an e-mail."""
from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clusters.models import EventStatus
from core.outbox import mail_enqueue

from .models import Registration, RegistrationStatus
from .services.registration import event_when_where


def _body(registration: Registration) -> str:
    event = registration.event
    return (f"Здравствуйте, {registration.person_name}!\n\n"
            f"Напоминаем: завтра мероприятие «{event.title}», на которое вы зарегистрированы.\n"
            f"{event_when_where(event)}\n"
            "Для отметки на входе покажите QR-код билета из письма о регистрации "
            "(или распечатку администратора вашей организации).\n")


def remind_due(today: dt.date | None = None) -> int:
    """Queue one reminder per registered participant with an e-mail of a planned event held tomorrow;
    `reminded_at` keeps it to once however often the task runs. Returns how many were queued."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    with transaction.atomic():
        due = (Registration.objects.select_for_update(of=("self",))
               .filter(status=RegistrationStatus.REGISTERED, reminded_at__isnull=True,
                       event__held_on=today + dt.timedelta(days=1), event__status=EventStatus.PLANNED)
               .filter(Q(teacher__isnull=True, email__gt="") | Q(teacher__isnull=False, teacher__email__gt=""))
               .select_related("event", "teacher"))
        reminded = []
        for registration in due:
            email = registration.teacher.email if registration.teacher_id else registration.email
            mail_enqueue(subject=f"Напоминание: завтра {registration.event.title}", body=_body(registration),
                         to=[email], dedup_key=f"event-reminder:{registration.pk}:{registration.event.held_on}")
            reminded.append(registration.pk)
            sent += 1
        Registration.objects.filter(pk__in=reminded).update(reminded_at=now)
    return sent


@shared_task(name="events.tasks.send_reminders")
def send_reminders() -> int:
    return remind_due()
