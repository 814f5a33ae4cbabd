"""Results from kept counts (surveys/aggregates.py, issue 15.2): equal to the hand GROUP BY over the answers.

The seven responses of factories.seven_responses, sent through the submission service, counted by
hand per group (A = school A's link, B = school B's, — = the general link):

    A (R1–R4)  4 responses; q1 Да 3, Затрудняюсь 1; q2 answered by 3: Консультации 1, Семинары 2,
               Курсы 1, Другое 1; q3 answered by 3: Аттестация Нужно 2, Трудно 1 — Конкурсы Нужно 1,
               Не нужно 1; q4 2 texts; q5 3, 10, 25 (sum 38, min 3, max 25)
    B (R5–R6)  2 responses; q1 Скорее нет 1; q2 answered by 2: Консультации 1, Семинары 2, Курсы 1;
               q3 answered by 2: Аттестация Не нужно 1, Нужно 1 — Конкурсы Трудно 1, Нужно 1; q4 1 text
    — (R7)     1 response; q1 Да 1; q2 Другое 1; q3 Аттестация Трудно 1, Конкурсы Нужно 1; q5 2
"""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from surveys import results as r
from surveys.aggregates import campaign_rebuilt
from surveys.models import Answer, AnswerCount, Audience, Response, ResponseStatus
from surveys.responses import anonymous_response_submit, organisation_response_save

from .factories import NO, OTHER, UNSURE, YES, make_campaign, respond, results_questionnaire

pytestmark = pytest.mark.django_db

SEVEN = [  # (school, answers) — factories.seven_responses, as a respondent fills the form
    ("a", {"q1": YES, "q2": ["Консультации", "Семинары"], "q3": {"Аттестация": "Нужно", "Конкурсы": "Нужно"},
           "q4": "Больше практики", "q5": "3"}),
    ("a", {"q1": YES, "q2": ["Семинары"], "q3": {"Аттестация": "Трудно сказать", "Конкурсы": "Не нужно"},
           "q5": "10"}),
    ("a", {"q1": UNSURE, "q2": ["Курсы", OTHER("Стажировки")], "q3": {"Аттестация": "Нужно"}, "q4": "Идеи"}),
    ("a", {"q1": YES, "q5": "25"}),
    ("b", {"q1": NO, "q2": ["Консультации", "Семинары", "Курсы"],
           "q3": {"Аттестация": "Не нужно", "Конкурсы": "Трудно сказать"}}),
    ("b", {"q2": ["Семинары"], "q3": {"Аттестация": "Нужно", "Конкурсы": "Нужно"}, "q4": "Спасибо"}),
    (None, {"q1": YES, "q2": [OTHER("Наставничество")], "q3": {"Аттестация": "Трудно сказать", "Конкурсы": "Нужно"},
            "q5": "2"}),
]


def form(campaign, answers: dict) -> MultiValueDict:
    """The POST of the respondent page (surveys/responses.py: the form-data contract)."""
    questions = {q.code: q for q in campaign.questionnaire.questions.prefetch_related("options", "rows")}
    data: dict[str, list[str]] = {}
    for code, value in answers.items():
        question = questions[code]
        options = {o.text: str(o.pk) for o in question.options.all()}
        name = f"q{question.pk}"
        if question.is_grid:
            rows = {row.text: row.pk for row in question.rows.all()}
            for row, column in value.items():
                data[f"{name}_r{rows[row]}"] = [options[column]]
        elif question.is_choice:
            for choice in value if isinstance(value, list) else [value]:
                if isinstance(choice, OTHER):
                    data.setdefault(name, []).append("other")
                    data[f"{name}_other"] = [choice.text]
                else:
                    data.setdefault(name, []).append(options[choice])
        else:
            data[name] = [value]
    return MultiValueDict(data)


@pytest.fixture
def submitted(district_a, school_a, school_b):
    """The seven responses sent through anonymous_response_submit (the counts it keeps)."""
    campaign = make_campaign(results_questionnaire(district_a), district_a)
    schools = {"a": school_a, "b": school_b, None: None}
    for number, (school, answers) in enumerate(SEVEN):
        anonymous_response_submit(campaign=campaign, organisation=schools[school], data=form(campaign, answers),
                                  submission_key=f"seven-{number}")
    return campaign


