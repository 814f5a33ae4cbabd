"""Questionnaires and campaigns for the campaign, answering and notification tests.

`all_kinds_questionnaire` has one question of every kind, so a test can speak of "the grid" or
"the number" by name; `valid_answers` fills every one of them correctly (form-data contract of
surveys/responses.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.http import QueryDict
from django.utils import timezone

from surveys.campaigns import campaign_links_sync
from surveys.models import Audience, Campaign, Option, Question, QuestionKind, Questionnaire


@dataclass
class AllKinds:
    questionnaire: Questionnaire
    single: Question
    multiple: Question
    grid: Question
    yes_no: Question
    text: Question
    number: Question

    def option(self, question: Question, text: str) -> Option:
        return question.options.get(text=text)


def all_kinds_questionnaire(district=None, *, audience=Audience.TEACHERS, code="all-kinds") -> AllKinds:
    q = Questionnaire.objects.create(
        district=district, code=code, title="Анкета для проверки", intro="Просим ответить на вопросы.",
        outro="Благодарим за сотрудничество!", audience=audience,
    )

    def question(position, code, text, kind, *, options=(), rows=(), **extra) -> Question:
        created = Question.objects.create(questionnaire=q, code=code, position=position, text=text, kind=kind, **extra)
        for index, option in enumerate(options):
            created.options.create(text=option, position=index)
        for index, row in enumerate(rows):
            created.rows.create(text=row, position=index)
        return created

    return AllKinds(
        questionnaire=q,
        single=question(1, "q1", "Ваш пол", QuestionKind.SINGLE, options=("Мужской", "Женский"),
                        allow_other=True, other_label="Другое"),
        multiple=question(2, "q2", "Какие трудности Вы встретили в своей работе", QuestionKind.MULTIPLE,
                          options=("Проблемы дисциплины на уроке", "Проблемы нехватки времени"), allow_other=True),
        grid=question(3, "q3", "Насколько нужно научно-методическое сопровождение", QuestionKind.GRID,
                      options=("Определенно нужно", "Трудно сказать", "Совершенно не нужно"),
                      rows=("Подготовка к аттестации", "Подготовка к конкурсам")),
        yes_no=question(4, "q4", "Приходилось ли Вам выступать", QuestionKind.YES_NO_GRID, options=("Да", "Нет"),
                        rows=("...школьного уровня?", "...районного уровня?"), required=False),
        text=question(5, "q5", "Какое учебное заведение Вы окончили?", QuestionKind.TEXT, max_length=50),
        number=question(6, "q6", "Год окончания учебного заведения", QuestionKind.NUMBER, required=False,
                        min_value=Decimal("1950"), max_value=Decimal("2030")),
    )


def valid_answers(kinds: AllKinds) -> dict[str, list[str] | str]:
    grid_rows = list(kinds.grid.rows.all())
    yes_no_rows = list(kinds.yes_no.rows.all())
    return {
        f"q{kinds.single.pk}": str(kinds.option(kinds.single, "Женский").pk),
        f"q{kinds.multiple.pk}": [str(kinds.option(kinds.multiple, "Проблемы нехватки времени").pk), "other"],
        f"q{kinds.multiple.pk}_other": "Много отчётов",
        f"q{kinds.grid.pk}_r{grid_rows[0].pk}": str(kinds.option(kinds.grid, "Определенно нужно").pk),
        f"q{kinds.grid.pk}_r{grid_rows[1].pk}": str(kinds.option(kinds.grid, "Трудно сказать").pk),
        f"q{kinds.yes_no.pk}_r{yes_no_rows[0].pk}": str(kinds.option(kinds.yes_no, "Да").pk),
        f"q{kinds.text.pk}": "РГПУ им. А.И. Герцена",
        f"q{kinds.number.pk}": "2020",
    }


def make_campaign(
    questionnaire: Questionnaire, district, *, state: str = "open", organisations=(), title="Опрос педагогов", **extra
) -> Campaign:
    """A campaign that is `state` now (scheduled / open / closed), with its links."""
    now = timezone.now()
    opens_at, closes_at = {
        "scheduled": (now + dt.timedelta(days=2), now + dt.timedelta(days=12)),
        "open": (now - dt.timedelta(days=1), now + dt.timedelta(days=10)),
        "closed": (now - dt.timedelta(days=12), now - dt.timedelta(days=2)),
    }[state]
    campaign = Campaign.objects.create(
        questionnaire=questionnaire, district=district, title=title,
        opens_at=extra.pop("opens_at", opens_at), closes_at=extra.pop("closes_at", closes_at), **extra,
    )
    campaign.organisations.set(organisations)
    campaign_links_sync(campaign)
    return campaign


def as_post(data: dict) -> QueryDict:
    """Form data as request.POST carries it (lists for repeated names)."""
    post = QueryDict(mutable=True)
    for name, value in data.items():
        post.setlist(name, value if isinstance(value, list) else [value])
    return post


def matrix_campaigns(world):
    """For tests/test_access_matrix.py: campaigns of district A, made once per `world`.

    A teacher campaign for every organisation (public links), an organisation campaign addressed
    to school A only, and school A's submitted response to it.
    """
    cached = getattr(world, "campaigns", None)
    if cached is not None:
        return cached
    from types import SimpleNamespace

    from surveys.responses import organisation_response_save

    teachers = all_kinds_questionnaire(world.district_a, code="matrix-teachers")
    organisation = all_kinds_questionnaire(world.district_a, audience=Audience.ORGANISATION, code="matrix-org")
    teacher_campaign = make_campaign(teachers.questionnaire, world.district_a)
    org_campaign = make_campaign(organisation.questionnaire, world.district_a, organisations=[world.school_a])
    response = organisation_response_save(campaign=org_campaign, user=world.users["school_admin"],
                                          data=as_post(valid_answers(organisation)), submit=True)
    world.campaigns = SimpleNamespace(
        teacher=teacher_campaign, organisation=org_campaign, response=response,
        token=teacher_campaign.links.get(organisation=world.school_a).token,
    )
    return world.campaigns
