"""Questionnaires for the builder tests, built through the builder's own services.

`small_questionnaire` (positions are the builder's own):
    (no section)  q1 «Ваш пол» (single: Мужской, Женский, «Другое»)
    «Работа»      q2 «Трудности» (multiple: Дисциплина, Мотивация, Время), q3 «Помощь» (grid: rows
                  Аттестация, Конкурсы × columns Нужно 2 / Трудно сказать 1 / Не нужно 0 points)
    «О себе»      q4 «Стаж» (number 0–60), q5 «Предложения» (text, optional, up to 500)
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from surveys import builder
from surveys.builder import ChoiceLine, QuestionData
from surveys.models import Answer, Campaign, QuestionKind, Questionnaire, Response


def lines(*texts: str) -> list[ChoiceLine]:
    return [ChoiceLine(t) for t in texts]


def small_questionnaire(user, *, title="Анкета педагога", code="") -> Questionnaire:
    q = builder.questionnaire_create(user=user, title=title, code=code, intro="Уважаемые коллеги!")
    work = builder.section_create(questionnaire=q, title="Работа")
    about = builder.section_create(questionnaire=q, title="О себе")
    save = builder.question_save
    save(questionnaire=q, data=QuestionData(text="Ваш пол", options=lines("Мужской", "Женский"), allow_other=True))
    save(questionnaire=q, data=QuestionData(text="Трудности", kind=QuestionKind.MULTIPLE, section=work,
                                            options=lines("Дисциплина", "Мотивация", "Время")))
    save(questionnaire=q, data=QuestionData(text="Помощь", kind=QuestionKind.GRID, section=work,
                                            options=[ChoiceLine("Нужно", Decimal(2)), ChoiceLine("Трудно сказать", 1),
                                                     ChoiceLine("Не нужно", 0)],
                                            rows=["Аттестация", "Конкурсы"]))
    save(questionnaire=q, data=QuestionData(text="Стаж", kind=QuestionKind.NUMBER, section=about,
                                            min_value=Decimal(0), max_value=Decimal(60)))
    save(questionnaire=q, data=QuestionData(text="Предложения", kind=QuestionKind.TEXT, section=about,
                                            required=False, max_length=500))
    return q


def order(q: Questionnaire) -> list[tuple[str | None, str]]:
    """(section title, question text) in the respondent's order."""
    return [(x.section.title if x.section else None, x.text)
            for x in q.questions.select_related("section").order_by("position", "pk")]


def structure(q: Questionnaire) -> list[tuple]:
    """Everything a copy must repeat, without primary keys."""
    return [
        (x.section.title if x.section else None, x.section.position if x.section else None, x.code, x.position,
         x.text, x.help_text, x.kind, x.required, x.allow_other, x.other_label, x.min_value, x.max_value,
         x.max_length,
         [(o.text, o.position, o.points) for o in x.options.order_by("position")],
         [(r.text, r.position) for r in x.rows.order_by("position")])
        for x in q.questions.select_related("section").order_by("position")
    ]


def answer_once(q: Questionnaire, district) -> Response:
    """One submitted anonymous response with one answer, created directly."""
    now = timezone.now()
    campaign = Campaign.objects.create(questionnaire=q, district=district, title="Опрос",
                                       opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9))
    response = Response.objects.create(campaign=campaign, submitted_on=timezone.localdate())
    first = q.questions.order_by("position").first()
    Answer.objects.create(response=response, campaign=campaign, question=first, option=first.options.first())
    return response
