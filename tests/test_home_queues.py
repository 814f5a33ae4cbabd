"""The start page's work queues (issue 14, item 1): each role sees its own queue, counted by hand, only of its
district (or school), every number a link to the list it counts, in a fixed number of queries."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.models import EventStatus, RouteStatus
from core.jobs import JobStatus
from core.roles import Role
from diagnostics.models import InvitationStatus
from events.models import CertificateJob
from imc_portal import home as queues
from reports.models import RenderJob, ReportStatus
from surveys.models import Audience
from tests.diagnostics.factories import DiagnosticCampaignFactory, InvitationFactory
from tests.events.factories import OpenEventFactory
from tests.factories import EventFactory, IndividualRouteFactory, TeacherFactory, UserFactory
from tests.monitoring.factories import (
    PeriodApprovalFactory,
    PeriodFactory,
    ProgrammeFactory,
    RecomputeJobFactory,
    ValueFactory,
)
from tests.reports.factories import ReportFactory
from tests.surveys.factories import QuestionnaireFactory, ResponseFactory, make_campaign

HOME = "/"


def _count(content: str, testid: str) -> int:
    """The number shown by the counter `testid`."""
    match = re.search(rf'data-testid="{testid}-count">([\d\s\u00a0]+)<', content)
    assert match, f"counter {testid} not on the page"
    return int(re.sub(r"\D", "", match.group(1)))


def _href(content: str, testid: str) -> str:
    match = re.search(rf'href="([^"]*)" data-testid="{testid}"', content)
    assert match, f"link {testid} not on the page"
    return match.group(1).replace("&amp;", "&")


def _page(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


# --- director ---------------------------------------------------------------------------------------------------


@pytest.fixture
def director_world(district_a, district_b, methodist, other_methodist):
    for status in (ReportStatus.SUBMITTED, ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.DRAFT):
        ReportFactory(district=district_a, created_by=methodist, status=status)
    ReportFactory(district=district_b, created_by=other_methodist, status=ReportStatus.SUBMITTED)
    programme = ProgrammeFactory(district=district_a, name="Эффективность сетевого взаимодействия")
    waiting = PeriodFactory(programme=programme, year=2020)  # ended, fact entered, not approved: waits
    approved = PeriodFactory(programme=programme, year=2021)  # ended, fact entered, approved: does not
    empty = PeriodFactory(programme=programme, year=2019)  # ended, no fact: nothing to approve yet
    PeriodFactory(programme=programme, year=timezone.localdate().year + 1)  # not ended
    for period in (waiting, approved):
        ValueFactory(indicator__programme=programme, period=period, fact=10)
    ValueFactory(indicator__programme=programme, period=empty, fact=None, plan=5)
    PeriodApprovalFactory(period=approved)
    other = ProgrammeFactory(district=district_b)
    ValueFactory(indicator__programme=other, period=PeriodFactory(programme=other, year=2020), fact=3)
    return programme


def test_director_sees_reports_and_periods_waiting(director_client, director_world):
    content = _page(director_client)

    # District A: 2 submitted, 1 approved (district B's submitted one is not counted).
    assert _count(content, "queue-reports-submitted") == 2
    assert _count(content, "queue-reports-approved") == 1
    assert _href(content, "queue-reports-submitted") == reverse("reports:report_list") + "?status=submitted"
    assert _href(content, "queue-reports-approved") == reverse("reports:report_list") + "?status=approved"
    # 2020 only: 2021 is approved, 2019 has no fact, next year has not ended, district B is not ours.
    assert _count(content, "queue-periods") == 1
    assert reverse("monitoring:programme_detail", args=[director_world.pk]) in content
    # The link opens the filtered list.
    assert director_client.get(_href(content, "queue-reports-submitted")).status_code == 200


def test_other_roles_do_not_get_the_directors_queue(methodist_client, observer_client, director_world):
    for client in (methodist_client, observer_client):
        assert 'data-testid="queue-director"' not in _page(client)


# --- methodist --------------------------------------------------------------------------------------------------


@pytest.fixture
def methodist_world(district_a, district_b, school_a, school_b, methodist, other_methodist):
    colleague = UserFactory(username="colleague", district=district_a)
    now = timezone.now()
    ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.DRAFT, title="Мой черновик 1")
    ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.DRAFT, title="Мой черновик 2")
    ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.RETURNED, title="Моя возвращённая")
    ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.SIGNED, title="Моя подписанная")
    ReportFactory(district=district_a, created_by=colleague, status=ReportStatus.DRAFT, title="Чужой черновик")
    ReportFactory(district=district_b, created_by=other_methodist, status=ReportStatus.DRAFT, title="Черновик Б")

    org_q = QuestionnaireFactory(district=district_a, audience=Audience.ORGANISATION)
    closing = make_campaign(org_q, district_a, closes_at=now + dt.timedelta(days=3), title="Критерии ОУ: скоро конец",
                            organisations=[school_a, school_b])
    ResponseFactory(campaign=closing, organisation=school_a)  # 1 of 2 organisations
    make_campaign(org_q, district_a, closes_at=now + dt.timedelta(days=10), title="Анкета через 10 дней")
    teacher_q = QuestionnaireFactory(district=district_a)
    anonymous = make_campaign(teacher_q, district_a, closes_at=now + dt.timedelta(days=6), title="Опрос педагогов скоро")
    for _ in range(3):
        ResponseFactory(campaign=anonymous)
    make_campaign(QuestionnaireFactory(district=district_b), district_b, closes_at=now + dt.timedelta(days=2),
                  title="Опрос района Б")

    diagnostic = DiagnosticCampaignFactory(district=district_a, title="Диагностика: скоро конец",
                                           closes_at=now + dt.timedelta(days=5))
    diagnostic.organisations.set([school_a])
    for status in (InvitationStatus.SUBMITTED, InvitationStatus.DRAFT, InvitationStatus.INVITED,
                   InvitationStatus.DECLINED):
        InvitationFactory(campaign=diagnostic, teacher=TeacherFactory(organisation=school_a), status=status)
    DiagnosticCampaignFactory(district=district_a, title="Диагностика через месяц")
    DiagnosticCampaignFactory(district=district_b, title="Диагностика района Б", closes_at=now + dt.timedelta(days=2))

    report = ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.APPROVED, title="С ошибкой PDF")
    RenderJob.objects.create(report=report, target="final_pdf", status=JobStatus.FAILED, message="WeasyPrint упал")
    old = RecomputeJobFactory(programme=ProgrammeFactory(district=district_a, name="Старый пересчёт"),
                              status=JobStatus.FAILED)
    type(old).objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=10))
    RecomputeJobFactory(programme=ProgrammeFactory(district=district_a, name="Удачный пересчёт"),
                        status=JobStatus.SUCCEEDED)
    CertificateJob.objects.create(event=EventFactory(district=district_b, title="Событие Б"), status=JobStatus.FAILED)

    today = timezone.localdate()
    EventFactory(district=district_a, title="Семинар через 3 дня", held_on=today + dt.timedelta(days=3),
                 status=EventStatus.PLANNED)
    EventFactory(district=district_a, title="Семинар через 20 дней", held_on=today + dt.timedelta(days=20),
                 status=EventStatus.PLANNED)
    EventFactory(district=district_a, title="Отменённый семинар", held_on=today + dt.timedelta(days=2),
                 status=EventStatus.CANCELLED)
    EventFactory(district=district_b, title="Семинар района Б", held_on=today + dt.timedelta(days=1),
                 status=EventStatus.PLANNED)


def test_methodist_sees_own_reports_closing_campaigns_failed_jobs_and_events(methodist_client, methodist_world):
    content = _page(methodist_client)

    # Own editable: 2 drafts, 1 returned (the colleague's and district B's drafts are not mine).
    assert _count(content, "queue-own-drafts") == 2
    assert _count(content, "queue-own-returned") == 1
    assert _href(content, "queue-own-returned") == reverse("reports:report_list") + "?status=returned"
    assert "Моя возвращённая" in content and "Чужой черновик" not in content and "Черновик Б" not in content

    # Closing within 7 days: the organisation campaign (3 days) and the teachers' one (6 days), not the
    # 10-day one, not district B's.
    assert _count(content, "queue-surveys-closing") == 2
    assert "Критерии ОУ: скоро конец" in content and "Анкета через 10 дней" not in content
    assert "Опрос района Б" not in content
    # 1 of 2 addressed organisations answered: 1 / 2 = 50 %.
    assert "ответили 1 из 2 ОУ (50 %)" in content
    # Anonymous teacher campaign: no denominator, the number of answers.
    assert "получено ответов: 3" in content

    # Diagnostics closing within 7 days: 1 of 4 invited submitted → 1 / 4 = 25 %.
    assert _count(content, "queue-diagnostics-closing") == 1
    assert "прошли 1 из 4 (25 %)" in content
    assert "Диагностика через месяц" not in content and "Диагностика района Б" not in content

    # Failed in the last 7 days in district A: the render job only (the recompute failed 10 days ago,
    # the certificate job is district B's).
    assert _count(content, "queue-failed-jobs") == 1
    assert "PDF справки «С ошибкой PDF»" in content and "WeasyPrint упал" in content
    assert "Старый пересчёт" not in content and "Событие Б" not in content

    # Planned events of the next 14 days: the one in 3 days only.
    assert _count(content, "queue-events") == 1
    assert "Семинар через 3 дня" in content
    assert "Семинар через 20 дней" not in content and "Отменённый семинар" not in content
    assert "Семинар района Б" not in content
    assert _href(content, "queue-events") == reverse("events:plan") + f"?year={timezone.localdate().year}"


def test_other_districts_methodist_sees_none_of_it(other_methodist_client, methodist_world):
    content = _page(other_methodist_client)
    assert _count(content, "queue-own-drafts") == 1  # their own «Черновик Б»
    assert "Черновик Б" in content and "Мой черновик 1" not in content
    assert "Критерии ОУ: скоро конец" not in content and "С ошибкой PDF" not in content
    assert "Опрос района Б" in content  # their own district's campaign closing in 2 days


def test_director_and_observer_do_not_get_the_methodists_queue(director_client, observer_client, methodist_world):
    for client in (director_client, observer_client):
        assert 'data-testid="queue-methodist"' not in _page(client)


# --- school administrator ------------------------------------------------------------------------------------------


@pytest.fixture
def school_world(district_a, district_b, school_a, school_b, school_other_district):
    org_q = QuestionnaireFactory(district=district_a, audience=Audience.ORGANISATION)
    make_campaign(org_q, district_a, title="Критерии ОУ 2021", organisations=[school_a])
    make_campaign(org_q, district_a, title="Только для школы 2", organisations=[school_b])

    ours = DiagnosticCampaignFactory(district=district_a, title="Диагностика для школы 1")
    ours.organisations.set([school_a, school_b])
    InvitationFactory(campaign=ours, teacher=TeacherFactory(organisation=school_a), status=InvitationStatus.SUBMITTED)
    InvitationFactory(campaign=ours, teacher=TeacherFactory(organisation=school_a))
    InvitationFactory(campaign=ours, teacher=TeacherFactory(organisation=school_b))  # not our teacher
    theirs = DiagnosticCampaignFactory(district=district_a, title="Диагностика только школы 2")
    theirs.organisations.set([school_b])

    for _ in range(2):
        IndividualRouteFactory(teacher=TeacherFactory(organisation=school_a), status=RouteStatus.PLANNED)
    IndividualRouteFactory(teacher=TeacherFactory(organisation=school_a), status=RouteStatus.ACTIVE)
    IndividualRouteFactory(teacher=TeacherFactory(organisation=school_b), status=RouteStatus.PLANNED)

    OpenEventFactory(district=district_a, title="Мастер-класс района А")
    OpenEventFactory(district=district_a, title="Закрытая регистрация", registration_open=False)
    OpenEventFactory(district=district_b, title="Мастер-класс района Б")


def test_school_admin_sees_what_to_fill_routes_diagnostics_and_events(school_admin_client, school_world):
    content = _page(school_admin_client)

    assert _count(content, "queue-school-surveys") == 1  # «Критерии ОУ 2021», not school 2's
    assert "Только для школы 2" not in content
    # Routes planned for school 1's teachers: 2 (the active one and school 2's are not to approve).
    assert _count(content, "queue-school-routes") == 2
    assert _href(content, "queue-school-routes") == reverse("diagnostics:routes") + "?status=planned"
    # One diagnostic reaches school 1; its teachers: 1 of 2 submitted (school 2's teacher not counted).
    assert _count(content, "queue-school-diagnostics") == 1
    assert "Диагностика для школы 1" in content and "прошли 1 из 2" in content
    assert "Диагностика только школы 2" not in content
    assert _count(content, "queue-school-events") == 1
    assert "Мастер-класс района А" in content
    assert "Закрытая регистрация" not in content and "Мастер-класс района Б" not in content


def test_the_other_school_sees_its_own_queue(other_school_admin_client, school_world):
    content = _page(other_school_admin_client)
    assert _count(content, "queue-school-surveys") == 1  # «Только для школы 2»
    assert "Критерии ОУ 2021" not in content
    assert _count(content, "queue-school-routes") == 1
    assert _count(content, "queue-school-diagnostics") == 2  # both campaigns address school 2


# --- observer ---------------------------------------------------------------------------------------------------


def test_observer_sees_the_districts_teacher_count(observer_client, district_a, school_a, school_b,
                                                   school_other_district):
    TeacherFactory.create_batch(3, organisation=school_a)
    TeacherFactory.create_batch(2, organisation=school_b)
    TeacherFactory(organisation=school_b, is_active=False)
    TeacherFactory.create_batch(4, organisation=school_other_district)

    content = _page(observer_client)

    # 3 + 2 active teachers of district A (the inactive one and district B's 4 are not counted) = 5.
    assert _count(content, "count-teachers") == 5
    # An observer may not read the teacher list: the number leads to the organisations.
    assert _href(content, "count-teachers") == reverse("clusters:organisation_list")


def test_methodist_teacher_count_links_to_the_teacher_list(methodist_client, school_a):
    TeacherFactory.create_batch(2, organisation=school_a)
    content = _page(methodist_client)
    assert _count(content, "count-teachers") == 2
    assert _href(content, "count-teachers") == reverse("clusters:teacher_list")


def _signed(district, author, title, days_ago):
    signed_at = timezone.now() - dt.timedelta(days=days_ago)
    return ReportFactory(district=district, created_by=author, status=ReportStatus.SIGNED, title=title,
                         signed_at=signed_at)


def test_observer_sees_reports_signed_since_the_last_visit(observer, methodist, other_methodist, district_a,
                                                           district_b):
    _signed(district_a, methodist, "Подписана 2 дня назад", 2)
    _signed(district_a, methodist, "Подписана 40 дней назад", 40)
    _signed(district_b, other_methodist, "Подписана в районе Б", 1)
    ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.APPROVED, title="Не подписана")

    first = Client()
    first.force_login(observer)
    content = _page(first)
    # No earlier visit known: the last 30 days — the 2-day-old one only.
    assert _count(content, "queue-signed-since") == 1
    assert "Подписана 2 дня назад" in content and "Подписана 40 дней назад" not in content
    assert "Подписана в районе Б" not in content and "Не подписана" not in content
    assert "показаны справки за 30 дней" in content
    assert _href(content, "queue-signed-since") == reverse("reports:report_list") + "?status=signed"

    # The count stays the same for the rest of this session.
    assert _count(_page(first), "queue-signed-since") == 1

    # Next session, same browser: only what was signed after the first visit.
    _signed(district_a, methodist, "Подписана после визита", 0)
    second = Client()  # a new session in the same browser: only the long-lived cookie carries over
    second.cookies[queues.SEEN_COOKIE] = first.cookies[queues.SEEN_COOKIE].value
    second.force_login(observer)
    content = _page(second)
    assert _count(content, "queue-signed-since") == 1
    assert "Подписана после визита" in content and "Подписана 2 дня назад" not in content
    assert "С прошлого визита" in content


def test_another_users_seen_cookie_is_ignored(observer, methodist, district_a):
    _signed(district_a, methodist, "Подписана 2 дня назад", 2)
    browser = Client()
    browser.force_login(observer)
    _page(browser)
    colleague = UserFactory(username="observer2", role=Role.OBSERVER, district=district_a)
    browser.force_login(colleague)
    content = _page(browser)
    assert _count(content, "queue-signed-since") == 1  # the 30-day fallback, not the first observer's visit


def test_methodist_and_director_do_not_get_the_observers_queue(methodist_client, director_client):
    for client in (methodist_client, director_client):
        assert 'data-testid="queue-observer"' not in _page(client)


def test_portal_admin_goes_to_the_setup_wizard(portal_admin_client):
    response = portal_admin_client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("setup:wizard")


# --- queries: a fixed number per page, whatever the number of rows -----------------------------------------------


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_rows(methodist_client, director_client, school_admin_client, observer_client,
                                       methodist_world, school_world, district_a, methodist, school_a,
                                       django_assert_max_num_queries):
    clients = (methodist_client, director_client, school_admin_client, observer_client)
    for client in clients:
        _queries(client)  # warm the session
    before = [_queries(client) for client in clients]

    # More of everything each queue lists.
    now = timezone.now()
    for i in range(3):
        ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.RETURNED)
        _signed(district_a, methodist, f"Ещё подписана {i}", 1)
        report = ReportFactory(district=district_a, created_by=methodist, status=ReportStatus.SUBMITTED)
        RenderJob.objects.create(report=report, target="final_pdf", status=JobStatus.FAILED)
        make_campaign(QuestionnaireFactory(district=district_a, audience=Audience.ORGANISATION), district_a,
                      closes_at=now + dt.timedelta(days=2))
        campaign = DiagnosticCampaignFactory(district=district_a, closes_at=now + dt.timedelta(days=4))
        campaign.organisations.set([school_a])
        OpenEventFactory(district=district_a)
        IndividualRouteFactory(teacher=TeacherFactory(organisation=school_a), status=RouteStatus.PLANNED)
    after = [_queries(client) for client in clients]
    assert after == before

    # Session and user (the menu and the district's name ask nothing: imc_portal/menu.py), then every counter of
    # the role in one query and one query per list (issue 15.3): the methodist's clusters, own reports, closing
    # surveys, closing diagnostics, failed jobs (one UNION ALL) and events — 2 + 1 + 6; the director's clusters
    # and periods — 2 + 1 + 2; the school's memberships, campaigns, diagnostics and events — 2 + 1 + 4; the
    # observer's clusters and signed reports — 2 + 1 + 2. Before: 17, 11, 13, 10.
    for client, budget in zip(clients, (9, 5, 7, 5), strict=True):
        with django_assert_max_num_queries(budget):
            client.get(HOME)


def test_the_counter_helper_builds_filtered_urls():
    assert queues._url("reports:report_list", status="draft") == reverse("reports:report_list") + "?status=draft"
    assert queues._url("reports:report_list", status="") == reverse("reports:report_list")
