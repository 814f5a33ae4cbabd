"""The questionnaire builder's services (surveys/builder.py) and its form parsing (forms_builder.py).

The questionnaire of most tests is factories.small_questionnaire (its layout is described there).
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from surveys import builder
from surveys.builder import BuilderError, ChoiceLine, QuestionData, QuestionInvalidError
from surveys.forms_builder import QuestionForm, parse_options, parse_rows
from surveys.models import (
    GridRow,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
)

from .builder_helpers import order, structure
from .factories import answer_once, lines, make_campaign, small_questionnaire

pytestmark = pytest.mark.django_db


# --- creating ---


def test_code_is_made_from_the_russian_title(methodist):
    q = builder.questionnaire_create(user=methodist, title="Анкета молодого педагога")
    assert (q.code, q.version, q.district, q.created_by) == ("anketa-molodogo-pedagoga", 1, methodist.district, methodist)
    again = builder.questionnaire_create(user=methodist, title="Анкета молодого педагога")
    assert again.code == "anketa-molodogo-pedagoga-2"


def test_a_code_of_the_district_or_of_a_shared_questionnaire_is_refused(methodist):
    builder.questionnaire_create(user=methodist, title="Первая", code="mine")
    for taken in ("mine", "dpo-listener"):  # dpo-listener: a shipped shared questionnaire
        with pytest.raises(builder.CodeTakenError, match=f"Анкета с кодом «{taken}» уже есть"):
            builder.questionnaire_create(user=methodist, title="Вторая", code=taken)


def test_questions_get_codes_positions_options_points_and_rows(methodist):
    q = small_questionnaire(methodist)
    assert order(q) == [(None, "Ваш пол"), ("Работа", "Трудности"), ("Работа", "Помощь"),
                        ("О себе", "Стаж"), ("О себе", "Предложения")]
    assert list(q.questions.order_by("position").values_list("code", "position")) == [
        ("q1", 1), ("q2", 2), ("q3", 3), ("q4", 4), ("q5", 5)]
    grid = q.questions.get(code="q3")
    assert [(o.text, o.points, o.position) for o in grid.options.order_by("position")] == [
        ("Нужно", Decimal(2), 1), ("Трудно сказать", Decimal(1), 2), ("Не нужно", Decimal(0), 3)]
    assert list(grid.rows.order_by("position").values_list("text", flat=True)) == ["Аттестация", "Конкурсы"]


def test_a_yes_no_grid_without_columns_gets_da_and_net(methodist):
    q = builder.questionnaire_create(user=methodist, title="Выступления")
    question = builder.question_save(questionnaire=q, data=QuestionData(
        text="Приходилось ли Вам выступать…", kind=QuestionKind.YES_NO_GRID, rows=["…школьного уровня?"]))
    assert list(question.options.order_by("position").values_list("text", flat=True)) == ["Да", "Нет"]


def test_a_new_question_goes_to_the_end_of_its_section(methodist):
    q = small_questionnaire(methodist)
    work = q.sections.get(title="Работа")
    builder.question_save(questionnaire=q, data=QuestionData(text="Новый", kind=QuestionKind.TEXT, section=work))
    assert [t for s, t in order(q) if s == "Работа"] == ["Трудности", "Помощь", "Новый"]
    assert order(q)[-1] == ("О себе", "Предложения")


@pytest.mark.parametrize(("data", "field", "message"), [
    (QuestionData(text="Пол", options=lines("Мужской")), "options_text", "Нужно хотя бы два варианта"),
    (QuestionData(text="Таблица", kind=QuestionKind.GRID, options=lines("Да", "Нет")), "rows_text",
     "Добавьте хотя бы одну строку таблицы."),
    (QuestionData(text="Таблица", kind=QuestionKind.GRID, options=lines("Да"), rows=["Строка"]), "options_text",
     "хотя бы два столбца"),
    (QuestionData(text="Мнение", kind=QuestionKind.TEXT, options=lines("Да", "Нет")), "options_text",
     "У свободного ответа и числа нет вариантов"),
    (QuestionData(text="Пол", options=lines("М", "Ж"), rows=["Строка"]), "rows_text",
     "Строки бывают только у вопросов-таблиц"),
    (QuestionData(text="Мнение", kind=QuestionKind.TEXT, allow_other=True), "allow_other",
     "«Другое» бывает только у вопросов с выбором"),
    (QuestionData(text="Стаж", kind=QuestionKind.NUMBER, min_value=Decimal(10), max_value=Decimal(5)), "max_value",
     "Максимум должен быть не меньше минимума."),
    (QuestionData(text="Пол", options=lines("М", "Ж"), min_value=Decimal(1)), "min_value",
     "только у вопроса типа «число»"),
])
def test_a_question_that_does_not_fit_together_is_refused_and_nothing_is_saved(methodist, data, field, message):
    q = builder.questionnaire_create(user=methodist, title="Проверка")
    with pytest.raises(QuestionInvalidError) as refused:
        builder.question_save(questionnaire=q, data=data)
    assert message in " ".join(refused.value.errors[field])
    assert not q.questions.exists()


def test_one_option_and_other_make_two_choices(methodist):
    q = builder.questionnaire_create(user=methodist, title="Проверка")
    question = builder.question_save(questionnaire=q, data=QuestionData(
        text="Специальность по диплому", options=lines("Учитель"), allow_other=True, other_label="Другое:"))
    assert (question.options.count(), question.other_label) == (1, "Другое:")


def test_a_question_code_must_be_unique_in_the_questionnaire(methodist):
    q = small_questionnaire(methodist)
    with pytest.raises(QuestionInvalidError) as refused:
        builder.question_save(questionnaire=q, data=QuestionData(text="Ещё", kind=QuestionKind.TEXT, code="q2"))
    assert refused.value.errors["code"] == ["Вопрос с кодом «q2» уже есть в этой анкете."]


def test_editing_options_keeps_the_pks_of_moved_and_retyped_options(methodist):
    q = small_questionnaire(methodist)
    question = q.questions.get(code="q2")  # Дисциплина, Мотивация, Время
    pks = {o.text: o.pk for o in question.options.all()}
    # «Время» moves to the top, «Мотивация» (2nd line) is retyped, «Дисциплина» is dropped.
    builder.options_set(question=question, lines=lines("Время", "Мотивация учащихся"))
    after = list(question.options.order_by("position"))
    assert [(o.text, o.position, o.pk) for o in after] == [
        ("Время", 1, pks["Время"]), ("Мотивация учащихся", 2, pks["Мотивация"])]
    assert not Option.objects.filter(pk=pks["Дисциплина"]).exists()
    builder.options_set(question=question, lines=lines("Время", "Мотивация учащихся", "Связь с родителями"))
    added = question.options.get(text="Связь с родителями")
    assert (added.position, added.pk not in pks.values()) == (3, True)


def test_changing_a_question_to_text_needs_its_options_cleared_first(methodist):
    q = small_questionnaire(methodist)
    question = q.questions.get(code="q2")
    with pytest.raises(QuestionInvalidError):
        builder.question_save(questionnaire=q, question=question, data=QuestionData(
            text="Трудности", kind=QuestionKind.TEXT, section=question.section, options=lines("Дисциплина", "Время")))
    builder.question_save(questionnaire=q, question=question, data=QuestionData(
        text="Трудности", kind=QuestionKind.TEXT, section=question.section))
    question.refresh_from_db()
    assert (question.kind, question.options.count(), question.code) == (QuestionKind.TEXT, 0, "q2")


# --- copy to a new version ---


def test_copy_is_an_equal_deep_copy_with_new_pks_and_the_next_version(methodist):
    source = small_questionnaire(methodist, code="teacher")
    copy = builder.questionnaire_copy(questionnaire=source, user=methodist)
    assert (copy.code, copy.version, copy.previous, copy.district, copy.title, copy.intro) == (
        "teacher", 2, source, methodist.district, source.title, "Уважаемые коллеги!")
    assert structure(copy) == structure(source)
    assert len(structure(copy)) == 5
    for model, link in ((Section, "questionnaire"), (Question, "questionnaire"), (Option, "question__questionnaire"),
                        (GridRow, "question__questionnaire")):
        old = set(model.objects.filter(**{link: source}).values_list("pk", flat=True))
        new = set(model.objects.filter(**{link: copy}).values_list("pk", flat=True))
        assert len(old) == len(new) > 0 and not old & new, model
    # The copy's questions point at the copy's sections, never at the source's.
    assert set(copy.questions.exclude(section=None).values_list("section__questionnaire", flat=True)) == {copy.pk}
    third = builder.questionnaire_copy(questionnaire=source, user=methodist)  # from version 1 again
    assert (third.version, third.previous) == (3, source)


def test_copying_a_shared_questionnaire_makes_a_district_copy_and_leaves_the_shared_one(methodist):
    shared = Questionnaire.objects.get(district=None, code="dpo-listener", version=1)
    before = structure(shared)
    copy = builder.questionnaire_copy(questionnaire=shared, user=methodist)
    assert (copy.district, copy.version, copy.code, copy.previous) == (methodist.district, 2, "dpo-listener", shared)
    assert structure(copy) == before == structure(shared)
    # The copy is the district's to edit.
    builder.question_delete(question=copy.questions.order_by("position").first())
    assert copy.questions.count() == len(before) - 1


def test_another_districts_questionnaire_cannot_be_copied(methodist, other_methodist):
    foreign = builder.questionnaire_create(user=other_methodist, title="Чужая")
    with pytest.raises(BuilderError, match="только анкеты своего района"):
        builder.questionnaire_copy(questionnaire=foreign, user=methodist)


# --- frozen once answered; shared is read-only ---


def _edits(q: Questionnaire):
    question = q.questions.get(code="q2")
    section = q.sections.get(title="Работа")
    return {
        "add question": lambda: builder.question_save(
            questionnaire=q, data=QuestionData(text="Новый", kind=QuestionKind.TEXT)),
        "edit question": lambda: builder.question_save(
            questionnaire=q, question=question, data=QuestionData(
                text="Другой текст", kind=QuestionKind.MULTIPLE, section=section, options=lines("А", "Б"))),
        "delete question": lambda: builder.question_delete(question=question),
        "move question": lambda: builder.question_move(question=question, direction=builder.DOWN),
        "reorder questions": lambda: builder.questions_reorder(
            questionnaire=q, order=list(q.questions.order_by("-position").values_list("pk", flat=True))),
        "options": lambda: builder.options_set(question=question, lines=lines("А", "Б")),
        "rows": lambda: builder.rows_set(question=q.questions.get(code="q3"), texts=["Одна строка"]),
        "add section": lambda: builder.section_create(questionnaire=q, title="Новый раздел"),
        "edit section": lambda: builder.section_update(section=section, title="Переименован"),
        "delete section": lambda: builder.section_delete(section=section),
        "move section": lambda: builder.section_move(section=section, direction=builder.DOWN),
    }


EDITS = [
    "add question", "edit question", "delete question", "move question", "reorder questions", "options", "rows",
    "add section", "edit section", "delete section", "move section",
]


@pytest.mark.parametrize("edit", EDITS)
def test_an_answered_questionnaire_refuses_every_change_of_its_questions(methodist, district_a, edit):
    q = small_questionnaire(methodist)
    answer_once(q, district_a)
    before = (structure(q), list(q.sections.values_list("pk", "title", "position")))
    with pytest.raises(BuilderError) as refused:
        _edits(q)[edit]()
    assert str(refused.value) == (
        "У анкеты уже есть ответы — вопросы нельзя менять, чтобы ответы не потеряли смысл. Создайте новую версию."
    )
    assert (structure(q), list(q.sections.values_list("pk", "title", "position"))) == before


def test_an_answered_questionnaire_keeps_its_title_editable_and_can_be_copied(methodist, district_a):
    q = small_questionnaire(methodist, code="teacher")
    answer_once(q, district_a)
    builder.questionnaire_update(questionnaire=q, title="Анкета педагога 2021", code="teacher",
                                 intro="Новое обращение", outro="Спасибо!", audience=q.audience)
    q.refresh_from_db()
    assert (q.title, q.intro) == ("Анкета педагога 2021", "Новое обращение")
    copy = builder.questionnaire_copy(questionnaire=q, user=methodist)
    builder.question_delete(question=copy.questions.get(code="q5"))  # the new version is free to change
    assert copy.questions.count() == 4 and q.questions.count() == 5


@pytest.mark.parametrize("edit", EDITS)
def test_a_shared_questionnaire_is_read_only(methodist, edit):
    shared = small_questionnaire(methodist)
    Questionnaire.objects.filter(pk=shared.pk).update(district=None, code="shared-test")
    shared.refresh_from_db()
    before = structure(shared)
    with pytest.raises(BuilderError, match="общая анкета для всех районов"):
        _edits(shared)[edit]()
    assert structure(shared) == before


def test_shared_questionnaire_title_and_deletion_are_refused(methodist):
    shared = Questionnaire.objects.get(district=None, code="dpo-listener", version=1)
    with pytest.raises(BuilderError, match="общая анкета"):
        builder.questionnaire_update(questionnaire=shared, title="Моё", code=shared.code, intro="", outro="",
                                     audience=shared.audience)
    with pytest.raises(BuilderError, match="общая анкета"):
        builder.questionnaire_delete(questionnaire=shared)
    assert Questionnaire.objects.filter(pk=shared.pk, title=shared.title).exists()


def test_audience_and_code_are_fixed_once_there_is_a_campaign(methodist, district_a):
    q = small_questionnaire(methodist, code="teacher")
    make_campaign(q, district_a, title="Опрос")
    with pytest.raises(BuilderError, match="менять, кто её заполняет, нельзя"):
        builder.questionnaire_update(questionnaire=q, title=q.title, code="teacher", intro="", outro="",
                                     audience="organisation")
    with pytest.raises(BuilderError, match="Код анкеты постоянный"):
        builder.questionnaire_update(questionnaire=q, title=q.title, code="other", intro="", outro="",
                                     audience=q.audience)
    q.refresh_from_db()
    assert (q.audience, q.code) == ("teachers", "teacher")


def test_a_questionnaire_with_campaigns_is_not_deleted(methodist, district_a):
    q = small_questionnaire(methodist)
    make_campaign(q, district_a, title="Опрос")
    with pytest.raises(BuilderError, match=r"по ней есть кампании анкетирования \(1\)"):
        builder.questionnaire_delete(questionnaire=q)
    assert Questionnaire.objects.filter(pk=q.pk).exists()


def test_a_questionnaire_without_campaigns_is_deleted_with_everything_in_it(methodist):
    q = small_questionnaire(methodist)
    builder.questionnaire_delete(questionnaire=q)
    assert not Question.objects.filter(questionnaire_id=q.pk).exists()
    assert not Section.objects.filter(questionnaire_id=q.pk).exists()


# --- order ---


def test_move_swaps_with_the_neighbour_inside_a_section(methodist):
    q = small_questionnaire(methodist)
    builder.question_move(question=q.questions.get(text="Помощь"), direction=builder.UP)
    assert order(q)[1:3] == [("Работа", "Помощь"), ("Работа", "Трудности")]
    assert list(q.questions.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5]


def test_move_at_the_edge_of_a_section_goes_into_the_neighbouring_section(methodist):
    q = small_questionnaire(methodist)
    builder.question_move(question=q.questions.get(text="Помощь"), direction=builder.DOWN)
    assert order(q) == [(None, "Ваш пол"), ("Работа", "Трудности"), ("О себе", "Помощь"),
                        ("О себе", "Стаж"), ("О себе", "Предложения")]
    builder.question_move(question=q.questions.get(text="Стаж"), direction=builder.UP)
    builder.question_move(question=q.questions.get(text="Стаж"), direction=builder.UP)
    assert order(q) == [(None, "Ваш пол"), ("Работа", "Трудности"), ("Работа", "Стаж"),
                        ("О себе", "Помощь"), ("О себе", "Предложения")]


def test_the_first_and_the_last_question_do_not_move_further(methodist):
    q = small_questionnaire(methodist)
    before = order(q)
    with pytest.raises(BuilderError, match="Вопрос уже первый."):
        builder.question_move(question=q.questions.get(text="Ваш пол"), direction=builder.UP)
    with pytest.raises(BuilderError, match="Вопрос уже последний."):
        builder.question_move(question=q.questions.get(text="Предложения"), direction=builder.DOWN)
    with pytest.raises(BuilderError, match="выше или ниже"):
        builder.question_move(question=q.questions.get(text="Стаж"), direction="sideways")
    assert order(q) == before


def test_moving_a_section_takes_its_questions_along(methodist):
    q = small_questionnaire(methodist)
    builder.section_move(section=q.sections.get(title="О себе"), direction=builder.UP)
    assert order(q) == [(None, "Ваш пол"), ("О себе", "Стаж"), ("О себе", "Предложения"),
                        ("Работа", "Трудности"), ("Работа", "Помощь")]
    assert list(q.sections.order_by("position").values_list("title", "position")) == [("О себе", 1), ("Работа", 2)]


def test_reorder_by_a_position_list_keeps_sections_together(methodist):
    q = small_questionnaire(methodist)
    pk = {x.text: x.pk for x in q.questions.all()}
    builder.questions_reorder(questionnaire=q, order=[pk["Предложения"], pk["Помощь"], pk["Стаж"], pk["Ваш пол"],
                                                      pk["Трудности"]])
    # Relative order from the list, grouped: no section first, then «Работа», then «О себе».
    assert order(q) == [(None, "Ваш пол"), ("Работа", "Помощь"), ("Работа", "Трудности"),
                        ("О себе", "Предложения"), ("О себе", "Стаж")]
    with pytest.raises(BuilderError, match="Порядок вопросов устарел"):
        builder.questions_reorder(questionnaire=q, order=[pk["Помощь"], pk["Стаж"]])


def test_sections_reorder_by_a_position_list(methodist):
    q = small_questionnaire(methodist)
    work, about = q.sections.get(title="Работа"), q.sections.get(title="О себе")
    builder.sections_reorder(questionnaire=q, order=[about.pk, work.pk])
    assert [s for s, _ in order(q)] == [None, "О себе", "О себе", "Работа", "Работа"]


def test_deleting_a_section_keeps_its_questions_in_place(methodist):
    q = small_questionnaire(methodist)
    builder.section_delete(section=q.sections.get(title="О себе"))
    assert order(q) == [(None, "Ваш пол"), ("Работа", "Трудности"), ("Работа", "Помощь"),
                        ("Работа", "Стаж"), ("Работа", "Предложения")]
    builder.section_delete(section=q.sections.get(title="Работа"))
    assert [s for s, _ in order(q)] == [None] * 5


# --- parsing the textareas ---


def test_options_are_read_one_per_line_with_points_and_pasted_numbering():
    parsed = parse_options("1. Да, вполне или скорее да | 1\n- Затрудняюсь ответить|0,5\n\n• Скорее нет\n")
    assert parsed == [ChoiceLine("Да, вполне или скорее да", Decimal(1)),
                      ChoiceLine("Затрудняюсь ответить", Decimal("0.5")), ChoiceLine("Скорее нет")]
    # A range such as «5–9» is an option, not numbering.
    assert parse_options("Менее 5\n5–9\n30 и более") == lines("Менее 5", "5–9", "30 и более")


@pytest.mark.parametrize(("raw", "message"), [
    ("Наличие | много\nОтсутствие", "Строка 1: после «|» пишутся баллы — число, например «Наличие | 1»."),
    ("Да\nНет\nда", "Вариант «да» повторяется (строки 1 и 3)."),
    (" | 1", "Строка 1: перед «|» нет текста варианта."),
    ("Да | 0,125", "Строка 1: баллы — не больше двух знаков после запятой."),
    ("х" * 501, "Строка 1: вариант длиннее 500 символов."),
])
def test_bad_option_lines_are_named_by_line_number(raw, message):
    from django import forms

    with pytest.raises(forms.ValidationError) as refused:
        parse_options(raw)
    assert message in refused.value.messages


def test_duplicate_rows_are_refused():
    from django import forms

    assert parse_rows("Строка А\n\nСтрока Б") == ["Строка А", "Строка Б"]
    with pytest.raises(forms.ValidationError, match="Строка «Строка А» повторяется"):
        parse_rows("Строка А\nСтрока А")


def test_question_form_reads_decimal_commas_and_reports_in_russian(methodist):
    q = builder.questionnaire_create(user=methodist, title="Форма")
    form = QuestionForm({"text": "Стаж", "kind": "number", "min_value": "0,5", "max_value": "abc",
                         "max_length": "2000"}, questionnaire=q)
    assert not form.is_valid()
    assert form.errors["max_value"] == ["Введите число, например 12,5."]
    form = QuestionForm({"text": "Стаж", "kind": "number", "min_value": "0,5", "max_value": "60",
                         "max_length": "2000", "required": "on"}, questionnaire=q)
    assert form.is_valid(), form.errors
    data = form.question_data()
    assert (data.min_value, data.max_value, data.required) == (Decimal("0.5"), Decimal(60), True)


def test_question_form_shows_kind_problems_beside_the_fields(methodist):
    q = builder.questionnaire_create(user=methodist, title="Форма")
    form = QuestionForm({"text": "Пол", "kind": "single", "options_text": "Мужской", "max_length": "2000"},
                        questionnaire=q)
    assert not form.is_valid()
    assert form.errors["options_text"] == [
        "Нужно хотя бы два варианта ответа, каждый на своей строке (вариант «Другое» тоже считается)."]


def test_question_form_refills_options_with_points_for_editing(methodist):
    q = small_questionnaire(methodist)
    form = QuestionForm(questionnaire=q, question=q.questions.get(code="q3"))
    assert form.initial["options_text"] == "Нужно | 2\nТрудно сказать | 1\nНе нужно | 0"
    assert form.initial["rows_text"] == "Аттестация\nКонкурсы"
