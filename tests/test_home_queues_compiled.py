"""The start page's counters compiled once per reader, and its empty lists not read (issue 15.3).

`imc_portal.home.counts_at` compiles a reader's counting query once per process and later only moves its times;
a list whose counter is 0 is not asked for. What is checked here: the numbers follow the data on the next read and
the clock, each reader keeps their own scope, and a query that cannot be moved safely is never compiled.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusters.models import District, EventStatus
from imc_portal import home as queues
from reports.models import ReportStatus
from surveys.models import Audience
from tests.factories import EventFactory
from tests.reports.factories import ReportFactory
from tests.surveys.factories import QuestionnaireFactory, make_campaign

HOME = "/"


def _count(content: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}-count">([\d\s\u00a0]+)<', content)
    assert match, f"counter {testid} not on the page"
    return int(re.sub(r"\D", "", match.group(1)))


def _page(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(autouse=True)
def _fresh_compiled():
    queues._compiled.clear()
    yield
    queues._compiled.clear()


def test_empty_lists_are_not_read(methodist_client, district_a):
    _page(methodist_client)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        content = _page(methodist_client)
    # Session and user, every counter in one query, the latest year's clusters: 2 + 1 + 1 (9 when every list
    # was read whatever its counter).
    assert len(captured) == 4
    for testid in ("queue-own-drafts", "queue-own-returned", "queue-surveys-closing", "queue-diagnostics-closing",
                   "queue-failed-jobs", "queue-events"):
        assert _count(content, testid) == 0


def test_a_new_row_shows_on_the_next_read_and_only_in_its_district(methodist_client, other_methodist_client,
                                                                   methodist, district_a):
    before, other_before = _page(methodist_client), _page(other_methodist_client)  # both compiled now
    assert _count(before, "queue-own-drafts") == 0 and _count(other_before, "queue-own-drafts") == 0

    ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.DRAFT, title="Новый черновик")
    today = timezone.localdate()
    EventFactory(district=district_a, title="Семинар послезавтра", held_on=today + dt.timedelta(days=2),
                 status=EventStatus.PLANNED)
    make_campaign(QuestionnaireFactory(district=district_a, audience=Audience.ORGANISATION), district_a,
                  closes_at=timezone.now() + dt.timedelta(days=1), title="Анкета до завтра")

    after = _page(methodist_client)
    assert _count(after, "queue-own-drafts") == 1 and "Новый черновик" in after
    assert _count(after, "queue-events") == 1 and "Семинар послезавтра" in after
    assert _count(after, "queue-surveys-closing") == 1 and "Анкета до завтра" in after

    # The other district's methodist (their own compiled query) sees none of district A's rows.
    other_after = _page(other_methodist_client)
    assert _count(other_after, "queue-own-drafts") == 0 and "Новый черновик" not in other_after
    assert _count(other_after, "queue-events") == 0 and "Семинар послезавтра" not in other_after
    assert _count(other_after, "queue-surveys-closing") == 0 and "Анкета до завтра" not in other_after


def _methodist_build(user):
    def build(now):
        return {**queues.district_counts(user), **queues.methodist_counts(user),
                **queues.methodist_list_counts(user, now, timezone.localdate(now))}
    return build


def test_compiled_counts_follow_the_clock(methodist, district_a):
    now = timezone.now()
    make_campaign(QuestionnaireFactory(district=district_a), district_a, closes_at=now + dt.timedelta(days=3))
    EventFactory(district=district_a, held_on=timezone.localdate(now) + dt.timedelta(days=16),
                 status=EventStatus.PLANNED)
    build = _methodist_build(methodist)

    first = queues.counts_at(District, district_a.pk, methodist, build, now)
    if connection.vendor == "postgresql":  # compiled, not built every time (SQLite: times are strings)
        assert all(entry is not None for entry in queues._compiled.values())
    # Now: the campaign closes in 3 days (within 7), the event is 16 days ahead (beyond 14).
    assert (first["surveys_closing"], first["events_ahead"]) == (1, 0)
    # Five days later, from the same compiled query: the campaign has closed, the event is 11 days ahead.
    later = queues.counts_at(District, district_a.pk, methodist, build, now + dt.timedelta(days=5))
    assert (later["surveys_closing"], later["events_ahead"]) == (0, 1)
    assert later == queues.count_all(District, district_a.pk, build(now + dt.timedelta(days=5)))


def test_a_time_not_moving_with_the_clock_or_a_read_while_building_is_never_compiled(methodist, district_a):
    from clusters.models import Event

    now = timezone.now()
    EventFactory(district=district_a, held_on=timezone.localdate(now) + dt.timedelta(days=1),
                 status=EventStatus.PLANNED)
    EventFactory(district=district_a, held_on=dt.date(timezone.localdate(now).year, 1, 1),
                 status=EventStatus.PLANNED)

    def since_new_year(now):  # derived from `now`, but not by a fixed shift
        return {"events": Event.objects.filter(district_id=district_a.pk,
                                               held_on__gte=timezone.localdate(now).replace(month=1, day=1))}

    def reading(now):  # a scope read into Python while building
        return {"events": Event.objects.filter(pk__in=list(Event.objects.values_list("pk", flat=True)))}

    if connection.vendor == "postgresql":  # SQLite: a date is a string there, kept as a constant for the day
        assert queues._compile_counts(District, district_a.pk, since_new_year, now) is None
    assert queues._compile_counts(District, district_a.pk, reading, now) is None
    # Right on every call (compiled per local day at most): both events this year; next year none.
    assert queues.counts_at(District, district_a.pk, methodist, since_new_year, now) == {"events": 2}
    next_year = now.replace(year=now.year + 1, month=6, day=1)
    assert queues.counts_at(District, district_a.pk, methodist, since_new_year, next_year) == {"events": 0}


def test_every_role_is_compiled_on_postgresql(methodist_client, director_client, observer_client,
                                              school_admin_client, district_a, school_a):
    for client in (methodist_client, director_client, observer_client, school_admin_client):
        _page(client)
    compiled = [entry is not None for entry in queues._compiled.values()]
    assert len(compiled) == 4
    if connection.vendor == "postgresql":
        assert all(compiled)
