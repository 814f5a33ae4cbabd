"""factory_boy factories for surveys, and the questionnaires and campaigns the tests speak of.

`make_campaign` is the one way the surveys tests (and the reports, access-matrix and browser
tests) make a campaign: open now by default, or scheduled / closed, or ending at a given moment;
teacher campaigns get their public links as the service makes them.

The named questionnaires:

* `all_kinds_questionnaire` — one question of every kind, so a test can speak of "the grid" or
  "the number" by name; `valid_answers` fills every one of them correctly (the form-data contract
  of surveys/responses.py).
* `results_questionnaire` — one question of each kind the results page shows differently;
  `respond` stores a response with its Answer rows directly from a readable spec, so every count
  can be worked out by hand:

      respond(campaign, school_a, q1="Да, вполне или скорее да", q2=["Семинары", OTHER("Стажировки")],
              q3={"Аттестация": "Нужно"}, q4="Больше практики", q5=3)

  `seven_responses` is the scenario several tests count by hand (spelled out in its docstring).
* `small_questionnaire` — built through the builder's own services (its layout in its docstring).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.http import QueryDict
from django.utils import timezone
from factory.django import DjangoModelFactory

from surveys import builder
from surveys.aggregates import response_counted
from surveys.builder import ChoiceLine, QuestionData
from surveys.models import (
    Answer,
    Audience,
    Campaign,
    CampaignState,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
)
from surveys.services import campaign_links_sync

YES = "Да, вполне или скорее да"
UNSURE = "Затрудняюсь ответить"
NO = "Скорее нет или однозначно нет"


# --- factories -----------------------------------------------------------------------------------


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = Questionnaire

    district = None  # shared unless a test names the district
    code = factory.Sequence(lambda n: f"questionnaire-{n}")
    title = "Анкета для проверки"
    audience = Audience.TEACHERS


class QuestionFactory(DjangoModelFactory):
    """A question; `options=("Да", "Нет")` and `rows=(...)` create its options and grid rows in order."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Вопрос {n}")
    kind = QuestionKind.SINGLE

    @factory.post_generation
    def options(self, create, extracted, **kwargs):
        for index, text in enumerate(extracted or ()):
            self.options.create(text=text, position=index)

    @factory.post_generation
    def rows(self, create, extracted, **kwargs):
        for index, text in enumerate(extracted or ()):
            self.rows.create(text=text, position=index)


def campaign_window(state: str, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """(opens_at, closes_at) of a campaign that is `state` now."""
    now = now or timezone.now()
    return {
        CampaignState.SCHEDULED: (now + dt.timedelta(days=2), now + dt.timedelta(days=12)),
        CampaignState.OPEN: (now - dt.timedelta(days=1), now + dt.timedelta(days=10)),
        CampaignState.CLOSED: (now - dt.timedelta(days=12), now - dt.timedelta(days=2)),
    }[state]


class CampaignFactory(DjangoModelFactory):
    """A campaign `state` now (default open); `organisations=[...]` addresses it to those only.

    Teacher campaigns get their public links after the organisations are set, as the service does.
    """

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    class Params:
        state = CampaignState.OPEN

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    district = factory.LazyAttribute(lambda o: o.questionnaire.district)
    title = "Опрос педагогов"
    opens_at = factory.LazyAttribute(lambda o: campaign_window(o.state)[0])
    closes_at = factory.LazyAttribute(lambda o: campaign_window(o.state)[1])

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)

    @factory.post_generation
    def links(self, create, extracted, **kwargs):
        if create:
            campaign_links_sync(self)


class ResponseFactory(DjangoModelFactory):
    """A submitted response (anonymous for a teacher campaign, of an organisation otherwise)."""

    class Meta:
        model = Response

    campaign = factory.SubFactory(CampaignFactory)
    organisation = None
    for_organisation = factory.LazyAttribute(lambda o: not o.campaign.questionnaire.is_anonymous)
    status = ResponseStatus.SUBMITTED
    submitted_on = factory.LazyAttribute(
        lambda o: dt.date(2021, 5, 20) if o.status == ResponseStatus.SUBMITTED else None
    )


