"""No overbooking: two registrations for the last place at the same moment — one gets it, the other waits.

Needs PostgreSQL (row locks between two real connections); on SQLite it is skipped outside CI, as
tests/reports/test_numbering.py.
"""
from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connection, connections

from events.models import Registration
from events.services import registration as service
from tests.events.factories import OpenEventFactory, RegistrationFactory
from tests.factories import TeacherFactory


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI must run the registration concurrency test on PostgreSQL", pytrace=False)
        pytest.skip("concurrent row locks need PostgreSQL (DATABASE_URL=postgres://…), as in CI")


class Registering(threading.Thread):
    def __init__(self, barrier: threading.Barrier, **kwargs):
        super().__init__()
        self.barrier, self.kwargs = barrier, kwargs
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.barrier.wait(timeout=10)
            if "teacher_ids" in self.kwargs:
                service.register_teachers(**self.kwargs)
            else:
                service.register_external(**self.kwargs)
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


def test_two_registrations_for_the_last_place_never_overbook(postgresql, district_a, school_a, school_admin,
                                                             monkeypatch):
    counted = service._registered_count

    def slow_count(event):  # widen the window between counting the places and taking one
        result = counted(event)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(service, "_registered_count", slow_count)
    event = OpenEventFactory(district=district_a, capacity=2)
    RegistrationFactory(event=event, teacher=TeacherFactory(organisation=school_a))  # 1 of 2 taken: one place left
    teacher = TeacherFactory(organisation=school_a)
    barrier = threading.Barrier(2)
    threads = [
        Registering(barrier, user=school_admin, event=event, teacher_ids=[teacher.pk]),
        Registering(barrier, event=event, full_name="Петрова Ольга Игоревна", organisation_name="Школа Тулуна",
                    email="petrova@tulun.ru", consent=True),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [t.error for t in threads] == [None, None]
    # 1 registered before + 2 at once for 1 place: 2 registered in all, exactly one waiting.
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["registered", "registered", "waitlisted"]
