"""Fault: «Пересчитать» pressed at the same moment by several people (or a double click that two
gunicorn workers serve in parallel). Check-then-insert lets both requests see «no job waiting» and
insert two; the database constraint (one pending recompute per programme) lets exactly one in."""
from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.jobs import ACTIVE_STATUSES, JobStatus
from monitoring.models import RecomputeJob
from tests.reports.workflow_support import make_programme

pytestmark = pytest.mark.faults

PRESSES = 6
ROUNDS = 3


def _press_at_once(user, url: str) -> list[int]:
    barrier = threading.Barrier(PRESSES)
    statuses: list[int] = []

    def press():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url, {"scope": "district"}).status_code)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=press) for _ in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_simultaneous_recompute_presses_queue_one_job(broker, methodist):
    """No worker runs: every job stays pending, which is when a second one must be refused."""
    programme, _ = make_programme(methodist.district)
    url = reverse("monitoring:recompute_start", args=[programme.pk])
    for round_number in range(1, ROUNDS + 1):
        statuses = _press_at_once(methodist, url)
        assert statuses == [302] * PRESSES, statuses
        jobs = RecomputeJob.objects.filter(programme=programme)
        assert jobs.filter(status__in=ACTIVE_STATUSES).count() == 1
        assert jobs.count() == round_number
        jobs.filter(status__in=ACTIVE_STATUSES).update(status=JobStatus.SUCCEEDED)  # the next round starts afresh
