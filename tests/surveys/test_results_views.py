"""The results page and its XLSX: who may open them, what they show, what the file holds."""
from __future__ import annotations

import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys import results as r
from surveys.models import Audience, Response, ResponseStatus
from tests.factories import ClusterFactory, ClusterMembershipFactory

from .factories import NO, YES, make_campaign, respond, results_questionnaire, seven_responses

pytestmark = pytest.mark.django_db

SUPPRESSED = r.SUPPRESSED_MESSAGE


@pytest.fixture
def organisation_campaign(district_a, school_a, school_b):
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION, code="org"),
                             district_a, title="Критерии")
    respond(campaign, school_a, q1=YES, q4="Ответ школы 1")
    respond(campaign, school_b, q1=NO, q4="Черновик школы 2", status=ResponseStatus.DRAFT)
    return campaign


def url(campaign, group: str = "", export=False) -> str:
    name = "surveys:campaign_results_export" if export else "surveys:campaign_results"
    return reverse(name, args=[campaign.pk]) + (f"?group={group}" if group else "")


def workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [
    ("methodist_client", 200), ("director_client", 200), ("observer_client", 200),
    ("school_admin_client", 403), ("other_school_admin_client", 403), ("other_methodist_client", 404),
])
def test_who_may_read_a_seven_campaign(request, seven_campaign, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(url(seven_campaign)).status_code == status
    assert client.get(url(seven_campaign, export=True)).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, seven_campaign):
    response = client.get(url(seven_campaign))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_school_administrator_reads_only_their_own_organisation(school_admin_client, other_school_admin_client,
                                                                   organisation_campaign, school_b):
    page = school_admin_client.get(url(organisation_campaign, group=f"organisation:{school_b.pk}"))
    assert page.status_code == 200
    assert page.context["group"].label == "ГБОУ СОШ № 1"  # the asked-for school B is ignored
    assert page.context["results"].responses == 1
    assert "Ответ школы 1" in page.content.decode()
    assert page.context["group_choices"] is None and page.context["participation"] is None
    # School B's administrator: only their draft, which does not count.
    assert other_school_admin_client.get(url(organisation_campaign)).context["results"].responses == 0


def test_a_school_not_addressed_is_not_found(district_a, school_admin_client, school_b):
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION), district_a,
                             organisations=[school_b])
    assert school_admin_client.get(url(campaign)).status_code == 404


def test_a_group_of_another_district_is_not_found(methodist_client, seven_campaign, school_other_district):
    assert methodist_client.get(url(seven_campaign, f"organisation:{school_other_district.pk}")).status_code == 404
    assert methodist_client.get(url(seven_campaign, "organisation:abc")).status_code == 404


# --- the page -----------------------------------------------------------------------------------


def test_the_page_shows_counts_shares_other_and_a_chart_per_choice_question(methodist_client, seven_campaign):
    page = methodist_client.get(url(seven_campaign))
    html = page.content.decode()
    assert "66,7&nbsp;%" in html  # q1 «Да» 4 of 6
    assert "Другое (свой вариант)" in html and "Стажировки" in html and "Наставничество" in html
    assert "сумма долей может превышать 100" in html
    assert html.count("<svg") == 2  # q1 and q2; the grid, text and number have tables
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html  # typed text is shown escaped


def test_the_page_says_why_a_small_group_is_not_shown(methodist_client, seven_campaign, school_a):
    page = methodist_client.get(url(seven_campaign, f"organisation:{school_a.pk}"))
    assert SUPPRESSED in page.content.decode()
    assert page.context["results"].questions == []


def test_a_group_of_five_is_shown(methodist_client, seven_campaign, school_a):
    respond(seven_campaign, school_a, q1=NO)
    for _ in range(4):  # the campaign without school A: B's 2 and the general link's 5
        respond(seven_campaign, None, q1=YES)
    page = methodist_client.get(url(seven_campaign, f"organisation:{school_a.pk}"))
    html = page.content.decode()
    assert SUPPRESSED not in html
    assert "60,0&nbsp;%" in html  # «Да» R1 R2 R4 of the 5 of school A


def test_the_filter_offers_organisations_and_clusters_of_the_campaigns_year(
    methodist_client, seven_campaign, district_a, school_a
):
    year = seven_campaign.closes_at.year
    ClusterMembershipFactory(cluster=ClusterFactory(district=district_a, year=year, name="Текущий"),
                             organisation=school_a)
    ClusterFactory(district=district_a, year=year - 3, name="Давний")
    choices = methodist_client.get(url(seven_campaign)).context["group_choices"]
    labels = [label for _, options in choices for _, label in options]
    assert labels == ["Все ответы", "ГБОУ СОШ № 1", "ГБОУ СОШ № 2", "Текущий"]


def test_response_rate_of_an_organisation_campaign_on_the_page(methodist_client, organisation_campaign):
    html = methodist_client.get(url(organisation_campaign)).content.decode()
    assert "Отправили анкету <strong>1</strong> из 2 (50,0&nbsp;%); черновик — 1; не начали — 0." in html