def labelled(campaign, tally: r.Tally) -> dict:
    """A tally with labels instead of keys: {"q1": {"Да": 3}, "q3": {("Аттестация", "Нужно"): 2}, …}."""
    questions = {q.pk: q for q in campaign.questionnaire.questions.prefetch_related("options", "rows")}
    options = {o.pk: o.text for q in questions.values() for o in q.options.all()}
    rows = {g.pk: g.text for q in questions.values() for g in q.rows.all()}
    out: dict = {"responses": tally.responses}
    for (question_id, row_id, option_id), n in tally.counts.items():
        label = options.get(option_id, "Другое/текст")
        out.setdefault(questions[question_id].code, {})[(rows[row_id], label) if row_id else label] = n
    for question_id, n in tally.respondents.items():
        out.setdefault(questions[question_id].code, {})["ответили"] = n
    for question_id, stats in tally.numbers.items():
        out[f"{questions[question_id].code} числа"] = (stats.count, stats.total, stats.minimum, stats.maximum)
    return out


HAND_A = {
    "responses": 4,
    "q1": {YES: 3, UNSURE: 1, "ответили": 4},
    "q2": {"Консультации": 1, "Семинары": 2, "Курсы": 1, "Другое/текст": 1, "ответили": 3},
    "q3": {("Аттестация", "Нужно"): 2, ("Аттестация", "Трудно сказать"): 1, ("Конкурсы", "Нужно"): 1,
           ("Конкурсы", "Не нужно"): 1, "ответили": 3},
    "q4": {"Другое/текст": 2, "ответили": 2},
    "q5": {"Другое/текст": 3, "ответили": 3},
    "q5 числа": (3, Decimal(38), Decimal(3), Decimal(25)),
}
HAND_B = {
    "responses": 2,
    "q1": {NO: 1, "ответили": 1},
    "q2": {"Консультации": 1, "Семинары": 2, "Курсы": 1, "ответили": 2},
    "q3": {("Аттестация", "Не нужно"): 1, ("Аттестация", "Нужно"): 1, ("Конкурсы", "Трудно сказать"): 1,
           ("Конкурсы", "Нужно"): 1, "ответили": 2},
    "q4": {"Другое/текст": 1, "ответили": 1},
}
HAND_GENERAL = {
    "responses": 1,
    "q1": {YES: 1, "ответили": 1},
    "q2": {"Другое/текст": 1, "ответили": 1},
    "q3": {("Аттестация", "Трудно сказать"): 1, ("Конкурсы", "Нужно"): 1, "ответили": 1},
    "q5": {"Другое/текст": 1, "ответили": 1},
    "q5 числа": (1, Decimal(2), Decimal(2), Decimal(2)),
}


def hand_group_by(campaign) -> dict:
    """What a person would write: GROUP BY over the submitted answers, per organisation."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT r.organisation_id, a.question_id, a.row_id, a.option_id, count(*)
            FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
            WHERE a.campaign_id = %s AND r.status = 'submitted'
            GROUP BY r.organisation_id, a.question_id, a.row_id, a.option_id""", [campaign.pk])
        counts = {(o, q, g, opt): n for o, q, g, opt, n in cursor.fetchall()}
        cursor.execute("""
            SELECT r.organisation_id, a.question_id, count(DISTINCT a.response_id)
            FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
            WHERE a.campaign_id = %s AND r.status = 'submitted'
            GROUP BY r.organisation_id, a.question_id""", [campaign.pk])
        respondents = {(o, q): n for o, q, n in cursor.fetchall()}
        cursor.execute("""
            SELECT organisation_id, count(*) FROM surveys_response
            WHERE campaign_id = %s AND status = 'submitted' GROUP BY organisation_id""", [campaign.pk])
        responses = dict(cursor.fetchall())
    return {"counts": counts, "respondents": respondents, "responses": responses}


def from_counts(campaign) -> dict:
    by = r.tallies(campaign, [], by_organisation=True)
    return {
        "counts": {(o, *key): n for o, t in by.items() for key, n in t.counts.items()},
        "respondents": {(o, q): n for o, t in by.items() for q, n in t.respondents.items()},
        "responses": {o: t.responses for o, t in by.items()},
    }


