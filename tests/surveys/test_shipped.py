"""The shipped questionnaires are seed 004's, verbatim; the criteria sheet scores as its table says.

Every count and text below is typed from the seed (seed 004 of docs/domain.md, its «ПРИЛОЖЕНИЯ» and
the table of section 8), not imported from the migration that ships them.
"""
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.datastructures import MultiValueDict

from imc_portal.models import Role
from surveys.models import (
    Audience,
    GridRow,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
    Section,
)
from surveys.responses import (
    OTHER,
    SubmissionInvalidError,
    anonymous_response_submit,
    organisation_response_save,
)
from surveys.scoring import criteria_max_total, criteria_total_by_organisation
from surveys.shipped import (
    DPO_LISTENER,
    DPO_SATISFIED_TEXT,
    METHODICAL_SUPPORT,
    SHIPPED_CODES,
    SUPPORT_CRITERIA,
    YOUNG_TEACHERS,
    dpo_satisfied_option,
    dpo_satisfied_options,
    install_shipped_questionnaires,
    shipped_questionnaire,
)

from ..factories import OrganisationFactory, UserFactory
from .factories import make_campaign

pytestmark = pytest.mark.django_db

MODELS = (Questionnaire, Section, Question, Option, GridRow)


def question(questionnaire: Questionnaire, code: str) -> Question:
    return questionnaire.questions.get(code=code)


def option_texts(questionnaire: Questionnaire, code: str) -> list[str]:
    return list(question(questionnaire, code).options.order_by("position").values_list("text", flat=True))


def row_texts(questionnaire: Questionnaire, code: str) -> list[str]:
    return list(question(questionnaire, code).rows.order_by("position").values_list("text", flat=True))


# Counted by hand from the seed:
# Приложение 1: six questions of three options each (18) and the closing «Если у Вас есть
#   предложения…» — 7 questions, no grid.
# Приложение 2: 17 questions; options 11 (q1) + 5 (q2 columns) + 6 (q3) + 6 (q4, «Другое» is the
#   other) + 5 (q5 columns) + 5 + 3 + 2 (q8 Да/Нет) + 2 + 2 + 0 (q11) + 11 (q12) + 8 (q13, «Другое»
#   is the other) + 7 (q14 with «Менее 5») + 5 + 5 + 3 = 86; rows 5 (q2) + 3 (q5) + 3 (q8) = 11;
#   «Другое» with text in q1, q3, q4, q13.
# Приложение 3: 28 questions; options 2 + 3 + 3 + 6 + 1 + 4 (q8) + 5 + 3 + 4 + 6 (q12) + 5 + 5 + 2
#   (q15) + 5 (q17) + 3 + 2 + 6 (q21) + 2 + 2 + 2 = 71 («Другое:» lines are not options); «Другое:» in
#   q4, q5, q8, q11, q12, q13, q14, q15, q17, q18, q21 (11); free text q6, q7, q16, q20, q23, q24, q27, q28.
# Criteria: criteria 1–7 with 1, 5, 2, 2 (two scored lines), 4 (four справки), 1, 1 questions = 16,
#   each «наличие»/«отсутствие» — 32 options, 7 sections.
COUNTS = {
    # code: (questions, options, rows, sections, required, with «Другое», free text)
    DPO_LISTENER: (7, 18, 0, 0, 6, 0, 1),
    METHODICAL_SUPPORT: (17, 86, 11, 1, 16, 4, 1),
    YOUNG_TEACHERS: (28, 71, 0, 0, 28, 11, 8),
    SUPPORT_CRITERIA: (16, 32, 0, 7, 16, 0, 0),
}


