"""The transactional outbox: background jobs and e-mail are rows first, broker messages second.

A user action writes its job row (core/jobs.py) or its e-mail (`mail_enqueue` → core.OutgoingMail)
in its own transaction and returns at once. After the commit `publish` sends the Celery message
with a short broker timeout and no retry, and notes `published_at`; a broker that is down is
logged, never the user's error — the row is kept and the page says «в очереди, будет выполнено
автоматически». The beat sweeper (`sweep`, task core.tasks.outbox_sweep, every
OUTBOX_SWEEP_SECONDS) publishes what never left, and puts back in the queue jobs whose worker died.

With no broker (CELERY_TASK_ALWAYS_EAGER, the embedded default) publishing runs the task after the
commit without Redis: on the embedded worker's background thread when a request publishes it and
EMBEDDED_TASKS = "thread" (the request returns at once and the page polls the job, as with Celery:
core/embedded_worker.py), otherwise in-process, synchronously (EMBEDDED_TASKS = "eager", the tests;
management commands).

Core imports no app: each concrete job names its Celery task (`task_name`), and the sweeper finds
the job models among the installed ones.
"""
from __future__ import annotations

import datetime as dt
import logging
import time

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from . import embedded_worker
from .jobs import BackgroundJob, JobStatus
from .models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

MAIL_TASK = "core.tasks.mail_send"
MAIL_MAX_ATTEMPTS = 10  # one a sweep (a minute) apart, then the mail is marked failed
JOB_MAX_ATTEMPTS = 3  # runs a worker started; a job abandoned this often is failed
# A queued job or pending mail published this long ago and still waiting is published again
# (a message lost with a broker restart); the tasks are safe to receive twice.
REPUBLISH_AFTER = dt.timedelta(minutes=10)
# Past its time limit plus this, a running job's worker is taken for dead.
RUNNING_GRACE = dt.timedelta(minutes=1)
# A mail claimed for sending this long ago whose worker never marked it is tried again.
SENDING_STALE = dt.timedelta(minutes=15)
# After a refused publish this process does not try the broker again for a while: a request that
# queues several mails waits for one connect timeout, not one each.
BROKER_DOWN_PAUSE_SECONDS = 10.0
_broker_down_until = 0.0
ABANDONED_MESSAGE = ("Задание не выполнено: обработчик прерывался {attempts} раз(а). "
                     "Запустите его ещё раз; если ошибка повторится, сообщите администратору портала.")


def is_eager() -> bool:
    """No broker (the embedded default): tasks run in-process (CELERY_TASK_ALWAYS_EAGER)."""
    return bool(current_app.conf.task_always_eager)


def _send(task_name: str, object_id: int) -> bool:
    """Send one Celery message; False (logged) if the broker cannot take it now."""
    task = import_string(task_name)
    if is_eager():
        if embedded_worker.runs_on_thread():
            embedded_worker.submit(task, object_id)
        else:
            task.apply_async(args=[object_id])
        return True
    global _broker_down_until
    if time.monotonic() < _broker_down_until:  # it just refused: do not wait again in this request
        logger.info("Outbox: broker down, %s(%s) left for the sweeper", task_name, object_id)
        return False
    try:
        # retry=False: no kombu publish retries; ignore_result: no subscription to the result
        # backend, whose own reconnect policy (20 tries a second apart) made requests wait ~19 s.
        # Connecting gives up after CELERY_BROKER_CONNECTION_TIMEOUT (2 s, settings).
        task.apply_async(args=[object_id], retry=False, ignore_result=True)
    except Exception:  # noqa: BLE001 — any broker failure: the row stays, the sweeper publishes it
        _broker_down_until = time.monotonic() + BROKER_DOWN_PAUSE_SECONDS
        logger.warning("Outbox: %s(%s) not published, the sweeper will retry", task_name, object_id, exc_info=True)
        return False
    return True


def publish(job: BackgroundJob) -> bool:
    """Send the job's message (after commit); True if it left. Never raises for the broker."""
    model = type(job)
    now = timezone.now()
    if is_eager():  # the task runs now, inside this call: note the publication first
        model._default_manager.filter(pk=job.pk).update(published_at=now)
        job.published_at = now
        return _send(model.task_name, job.pk)
    if not _send(model.task_name, job.pk):
        return False
    model._default_manager.filter(pk=job.pk).update(published_at=now)
    job.published_at = now
    return True


def after_commit(callback) -> None:
    """transaction.on_commit, through one name tests can replace to publish at once. Robust: the
    write is committed, so an error while publishing (or, eager, running the task) is logged by
    Django and never turns the user's page into a 500."""
    transaction.on_commit(callback, robust=True)


