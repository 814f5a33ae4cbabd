"""The transactional outbox (core/outbox.py, issue 10): jobs and e-mail are rows first, broker
messages second, so a broker that is down never fails or loses a committed action.

The broker-down tests point Celery at a closed port on 127.0.0.1 (nothing shared is stopped).
"""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.jobs import JobStatus
from core.models import MailStatus, OutgoingMail
from monitoring.models import PeriodKind, Programme, RecomputeJob
from monitoring.services import recompute_job_create

pytestmark = pytest.mark.django_db

CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"
# «No request waits 19 s on the broker»: one refused publish costs at most the 2 s connect timeout
# (a closed port refuses at once), and the next ones in the process do not try for 10 s.
FAST_SECONDS = 3.0


@pytest.fixture
def broker_down():
    """A real (not eager) Celery app whose broker is a closed port: every publish fails."""
    from imc_portal.celery import app

    # Celery derived the read/write URLs from CELERY_BROKER_URL at start-up and publishes through the
    # write one: with a real broker configured (CI), changing broker_url alone would still publish there.
    names = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url", "result_backend")
    previous = {name: app.conf[name] for name in names}
    app.conf.task_always_eager = False
    for name in names[1:]:
        app.conf[name] = CLOSED_PORT_BROKER
    _fresh_connections(app)
    yield app
    for name, value in previous.items():
        app.conf[name] = value
    _fresh_connections(app)


def _fresh_connections(app) -> None:
    """The next publish connects to app.conf.broker_url (the pools keep the URL they were made with).
    Not closed: eager apply_async still acquires a producer from the pool it was made with."""
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)  # the result backend keeps its URL too
    outbox._broker_down_until = 0.0


@pytest.fixture
def publishes_at_once(monkeypatch):
    """Tests run in one transaction that never commits: publish at once instead of after commit."""
    monkeypatch.setattr(outbox, "after_commit", lambda callback: callback())


@pytest.fixture
def programme(district_a):
    return Programme.objects.create(district=district_a, code="p", name="Программа", period_kind=PeriodKind.YEAR)


# --- jobs --------------------------------------------------------------------------------------------


def test_a_refused_publish_keeps_the_job_and_returns_fast(broker_down, programme, methodist, publishes_at_once):
    started = time.monotonic()
    job = recompute_job_create(programme=programme, user=methodist)
    elapsed = time.monotonic() - started
    assert elapsed < FAST_SECONDS, f"publishing waited {elapsed:.1f} s on a broker that is down"
    job.refresh_from_db()
    assert (job.status, job.published_at) == (JobStatus.QUEUED, None)


def test_recompute_view_with_the_broker_down_says_queued_not_500(
    broker_down, programme, methodist_client, observer_client, django_capture_on_commit_callbacks,
):
    url = reverse("monitoring:recompute_start", args=[programme.pk])
    assert observer_client.post(url, {"scope": "district"}).status_code == 403
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = methodist_client.post(url, {"scope": "district"}, follow=True)
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and elapsed < FAST_SECONDS
    job = RecomputeJob.objects.get()
    assert (job.status, job.published_at) == (JobStatus.QUEUED, None)
    page = response.content.decode()
    assert len(re.findall(r"в очереди[^<]*автоматически", page)) == 1, "the job's partial, the one message"
    status = methodist_client.get(reverse("monitoring:recompute_status", args=[job.pk])).content.decode()
    assert re.search(r"в очереди[^<]*автоматически", status), "one sentence, as the fault tests read it"


def test_after_a_refusal_the_next_publishes_do_not_wait(broker_down, publishes_at_once):
    started = time.monotonic()
    for n in range(5):
        outbox.mail_enqueue(subject="Тема", body="", to=["a@example.org"], dedup_key=f"k{n}")
    assert time.monotonic() - started < FAST_SECONDS
    assert OutgoingMail.objects.filter(status=MailStatus.PENDING, published_at=None).count() == 5


def test_a_published_job_notes_when(programme, methodist, publishes_at_once):
    """Eager mode (no broker, `make run`): publishing runs the task in-process, as before."""
    job = recompute_job_create(programme=programme, user=methodist)
    job.refresh_from_db()
    assert job.published_at is not None
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1