def make_campaign(
    questionnaire: Questionnaire,
    district,
    *,
    state: str = CampaignState.OPEN,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    organisations=(),
    title: str = "Опрос педагогов",
    **extra,
) -> Campaign:
    """A campaign of `questionnaire` in `district`: `state` now, or ending at `closes_at` (a month long)."""
    dates = {}
    if closes_at is not None:
        dates = {"closes_at": closes_at, "opens_at": opens_at or closes_at - dt.timedelta(days=30)}
    elif opens_at is not None:
        dates = {"opens_at": opens_at}
    return CampaignFactory(questionnaire=questionnaire, district=district, state=state, title=title,
                           organisations=list(organisations), **dates, **extra)


# --- one question of every kind ------------------------------------------------------------------


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
    q = QuestionnaireFactory(district=district, code=code, audience=audience, intro="Просим ответить на вопросы.",
                             outro="Благодарим за сотрудничество!")

    def question(position, code, text, kind, **extra) -> Question:
        return QuestionFactory(questionnaire=q, code=code, position=position, text=text, kind=kind, **extra)

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


def as_post(data: dict) -> QueryDict:
    """Form data as request.POST carries it (lists for repeated names)."""
    post = QueryDict(mutable=True)
    for name, value in data.items():
        post.setlist(name, value if isinstance(value, list) else [value])
    return post


# --- results: answers stored from a readable spec -----------------------------------------------


@dataclass(frozen=True)
class OTHER:  # noqa: N801 - reads like the option it stands for
    text: str


def results_questionnaire(district, *, audience=Audience.TEACHERS, code="results-check", extra_questions=0):
    q = QuestionnaireFactory(district=district, code=code, title="Анкета для проверки результатов",
                             audience=audience)

    def question(position, code, text, kind, options=(), rows=(), **extra):
        return QuestionFactory(questionnaire=q, code=code, position=position, text=text, kind=kind, required=False,
                               options=options, rows=rows, **extra)

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


def _answer_rows(question: Question, value) -> list[Answer]:
    options = {o.text: o for o in question.options.all()}
    if question.is_grid:
        grid_rows = {r.text: r for r in question.rows.all()}
        return [Answer(question=question, row=grid_rows[row], option=options[column]) for row, column in value.items()]
    if question.is_choice:
        return [
            Answer(question=question, text=choice.text) if isinstance(choice, OTHER)
            else Answer(question=question, option=options[choice])
            for choice in (value if isinstance(value, list) else [value])
        ]
    if question.is_number:
        return [Answer(question=question, number=Decimal(value))]
    return [Answer(question=question, text=value)]


def respond(campaign: Campaign, organisation=None, *, status=ResponseStatus.SUBMITTED,
            submitted_on=dt.date(2021, 5, 20), **answers) -> Response:
    """One response with Answer rows for the given question codes (see the module docstring)."""
    response = ResponseFactory(
        campaign=campaign, organisation=organisation, status=status,
        submitted_on=submitted_on if status == ResponseStatus.SUBMITTED else None,
    )
    questions = {q.code: q for q in campaign.questionnaire.questions.prefetch_related("options", "rows")}
    rows = [row for code, value in answers.items() for row in _answer_rows(questions[code], value)]
    for row in rows:
        row.response, row.campaign = response, campaign
    Answer.objects.bulk_create(rows)
    if status == ResponseStatus.SUBMITTED:
        response_counted(response, rows)  # what the submission services add in their transaction
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


# --- built through the builder's services ------------------------------------------------------


def lines(*texts: str) -> list[ChoiceLine]:
    return [ChoiceLine(t) for t in texts]


def small_questionnaire(user, *, title="Анкета педагога", code="") -> Questionnaire:
    """Positions are the builder's own:

        (no section)  q1 «Ваш пол» (single: Мужской, Женский, «Другое»)
        «Работа»      q2 «Трудности» (multiple: Дисциплина, Мотивация, Время), q3 «Помощь» (grid: rows
                      Аттестация, Конкурсы × columns Нужно 2 / Трудно сказать 1 / Не нужно 0 points)
        «О себе»      q4 «Стаж» (number 0–60), q5 «Предложения» (text, optional, up to 500)
    """
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


def answer_once(q: Questionnaire, district) -> Response:
    """One submitted anonymous response with one answer (which freezes the questionnaire)."""
    campaign = make_campaign(q, district, title="Опрос")
    response = ResponseFactory(campaign=campaign, submitted_on=timezone.localdate())
    first = q.questions.order_by("position").first()
    answer = Answer.objects.create(response=response, campaign=campaign, question=first, option=first.options.first())
    response_counted(response, [answer])
    return response


# --- tests/test_access_matrix.py ----------------------------------------------------------------


def matrix_campaigns(world):
    """Campaigns of district A, made once per `world`.

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
