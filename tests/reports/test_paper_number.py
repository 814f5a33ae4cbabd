"""«Регистрация документа с номером из бумажного журнала»: the director approves a submitted справка
with the number and date it already has in the ИМЦ's paper journal of outgoing documents.

Numbering rules (reports/numbering.py): the number must be free in that ИМЦ's register of that
year; the register's counter moves up to it (never down), so the portal's next number follows.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import FileRole, Report, ReportStatus
from reports.numbering import outgoing_last_number
from reports.services import ReportError, ReportForbiddenError
from tests.factories import UserFactory
from tests.reports.workflow_support import make_programme

SEED_DAY = dt.date(2021, 12, 17)


@pytest.fixture
def submitted_draft(draft, methodist, fake_pipeline):
    return services.report_submit(report=draft, user=methodist)


@pytest.fixture
def another_submitted(methodist, programme, fake_pipeline):
    prog, periods = programme
    report = services.report_create(user=methodist, kind="monitoring", programme=prog, periods=periods,
                                    title="Вторая справка")
    return services.report_submit(report=report, user=methodist)


def _reload(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


# --- the service: allowed ---------------------------------------------------------------------------------


def test_director_registers_the_seed_number_and_date(submitted_draft, director, district_a,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_register_paper_number(report=submitted_draft, user=director, number=854,
                                                        dated=SEED_DAY)
    assert report.status == ReportStatus.APPROVED
    assert (report.outgoing_year, report.outgoing_number, report.outgoing_label, report.dated) == (
        2021, 854, "1-854", SEED_DAY)
    assert report.approved_by == director
    assert services.number_and_date(report) == "№ 1-854 от 17.12.2021"
    approval = report.events.get(action="approved")
    assert approval.comment == "№ 1-854 от 17.12.2021 — номер из бумажного журнала"
    # The final PDF is rendered as after an ordinary approval.
    assert report.files.filter(role=FileRole.FINAL_PDF).exists()
    assert outgoing_last_number(method_centre=district_a.method_centre, year=2021) == 854


def test_the_portal_continues_after_a_paper_number_of_this_year(submitted_draft, another_submitted, director,
                                                                district_a):
    today = timezone.localdate()
    services.report_register_paper_number(report=submitted_draft, user=director, number=5, dated=today)
    # Numbers 1–4 were given out on paper; the register's next number is 6.
    assert services.report_approve(report=another_submitted, user=director).outgoing_number == 6


def test_a_free_lower_paper_number_leaves_the_counter_where_it_is(submitted_draft, another_submitted, director,
                                                                  district_a):
    centre = district_a.method_centre
    services.report_register_paper_number(report=submitted_draft, user=director, number=854, dated=SEED_DAY)
    services.report_register_paper_number(report=another_submitted, user=director, number=12,
                                          dated=dt.date(2021, 3, 1))
    assert _reload(another_submitted).outgoing_label == "1-12"
    assert outgoing_last_number(method_centre=centre, year=2021) == 854


def test_the_same_number_of_another_year_or_another_imc_is_free(submitted_draft, another_submitted, director,
                                                                district_b):
    services.report_register_paper_number(report=submitted_draft, user=director, number=854, dated=SEED_DAY)
    report = services.report_register_paper_number(report=another_submitted, user=director, number=854,
                                                   dated=dt.date(2020, 12, 17))
    assert (report.outgoing_year, report.outgoing_number) == (2020, 854)

    # District B's ИМЦ keeps its own journal: its 854 of 2021 does not collide with district A's.
    methodist_b = UserFactory(role="methodist", district=district_b)
    director_b = UserFactory(role="director", district=district_b)
    prog_b, periods_b = make_programme(district_b, code="b")
    other = services.report_create(user=methodist_b, kind="monitoring", programme=prog_b, periods=periods_b)
    services.report_submit(report=other, user=methodist_b)
    other = services.report_register_paper_number(report=other, user=director_b, number=854, dated=SEED_DAY)
    assert (other.outgoing_year, other.outgoing_number) == (2021, 854)


# --- the service: refused ---------------------------------------------------------------------------------


def test_a_number_taken_in_the_same_imc_and_year_is_refused(submitted_draft, another_submitted, director,
                                                            district_a):
    services.report_register_paper_number(report=submitted_draft, user=director, number=854, dated=SEED_DAY)
    with pytest.raises(ReportError) as refused:
        services.report_register_paper_number(report=another_submitted, user=director, number=854,
                                              dated=dt.date(2021, 11, 1))
    assert str(refused.value).startswith("Номер 1-854 за 2021 год уже занят: «по результатам мониторинга")
    assert str(refused.value).endswith("№ 1-854 от 17.12.2021. Проверьте номер по журналу.")
    another = _reload(another_submitted)
    assert (another.status, another.outgoing_number) == (ReportStatus.SUBMITTED, None)
    assert not another.events.filter(action="approved").exists()


@pytest.mark.parametrize(("number", "dated", "message"), [
    (0, SEED_DAY, "Укажите номер из журнала — целое число больше нуля."),
    (-3, SEED_DAY, "Укажите номер из журнала — целое число больше нуля."),
    (854, None, "Укажите дату регистрации в журнале."),
])
def test_a_number_or_date_that_cannot_be_in_the_journal_is_refused(submitted_draft, director, number, dated,
                                                                   message):
    with pytest.raises(ReportError, match=f"^{message}$"):
        services.report_register_paper_number(report=submitted_draft, user=director, number=number, dated=dated)
    assert _reload(submitted_draft).status == ReportStatus.SUBMITTED


def test_a_date_in_the_future_is_refused(submitted_draft, director, district_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ReportError, match="ещё не наступила"):
        services.report_register_paper_number(report=submitted_draft, user=director, number=1, dated=tomorrow)
    assert outgoing_last_number(method_centre=district_a.method_centre, year=tomorrow.year) == 0


def test_only_the_director_of_the_district_registers(submitted_draft, methodist, district_b):
    with pytest.raises(ReportForbiddenError, match="может только директор ИМЦ"):
        services.report_register_paper_number(report=submitted_draft, user=methodist, number=854, dated=SEED_DAY)
    director_b = UserFactory(role="director", district=district_b)
    with pytest.raises(ReportForbiddenError, match="другого района"):
        services.report_register_paper_number(report=submitted_draft, user=director_b, number=854, dated=SEED_DAY)
    assert _reload(submitted_draft).status == ReportStatus.SUBMITTED


def test_only_a_submitted_report_is_registered(draft, methodist, director, fake_pipeline):
    with pytest.raises(ReportError, match=r"^Утвердить можно только справку, отправленную на утверждение "
                                          r"\(сейчас: черновик\)\.$"):
        services.report_register_paper_number(report=draft, user=director, number=854, dated=SEED_DAY)
    services.report_submit(report=draft, user=methodist)
    services.report_approve(report=draft, user=director)
    with pytest.raises(ReportError, match="^Справка уже утверждена"):
        services.report_register_paper_number(report=draft, user=director, number=854, dated=SEED_DAY)


# --- the screen -------------------------------------------------------------------------------------------


def test_director_opens_the_form_from_the_report_page_and_registers(submitted_draft, director_client):
    page = director_client.get(submitted_draft.get_absolute_url())
    url = reverse("reports:report_register_paper_number", args=[submitted_draft.pk])
    assert "register_paper_number" in page.context["actions"]
    assert f'href="{url}"' in page.content.decode()

    form = director_client.get(url)
    assert form.status_code == 200
    assert "Регистрация документа с номером из бумажного журнала" in form.content.decode()
    response = director_client.post(url, {"number": "854", "dated": "2021-12-17"}, follow=True)
    assert response.redirect_chain[-1][0] == submitted_draft.get_absolute_url()
    assert "Справка утверждена и зарегистрирована: № 1-854 от 17.12.2021" in response.content.decode()
    assert _reload(submitted_draft).outgoing_label == "1-854"


def test_the_form_says_why_a_taken_number_is_refused(submitted_draft, another_submitted, director, director_client):
    services.report_register_paper_number(report=another_submitted, user=director, number=854, dated=SEED_DAY)
    url = reverse("reports:report_register_paper_number", args=[submitted_draft.pk])
    response = director_client.post(url, {"number": "854", "dated": "2021-12-01"})
    assert response.status_code == 200
    assert "Номер 1-854 за 2021 год уже занят" in response.content.decode()
    assert _reload(submitted_draft).status == ReportStatus.SUBMITTED


def test_the_form_refuses_what_is_not_a_number(submitted_draft, director_client):
    url = reverse("reports:report_register_paper_number", args=[submitted_draft.pk])
    response = director_client.post(url, {"number": "0", "dated": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Номер из журнала — целое число больше нуля." in page
    assert "Укажите дату регистрации в журнале." in page
    assert _reload(submitted_draft).status == ReportStatus.SUBMITTED


def test_methodist_and_observer_cannot_open_the_form(submitted_draft, methodist_client, observer_client):
    url = reverse("reports:report_register_paper_number", args=[submitted_draft.pk])
    assert methodist_client.get(url).status_code == 403
    assert methodist_client.post(url, {"number": "854", "dated": "2021-12-17"}).status_code == 403
    assert observer_client.get(url).status_code == 403
    assert "register_paper_number" not in methodist_client.get(submitted_draft.get_absolute_url()).context["actions"]
    assert _reload(submitted_draft).status == ReportStatus.SUBMITTED


def test_a_draft_sends_the_director_back_to_the_report_page(draft, director_client):
    url = reverse("reports:report_register_paper_number", args=[draft.pk])
    response = director_client.get(url, follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "можно только справку, отправленную на утверждение (сейчас: черновик)" in response.content.decode()