def test_one_pending_recompute_per_programme_is_a_database_constraint(programme, methodist):
    RecomputeJob.objects.create(programme=programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecomputeJob.objects.create(programme=programme)
    RecomputeJob.objects.update(status=JobStatus.SUCCEEDED)
    RecomputeJob.objects.create(programme=programme)  # a finished job does not block a new one


def test_two_presses_of_recompute_make_one_job(broker_down, programme, methodist):
    first = recompute_job_create(programme=programme, user=methodist)
    second = recompute_job_create(programme=programme, user=methodist)
    assert first.pk == second.pk and RecomputeJob.objects.count() == 1


def test_the_sweeper_publishes_jobs_whose_message_never_left(broker_down, programme, methodist):
    job = recompute_job_create(programme=programme, user=methodist)
    assert outbox.sweep()["jobs"] == 0, "broker still down: nothing published, nothing lost"
    broker_down.conf.task_always_eager = True  # the broker is back (in-process)
    counts = outbox.sweep()
    job.refresh_from_db()
    assert counts["jobs"] == 1 and job.status == JobStatus.SUCCEEDED and job.published_at is not None
    assert outbox.sweep()["jobs"] == 0


def test_the_sweeper_requeues_a_job_whose_worker_died(programme, methodist):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    job = RecomputeJob.objects.create(programme=programme, status=JobStatus.RUNNING, started_at=long_ago,
                                      attempts=1, published_at=long_ago)
    fresh = RecomputeJob.objects.create(programme=Programme.objects.create(
        district=programme.district, code="q", name="Другая", period_kind=PeriodKind.YEAR,
    ), status=JobStatus.RUNNING, started_at=timezone.now(), attempts=1)
    assert outbox.sweep()["requeued"] == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2, "re-queued and run again"
    assert fresh.status == JobStatus.RUNNING, "a job within its time limit is left to its worker"


def test_a_job_abandoned_too_often_fails_with_a_russian_message(programme):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    job = RecomputeJob.objects.create(programme=programme, status=JobStatus.RUNNING, started_at=long_ago,
                                      attempts=outbox.JOB_MAX_ATTEMPTS)
    outbox.sweep()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "обработчик прерывался" in job.message


def test_every_concrete_job_names_its_task():
    names = {model._meta.label: model.task_name for model in outbox.job_models()}
    assert names == {"monitoring.RecomputeJob": "monitoring.tasks.recompute_job",
                     "reports.RenderJob": "reports.tasks.render_report",
                     "events.CertificateJob": "events.certificate_tasks.render_certificates",
                     "core.ExportJob": "core.tasks.export_job"}


def test_beat_runs_the_sweeper(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["core-outbox-sweep"]
    assert entry == {"task": "core.tasks.outbox_sweep", "schedule": settings.OUTBOX_SWEEP_SECONDS}
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


# --- mail --------------------------------------------------------------------------------------------


def _enqueue(key="notice:1", to=("a@example.org",)):
    return outbox.mail_enqueue(subject="Тема\nвторая строка", body="Текст", to=list(to), dedup_key=key)


def test_mail_is_sent_after_commit_with_a_one_line_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = _enqueue()
        assert not mail.outbox, "nothing leaves before the commit"
    assert [(m.subject, m.to) for m in mail.outbox] == [("Тема вторая строка", ["a@example.org"])]
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT and queued.sent_at is not None and queued.attempts == 1


def test_a_dedup_key_queues_the_same_notice_once(publishes_at_once):
    assert _enqueue() is not None
    assert _enqueue() is None
    assert OutgoingMail.objects.count() == 1 and len(mail.outbox) == 1


def test_mail_send_twice_sends_once(publishes_at_once):
    from core.tasks import mail_send

    queued = _enqueue()
    assert mail_send.delay(queued.pk).get() == "not pending"
    assert len(mail.outbox) == 1


def test_mail_claimed_by_another_worker_is_not_sent_again():
    queued = _enqueue()  # not published: no commit in this test
    OutgoingMail.objects.filter(pk=queued.pk).update(status=MailStatus.SENDING, claimed_at=timezone.now())
    assert outbox.mail_send_now(queued.pk) == "not pending" and not mail.outbox


def test_the_sweeper_sends_pending_mail_once_the_broker_is_back(broker_down, publishes_at_once):
    queued = _enqueue()
    queued.refresh_from_db()
    assert (queued.status, queued.published_at) == (MailStatus.PENDING, None)
    broker_down.conf.task_always_eager = True
    assert outbox.sweep()["mails"] == 1
    assert outbox.sweep()["mails"] == 0
    assert len(mail.outbox) == 1


def test_a_refused_mail_waits_and_fails_after_the_last_attempt(publishes_at_once, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    queued = _enqueue()
    for _ in range(outbox.MAIL_MAX_ATTEMPTS):
        outbox.sweep()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, outbox.MAIL_MAX_ATTEMPTS)
    assert "SMTP down" in queued.last_error


def test_mail_to_nobody_is_not_queued():
    assert outbox.mail_enqueue(subject="Тема", body="", to=["", ""], dedup_key="k") is None