@pytest.mark.parametrize("code", SHIPPED_CODES)
def test_counts_as_counted_by_hand(shipped, code):
    questionnaire = shipped[code]
    questions = questionnaire.questions.all()
    assert (
        questions.count(),
        Option.objects.filter(question__questionnaire=questionnaire).count(),
        GridRow.objects.filter(question__questionnaire=questionnaire).count(),
        questionnaire.sections.count(),
        questions.filter(required=True).count(),
        questions.filter(allow_other=True).count(),
        questions.filter(kind=QuestionKind.TEXT).count(),
    ) == COUNTS[code]
    assert list(questions.order_by("position").values_list("code", flat=True)) == [
        f"q{n}" for n in range(1, questions.count() + 1)
    ]


def test_shared_version_one_with_their_audiences(shipped):
    assert set(shipped) == {"dpo-listener", "methodical-support", "young-teachers", "support-criteria"}
    for code, questionnaire in shipped.items():
        assert (questionnaire.district_id, questionnaire.code, questionnaire.version) == (None, code, 1)
        assert shipped_questionnaire(code) == questionnaire
    assert [shipped[c].audience for c in SHIPPED_CODES] == [Audience.TEACHERS] * 3 + [Audience.ORGANISATION]


def test_intros_and_outros(shipped):
    listener, support, young = shipped[DPO_LISTENER], shipped[METHODICAL_SUPPORT], shipped[YOUNG_TEACHERS]
    assert listener.title == "Анкета слушателя по итогам обучения по дополнительной профессиональной программе"
    assert listener.intro.startswith("Уважаемый слушатель! ИМЦ Кировского района стремится постоянно улучшать")
    assert listener.intro.endswith("В каждом вопросе выберите только один вариант ответа.")
    assert support.intro.startswith("Уважаемые коллеги! Приглашаем к участию в социологическом исследовании")
    assert "Отвечив на все вопросы, нажмите кнопку \"ОТПРАВИТЬ\"" in support.intro  # sic
    assert support.intro.endswith("Опрос анонимный. Заранее благодарим за сотрудничество!\n\n*Обязательно")
    assert young.intro.startswith("Уважаемые молодые педагоги! Информационно-методический центр проводит")
    assert "Просим Вас ответить на ниже приведенные вопросы.\n\nБлагодарим за сотрудничество!" in young.intro
    for questionnaire in shipped.values():
        assert questionnaire.outro == "Благодарим за сотрудничество!"
    assert support.sections.get().title == "Анкета педагогического работника"


def test_appendix_1_questions_and_the_satisfied_option(shipped):
    listener = shipped[DPO_LISTENER]
    # Printed as «1.», «2.», «3.», «2.», «3.», «6.»: numbered by position here.
    assert question(listener, "q4").text == "Удовлетворены ли вы качеством предоставляемой образовательной услуги?"
    assert question(listener, "q5").text == (
        "Как бы вы в целом оценили доброжелательность и вежливость работников организации?"
    )
    for code in ("q1", "q2", "q3", "q4"):
        assert option_texts(listener, code) == [
            "Да, вполне или скорее да", "Затрудняюсь ответить", "Скорее нет или однозначно нет",
        ]
    assert option_texts(listener, "q6") == ["Да или скорее да", "Затрудняюсь ответить.", "Скорее нет или однозначно нет"]
    closing = question(listener, "q7")
    assert (closing.kind, closing.required, closing.text) == (
        QuestionKind.TEXT, False, "Если у Вас есть предложения, просим Вас их записать:",
    )
    assert DPO_SATISFIED_TEXT == "Да, вполне или скорее да"
    assert sorted(dpo_satisfied_options(listener).values_list("question__code", flat=True)) == ["q1", "q2", "q3", "q4"]
    satisfied = dpo_satisfied_option(listener)
    assert (satisfied.question.code, satisfied.position) == ("q4", 1)