def publish_on_commit(job: BackgroundJob) -> None:
    after_commit(lambda: publish(job))


def one_line(text: str) -> str:
    """A header must be one line: a newline in a subject would raise BadHeaderError."""
    return " ".join(str(text).split())


def mail_enqueue(*, subject: str, body: str, to: list[str], dedup_key: str) -> OutgoingMail | None:
    """Queue an e-mail in the caller's transaction; it is published after the commit.

    None if nobody is to receive it or the same notice (`dedup_key`) was already queued.
    """
    recipients = list(dict.fromkeys(email for email in to if email))
    if not recipients:
        return None
    try:
        with transaction.atomic():  # a savepoint: a duplicate key leaves the caller's transaction usable
            mail = OutgoingMail.objects.create(subject=one_line(subject)[:250], body=body, recipients=recipients,
                                               dedup_key=dedup_key[:200])
    except IntegrityError:
        logger.info("Outbox: mail %s already queued", dedup_key)
        return None
    mail_id = mail.pk
    after_commit(lambda: publish_mail(mail_id))
    return mail


def publish_mail(mail_id: int) -> bool:
    if is_eager():
        OutgoingMail.objects.filter(pk=mail_id).update(published_at=timezone.now())
        return _send(MAIL_TASK, mail_id)
    if not _send(MAIL_TASK, mail_id):
        return False
    OutgoingMail.objects.filter(pk=mail_id).update(published_at=timezone.now())
    return True


def mail_send_now(mail_id: int) -> str:
    """Send one queued mail at most once: claim it (pending → sending), send, mark it sent.

    A second delivery of the message finds the row no longer pending and sends nothing. A refusal
    puts the mail back to pending for the sweeper (failed after MAIL_MAX_ATTEMPTS).
    """
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.PENDING).update(
        status=MailStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1,
    )
    if not claimed:
        return "not pending"
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMessage(subject=mail.subject, body=mail.body, to=mail.recipients,
                           from_email=settings.DEFAULT_FROM_EMAIL)
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 — any refusal (SMTP down, a bad address) is retried
        status = MailStatus.FAILED if mail.attempts >= MAIL_MAX_ATTEMPTS else MailStatus.PENDING
        logger.warning("Outbox: mail %s not sent (attempt %s): %s", mail_id, mail.attempts, error)
        OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.SENDING).update(
            status=status, last_error=str(error)[:2000] or type(error).__name__, published_at=None,
        )
        return str(status)
    OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.SENDING).update(
        status=MailStatus.SENT, sent_at=timezone.now(), last_error="",
    )
    return "sent"


def job_models() -> list[type[BackgroundJob]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob) and model.task_name]


def _requeue_abandoned(model: type[BackgroundJob], now: dt.datetime) -> int:
    """Running jobs whose worker died: back to the queue and published, or failed after N runs."""
    count = 0
    for job in model._default_manager.filter(status=JobStatus.RUNNING):
        if not job.is_abandoned(now):
            continue
        if job.attempts >= JOB_MAX_ATTEMPTS:
            job.mark_failed(ABANDONED_MESSAGE.format(attempts=job.attempts))
            continue
        # Conditional on the run the check saw: a worker that finished meanwhile keeps its result.
        if model._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING, started_at=job.started_at).update(
            status=JobStatus.QUEUED, progress=0, message="Обработчик прервался; задание снова в очереди.",
            published_at=None,
        ):
            job.refresh_from_db()
            publish(job)
            count += 1
    return count


def _publish_waiting_jobs(model: type[BackgroundJob], now: dt.datetime) -> int:
    waiting = model._default_manager.filter(status=JobStatus.QUEUED).filter(
        Q(published_at__isnull=True) | Q(published_at__lt=now - REPUBLISH_AFTER)
    )
    return sum(publish(job) for job in waiting.order_by("pk"))


def _publish_pending_mail(now: dt.datetime) -> int:
    OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=now - SENDING_STALE).update(
        status=MailStatus.PENDING, published_at=None,
    )
    pending = OutgoingMail.objects.filter(status=MailStatus.PENDING).filter(
        Q(published_at__isnull=True) | Q(published_at__lt=now - REPUBLISH_AFTER)
    )
    return sum(publish_mail(pk) for pk in pending.order_by("pk").values_list("pk", flat=True))


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Publish what never left and re-queue what a dead worker held; returns the counts."""
    now = now or timezone.now()
    counts = {"requeued": 0, "jobs": 0, "mails": 0}
    for model in job_models():
        counts["requeued"] += _requeue_abandoned(model, now)
        counts["jobs"] += _publish_waiting_jobs(model, now)
    counts["mails"] = _publish_pending_mail(now)
    return counts
