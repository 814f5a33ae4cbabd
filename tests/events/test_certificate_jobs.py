"""The rendering of certificates as a background job (events.CertificateJob, core/jobs.py, core/outbox.py): issued
with its job in one transaction, published after the commit, queued → running → succeeded with a message; a
broker that is down leaves the job queued for the sweeper; a failing render fails the job in Russian and the
page says so; the polled status view's allowed and refused personas."""
from __future__ import annotations

import time

import pytest
from django.urls import reverse

from core import outbox
from core.jobs import JobStatus
from events import certificate_tasks
from events.models import Attendance, Certificate, CertificateJob
from events.services import certificates as service
from tests.core import test_outbox as core_outbox
from tests.events.factories import CertAttendanceFactory, CertHeldEventFactory
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db
broker_down = core_outbox.broker_down  # the fixture: Celery pointed at a closed port


@pytest.fixture
def seminar(district_a, school_a):
    """Three attendees: two registry teachers and one external participant (8 hours: a short training)."""
    event = CertHeldEventFactory(district=district_a, title="Формирование функциональной грамотности", hours=8)
    for name in ("Соколова Елена Викторовна", "Кузнецов Павел Андреевич"):
        Attendance.objects.create(event=event, teacher=TeacherFactory(organisation=school_a, full_name=name))
    CertAttendanceFactory(event=event, full_name="Петрова Ольга Игоревна", organisation_name="Гимназия № 2")
    return event


@pytest.fixture
def progress_seen(monkeypatch):
    """Every progress the worker reports, in order."""
    seen = []
    original = CertificateJob.mark_progress

    def spy(self, progress):
        seen.append(progress)
        return original(self, progress)

    monkeypatch.setattr(CertificateJob, "mark_progress", spy)
    return seen


def _issue(event, user, capture, *, commit=True):
    with capture(execute=commit):
        return service.certificates_issue(event=event, user=user)


# --- the lifecycle ----------------------------------------------------------------------------------


def test_issue_queues_the_job_in_its_transaction_and_the_worker_finishes_it(
    seminar, methodist, progress_seen, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = service.certificates_issue(event=seminar, user=methodist)
        job = result.job
        job.refresh_from_db()
        # Before the commit: the row exists, nothing was published, no PDF yet.
        assert (job.status, job.published_at, job.progress, job.requested_by) == (JobStatus.QUEUED, None, 0, methodist)
        assert not seminar.certificates.exclude(pdf="").exists()
    assert len(callbacks) == 1  # the publication, after the commit

    callbacks[0]()  # eager: the task runs now

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert job.message == "Готово: 3 сертификата."
    assert job.published_at and job.started_at and job.finished_at and job.attempts == 1
    # done/total over 3 certificates, none ready before: 1·100//3 = 33, 2·100//3 = 66, 3·100//3 = 100.
    assert progress_seen == [33, 66, 100]
    assert not seminar.certificates.filter(pdf="").exists()


def test_the_task_is_safe_to_receive_twice(seminar, methodist, django_capture_on_commit_callbacks):
    job = _issue(seminar, methodist, django_capture_on_commit_callbacks).job
    hashes = dict(seminar.certificates.values_list("pk", "sha256"))

    assert certificate_tasks.render_certificates.apply(args=[job.pk]).get() == "done already"

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.SUCCEEDED, 1)
    assert dict(seminar.certificates.values_list("pk", "sha256")) == hashes  # nothing rendered again