def test_appendix_2_texts(shipped):
    support = shipped[METHODICAL_SUPPORT]
    q1 = question(support, "q1")
    assert (q1.kind, q1.help_text, q1.allow_other, q1.other_label) == (
        QuestionKind.MULTIPLE, "Отметьте все, что считаете нужным", True,
        "Если хотите, сформулируйте Ваш вариант ответа",
    )
    options = option_texts(support, "q1")
    assert (options[0], options[-1]) == ("Методика преподавания предмета", "Использование ИТ в учебной деятельности")
    assert "Мотивирование и формирующее оценивание учащихся" in options  # without the page number «45»
    assert question(support, "q3").other_label == "По желанию, сформулируйте Ваш вариант ответа"
    q4 = question(support, "q4")
    assert "(выстраивание индивидуального маршрута учащегося, работа с проблемными детьми" in q4.text
    assert (q4.kind, q4.other_label) == (QuestionKind.SINGLE, "Другое")
    assert option_texts(support, "q4")[-1] == "На сайте ГДТЮ"
    assert "Если Вы отметили «Другое», по возможности, укажите, что имелось в виду:" in q4.help_text
    assert option_texts(support, "q14") == ["Менее 5", "5–9", "10–14", "14–19", "20–24", "25–29", "30 и более"]
    assert option_texts(support, "q13")[-1] == "Начальная школа"
    assert option_texts(support, "q17") == ["Высшая", "Первая", "Не имею категории"]
    q11 = question(support, "q11")
    assert (q11.kind, q11.text) == (
        QuestionKind.TEXT, "Назовите основные проблемы, затрудняющие реализацию научно-методической помощи педагогам",
    )


def test_appendix_2_grids(shipped):
    support = shipped[METHODICAL_SUPPORT]
    assert question(support, "q2").kind == QuestionKind.GRID
    assert option_texts(support, "q2") == [
        "Определенно нужно", "Скорее нужно, чем нет", "Трудно сказать", "Скорее не нужно", "Совершенно не нужно",
    ]
    assert row_texts(support, "q2") == [
        "Оформление текущей школьной документации",
        "Подготовка к аттестации",
        "Подготовка к конкурсам педагогических достижений",
        "Исследовательская, опытно- экспериментальная работа",
        "Выявление дефицитов и планирование дальнейшего образования",
    ]
    assert question(support, "q5").kind == QuestionKind.GRID
    assert option_texts(support, "q5") == ["Да, несомненно", "Скорее, да", "Трудно сказать", "Скорее, нет", "Нет"]
    assert row_texts(support, "q5") == [
        "выстроена эффективная система методической помощи, позволяющая оперативно оказать помощь любому "
        "педагогу, нуждающемуся в ней?",
        "...педагоги обеспечены информацией, куда и к кому они могут обратиться за методической помощью?",
        "...для каждого нуждающегося в методической помощи педагога подобран индивидуальный подход и выстроен "
        "план работы?",
    ]
    assert question(support, "q8").kind == QuestionKind.YES_NO_GRID
    assert option_texts(support, "q8") == ["Да", "Нет"]
    assert row_texts(support, "q8") == ["...школьного уровня?", "...районного уровня?", "...городского уровня и выше?"]


def test_appendix_2_required_set_is_the_starred_questions(shipped):
    support = shipped[METHODICAL_SUPPORT]
    required = set(support.questions.filter(required=True).values_list("code", flat=True))
    assert required == {f"q{n}" for n in range(1, 18)} - {"q11"}