def test_the_results_page_takes_a_bounded_number_of_queries(
    methodist_client, district_a, school_a, school_b, django_assert_max_num_queries
):
    """45 questions, 7 responses, a body not yet in the cache: session (read, and a save with its savepoint),
    user, campaign, the digest of its rows (surveys/results_page.py), structure, filter choices, participation
    with the clusters its disclosure rule needs, and the few GROUP BY queries — the same as for 5 questions.
    The client has read a page before, so the session's first-request work is not counted."""
    assert methodist_client.get(reverse("surveys:campaign_list")).status_code == 200
    counts = []
    for extra in (0, 40):
        campaign = make_campaign(results_questionnaire(district_a, code=f"q{extra}", extra_questions=extra),
                                 district_a)
        seven_responses(campaign, school_a, school_b)
        with django_assert_max_num_queries(23) as captured:
            assert methodist_client.get(url(campaign)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_summary_holds_counts_and_shares(methodist_client, seven_campaign):
    book = workbook(methodist_client.get(url(seven_campaign, export=True)))
    assert book.sheetnames == ["Сводка", "Ответы", "По группам", "О выгрузке"]
    summary = rows(book["Сводка"])
    assert summary[0] == ("Вопрос", "Строка таблицы", "Вариант ответа / показатель", "Количество", "Доля")
    assert summary[1][:4] == ("Всего анкет", None, None, 7)
    q1 = "1. Удовлетворены ли вы качеством предоставляемой образовательной услуги?"
    yes = next(row for row in summary if row[0] == q1 and row[2] == YES)
    assert yes[3] == 4 and round(yes[4], 4) == round(4 / 6, 4)
    assert book["Сводка"].cell(row=summary.index(yes) + 1, column=5).number_format == "0.0%"
    other = next(row for row in summary if row[0].startswith("2.") and row[2] == "Другое (свой вариант)")
    assert other[3] == 2
    grid = [row[1:4] for row in summary if row[0].startswith("3.") and row[1]]
    assert ("Конкурсы", "Нужно", 3) in grid and ("Аттестация", "Не нужно", 1) in grid
    number = {row[2]: row[3] for row in summary if row[0].startswith("5.")}
    assert (number["Среднее"], number["Минимум"], number["Максимум"]) == (10, 2, 25)


def test_xlsx_raw_answers_one_row_per_response_and_formula_text_stays_text(methodist_client, seven_campaign,
                                                                           school_b):
    for _ in range(3):  # school B reaches 5 respondents: its name may be printed
        respond(seven_campaign, school_b, q1=YES)
    book = workbook(methodist_client.get(url(seven_campaign, export=True)))
    sheet = book["Ответы"]
    raw = rows(sheet)
    header = raw[0]
    assert header[:4] == ("№", "Код анкеты", "Организация", "Дата")
    assert "3. Насколько нужно научно-методическое сопровождение? — Аттестация" in header
    assert "3. Насколько нужно научно-методическое сопровождение? — Конкурсы" in header
    assert len(raw) == 1 + 10
    column = {name: index for index, name in enumerate(header)}
    q2, q5 = "2. Какие формы методической помощи предпочтительны для Вас?", "5. Ваш педагогический стаж (полных лет)"
    # Rows follow the responses' random public ids: found by content, not by position.
    first = next(row for row in raw[1:] if row[column[q5]] == 3)  # R1
    third = next(row for row in raw[1:] if row[column[q2]] == "Курсы; Другое: Стажировки")  # R3
    assert first[2] is None  # school A has 4 respondents: never named
    assert first[column[q2]] == "Консультации; Семинары"
    formula = third[column["4. Ваши предложения"]]
    assert formula == '=HYPERLINK("http://evil.example","нажми")'
    assert sheet.cell(row=raw.index(third) + 1, column=column["4. Ваши предложения"] + 1).data_type == "s"
    assert sorted(str(row[2]) for row in raw[1:]) == ["None"] * 5 + ["ГБОУ СОШ № 2"] * 5  # A and the general link
    # № is 1…10 down the sheet, and each code is a response's public id, never its sequential pk.
    assert [row[0] for row in raw[1:]] == list(range(1, 11))
    codes = {str(pk) for pk in Response.objects.values_list("public_id", flat=True)}
    assert {row[1] for row in raw[1:]} == codes and all(uuid.UUID(code) for code in codes)


def test_xlsx_by_groups_leaves_out_groups_under_five(methodist_client, seven_campaign, school_a):
    """A has 4 (left out), B 2 (left out): nothing; after R8 A has 5 but the rest is 3: still
    nothing; with four more through the general link the rest is 7 and A appears."""
    book = workbook(methodist_client.get(url(seven_campaign, export=True)))
    assert rows(book["По группам"])[1:] == []
    respond(seven_campaign, school_a, q1=NO)
    book = workbook(methodist_client.get(url(seven_campaign, export=True)))
    assert rows(book["По группам"])[1:] == []
    for _ in range(4):
        respond(seven_campaign, None, q1=YES)
    book = workbook(methodist_client.get(url(seven_campaign, export=True)))
    groups = {row[0] for row in rows(book["По группам"])[1:]}
    assert groups == {"ГБОУ СОШ № 1"}


def test_xlsx_of_a_small_group_omits_it(methodist_client, seven_campaign, school_a):
    book = workbook(methodist_client.get(url(seven_campaign, f"organisation:{school_a.pk}", export=True)))
    assert rows(book["Сводка"])[1:] == [(SUPPRESSED, None, None, None, None)]
    assert len(rows(book["Ответы"])) == 1
    assert "По группам" not in book.sheetnames
    assert "Больше практики" not in str([rows(sheet) for sheet in book])


def test_xlsx_of_an_organisation_campaign_names_organisations_and_their_status(methodist_client,
                                                                               organisation_campaign):
    book = workbook(methodist_client.get(url(organisation_campaign, export=True)))
    assert "Отклик" in book.sheetnames
    assert rows(book["Отклик"])[1:] == [("ГБОУ СОШ № 1", "отправлена", rows(book["Ответы"])[1][3]),
                                        ("ГБОУ СОШ № 2", "черновик", None)]
    assert rows(book["Ответы"])[1][2] == "ГБОУ СОШ № 1"
    assert len(rows(book["Ответы"])) == 2  # the draft is not a response yet