def test_submission_keeps_the_hand_counted_numbers_per_organisation(submitted, school_a, school_b):
    by = r.tallies(submitted, [], by_organisation=True)
    assert labelled(submitted, by[school_a.pk]) == HAND_A
    assert labelled(submitted, by[school_b.pk]) == HAND_B
    assert labelled(submitted, by[None]) == HAND_GENERAL


def test_submission_counts_equal_the_hand_group_by_and_so_does_a_rebuild(submitted):
    hand = hand_group_by(submitted)
    assert sum(hand["responses"].values()) == 7 and len(hand["counts"]) == 26
    assert from_counts(submitted) == hand
    rows = AnswerCount.objects.filter(campaign=submitted).count()
    AnswerCount.objects.filter(campaign=submitted).update(count=99)  # whatever was kept is recounted
    assert campaign_rebuilt(submitted) == rows
    assert from_counts(submitted) == hand


def test_the_whole_campaign_and_a_cluster_are_sums_of_the_organisations_in_the_database(
    submitted, district_a, school_a, school_b
):
    """Whole: q1 Да 4 of 6 answered; cluster {A, B}: R1–R6, q5 numbers 3, 10, 25 → mean 38/3."""
    whole = labelled(submitted, r.tallies(submitted, [])[r.ALL])
    assert whole["responses"] == 7 and whole["q1"] == {YES: 4, UNSURE: 1, NO: 1, "ответили": 6}
    assert whole["q5 числа"] == (4, Decimal(40), Decimal(2), Decimal(25))
    with CaptureQueriesContext(connection) as queries:
        cluster = r.tallies(submitted, [], organisation_ids=[school_a.pk, school_b.pk])[r.ALL]
    assert len(queries) == 1
    assert labelled(submitted, cluster)["q2"] == {"Консультации": 2, "Семинары": 4, "Курсы": 2,
                                                  "Другое/текст": 1, "ответили": 5}
    assert cluster.numbers[cluster_q5(submitted)].mean == Decimal(38) / 3


def cluster_q5(campaign) -> int:
    return campaign.questionnaire.questions.get(code="q5").pk


def test_answers_written_past_the_services_count_only_after_a_rebuild(submitted, school_a):
    """A bulk load (the demo, generate_city's COPY) must rebuild: before it the counts are stale."""
    q1 = submitted.questionnaire.questions.get(code="q1")
    yes = q1.options.get(text=YES)
    response = Response.objects.create(campaign=submitted, organisation=school_a, status=ResponseStatus.SUBMITTED)
    Answer.objects.bulk_create([Answer(response=response, campaign=submitted, question=q1, option=yes)])
    assert from_counts(submitted) != hand_group_by(submitted)
    out = io.StringIO()
    call_command("rebuild_survey_counts", campaign=[submitted.pk], stdout=out)
    assert "Готово: кампаний 1" in out.getvalue()
    assert from_counts(submitted) == hand_group_by(submitted)
    assert labelled(submitted, r.tallies(submitted, [], by_organisation=True)[school_a.pk])["q1"][YES] == 4


def test_the_rebuild_command_refuses_an_unknown_campaign(db):
    with pytest.raises(CommandError, match="Нет кампаний с id: 987654"):
        call_command("rebuild_survey_counts", campaign=[987654])


def test_the_data_migration_counts_existing_campaigns(submitted):
    from importlib import import_module

    from django.apps import apps

    hand = hand_group_by(submitted)
    AnswerCount.objects.all().delete()
    import_module("surveys.migrations.0004_answer_counts").count_existing_campaigns(apps, None)
    assert from_counts(submitted) == hand


def test_an_organisation_response_counts_once_when_submitted_and_edited(district_a, school_admin, school_a):
    """A draft counts nothing; submitted, Да 1; edited to «Скорее нет», Да 0 and Скорее нет 1 (not 2 rows)."""
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION, code="org"),
                             district_a)

    def save(answer, submit):
        organisation_response_save(campaign=campaign, user=school_admin, data=form(campaign, {"q1": answer}),
                                   submit=submit)

    save(YES, submit=False)
    assert r.tallies(campaign, [])[r.ALL].responses == 0
    assert not AnswerCount.objects.filter(campaign=campaign).exists()
    save(YES, submit=True)
    assert labelled(campaign, r.tallies(campaign, [])[r.ALL]) == {"responses": 1, "q1": {YES: 1, "ответили": 1}}
    save(NO, submit=False)  # a submitted response stays submitted
    assert labelled(campaign, r.tallies(campaign, [])[r.ALL]) == {"responses": 1, "q1": {NO: 1, "ответили": 1}}
    assert from_counts(campaign) == hand_group_by(campaign)