def test_appendix_3_texts(shipped):
    young = shipped[YOUNG_TEACHERS]
    assert question(young, "q1").text == "Ваш пол"
    assert option_texts(young, "q2") == ["до 25 лет", "с 25 до 29 лет", "старше 30 лет"]
    assert option_texts(young, "q4")[1] == "Высшее – специалитет"
    assert option_texts(young, "q4")[2] == "Высшее - магистратура"
    assert option_texts(young, "q5") == ["Учитель"]
    assert question(young, "q5").other_label == "Другое"
    assert option_texts(young, "q14")[-1] == "В повышении квалификации (поясните в строке \"другое\" по каким вопросам)"
    for code in ("q12", "q13", "q14", "q21"):
        assert question(young, code).kind == QuestionKind.MULTIPLE
    for code in ("q6", "q7", "q16", "q20", "q23", "q24", "q27", "q28"):
        assert question(young, code).kind == QuestionKind.TEXT
    assert question(young, "q16").text == "Какую помощь оказывает Вам наставник"
    assert option_texts(young, "q21") == [
        "Семинар (районный)", "Мастер-класс", "Открытые уроки (проводите сами)",
        "Посещение открытых уроков опытных учителей", "Конференции", "Выездные семинары совместно с другим районом",
    ]
    assert question(young, "q27").text == "Какие мероприятия Клуба молодых педагогов Вам наиболее интересны и почему?"
    assert question(young, "q28").text.startswith("Какие мероприятия, встречи, организованные Клубом молодых")
    assert young.questions.filter(required=False).count() == 0


def test_criteria_sections_and_points(shipped):
    criteria = shipped[SUPPORT_CRITERIA]
    sections = list(criteria.sections.order_by("position").values_list("title", flat=True))
    assert sections[0] == "Научно-методическое сопровождение и поддержка педагогических работников"
    assert sections[-1] == "Наличие районного мониторинга системы методической работы"
    assert len(sections) == 7
    q1 = question(criteria, "q1")
    assert q1.text == "План работы районного методического объединения на год"
    assert q1.help_text == (
        "Наличие мероприятий по всем основным направлениям методической работы – 1 балл, отсутствие – 0 баллов"
    )
    assert list(q1.options.values_list("text", "points")) == [
        ("Наличие мероприятий по всем основным направлениям методической работы", Decimal("1")),
        ("Отсутствие", Decimal("0")),
    ]
    # Criterion 2 has five indicators; criterion 5 four справки of 1 балл each.
    assert criteria.questions.filter(section__position=2).count() == 5
    reports = criteria.questions.filter(section__position=5).order_by("position")
    assert [q.options.get(points=1).text for q in reports] == [
        "Наличие аналитической справки о результатах ВПр",
        "Наличие аналитической справки о результатах ОГЭ",
        "Наличие аналитической справки о результатах ЕГЭ",
        "Наличие аналитической справки о результатах районных диагностических работ",
    ]
    for q in criteria.questions.all():
        assert q.kind == QuestionKind.SINGLE
        assert sorted(q.options.values_list("points", flat=True)) == [Decimal("0"), Decimal("1")]
    assert criteria_max_total(criteria) == Decimal("16")
    # The teachers' questionnaires carry no points.
    assert not Option.objects.filter(question__questionnaire__in=[shipped[c] for c in SHIPPED_CODES[:3]],
                                     points__isnull=False).exists()


def test_installing_twice_changes_nothing(shipped):
    before = {model: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}
    again = install_shipped_questionnaires()
    assert {code: q.pk for code, q in again.items()} == {code: q.pk for code, q in shipped.items()}
    assert {model: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS} == before


def test_an_existing_questionnaire_is_never_touched_and_a_missing_one_comes_back(shipped):
    Questionnaire.objects.filter(pk=shipped[DPO_LISTENER].pk).update(title="Изменено районом")
    Question.objects.filter(questionnaire=shipped[DPO_LISTENER], code="q7").delete()
    shipped[YOUNG_TEACHERS].delete()
    again = install_shipped_questionnaires()
    listener = Questionnaire.objects.get(pk=shipped[DPO_LISTENER].pk)
    assert listener.title == "Изменено районом" and listener.questions.count() == 6
    assert again[YOUNG_TEACHERS].pk != shipped[YOUNG_TEACHERS].pk
    assert again[YOUNG_TEACHERS].questions.count() == 28