def test_a_second_press_reuses_the_active_job_and_a_later_one_makes_a_new_one(
    seminar, methodist, django_capture_on_commit_callbacks,
):
    first = _issue(seminar, methodist, django_capture_on_commit_callbacks, commit=False).job
    CertAttendanceFactory(event=seminar, full_name="Новикова Мария Сергеевна")

    second = _issue(seminar, methodist, django_capture_on_commit_callbacks, commit=False)

    assert second.issued == 1 and second.job.pk == first.pk
    assert CertificateJob.objects.filter(event=seminar).count() == 1

    CertAttendanceFactory(event=seminar, full_name="Орлов Илья Петрович")
    third = _issue(seminar, methodist, django_capture_on_commit_callbacks)
    # The one job renders all 5 certificates (3 + 1 + 1); the finished job is not reused by the next press.
    assert third.job.pk == first.pk
    third.job.refresh_from_db()
    assert third.job.message == "Готово: 5 сертификатов."
    CertAttendanceFactory(event=seminar, full_name="Зайцева Анна Олеговна")
    fourth = _issue(seminar, methodist, django_capture_on_commit_callbacks)
    assert fourth.job.pk != first.pk and CertificateJob.objects.filter(event=seminar).count() == 2
    fourth.job.refresh_from_db()
    assert fourth.job.message == "Готово: 6 сертификатов."


def test_certificates_issued_while_the_job_runs_are_rendered_by_it(seminar, methodist,
                                                                   django_capture_on_commit_callbacks):
    job = _issue(seminar, methodist, django_capture_on_commit_callbacks, commit=False).job
    from events.services import certificate_jobs

    claimed = certificate_jobs.certificate_job_claim(job.pk)  # a worker took it …
    assert claimed.status == JobStatus.RUNNING
    CertAttendanceFactory(event=seminar, full_name="Новикова Мария Сергеевна")
    again = _issue(seminar, methodist, django_capture_on_commit_callbacks, commit=False)  # … and a press meanwhile
    assert again.job.pk == job.pk

    certificate_jobs.certificate_job_run(claimed)

    claimed.refresh_from_db()
    assert (claimed.status, claimed.message) == (JobStatus.SUCCEEDED, "Готово: 4 сертификата.")
    assert not seminar.certificates.filter(pdf="").exists()


def test_a_transient_error_is_retried(seminar, methodist, monkeypatch, django_capture_on_commit_callbacks):
    original, calls = service.certificate_render, []

    def flaky(certificate, signer=None):
        calls.append(certificate.pk)
        if len(calls) == 1:
            raise OSError("хранилище недоступно")
        return original(certificate, signer)

    monkeypatch.setattr(service, "certificate_render", flaky)

    job = _issue(seminar, methodist, django_capture_on_commit_callbacks).job

    job.refresh_from_db()
    # Attempt 1 failed on the first certificate; eager, attempt 2 ran at once and made all 3.
    assert (job.status, job.attempts, job.message) == (JobStatus.SUCCEEDED, 2, "Готово: 3 сертификата.")


# --- the broker is down ----------------------------------------------------------------------------------


def test_with_the_broker_down_the_job_waits_and_the_sweeper_publishes_it(
    broker_down, seminar, methodist_client, django_capture_on_commit_callbacks,
):
    url = reverse("events:certificates_issue", args=[seminar.pk])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = methodist_client.post(url, follow=True)
    elapsed = time.monotonic() - started

    page = response.content.decode()
    assert response.status_code == 200 and elapsed < core_outbox.FAST_SECONDS
    assert "Выдано сертификатов: 3." in page
    assert "будет выполнено автоматически" in page, "the job partial says the job is queued"
    job = CertificateJob.objects.get(event=seminar)
    assert (job.status, job.published_at) == (JobStatus.QUEUED, None)
    assert Certificate.objects.filter(event=seminar, pdf="").count() == 3  # saved, waiting for their PDFs

    broker_down.conf.task_always_eager = True  # the broker is back
    counts = outbox.sweep()

    assert counts["jobs"] >= 1
    job.refresh_from_db()
    assert (job.status, job.message, job.attempts) == (JobStatus.SUCCEEDED, "Готово: 3 сертификата.", 1)
    assert job.published_at is not None
    assert not Certificate.objects.filter(event=seminar, pdf="").exists()
    outbox.sweep()  # nothing left: the finished job is not published again
    job.refresh_from_db()
    assert job.attempts == 1


# --- failures ----------------------------------------------------------------------------------------------


