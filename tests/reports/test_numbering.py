"""The outgoing register: numbers per ИМЦ and year, gapless, also under concurrent approvals.

The concurrency tests need PostgreSQL (row locks between two real connections); on the embedded
SQLite they are skipped outside CI and fail in CI, like tests/conftest.py's real-worker fixture.
"""
from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from clusters.models import MethodCentre
from core import outbox
from reports import services
from reports.models import OutgoingCounter, Report, ReportStatus
from reports.numbering import (
    NumberingError,
    outgoing_label,
    outgoing_last_number,
    outgoing_number_register,
    outgoing_number_take,
)
from reports.services import render_jobs
from tests.reports.workflow_support import make_programme


def _centre(district) -> MethodCentre:
    return district.method_centre


def test_numbers_of_a_year_follow_one_another_from_one(district_a):
    centre = _centre(district_a)
    with transaction.atomic():
        numbers = [outgoing_number_take(method_centre=centre, year=2021) for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert outgoing_last_number(method_centre=centre, year=2021) == 3
    assert outgoing_label(centre, 3) == "1-3"


def test_each_year_and_each_centre_has_its_own_register(district_a, district_b):
    with transaction.atomic():
        outgoing_number_take(method_centre=_centre(district_a), year=2021)
        outgoing_number_take(method_centre=_centre(district_a), year=2021)
        assert outgoing_number_take(method_centre=_centre(district_a), year=2022) == 1
        assert outgoing_number_take(method_centre=_centre(district_b), year=2021) == 1
    assert OutgoingCounter.objects.count() == 3


def test_prefix_is_configurable_per_centre(district_a):
    centre = _centre(district_a)
    centre.outgoing_prefix = "01-15/"
    assert outgoing_label(centre, 854) == "01-15/854"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_a_transaction(district_a):
    with pytest.raises(NumberingError):
        outgoing_number_take(method_centre=_centre(district_a), year=2021)


def test_a_rolled_back_number_is_given_out_again(district_a):
    centre = _centre(district_a)
    with transaction.atomic():
        assert outgoing_number_take(method_centre=centre, year=2021) == 1
        with pytest.raises(RuntimeError), transaction.atomic():
            assert outgoing_number_take(method_centre=centre, year=2021) == 2
            raise RuntimeError("approval failed after taking the number")
        assert outgoing_number_take(method_centre=centre, year=2021) == 2


def test_a_paper_number_moves_the_counter_up_never_down(district_a):
    centre = _centre(district_a)
    with transaction.atomic():
        outgoing_number_register(method_centre=centre, year=2021, number=854)
        assert outgoing_number_take(method_centre=centre, year=2021) == 855
        outgoing_number_register(method_centre=centre, year=2021, number=10)
        assert outgoing_number_take(method_centre=centre, year=2021) == 856


# --- real concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI must run the register concurrency tests on PostgreSQL", pytrace=False)
        pytest.skip("concurrent row locks need PostgreSQL (DATABASE_URL=postgres://…), as in CI")


@pytest.fixture(params=["year's counter exists", "first approvals of the year"])
def two_submitted_reports(request, postgresql, methodist, director, monkeypatch, fake_pipeline):
    """Two reports awaiting approval. With the year's counter row already there, only its row lock
    keeps the approvals apart; without it, the two INSERTs of the row meet first."""
    # The final PDF is not the point here; keep the approving transactions about the number.
    monkeypatch.setattr(render_jobs, "queue_render", lambda job: None)
    monkeypatch.setattr(outbox, "after_commit", lambda callback: None)  # the e-mails stay queued
    programme, periods = make_programme(methodist.district)
    reports = []
    for _ in range(2):
        report = services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
        reports.append(services.report_submit(report=report, user=methodist))
    if request.param == "year's counter exists":
        OutgoingCounter.objects.create(method_centre=methodist.district.method_centre, year=timezone.localdate().year)
    return reports


class Approval(threading.Thread):
    """Approves one report on its own database connection, optionally holding or rolling back."""

    def __init__(self, report_id: int, director, *, start_together: threading.Barrier | None = None,
                 took_number: threading.Event | None = None, hold_seconds: float = 0.0, roll_back: bool = False):
        super().__init__()
        self.report_id, self.director = report_id, director
        self.start_together, self.took_number = start_together, took_number
        self.hold_seconds, self.roll_back = hold_seconds, roll_back
        self.number: int | None = None
        self.error: BaseException | None = None
        self.seconds = 0.0

    def run(self) -> None:
        try:
            if self.start_together:
                self.start_together.wait(timeout=10)
            started = time.monotonic()
            with transaction.atomic():
                report = services.report_approve(report=Report.objects.get(pk=self.report_id), user=self.director)
                self.number = report.outgoing_number
                if self.took_number:
                    self.took_number.set()
                time.sleep(self.hold_seconds)
                if self.roll_back:
                    raise _RollBack
            self.seconds = time.monotonic() - started
        except _RollBack:
            pass
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


class _RollBack(Exception):
    pass


def test_two_approvals_at_the_same_moment_get_consecutive_numbers(two_submitted_reports, director):
    barrier = threading.Barrier(2)
    threads = [Approval(r.pk, director, start_together=barrier, hold_seconds=0.2) for r in two_submitted_reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [t.error for t in threads] == [None, None]
    assert sorted(t.number for t in threads) == [1, 2]
    stored = Report.objects.filter(pk__in=[r.pk for r in two_submitted_reports]).order_by("outgoing_number")
    assert [(r.status, r.outgoing_label) for r in stored] == [(ReportStatus.APPROVED, "1-1"), (ReportStatus.APPROVED, "1-2")]
    year = stored[0].outgoing_year
    assert outgoing_last_number(method_centre=director.district.method_centre, year=year) == 2


def test_an_approval_that_rolls_back_leaves_no_gap(two_submitted_reports, director):
    first, second = two_submitted_reports
    took_number = threading.Event()
    rolled_back = Approval(first.pk, director, took_number=took_number, hold_seconds=0.5, roll_back=True)
    rolled_back.start()
    assert took_number.wait(timeout=10)
    waiting = Approval(second.pk, director)  # blocks on the counter row until the first rolls back
    waiting.start()
    rolled_back.join(timeout=30)
    waiting.join(timeout=30)

    assert rolled_back.error is None and waiting.error is None
    assert rolled_back.number == 1
    assert waiting.number == 1, "the number of the rolled-back approval is given out again"
    assert waiting.seconds >= 0.3, "the second approval waited for the first one's lock"
    first.refresh_from_db()
    assert first.status == ReportStatus.SUBMITTED and first.outgoing_number is None

    again = Approval(first.pk, director)
    again.start()
    again.join(timeout=30)
    assert again.error is None and again.number == 2
