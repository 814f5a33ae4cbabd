"""Builders for the results and survey-indicator tests (no tests here).

`results_questionnaire` has one question of each kind the results page shows differently;
`respond` stores a response with its Answer rows directly, from a readable spec, so every count
in the tests can be worked out by hand from the spec:

    respond(campaign, school_a, q1="Да, вполне или скорее да", q2=["Семинары", OTHER("Стажировки")],
            q3={"Аттестация": "Нужно"}, q4="Больше практики", q5=3)

The scenario of seven responses used by several tests (SEVEN) is spelled out in its docstring.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from surveys.models import (
    Answer,
    Audience,
    Campaign,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
)

YES = "Да, вполне или скорее да"
UNSURE = "Затрудняюсь ответить"
NO = "Скорее нет или однозначно нет"


@dataclass(frozen=True)
class OTHER:  # noqa: N801 - reads like the option it stands for
    text: str


def results_questionnaire(district, *, audience=Audience.TEACHERS, code="results-check", extra_questions=0):
    q = Questionnaire.objects.create(district=district, code=code, title="Анкета для проверки результатов",
                                     audience=audience)

    def question(position, code, text, kind, options=(), rows=(), **extra):
        created = Question.objects.create(questionnaire=q, code=code, position=position, text=text, kind=kind,
                                          required=False, **extra)
        for index, option in enumerate(options):
            created.options.create(text=option, position=index)
        for index, row in enumerate(rows):
            created.rows.create(text=row, position=index)
        return created

    question(1, "q1", "Удовлетворены ли вы качеством предоставляемой образовательной услуги?", QuestionKind.SINGLE,
             (YES, UNSURE, NO), allow_other=True, other_label="Другое")
    question(2, "q2", "Какие формы методической помощи предпочтительны для Вас?", QuestionKind.MULTIPLE,
             ("Консультации", "Семинары", "Курсы"), allow_other=True, other_label="Другое")
    question(3, "q3", "Насколько нужно научно-методическое сопровождение?", QuestionKind.GRID,
             ("Нужно", "Трудно сказать", "Не нужно"), rows=("Аттестация", "Конкурсы"))
    question(4, "q4", "Ваши предложения", QuestionKind.TEXT)
    question(5, "q5", "Ваш педагогический стаж (полных лет)", QuestionKind.NUMBER)
    for extra in range(extra_questions):
        question(6 + extra, f"x{extra}", f"Дополнительный вопрос {extra}", QuestionKind.SINGLE, ("Да", "Нет"))
    return q


def make_campaign(questionnaire, district, *, closes_at=None, title="Опрос педагогов", organisations=()):
    closes_at = closes_at or timezone.now() + dt.timedelta(days=10)
    campaign = Campaign.objects.create(questionnaire=questionnaire, district=district, title=title,
                                       opens_at=closes_at - dt.timedelta(days=30), closes_at=closes_at)
    campaign.organisations.set(organisations)
    return campaign


def respond(campaign: Campaign, organisation=None, *, status=ResponseStatus.SUBMITTED,
            submitted_on=dt.date(2021, 5, 20), **answers) -> Response:
    """One response with Answer rows for the given question codes (see the module docstring)."""
    for_organisation = not campaign.questionnaire.is_anonymous
    response = Response.objects.create(
        campaign=campaign, organisation=organisation, for_organisation=for_organisation, status=status,
        submitted_on=submitted_on if status == ResponseStatus.SUBMITTED else None,
    )
    questions = {q.code: q for q in campaign.questionnaire.questions.prefetch_related("options", "rows")}
    rows = []
    for code, value in answers.items():
        question = questions[code]
        options = {o.text: o for o in question.options.all()}
        if question.is_grid:
            grid_rows = {r.text: r for r in question.rows.all()}
            rows += [Answer(question=question, row=grid_rows[row], option=options[column])
                     for row, column in value.items()]
        elif question.is_choice:
            for choice in value if isinstance(value, list) else [value]:
                if isinstance(choice, OTHER):
                    rows.append(Answer(question=question, text=choice.text))
                else:
                    rows.append(Answer(question=question, option=options[choice]))
        elif question.kind == QuestionKind.NUMBER:
            rows.append(Answer(question=question, number=Decimal(value)))
        else:
            rows.append(Answer(question=question, text=value))
    for row in rows:
        row.response, row.campaign = response, campaign
    Answer.objects.bulk_create(rows)
    return response


def seven_responses(campaign, school_a, school_b):
    """The seven responses the tests count by hand (A = school A's link, B = school B's, — = general):

        R1 A  q1 Да        q2 Консультации, Семинары    q3 Атт=Нужно, Конк=Нужно          q4 text  q5 3
        R2 A  q1 Да        q2 Семинары                  q3 Атт=Трудно, Конк=Не нужно               q5 10
        R3 A  q1 Затрудн.  q2 Курсы, Другое «Стажировки» q3 Атт=Нужно                     q4 =…
        R4 A  q1 Да                                                                                q5 25
        R5 B  q1 Скорее нет q2 Консультации, Семинары, Курсы q3 Атт=Не нужно, Конк=Трудно
        R6 B  (skips q1)   q2 Семинары                  q3 Атт=Нужно, Конк=Нужно          q4 text
        R7 —  q1 Да        q2 Другое «Наставничество»   q3 Атт=Трудно, Конк=Нужно                  q5 2

    q1: 6 answered; Да 4 (66,7 %), Затрудняюсь 1, Скорее нет 1, Другое 0.
    q2: 6 answered; Консультации 2, Семинары 4, Курсы 2, Другое 2 — shares add up to 166,7 %.
    q3: Аттестация 6 answered: Нужно 3, Трудно 2, Не нужно 1; Конкурсы 5: Нужно 3, Трудно 1,
        Не нужно 1; 6 answered the question.
    q4: 3 texts. q5: 4 numbers — mean 10, min 2, max 25.
    """
    a, b = school_a, school_b
    respond(campaign, a, q1=YES, q2=["Консультации", "Семинары"], q3={"Аттестация": "Нужно", "Конкурсы": "Нужно"},
            q4="Больше практики", q5=3)
    respond(campaign, a, q1=YES, q2=["Семинары"], q3={"Аттестация": "Трудно сказать", "Конкурсы": "Не нужно"}, q5=10)
    respond(campaign, a, q1=UNSURE, q2=["Курсы", OTHER("Стажировки")], q3={"Аттестация": "Нужно"},
            q4='=HYPERLINK("http://evil.example","нажми")')
    respond(campaign, a, q1=YES, q5=25)
    respond(campaign, b, q1=NO, q2=["Консультации", "Семинары", "Курсы"],
            q3={"Аттестация": "Не нужно", "Конкурсы": "Трудно сказать"})
    respond(campaign, b, q2=["Семинары"], q3={"Аттестация": "Нужно", "Конкурсы": "Нужно"}, q4="Спасибо")
    respond(campaign, None, q1=YES, q2=[OTHER("Наставничество")],
            q3={"Аттестация": "Трудно сказать", "Конкурсы": "Нужно"}, q5=2)