# --- the page -----------------------------------------------------------------------------------


def _page_queries(client, campaign) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("surveys:campaign_results", args=[campaign.pk]))
    assert page.status_code == 200
    return [q["sql"] for q in queries]


def test_the_results_page_makes_the_same_queries_for_7_and_57_answers_and_reads_answers_only_for_texts(
    methodist_client, submitted, school_a
):
    methodist_client.get(reverse("home"))  # the session's first page keeps the navbar's names (issue 15.3)
    few = _page_queries(methodist_client, submitted)  # both reads build the body: new answers, a new version
    for _ in range(50):
        respond(submitted, school_a, q1=YES, q2=["Курсы"], q3={"Аттестация": "Нужно"}, q4="Ещё", q5=7)
    many = _page_queries(methodist_client, submitted)
    assert len(few) == len(many) > 10
    # The counts come from surveys_answercount; surveys_answer is read once, for the first free texts.
    assert len([sql for sql in many if '"surveys_answer"' in sql]) == 1


def test_many_texts_are_picked_by_a_limit_per_question_with_the_same_result(submitted, school_a, monkeypatch):
    """Past WINDOW_TEXTS texts, each question's first ones come from its own LIMITed subquery: the
    same texts, in the same order, as the window function's (q2 «Другое»: Стажировки, Наставничество;
    q4: Больше практики, Идеи, Спасибо)."""
    questions = list(submitted.questionnaire.questions.order_by("position"))
    ids = r.text_question_ids(questions)
    codes = {q.pk: q.code for q in questions}
    for limit in (1, 2, 30):
        for organisations in (None, [school_a.pk]):
            small = r.free_texts(submitted, ids, organisation_ids=organisations, limit=limit, expected=0)
            with CaptureQueriesContext(connection) as queries:
                many = r.free_texts(submitted, ids, organisation_ids=organisations, limit=limit, expected=10**6)
            assert many == small and len(queries) == 1
            assert f"LIMIT {limit}" in queries[0]["sql"].upper()
    whole = r.free_texts(submitted, ids, limit=2, expected=None)
    assert {codes[pk]: texts for pk, texts in whole.items()} == {
        "q2": ["Стажировки", "Наставничество"], "q4": ["Больше практики", "Идеи"]}
    monkeypatch.setattr(r, "WINDOW_TEXTS", 0)
    q4 = next(q for q in r.campaign_results(submitted).questions if q.question.code == "q4")
    assert q4.texts == ["Больше практики", "Идеи", "Спасибо"] and q4.text_count == 3


def test_the_page_shows_the_kept_numbers_to_a_methodist_and_refuses_a_school_administrator(
    methodist_client, school_admin_client, submitted
):
    page = methodist_client.get(reverse("surveys:campaign_results", args=[submitted.pk]))
    assert page.status_code == 200 and page.context["results"].responses == 7
    q1 = page.context["results"].questions[0]
    assert [(line.label, line.count) for line in q1.lines][:3] == [(YES, 4), (UNSURE, 1), (NO, 1)]
    # Teachers' anonymous answers are not for their school's administrator.
    assert school_admin_client.get(reverse("surveys:campaign_results", args=[submitted.pk])).status_code == 403


def test_k_anonymity_still_hides_small_groups_counted_from_the_kept_numbers(methodist_client, submitted, school_a,
                                                                           school_b):
    """A 4 and B 2 (under 5): neither is shown on its own, the page says why and shows no numbers."""
    for school in (school_a, school_b):
        page = methodist_client.get(reverse("surveys:campaign_results", args=[submitted.pk])
                                    + f"?group=organisation:{school.pk}")
        assert page.status_code == 200
        assert page.context["results"].suppressed and page.context["results"].questions == []
        assert r.SUPPRESSED_MESSAGE in page.content.decode()
    groups = r.results_by_group(submitted, list(submitted.questionnaire.questions.all()))
    assert groups == []
