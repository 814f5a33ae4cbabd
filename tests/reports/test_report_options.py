"""Report options (issue 14, item 7): the approval block per kind and per document, charts on or off, the
order of the movable sections, the author's withdrawal of a submitted справка, the conclusion over every
period with «план не установлен» for a fact without a plan.

Seed 000 (Frunzensky справка № 1-854) has no approval block; seed 003 (Krasnoselsky analysis) is
«УТВЕРЖДЁН приказом ГБУ ИМЦ Красносельского района Санкт-Петербурга от 13.03.2024 № 65».
"""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse

from monitoring.models import Indicator, Period, Programme, Value
from monitoring.units import Unit
from reports import rendering, services
from reports.models import Report, ReportStatus
from tests.factories import UserFactory

from .spravka_data import approve_like_seed, frunzensky_report

KRASNOSELSKY_CENTRE = "ГБУ ИМЦ Красносельского района Санкт-Петербурга"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"(\w)-\n(\w)", r"\1\2", text))


def pdf_text(pdf: bytes) -> str:
    return flat("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def html_text(html: str) -> str:
    return flat(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def development(district_a, methodist):
    """A development programme (seed 003's shape): one project, two checkpoints with scores."""
    centre = district_a.method_centre
    centre.short_name = KRASNOSELSKY_CENTRE
    centre.save(update_fields=["short_name"])
    programme = Programme.objects.create(district=district_a, code="dev", name="Программа развития ИМЦ 2020–2024")
    indicator = Indicator.objects.create(programme=programme, code="d1", name="Цифровой контент создан",
                                         unit=Unit.SCORE, decimals=0, section="Цифровая трансформация")
    for year, score in ((2022, 7), (2023, 9)):
        period = Period.objects.create(programme=programme, label=f"Декабрь {year}", starts_on=dt.date(year, 1, 1),
                                       ends_on=dt.date(year, 12, 31))
        Value.objects.create(district=district_a, indicator=indicator, period=period, fact=Decimal(score))
    return services.report_create(user=methodist, kind="development", programme=programme)


@pytest.fixture
def frunzensky(district_a, methodist):
    return frunzensky_report(district_a, methodist)


def _options_url(report):
    return reverse("reports:report_options", args=[report.pk])


# --- the approval block ------------------------------------------------------------------------------


def test_development_analysis_is_approved_by_order_like_seed_003(development, methodist_client):
    # The kind's default is the order block; the methodist types the order on the document.
    response = methodist_client.post(_options_url(development), {
        "approval_block": "", "approval_order_number": "65", "approval_order_date": "13.03.2024",
    })
    assert response.status_code == 302
    development.refresh_from_db()
    assert (development.approval_order_number, development.approval_order_date) == ("65", dt.date(2024, 3, 13))

    text = pdf_text(rendering.render_report_pdf(development, final=False))
    assert f"УТВЕРЖДЁН приказом {KRASNOSELSKY_CENTRE} от 13.03.2024 № 65" in text
    assert "УТВЕРЖДАЮ" not in text
    # The history says what changed.
    assert development.events.get(action="options").comment == "гриф «утверждён приказом» от 13.03.2024 № 65"


def test_seed_000_monitoring_spravka_has_no_approval_block_unless_the_document_asks(frunzensky):
    approve_like_seed(frunzensky)
    text = html_text(rendering.render_report_html(frunzensky, final=True))
    assert "УТВЕРЖДАЮ" not in text and "УТВЕРЖД" not in text

    frunzensky.approval_block = "director"
    text = html_text(rendering.render_report_html(frunzensky, final=True))
    assert ("УТВЕРЖДАЮ Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга О.А. Римкявичене "
            "«17» декабря 2021 г.") in text

    frunzensky.approval_block = "order"
    frunzensky.approval_order_number, frunzensky.approval_order_date = "01-05/12", dt.date(2021, 12, 20)
    text = html_text(rendering.render_report_html(frunzensky, final=True))
    # A справка is feminine: «УТВЕРЖДЕНА».
    assert "УТВЕРЖДЕНА приказом ГБУ «ИМЦ» от 20.12.2021 № 01-05/12" in text


def test_order_block_needs_number_and_date_nothing_saved(development, methodist_client):
    response = methodist_client.post(_options_url(development), {"approval_block": "order"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Укажите номер приказа об утверждении." in page
    assert "Укажите дату приказа об утверждении." in page

    response = methodist_client.post(_options_url(development), {
        "approval_block": "order", "approval_order_number": "65", "approval_order_date": "31.02.2024"})
    assert "Введите дату приказа, например 13.03.2024." in response.content.decode()
    development.refresh_from_db()
    assert (development.approval_block, development.approval_order_number, development.approval_order_date) == (
        "", "", None)
    assert not development.events.filter(action="options").exists()

    # Choosing no block needs no order.
    response = methodist_client.post(_options_url(development), {"approval_block": "none"})
    assert response.status_code == 302
    development.refresh_from_db()
    assert development.approval_block == "none"
    assert "УТВЕРЖД" not in html_text(rendering.render_report_html(development, final=False))


def test_submit_is_refused_while_the_order_is_not_typed(development, methodist):
    services.report_update(report=development, user=methodist, conclusion="Программа выполняется.")
    with pytest.raises(services.ReportError, match=r"^Гриф «утверждён приказом» требует номера и даты приказа: "
                                                   r"Укажите номер приказа об утверждении\. Укажите дату"):
        services.report_submit(report=development, user=methodist)
    assert Report.objects.get(pk=development.pk).status == ReportStatus.DRAFT
    services.report_options_update(report=development, user=methodist, order_number="65",
                                   order_date=dt.date(2024, 3, 13))
    assert services.report_submit(report=development, user=methodist).status == ReportStatus.SUBMITTED


def test_options_page_personas(frunzensky, methodist_client, director_client, other_methodist_client,
                               school_admin_client):
    url = _options_url(frunzensky)
    page = methodist_client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "как принято для этого вида справок: без грифа утверждения" in body
    assert "Графики в документе" in body
    assert director_client.get(url).status_code == 403
    assert director_client.post(url, {"approval_block": "director"}).status_code == 403
    assert other_methodist_client.get(url).status_code == 404
    assert school_admin_client.get(url).status_code == 403
    frunzensky.refresh_from_db()
    assert frunzensky.approval_block == ""


def test_a_submitted_report_options_are_not_editable(frunzensky, methodist, methodist_client):
    services.report_submit(report=frunzensky, user=methodist)
    response = methodist_client.post(_options_url(frunzensky), {"approval_block": "director"})
    assert response.status_code == 302
    assert "Справка на утверждении у директора" in methodist_client.get(response.url).content.decode()
    assert Report.objects.get(pk=frunzensky.pk).approval_block == ""


# --- charts and the order of sections ----------------------------------------------------------------


def test_charts_can_be_left_out_of_the_document(frunzensky, methodist_client):
    html = rendering.render_report_html(frunzensky)
    assert html.count('<figure class="chart">') == 3 and "Динамика показателей" in html

    # The box unticked: the document leaves its charts out; ticked again, it follows the kind (charts on).
    assert methodist_client.post(_options_url(frunzensky), {"approval_block": ""}).status_code == 302
    frunzensky.refresh_from_db()
    assert frunzensky.show_charts is False
    html = rendering.render_report_html(frunzensky)
    assert "<svg" not in html and "Динамика показателей" not in html
    assert "54,8%" in html  # the table stays

    methodist_client.post(_options_url(frunzensky), {"approval_block": "", "show_charts": "on"})
    frunzensky.refresh_from_db()
    assert frunzensky.show_charts is None
    assert rendering.render_report_html(frunzensky).count('<figure class="chart">') == 3


def _positions(html: str, *needles: str) -> list[int]:
    return [html.index(needle) for needle in needles]


def test_sections_move_up_and_down_and_back_to_the_kinds_order(frunzensky, methodist_client, director_client):
    url = _options_url(frunzensky)
    page = methodist_client.get(url).content.decode()
    labels = re.findall(r'data-testid="section-(\w+)"', page)
    assert labels == ["charts", "conclusion", "clusters_list", "tiers", "clusters_conclusion", "recommendations"]
    html = rendering.render_report_html(frunzensky)
    charts, conclusion = _positions(html, "Динамика показателей", "Вывод.")
    assert charts < conclusion  # seed 000's order

    assert methodist_client.post(url, {"move": "conclusion:up"}).status_code == 302
    assert director_client.post(url, {"move": "conclusion:down"}).status_code == 403
    frunzensky.refresh_from_db()
    assert frunzensky.section_order == ["conclusion", "charts", "clusters_list", "tiers", "clusters_conclusion",
                                        "recommendations"]
    html = rendering.render_report_html(frunzensky)
    charts, conclusion = _positions(html, "Динамика показателей", "Вывод.")
    assert conclusion < charts

    # The first one cannot go higher; an unknown key is refused in words, nothing changes.
    methodist_client.post(url, {"move": "conclusion:up"})
    response = methodist_client.post(url, {"move": "nonsense:down"}, follow=True)
    assert "Такого раздела в этой справке нет." in response.content.decode()
    frunzensky.refresh_from_db()
    assert frunzensky.section_order[0] == "conclusion"

    methodist_client.post(url, {"reset": "1"})
    frunzensky.refresh_from_db()
    assert frunzensky.section_order == []


# --- withdrawing a submitted справка -----------------------------------------------------------------


@pytest.fixture
def submitted(frunzensky, methodist):
    return services.report_submit(report=frunzensky, user=methodist)


def test_the_author_withdraws_a_submitted_report(submitted, methodist_client):
    detail = methodist_client.get(submitted.get_absolute_url()).content.decode()
    assert 'data-testid="report-withdraw"' in detail
    response = methodist_client.post(reverse("reports:report_withdraw", args=[submitted.pk]), follow=True)
    page = response.content.decode()
    assert "Справка отозвана с утверждения и снова стала черновиком" in page
    assert "отозвана автором с утверждения" in page  # the history
    report = Report.objects.get(pk=submitted.pk)
    assert (report.status, report.submitted_at) == (ReportStatus.DRAFT, None)
    assert list(report.events.values_list("action", flat=True)) == ["submitted", "withdrawn"]


def test_withdrawal_is_refused_to_others(submitted, director_client, other_methodist_client, school_admin_client,
                                         district_a):
    url = reverse("reports:report_withdraw", args=[submitted.pk])
    assert 'data-testid="report-withdraw"' not in director_client.get(submitted.get_absolute_url()).content.decode()
    assert director_client.post(url).status_code == 403
    assert other_methodist_client.post(url).status_code == 404
    assert school_admin_client.post(url).status_code == 403
    # Another methodist of the same district is not the author.
    colleague = UserFactory(username="metodist2", role="methodist", district=district_a, last_name="Иванова")
    from django.test import Client

    client = Client()
    client.force_login(colleague)
    assert 'data-testid="report-withdraw"' not in client.get(submitted.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 403
    with pytest.raises(services.ReportForbiddenError, match="Отозвать справку с утверждения может только её автор"):
        services.report_withdraw(report=submitted, user=colleague)
    assert Report.objects.get(pk=submitted.pk).status == ReportStatus.SUBMITTED


def test_only_a_submitted_report_can_be_withdrawn(frunzensky, methodist, methodist_client):
    response = methodist_client.post(reverse("reports:report_withdraw", args=[frunzensky.pk]), follow=True)
    assert "Отозвать можно только справку, отправленную на утверждение (сейчас: черновик)." in response.content.decode()
    approve_like_seed(frunzensky)
    Report.objects.filter(pk=frunzensky.pk).update(status=ReportStatus.APPROVED)
    with pytest.raises(services.ReportError, match=r"^Справка уже утверждена \(№ 1-854 от 17\.12\.2021\) — отозвать"):
        services.report_withdraw(report=Report.objects.get(pk=frunzensky.pk), user=methodist)
    assert not frunzensky.events.filter(action="withdrawn").exists()


# --- the automatic conclusion ------------------------------------------------------------------------


@pytest.fixture
def three_periods(district_a):
    """Worked out by hand (plan / fact, percent):

                 2020        2021        2022
        A        10 / 12     20 / 15     — / 30
        B         5 / 5       5 / 6      7 / —
        C         1 / 1      — / 3        — / —

    2020: all three achieved. 2021: B achieved, A not (15 < 20), C has a fact without a plan.
    2022: A has a fact without a plan; B (plan, no fact) and C (nothing) have no data.
    """
    programme = Programme.objects.create(district=district_a, code="three", name="Сетевое взаимодействие")
    periods = [Period.objects.create(programme=programme, label=str(y), starts_on=dt.date(y, 1, 1),
                                     ends_on=dt.date(y, 12, 31)) for y in (2020, 2021, 2022)]
    table = {
        "Показатель А": ((10, 12), (20, 15), (None, 30)),
        "Показатель Б": ((5, 5), (5, 6), (7, None)),
        "Показатель В": ((1, 1), (None, 3), (None, None)),
    }
    for position, (name, cells) in enumerate(table.items()):
        indicator = Indicator.objects.create(programme=programme, code=f"i{position}", name=name, unit=Unit.PERCENT,
                                             decimals=0, position=position)
        for period, (plan, fact) in zip(periods, cells, strict=True):
            if plan is not None or fact is not None:
                Value.objects.create(district=district_a, indicator=indicator, period=period,
                                     plan=None if plan is None else Decimal(plan),
                                     fact=None if fact is None else Decimal(fact))
    return programme, periods


EXPECTED_CONCLUSION = (
    "Все количественные показатели программы «Сетевое взаимодействие» за 2020 достигнуты. "
    "За 2021 достигнут 1 из 3 показателей; не достигнут показатель «Показатель А»; "
    "план не установлен по показателю «Показатель В». "
    "За 2022 план не установлен по показателю «Показатель А»; нет данных по 2 показателям."
)


def test_conclusion_speaks_of_every_period_and_of_facts_without_plan(three_periods, methodist, methodist_client):
    programme, periods = three_periods
    report = services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)
    assert report.conclusion == EXPECTED_CONCLUSION
    assert "пока нет" not in report.conclusion
    preview = methodist_client.get(reverse("reports:report_preview", args=[report.pk])).content.decode()
    assert "Вывод. " + EXPECTED_CONCLUSION in html_text(preview)

    # The comparative analysis writes the same conclusion over its periods.
    comparative = _five_periods(programme, periods)
    report = services.report_create(user=methodist, kind="comparative", programme=programme, periods=comparative)
    assert report.conclusion == (
        "Данных за 2018 и 2019 пока нет. " + EXPECTED_CONCLUSION
    )


def _five_periods(programme, periods):
    earlier = [Period.objects.create(programme=programme, label=str(y), starts_on=dt.date(y, 1, 1),
                                     ends_on=dt.date(y, 12, 31)) for y in (2018, 2019)]
    return [*earlier, *periods]


def test_a_period_with_facts_and_no_plans_is_not_said_to_have_no_data(district_a, methodist):
    programme = Programme.objects.create(district=district_a, code="noplan", name="Без плана")
    period = Period.objects.create(programme=programme, label="2021", starts_on=dt.date(2021, 1, 1),
                                   ends_on=dt.date(2021, 12, 31))
    indicator = Indicator.objects.create(programme=programme, code="n1", name="Доля ОУ", unit=Unit.PERCENT)
    Value.objects.create(district=district_a, indicator=indicator, period=period, fact=Decimal("54.8"))
    report = services.report_create(user=methodist, kind="monitoring", programme=programme, periods=[period])
    assert report.conclusion == "За 2021 план не установлен по показателю «Доля ОУ»."


def test_comparative_counts_and_says_plan_not_set_per_period(three_periods, methodist):
    programme, periods = three_periods
    report = services.report_create(user=methodist, kind="comparative", programme=programme,
                                    periods=_five_periods(programme, periods))
    html = rendering.render_report_html(report)
    text = html_text(html)
    assert "Период достигнут не достигнут план не установлен нет данных" in text
    # 2021: 1 achieved, 1 not, 1 without a plan, 0 without data; 2022: 0, 0, 1, 2 (worked out above).
    assert "2021 1 1 1 0" in text and "2022 0 0 1 2" in text
    assert ("2021: Достигнут 1 из 3 показателей; не достигнут показатель «Показатель А»; "
            "план не установлен по показателю «Показатель В».") in text
    assert "2022: План не установлен по показателю «Показатель А»; нет данных по 2 показателям." in text
    assert "Данных за 2022 пока нет" not in text


def test_report_page_says_which_block_and_charts_the_document_has(development, frunzensky, methodist_client):
    page = methodist_client.get(frunzensky.get_absolute_url()).content.decode()
    assert "Параметры документа: без грифа утверждения; графики: да" in page
    page = methodist_client.get(development.get_absolute_url()).content.decode()
    assert "Параметры документа: гриф «утверждён приказом» — номер и дата приказа не указаны" in page


def test_withdrawal_tells_the_directors_by_email(submitted, methodist, director_email,
                                                django_capture_on_commit_callbacks):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_withdraw(report=submitted, user=methodist)
    assert [m.to for m in mail.outbox] == [["direktor@imc.example"]]
    assert mail.outbox[0].subject.startswith("Справка отозвана с утверждения: Аналитическая справка")
    assert "Автор отозвал справку с утверждения" in mail.outbox[0].body
