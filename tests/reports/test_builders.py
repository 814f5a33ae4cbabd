"""Context builders without rendering: numbers, plural forms, draft vs final, escaping of user text.

The Frunzensky data is seed 000's (tests/reports/spravka_data.py spells it out).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from clusters.models import TIER_DESCRIPTIONS
from monitoring.models import Indicator, Period, Programme, Value
from monitoring.units import Unit
from reports import builders as b
from reports import verification
from reports.models import Report

from .spravka_data import CONCLUSION, approve_like_seed, frunzensky_report


@pytest.fixture
def report(district_a, methodist):
    return frunzensky_report(district_a, methodist)


# --- plurals, numbers, dates -----------------------------------------------------------------------


@pytest.mark.parametrize(("number", "text"), [
    (1, "1 образовательную организацию"),
    (3, "3 образовательные организации"),
    (4, "4 образовательные организации"),  # the seed's «4 образовательных организаций» is a slip
    (5, "5 образовательных организаций"),
    (9, "9 образовательных организаций"),
    (11, "11 образовательных организаций"),
    (12, "12 образовательных организаций"),
    (14, "14 образовательных организаций"),
    (21, "21 образовательную организацию"),
    (22, "22 образовательные организации"),
    (111, "111 образовательных организаций"),
    (0, "0 образовательных организаций"),
])
def test_organisations_plural(number, text):
    assert b.organisations_accusative(number) == text


@pytest.mark.parametrize(("number", "text"), [
    (1, "1 кластер"), (2, "2 кластера"), (5, "5 кластеров"), (9, "9 кластеров"), (11, "11 кластеров"),
    (21, "21 кластер"), (24, "24 кластера"),
])
def test_clusters_plural(number, text):
    assert b.clusters_nominative(number) == text


@pytest.mark.parametrize(("value", "unit", "decimals", "text"), [
    (Decimal("54.8"), Unit.PERCENT, 1, "54,8%"),
    (Decimal("54.76"), Unit.PERCENT, 1, "54,8%"),
    (Decimal("54.75"), Unit.PERCENT, 1, "54,8%"),  # half up, as people round
    (Decimal("10"), Unit.PERCENT, 1, "10%"),  # the seed prints «10%», not «10,0%»
    (Decimal("30.0000"), Unit.PERCENT, 1, "30%"),
    (Decimal("0.573"), Unit.INDEX, 3, "0,573"),
    (Decimal("9"), Unit.SCORE, 0, "9"),
    (Decimal("1234"), Unit.COUNT, 0, "1\u00a0234"),
    (Decimal("1"), Unit.YES_NO, 0, "да"),
    (Decimal("0"), Unit.YES_NO, 0, "нет"),
    (None, Unit.PERCENT, 1, "—"),
])
def test_document_value(value, unit, decimals, text):
    assert b.document_value(value, unit, decimals) == text


def test_dates_and_district_names():
    assert b.date_text(datetime.date(2021, 12, 17)) == "17.12.2021"
    assert b.date_text(None) == "__.__.____"
    assert b.date_words(datetime.date(2021, 12, 17)) == "«17» декабря 2021 г."
    assert b.date_words(datetime.date(2024, 3, 5)) == "«05» марта 2024 г."
    assert b.district_genitive("Фрунзенский район") == "Фрунзенского района"
    assert b.district_genitive("Красносельский район") == "Красносельского района"
    assert b.district_genitive("город Саянск") == "города Саянск"
    assert b.address_lines("192241, Санкт-Петербург, ул. Турку, д. 20, корп. 2, лит. А") == [
        "192241, Санкт-Петербург,", "ул. Турку, д. 20, корп. 2, лит. А"]
    assert b.address_lines("г. Саянск, мкр. Октябрьский, 1") == ["г. Саянск, мкр. Октябрьский, 1"]


# --- the monitoring справка (seed 000) --------------------------------------------------------------


def test_monitoring_table_holds_the_seed_numbers(report):
    context = b.build_context(report, final=False)
    assert context["period_labels"] == ["2020", "2021"]
    rows = [[(c["plan"], c["fact"]) for c in row["cells"]] for row in context["rows"]]
    # In the programme's order; the ИОМ indicator has no values at all, so no row (as in the seed).
    assert [row["name"][:30] for row in context["rows"]] == [
        "Доля ОУ района, включенных в р", "Доля педагогов ОУ, участников ", "Доля педагогов ОУ, участников "]
    assert rows == [
        [("10%", "10%"), ("40%", "54,8%")],
        [("10%", "10%"), ("20%", "30%")],
        [("10%", "20%"), ("30%", "30%")],
    ]
    assert {cell["status"] for row in context["rows"] for cell in row["cells"]} == {"achieved"}


def test_monitoring_definitions_are_numbered_sentences(report):
    definitions = b.build_context(report, final=False)["definitions"]
    assert len(definitions) == 3
    assert definitions[0] == (
        "Доля ОУ района, включенных в работу профессиональных сетевых сообществ. Для активной позиции педагога "
        "в профессиональном сетевом сообществе требуется определённый уровень профессиональных компетенций;"
    )
    assert definitions[1].endswith("повышения квалификации;")
    assert definitions[-1].endswith("способствует профессиональному росту педагога.")


def test_monitoring_clusters_of_the_last_year_with_sizes(report):
    context = b.build_context(report, final=False)
    assert context["clusters_year"] == 2021
    assert context["clusters_count_text"] == "9 кластеров"
    lines = [(c["name"][:30], c["size_text"]) for c in context["clusters"]]
    assert lines[0] == ("Реализация ФГОС основного и ср", "3 образовательные организации")
    assert lines[1][1] == "9 образовательных организаций"
    assert lines[3][1] == "5 образовательных организаций"
    assert lines[7] == ("Управление образованием. Кадро", "4 образовательные организации")
    assert lines[8] == ("Вектор учителя будущего", "22 образовательные организации")
    assert [tier for tier in context["tiers"]] == list(TIER_DESCRIPTIONS.values())


def test_monitoring_charts_one_per_indicator_with_facts(report):
    charts = b.build_context(report, final=False)["charts"]
    assert len(charts) == 3
    assert charts[0]["svg"].startswith("<svg")
    # Ids are made unique per chart, so two inline charts share no clip path.
    assert 'id="chart1-' in charts[0]["svg"] and 'id="chart2-' in charts[1]["svg"]
    assert 'id="chart2-' not in charts[0]["svg"]


def test_monitoring_conclusion_is_the_reports_text_else_the_achievement_sentence(report):
    assert CONCLUSION in b.build_context(report, final=False)["conclusion_html"]
    report.conclusion = ""
    conclusion = b.build_context(report, final=False)["conclusion_html"]
    # Seed 000's two years, both achieved: said of both (issue 14.7), not only of 2021.
    assert conclusion == (
        "<p>Все количественные показатели программы «Эффективность сетевого взаимодействия педагогов в "
        "профессиональных сетевых сообществах» за 2020 и 2021 достигнуты.</p>"
    )


def test_user_texts_are_escaped_and_keep_line_breaks(report):
    report.conclusion = "<script>alert(1)</script> Первая строка\nвторая строка\n\nНовый абзац <img src=x>"
    report.recommendations = "Рекомендации & <b>жирный</b>"
    context = b.build_context(report, final=False)
    assert context["conclusion_html"] == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; Первая строка<br>вторая строка</p>\n\n"
        "<p>Новый абзац &lt;img src=x&gt;</p>"
    )
    assert context["recommendations_html"] == "<p>Рекомендации &amp; &lt;b&gt;жирный&lt;/b&gt;</p>"


# --- draft and final ------------------------------------------------------------------------------


def test_draft_has_blank_number_and_watermark_and_no_approval(report):
    approve_like_seed(report)  # even a numbered report previews as a draft when asked for one
    context = b.build_context(report, final=False)
    assert context["dated_text"] == "__.__.____"
    assert context["number_text"] == "____"
    assert context["watermark"] == "ПРОЕКТ"
    assert context["approval"] is None
    assert context["verification"] is None
    assert context["heading"] == "АНАЛИТИЧЕСКАЯ СПРАВКА"
    assert context["title_lines"][0] == "по результатам мониторинга показателей эффективности сетевого взаимодействия"
    assert context["centre"]["inn_kpp"] == "7816157263/781601001"
    assert context["signature"] == {"position": "Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга",
                                    "name": "О.А. Римкявичене"}


def test_final_has_number_date_approval_and_verification(report):
    approve_like_seed(report)
    context = b.build_context(report, final=True)
    assert context["dated_text"] == "17.12.2021"
    assert context["number_text"] == "1-854"
    assert context["watermark"] == ""
    # Seed 000 carries no approval block (issue 14.7): the monitoring справка's default is none …
    assert context["approval"] is None
    # … and a справка that chooses «УТВЕРЖДАЮ» gets the director and the date of approval.
    report.approval_block = "director"
    assert b.build_context(report, final=True)["approval"] == {
        "mode": "director",
        "position": "Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга",
        "name": "О.А. Римкявичене",
        "date_words": "«17» декабря 2021 г.",
    }
    url = verification.verification_url(report)
    assert report.verification_code in url
    assert context["verification"]["url"] == url
    assert context["verification"]["qr_data_uri"].startswith("data:image/svg+xml;base64,")


def test_missing_requisites_or_programme_are_russian_errors(report, district_a):
    report.programme = None
    with pytest.raises(b.ReportDataError, match="не выбрана программа мониторинга"):
        b.build_context(report, final=False)
    district_a.method_centre.delete()
    report = Report.objects.get(pk=report.pk)
    with pytest.raises(b.ReportDataError, match="реквизиты ИМЦ"):
        b.build_context(report, final=False)


# --- development analysis (seed 003) ---------------------------------------------------------------


def _checkpoints(programme: Programme, labels_and_ends) -> list[Period]:
    return [
        Period.objects.create(programme=programme, label=label, starts_on=ends.replace(day=1), ends_on=ends)
        for label, ends in labels_and_ends
    ]


def test_development_tables_per_project_with_dashes_for_missing_scores(district_a, methodist):
    programme = Programme.objects.create(district=district_a, code="dev", name="Программа развития ИМЦ 2020–2024",
                                         period_kind="checkpoint")
    periods = _checkpoints(programme, [("Июнь 2021", datetime.date(2021, 6, 30)),
                                       ("Декабрь 2023", datetime.date(2023, 12, 31))])
    scores = {
        ("Цифровая трансформация", "Среда выстроена."): (9, 10),
        ("Цифровая трансформация", "Программа семинара реализована."): (0, None),
        ("Наставник", "Система наставничества сформирована."): (None, 8),
    }
    for position, ((project, text), values) in enumerate(scores.items(), start=1):
        indicator = Indicator.objects.create(programme=programme, code=f"i{position}", name=text, section=project,
                                             unit=Unit.SCORE, decimals=0, position=position)
        for period, score in zip(periods, values, strict=True):
            if score is not None:
                Value.objects.create(district=district_a, indicator=indicator, period=period, fact=Decimal(score))
    report = Report.objects.create(
        district=district_a, kind="development", programme=programme, created_by=methodist,
        title="Анализ реализации программы развития\nза 2023 год",
        section_texts={"Наставник": "Вывод: <работа> ведётся."},
    )
    context = b.build_context(report, final=False)
    assert context["heading"] == ""
    assert context["title_lines"] == ["Анализ реализации программы развития", "за 2023 год"]
    assert context["expected_header"] == "Ожидаемый к 2024 году результат"
    assert context["period_labels"] == ["Июнь 2021", "Декабрь 2023"]
    first, second = context["projects"]
    assert first["caption"] == (
        "Таблица 1 – Самооценка степени достижения планируемых результатов проекта «Цифровая трансформация»"
    )
    assert [(row["number"], row["scores"]) for row in first["rows"]] == [("1.", ["9", "10"]), ("2.", ["0", "-"])]
    assert second["rows"][0]["scores"] == ["-", "8"]
    assert first["conclusion_html"] == ""
    assert second["conclusion_html"] == "<p>Вывод: &lt;работа&gt; ведётся.</p>"


# --- comparative ------------------------------------------------------------------------------------


def test_comparative_needs_five_periods_and_shows_plans_and_achievement(district_a, methodist):
    programme = Programme.objects.create(district=district_a, code="cmp", name="Концепция")
    periods = _checkpoints(programme, [(str(y), datetime.date(y, 12, 31)) for y in range(2020, 2024)])
    indicator = Indicator.objects.create(programme=programme, code="share", name="Доля участников конкурсов",
                                         unit=Unit.PERCENT, decimals=1, section="Сопровождение")
    facts = ("6.2", "7.5", "8.9", "10.4", "11.8")
    plans = ("6", "8", None, "10", "12")
    report = Report.objects.create(district=district_a, kind="comparative", programme=programme,
                                   created_by=methodist, title="сравнительный анализ",
                                   recommendations="Продолжить работу.")
    with pytest.raises(b.ReportDataError, match=r"не меньше 5 периодов \(выбрано: 4\)"):
        b.build_context(report, final=False)
    periods += _checkpoints(programme, [("2024", datetime.date(2024, 12, 31))])
    for period, fact, plan in zip(periods, facts, plans, strict=True):
        Value.objects.create(district=district_a, indicator=indicator, period=period, fact=Decimal(fact),
                             plan=Decimal(plan) if plan else None)
    context = b.build_context(report, final=False)
    (section,) = context["sections"]
    assert section["name"] == "Сопровождение"
    cells = section["rows"][0]["cells"]
    assert [(c["fact"], c["plan"] if c["has_plan"] else None) for c in cells] == [
        ("6,2%", "6%"), ("7,5%", "8%"), ("8,9%", None), ("10,4%", "10%"), ("11,8%", "12%")]
    # 6,2 ≥ 6 achieved; 7,5 < 8 not; a fact without a plan → «план не установлен», not «нет данных» (issue 14.7);
    # 10,4 ≥ 10; 11,8 < 12.
    assert [(p["achieved"], p["not_achieved"], p["no_plan"], p["no_data"]) for p in context["achievement"]] == [
        (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (1, 0, 0, 0), (0, 1, 0, 0)]
    assert context["achievement"][2]["sentence"] == "План не установлен по показателю «Доля участников конкурсов»."
    assert context["periods_text"] == "2020–2024"
    assert len(context["charts"]) == 1
    assert context["recommendations_html"] == "<p>Продолжить работу.</p>"


# --- survey results ---------------------------------------------------------------------------------


def test_survey_counts_shares_and_small_clusters_left_out(district_a, methodist, school_a, school_b):
    from clusters.models import Cluster, ClusterMembership
    from tests.surveys.factories import NO, YES, make_campaign, respond, results_questionnaire

    questionnaire = results_questionnaire(district_a)
    campaign = make_campaign(questionnaire, district_a, closes_at=datetime.datetime(2021, 6, 1, 12, tzinfo=datetime.UTC))
    big = Cluster.objects.create(district=district_a, year=2021, name="Большой")
    small = Cluster.objects.create(district=district_a, year=2021, name="Малый")
    ClusterMembership.objects.create(cluster=big, organisation=school_a, theme="Т")
    ClusterMembership.objects.create(cluster=small, organisation=school_b, theme="Т")
    for _ in range(5):
        respond(campaign, school_a, q1=YES)
    respond(campaign, school_b, q1=NO)
    report = Report.objects.create(district=district_a, kind="survey", campaign=campaign,
                                   created_by=methodist, title="по результатам анкетирования педагогов")
    context = b.build_context(report, final=False)
    assert context["responses_text"] == "6 анкет"
    assert context["anonymous"] is True
    first = context["questions"][0]
    assert (first["is_choice"], first["is_grid"], first["is_number"]) == (True, False, False)
    assert first["table"]["head"] == ["Вариант ответа", "Ответов", "Доля"]
    # 5 of 6 answered «да» (83,3 %), 1 of 6 «нет» (16,7 %).
    assert [(row["label"], *row["cells"]) for row in first["table"]["rows"]][:3] == [
        (YES, 5, "83,3%"), ("Затрудняюсь ответить", 0, "0%"), (NO, 1, "16,7%")]
    assert first["chart"].startswith("<svg")
    # Neither cluster is shown on its own: «Малый» has one response, and «Большой» (5 of the 6) would
    # give it away by subtraction (k-anonymity with secondary suppression, surveys/disclosure.py).
    assert context["cluster_table"] is None
