"""Feedback on long actions (issue 14.4): one message true to what happened, and, in the embedded default
(no broker), jobs on the embedded worker's background thread so the page shows their progress
(core/embedded_worker.py, EMBEDDED_TASKS = "thread").

The busy buttons themselves are a browser test: tests/e2e/test_long_action_feedback.py."""
from __future__ import annotations

import re
import threading
import time

import pytest
from django.urls import reverse

from core import embedded_worker, outbox
from core.jobs import JobStatus
from monitoring import services as monitoring_services
from monitoring.models import PeriodKind, Programme, RecomputeJob
from monitoring.services import recompute_job_create


@pytest.fixture
def programme(district_a):
    return Programme.objects.create(district=district_a, code="p", name="Программа", period_kind=PeriodKind.YEAR)


def _page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- one message (the tests' default: eager, the job is done by the redirect) ---------------------------------


@pytest.mark.django_db
def test_recompute_says_one_thing_the_result_not_queued_and_finished(
    programme, methodist_client, observer_client, django_capture_on_commit_callbacks,
):
    url = reverse("monitoring:recompute_start", args=[programme.pk])
    assert observer_client.post(url, {"scope": "district"}).status_code == 403
    assert not RecomputeJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the commit: the job runs (eager)
        response = methodist_client.post(url, {"scope": "district"})
    page = _page_of(methodist_client.get(response["Location"]))
    job = RecomputeJob.objects.get()
    assert job.status == JobStatus.SUCCEEDED
    # Before: «Пересчёт в очереди, будет выполнен автоматически» above «Пересчёт завершён: …».
    assert "в очереди" not in page
    assert page.count("Пересчёт завершён") == 1
    assert 'data-status="succeeded"' in page


@pytest.mark.django_db
def test_a_queued_recompute_says_queued_once(programme, methodist_client, monkeypatch):
    """Nothing ran yet (a worker will): the page says «в очереди» once — in the job's partial, which polls."""
    monkeypatch.setattr(outbox, "after_commit", lambda callback: None)  # never published: it waits
    url = reverse("monitoring:recompute_start", args=[programme.pk])
    page = _page_of(methodist_client.post(url, {"scope": "district"}, follow=True))
    assert len(re.findall(r"в очереди", page)) == 1
    assert 'data-status="queued"' in page and "hx-get" in page


# --- the embedded worker's thread -------------------------------------------------------------------------------


@pytest.fixture
def thread_mode(settings):
    settings.EMBEDDED_TASKS = "thread"
    yield
    assert embedded_worker.wait_idle(timeout=30), "the embedded worker did not finish its tasks"


@pytest.fixture
def held_recompute(monkeypatch):
    """The recompute waits for `release` (at most 5 s): the test sees the job while it runs."""
    release = threading.Event()
    original = monitoring_services.recompute_programme

    def slow(programme, **kwargs):
        release.wait(timeout=5)
        return original(programme, **kwargs)

    monkeypatch.setattr(monitoring_services, "recompute_programme", slow)
    yield release
    release.set()


@pytest.mark.django_db(transaction=True)
def test_thread_mode_returns_at_once_and_the_status_page_shows_the_job_finish(
    thread_mode, held_recompute, programme, methodist_client, other_methodist_client,
):
    url = reverse("monitoring:recompute_start", args=[programme.pk])
    started = time.monotonic()
    response = methodist_client.post(url, {"scope": "district"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 3, f"the request waited {elapsed:.1f} s for the job (eager would wait the 5 s)"
    job = RecomputeJob.objects.get()
    status_url = reverse("monitoring:recompute_status", args=[job.pk])
    assert other_methodist_client.get(status_url).status_code == 404  # another district's job

    running = _page_of(methodist_client.get(status_url))
    assert re.search(r'data-status="(queued|running)"', running) and "hx-get" in running, "polls while active"
    page = _page_of(methodist_client.get(response["Location"]))
    assert "Пересчёт завершён" not in page and "Пересчёт:" in page

    assert "HX-Refresh" not in methodist_client.get(status_url, headers={"HX-Request": "true"}), "still running"
    held_recompute.set()
    assert embedded_worker.wait_idle(timeout=30)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1
    polled = methodist_client.get(status_url, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true", "the page reloads once to show the recomputed table"
    done = _page_of(methodist_client.get(status_url))
    assert 'data-status="succeeded"' in done and "hx-get" not in done
    assert "Пересчёт завершён: новых значений 0, изменено 0, без изменений 0" in done
    page = _page_of(methodist_client.get(response["Location"]))
    assert page.count("Пересчёт завершён") == 1 and "в очереди" not in page


@pytest.mark.django_db(transaction=True)
def test_thread_mode_outside_a_request_runs_in_place(thread_mode, programme, methodist, monkeypatch):
    """A management command (load_demo) must not exit with its jobs on a thread: outside a request they run now."""
    monkeypatch.setattr(outbox, "after_commit", lambda callback: callback())
    job = recompute_job_create(programme=programme, user=methodist)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_an_unknown_mode_is_read_as_eager(settings):
    settings.EMBEDDED_TASKS = "threads"
    assert embedded_worker.mode() == embedded_worker.EAGER
    settings.EMBEDDED_TASKS = "thread"
    assert embedded_worker.mode() == embedded_worker.THREAD


@pytest.mark.django_db
def test_the_embedded_sweeper_runs_what_a_killed_process_left_queued(programme, methodist, settings):
    """No Celery beat without a broker: the embedded worker sweeps, in thread mode only."""
    job = RecomputeJob.objects.create(programme=programme, requested_by=methodist)  # never published
    settings.EMBEDDED_TASKS = "eager"
    assert embedded_worker.sweep() is None
    job.refresh_from_db()
    assert (job.status, job.published_at) == (JobStatus.QUEUED, None)

    settings.EMBEDDED_TASKS = "thread"
    assert embedded_worker.sweep() == {"requeued": 0, "jobs": 1, "mails": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.published_at is not None