def test_the_migration_installs_with_historical_models(shipped):
    def snapshot():
        return sorted(
            (q.questionnaire.code, q.code, q.kind, q.text, q.help_text, q.required, q.allow_other, q.other_label,
             q.section.title if q.section else None,
             tuple(q.options.values_list("text", "position", "points")), tuple(q.rows.values_list("text", "position")))
            for q in Question.objects.filter(questionnaire__district__isnull=True).select_related("questionnaire",
                                                                                                  "section")
        )

    expected = snapshot()
    Questionnaire.objects.filter(district__isnull=True, code__in=SHIPPED_CODES).delete()
    migration = MigrationLoader(connection).get_migration("surveys", "0002_shipped_questionnaires")
    state = MigrationLoader(connection).project_state(("surveys", "0002_shipped_questionnaires"))
    operation = migration.operations[0]
    operation.code(state.apps, None)
    assert snapshot() == expected
    operation.reverse_code(state.apps, None)
    assert not Questionnaire.objects.filter(code__in=SHIPPED_CODES).exists()


def _complete_sheet(questionnaire: Questionnaire) -> MultiValueDict:
    """Form data answering every question: the last option, every grid row, «Другое» where offered."""
    data = {}
    for q in questionnaire.questions.prefetch_related("options", "rows"):
        options = list(q.options.all())
        if q.kind in (QuestionKind.GRID, QuestionKind.YES_NO_GRID):
            for row in q.rows.all():
                data[f"q{q.pk}_r{row.pk}"] = [str(options[-1].pk)]
        elif q.kind == QuestionKind.TEXT:
            data[f"q{q.pk}"] = ["Ответ"]
        elif q.allow_other and q.kind == QuestionKind.MULTIPLE:
            data[f"q{q.pk}"] = [str(options[0].pk), OTHER]
            data[f"q{q.pk}_other"] = ["Свой вариант"]
        else:
            data[f"q{q.pk}"] = [str(options[-1].pk)]
    return MultiValueDict(data)


@pytest.mark.parametrize("code", [DPO_LISTENER, METHODICAL_SUPPORT, YOUNG_TEACHERS])
def test_a_complete_sheet_is_accepted_and_an_empty_one_refused_where_required(shipped, district_a, code):
    questionnaire = shipped[code]
    campaign = make_campaign(questionnaire, district_a, title="Проверка")
    response = anonymous_response_submit(campaign=campaign, organisation=None, data=_complete_sheet(questionnaire),
                                         submission_key="k-" + code)
    assert response.answers.exists()
    with pytest.raises(SubmissionInvalidError) as refused:
        anonymous_response_submit(campaign=campaign, organisation=None, data=MultiValueDict(), submission_key="")
    assert set(refused.value.errors) == set(questionnaire.questions.filter(required=True).values_list("pk", flat=True))


def test_criteria_total_by_organisation_in_one_query(shipped, district_a, school_admin, other_school_admin,
                                                     django_assert_num_queries):
    criteria = shipped[SUPPORT_CRITERIA]
    campaign = make_campaign(criteria, district_a, title="Критерии")
    questions = list(criteria.questions.prefetch_related("options").order_by("position"))

    def sheet(present: set[str]) -> MultiValueDict:
        return MultiValueDict({f"q{q.pk}": [str(q.options.get(points=1 if q.code in present else 0).pk)]
                               for q in questions})

    organisation_response_save(campaign=campaign, user=school_admin, data=sheet({"q1", "q2", "q11", "q12", "q16"}),
                               submit=True)
    organisation_response_save(campaign=campaign, user=other_school_admin, data=sheet(set()), submit=True)
    # A third organisation has only a draft: not counted.
    drafting = UserFactory(username="drafting", role=Role.SCHOOL_ADMIN,
                           organisation=OrganisationFactory(district=district_a))
    organisation_response_save(campaign=campaign, user=drafting, data=sheet({"q1"}), submit=False)
    assert Response.objects.filter(campaign=campaign, status=ResponseStatus.DRAFT).count() == 1

    with django_assert_num_queries(1):
        totals = criteria_total_by_organisation(campaign)
    assert totals == {school_admin.organisation_id: Decimal("5"), other_school_admin.organisation_id: Decimal("0")}