def test_a_failing_render_fails_the_job_in_russian_and_the_page_says_so(
    seminar, methodist, methodist_client, monkeypatch, django_capture_on_commit_callbacks,
):
    original, calls = service.certificate_render, []

    def broken_second(certificate, signer=None):
        calls.append(certificate.pk)
        if len(calls) == 2:
            raise ValueError("шаблон сертификата повреждён")
        return original(certificate, signer)

    monkeypatch.setattr(service, "certificate_render", broken_second)

    job = _issue(seminar, methodist, django_capture_on_commit_callbacks).job

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    # The first certificate's PDF was made before the failure and is kept: 1 of 3.
    assert job.message == (
        "Не удалось сформировать PDF сертификатов (ошибка: шаблон сертификата повреждён). Сформировано 1 из 3, "
        "они сохранены. Нажмите «Выдать сертификаты» ещё раз — будут сформированы недостающие; если ошибка "
        "повторится, сообщите администратору портала."
    )
    page = methodist_client.get(reverse("events:certificates", args=[seminar.pk])).content.decode()
    assert 'data-status="failed"' in page and "Не удалось сформировать PDF сертификатов" in page
    assert "PDF готовы: 1 из 3." in page

    monkeypatch.setattr(service, "certificate_render", original)
    again = _issue(seminar, methodist, django_capture_on_commit_callbacks)  # the methodist presses again

    assert again.issued == 0 and again.job.pk != job.pk
    again.job.refresh_from_db()
    assert (again.job.status, again.job.message) == (JobStatus.SUCCEEDED, "Готово: 3 сертификата.")


def test_a_refusal_in_the_run_is_the_jobs_message(seminar, methodist, django_capture_on_commit_callbacks):
    job = _issue(seminar, methodist, django_capture_on_commit_callbacks, commit=False).job
    seminar.district.method_centre.delete()  # the requisites disappear before the worker runs

    assert certificate_tasks.render_certificates.apply(args=[job.pk]).get() == "failed"

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Не удалось сформировать PDF сертификатов: У района не заполнены реквизиты ИМЦ")


# --- the polled status view: allowed and refused personas ----------------------------------------------------


def test_job_status_view(seminar, methodist, methodist_client, director_client, observer_client,
                         school_admin_client, other_methodist_client, django_capture_on_commit_callbacks):
    job = _issue(seminar, methodist, django_capture_on_commit_callbacks, commit=False).job
    url = reverse("events:certificates_job_status", args=[job.pk])
    assert job.poll_url == url

    response = methodist_client.get(url, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and 'data-status="queued"' in text and f'hx-get="{url}"' in text
    assert "HX-Refresh" not in response
    assert director_client.get(url).status_code == 200
    assert observer_client.get(url).status_code == 403
    assert school_admin_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404
    assert methodist_client.get(reverse("events:certificates_job_status", args=[job.pk + 1000])).status_code == 404

    certificate_tasks.render_certificates.apply(args=[job.pk])
    done = methodist_client.get(url, HTTP_HX_REQUEST="true")
    assert 'data-status="succeeded"' in done.content.decode() and "Готово: 3 сертификата." in done.content.decode()
    assert "hx-get" not in done.content.decode()
    assert done["HX-Refresh"] == "true"  # the table's links need the new PDFs: reload once


@pytest.mark.django_db(transaction=True)
def test_a_running_job_whose_worker_died_is_abandoned_at_once_on_postgresql(district_a):
    """The worker holds an advisory lock on its job; a dead worker's session lets it go, so the sweeper sees the
    running job as abandoned without waiting for the time limit. While another session holds it, it is not."""
    import psycopg2
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    job = CertificateJob.objects.create(event=CertHeldEventFactory(district=district_a), status=JobStatus.RUNNING)
    now = timezone.now()
    assert job.is_abandoned(now)  # nobody holds it
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    holder = psycopg2.connect(**params)
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [certificate_tasks._LOCK_NAMESPACE, job.pk])
        assert not job.is_abandoned(now)  # a live worker holds it
    finally:
        holder.close()  # the worker «dies»: its session ends and the lock goes with it
    # the server lets the lock go a few milliseconds after the session ends
    deadline = time.monotonic() + 5
    while not job.is_abandoned(now) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.is_abandoned(now)
