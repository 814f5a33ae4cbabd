"""Builder screens per persona, their Russian refusals, and the shared respondent form template.

Personas: the methodist of district A builds; the director and the observer read (list, page,
preview) and get 403 on every write; school administrators get 403; the methodist of district B
gets 404 on district A's questionnaires; anonymous users go to the login page.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from surveys import builder
from surveys.builder import QuestionData
from surveys.models import Campaign, Question, QuestionKind, Questionnaire, Response
from surveys.responses import questionnaire_structure

from .builder_helpers import order, structure
from .factories import answer_once, lines, small_questionnaire

pytestmark = pytest.mark.django_db

FROZEN = "У анкеты уже есть ответы — вопросы нельзя менять, чтобы ответы не потеряли смысл. Создайте новую версию."


def url(name: str, *args) -> str:
    return reverse(f"surveys:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def questionnaire(methodist):
    return small_questionnaire(methodist, code="teacher")


@pytest.fixture
def shared():
    return Questionnaire.objects.get(district=None, code="dpo-listener", version=1)


# --- list ---


def test_list_shows_own_and_shared_questionnaires_with_their_counts(methodist_client, questionnaire, district_a,
                                                                     other_methodist):
    answer_once(questionnaire, district_a)  # one campaign, one response
    builder.questionnaire_create(user=other_methodist, title="Анкета соседнего района")
    response = methodist_client.get(url("questionnaire_list"))
    assert response.status_code == 200
    page = text(response)
    assert "Анкета педагога" in page and "Анкета слушателя" in page  # own and shipped shared
    assert "Анкета соседнего района" not in page
    row = re.search(rf'<tr>\s*<td><a href="{questionnaire.get_absolute_url()}">.*?</tr>', page, re.S).group(0)
    cells = re.findall(r'<td class="num">(\d+)</td>', row)
    assert cells == ["1", "5", "1"]  # version, questions, campaigns
    assert "есть ответы" in row
    assert "Новая анкета" in page


def test_list_search_by_title(methodist_client, methodist, questionnaire):
    builder.questionnaire_create(user=methodist, title="Опрос молодых педагогов")
    page = text(methodist_client.get(url("questionnaire_list"), {"q": "молодых"}))
    assert "Опрос молодых педагогов" in page and "Анкета педагога" not in page


def test_list_for_readers_has_no_create_button(director_client, observer_client, questionnaire):
    for client in (director_client, observer_client):
        response = client.get(url("questionnaire_list"))
        assert response.status_code == 200
        assert "Анкета педагога" in text(response) and "Новая анкета" not in text(response)


def test_list_refuses_school_admins_and_sends_anonymous_to_login(school_admin_client, client):
    assert school_admin_client.get(url("questionnaire_list")).status_code == 403
    response = client.get(url("questionnaire_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_of_50_questionnaires_takes_a_constant_number_of_queries(
    methodist, methodist_client, district_a, django_assert_max_num_queries
):
    def make(n: int) -> None:
        for i in range(n):
            q = builder.questionnaire_create(user=methodist, title=f"Анкета {Questionnaire.objects.count():03}")
            builder.question_save(questionnaire=q, data=QuestionData(text="Пол", options=lines("М", "Ж")))
            if i % 3 == 0:
                answer_once(q, district_a)

    make(5)
    methodist_client.get(reverse("home"))  # the session's first page keeps the navbar's names (issue 15.3)
    with django_assert_max_num_queries(12) as few:
        assert methodist_client.get(url("questionnaire_list")).status_code == 200
    make(45)
    with django_assert_max_num_queries(12) as many:
        response = methodist_client.get(url("questionnaire_list"))
    assert response.context["paginator"].count == 50 + 4  # 4 shipped shared questionnaires
    assert len(many.captured_queries) == len(few.captured_queries)


# --- questionnaire: create, edit, delete, copy ---


def test_methodist_creates_a_questionnaire(methodist_client, methodist):
    response = methodist_client.post(url("questionnaire_create"), {
        "title": "Анкета наставника", "code": "", "audience": "teachers",
        "intro": "Уважаемые молодые педагоги!", "outro": "Благодарим за сотрудничество!",
    })
    q = Questionnaire.objects.get(title="Анкета наставника")
    assert response.status_code == 302 and response["Location"] == q.get_absolute_url()
    assert (q.district, q.code, q.version, q.created_by) == (methodist.district, "anketa-nastavnika", 1,
                                                             methodist)


def test_create_explains_bad_input_in_russian(methodist_client, questionnaire):
    response = methodist_client.post(url("questionnaire_create"), {"title": "", "code": "", "audience": "teachers"})
    assert "Напишите название анкеты." in text(response)
    response = methodist_client.post(url("questionnaire_create"), {"title": "Ещё", "code": "teacher",
                                                                   "audience": "teachers"})
    assert "Анкета с кодом «teacher» уже есть" in text(response)
    response = methodist_client.post(url("questionnaire_create"), {"title": "Ещё", "code": "код анкеты",
                                                                   "audience": "teachers"})
    assert "Код — латинские буквы" in text(response)
    assert Questionnaire.objects.filter(title="Ещё").count() == 0


@pytest.mark.parametrize("persona", ["director_client", "observer_client", "school_admin_client"])
def test_only_methodists_create(request, persona):
    client = request.getfixturevalue(persona)
    assert client.post(url("questionnaire_create"), {"title": "Моя", "audience": "teachers"}).status_code == 403
    assert not Questionnaire.objects.filter(title="Моя").exists()


def test_methodist_edits_title_and_other_district_gets_404(methodist_client, other_methodist_client, questionnaire):
    data = {"title": "Анкета педагога 2021", "code": "teacher", "audience": "teachers", "intro": "", "outro": ""}
    assert other_methodist_client.post(url("questionnaire_update", questionnaire.pk), data).status_code == 404
    response = methodist_client.post(url("questionnaire_update", questionnaire.pk), data)
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.title == "Анкета педагога 2021"


def test_editing_a_shared_questionnaire_sends_back_with_the_reason(methodist_client, shared):
    response = methodist_client.get(url("questionnaire_update", shared.pk))
    assert response.status_code == 302 and response["Location"] == shared.get_absolute_url()
    assert any("общая анкета для всех районов" in m for m in flashed(response))


def test_delete_is_refused_with_a_message_when_there_are_campaigns(methodist_client, questionnaire, district_a):
    answer_once(questionnaire, district_a)
    page = text(methodist_client.get(url("questionnaire_delete", questionnaire.pk)))
    assert "удалить нельзя" in page and 'type="submit"' not in page.split("<main")[1]
    response = methodist_client.post(url("questionnaire_delete", questionnaire.pk))
    assert response.status_code == 302
    assert any("по ней есть кампании анкетирования (1)" in m for m in flashed(response))
    assert Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_methodist_deletes_an_unused_questionnaire_and_director_may_not(methodist_client, director_client,
                                                                         questionnaire):
    assert director_client.post(url("questionnaire_delete", questionnaire.pk)).status_code == 403
    response = methodist_client.post(url("questionnaire_delete", questionnaire.pk))
    assert response["Location"] == url("questionnaire_list")
    assert not Questionnaire.objects.filter(pk=questionnaire.pk).exists()


def test_copy_to_a_new_version(methodist_client, director_client, questionnaire):
    assert methodist_client.get(url("questionnaire_copy", questionnaire.pk)).status_code == 405
    assert director_client.post(url("questionnaire_copy", questionnaire.pk)).status_code == 403
    response = methodist_client.post(url("questionnaire_copy", questionnaire.pk))
    copy = Questionnaire.objects.get(code="teacher", version=2)
    assert response["Location"] == copy.get_absolute_url()
    assert structure(copy) == structure(questionnaire)


def test_copying_a_shared_questionnaire_into_the_district(methodist_client, methodist, shared):
    page = text(methodist_client.get(shared.get_absolute_url()))
    assert "Скопировать в свой район" in page and url("question_create", shared.pk) not in page
    methodist_client.post(url("questionnaire_copy", shared.pk))
    copy = Questionnaire.objects.get(code="dpo-listener", district=methodist.district)
    assert (copy.version, copy.previous) == (2, shared)


def test_other_district_cannot_open_or_copy(other_methodist_client, questionnaire):
    for name in ("questionnaire_detail", "questionnaire_preview", "questionnaire_delete"):
        assert other_methodist_client.get(url(name, questionnaire.pk)).status_code == 404
    assert other_methodist_client.post(url("questionnaire_copy", questionnaire.pk)).status_code == 404
    assert Questionnaire.objects.filter(code="teacher").count() == 1


# --- the questionnaire page ---


def test_questionnaire_page_for_the_methodist_lists_sections_questions_and_actions(methodist_client, questionnaire):
    page = text(methodist_client.get(questionnaire.get_absolute_url()))
    for expected in ("Работа", "О себе", "1. Ваш пол", "3. Помощь", "Аттестация", '<span class="badge text-bg-light">2</span>', "<em>Другое</em>",
                     url("question_update", questionnaire.questions.get(code="q3").pk), "Добавить раздел",
                     "Создать новую версию", reverse("surveys:campaign_create") + f"?questionnaire={questionnaire.pk}"):
        assert expected in page, expected


def test_questionnaire_page_is_read_only_for_director_and_observer(director_client, observer_client, questionnaire):
    for client in (director_client, observer_client):
        response = client.get(questionnaire.get_absolute_url())
        assert response.status_code == 200
        page = text(response)
        assert "3. Помощь" in page
        assert url("question_update", questionnaire.questions.get(code="q3").pk) not in page
        assert "Создать новую версию" not in page and "Добавить вопрос" not in page
        assert "Провести кампанию" not in page


def test_questionnaire_page_refuses_school_admins(school_admin_client, other_school_admin_client, questionnaire):
    assert school_admin_client.get(questionnaire.get_absolute_url()).status_code == 403
    assert other_school_admin_client.get(questionnaire.get_absolute_url()).status_code == 403


def test_answered_questionnaire_page_says_why_it_is_frozen(methodist_client, questionnaire, district_a):
    answer_once(questionnaire, district_a)
    page = text(methodist_client.get(questionnaire.get_absolute_url()))
    assert FROZEN in page and "Создать новую версию" in page
    assert url("question_update", questionnaire.questions.get(code="q3").pk) not in page


# --- sections and questions ---


def test_methodist_adds_a_question_with_options_and_points(methodist_client, questionnaire):
    work = questionnaire.sections.get(title="Работа")
    form = text(methodist_client.get(url("question_create", questionnaire.pk) + f"?section={work.pk}"))
    assert f'<option value="{work.pk}" selected>' in form
    response = methodist_client.post(url("question_create", questionnaire.pk), {
        "text": "Наличие методической темы", "kind": "single", "section": work.pk, "required": "on",
        "options_text": "Наличие | 1\nОтсутствие | 0", "max_length": "2000", "other_label": "Другое",
    })
    question = questionnaire.questions.get(text="Наличие методической темы")
    assert response["Location"] == questionnaire.get_absolute_url() + f"#question-{question.pk}"
    assert [(o.text, o.points) for o in question.options.order_by("position")] == [
        ("Наличие", Decimal(1)), ("Отсутствие", Decimal(0))]
    assert order(questionnaire)[3] == ("Работа", "Наличие методической темы")


def test_question_form_shows_russian_errors_and_saves_nothing(methodist_client, questionnaire):
    response = methodist_client.post(url("question_create", questionnaire.pk), {
        "text": "Пол", "kind": "grid", "options_text": "Да | много\nНет", "rows_text": "", "max_length": "2000",
    })
    page = text(response)
    assert response.status_code == 200
    assert "Строка 1: после «|» пишутся баллы — число, например «Наличие | 1»." in page
    assert "Вопрос не сохранён: исправьте отмеченные поля." in page
    response = methodist_client.post(url("question_create", questionnaire.pk), {
        "text": "Пол", "kind": "grid", "options_text": "Да\nНет", "rows_text": "", "max_length": "2000",
    })
    assert "Добавьте хотя бы одну строку таблицы." in text(response)
    assert questionnaire.questions.count() == 5


def test_methodist_edits_a_question(methodist_client, questionnaire):
    question = questionnaire.questions.get(code="q3")
    page = text(methodist_client.get(url("question_update", question.pk)))
    assert "Нужно | 2\nТрудно сказать | 1\nНе нужно | 0" in page
    methodist_client.post(url("question_update", question.pk), {
        "text": "Помощь нужна?", "kind": "grid", "section": question.section_id, "required": "on",
        "options_text": "Нужно | 2\nНе нужно | 0", "rows_text": "Аттестация\nКонкурсы\nПубликации",
        "max_length": "2000", "code": "q3",
    })
    question.refresh_from_db()
    assert question.text == "Помощь нужна?"
    assert list(question.rows.order_by("position").values_list("text", flat=True)) == [
        "Аттестация", "Конкурсы", "Публикации"]


@pytest.mark.parametrize("persona", ["director_client", "observer_client", "school_admin_client"])
def test_readers_may_not_change_questions(request, persona, questionnaire):
    client = request.getfixturevalue(persona)
    question = questionnaire.questions.get(code="q3")
    before = structure(questionnaire)
    for response in (
        client.get(url("question_create", questionnaire.pk)),
        client.post(url("question_update", question.pk), {"text": "Взлом", "kind": "text", "max_length": "5"}),
        client.post(url("question_delete", question.pk)),
        client.post(url("question_move", question.pk), {"direction": "up"}),
        client.post(url("section_create", questionnaire.pk), {"title": "Взлом"}),
    ):
        assert response.status_code == 403
    assert structure(questionnaire) == before


def test_other_methodist_gets_404_on_questions_and_sections(other_methodist_client, questionnaire):
    question, section = questionnaire.questions.get(code="q3"), questionnaire.sections.first()
    for target in (url("question_update", question.pk), url("question_delete", question.pk),
                   url("section_update", section.pk), url("section_delete", section.pk),
                   url("question_create", questionnaire.pk)):
        assert other_methodist_client.get(target).status_code == 404
    assert other_methodist_client.post(url("question_move", question.pk), {"direction": "up"}).status_code == 404


def test_answered_questionnaire_refuses_question_forms_with_the_message(methodist_client, questionnaire,
                                                                      district_a):
    answer_once(questionnaire, district_a)
    question = questionnaire.questions.get(code="q3")
    before = structure(questionnaire)
    for response in (
        methodist_client.get(url("question_update", question.pk)),
        methodist_client.post(url("question_update", question.pk), {"text": "Новый текст", "kind": "text",
                                                                    "max_length": "100"}),
        methodist_client.post(url("question_delete", question.pk)),
        methodist_client.post(url("question_move", question.pk), {"direction": "up"}),
        methodist_client.post(url("question_create", questionnaire.pk), {"text": "Ещё", "kind": "text",
                                                                         "max_length": "100"}),
    ):
        assert response.status_code == 302
        assert FROZEN in flashed(response)
    assert structure(questionnaire) == before


def test_move_and_delete_a_question(methodist_client, questionnaire):
    help_q = questionnaire.questions.get(text="Помощь")
    assert methodist_client.get(url("question_move", help_q.pk)).status_code == 405
    methodist_client.post(url("question_move", help_q.pk), {"direction": "up"})
    assert order(questionnaire)[1] == ("Работа", "Помощь")
    first = questionnaire.questions.get(text="Ваш пол")
    response = methodist_client.post(url("question_move", first.pk), {"direction": "up"})
    assert "Вопрос уже первый." in flashed(response)
    assert "Удалить вопрос «Помощь»?" in text(methodist_client.get(url("question_delete", help_q.pk)))
    methodist_client.post(url("question_delete", help_q.pk))
    assert not Question.objects.filter(pk=help_q.pk).exists()


def test_sections_are_added_renamed_moved_and_deleted(methodist_client, questionnaire):
    methodist_client.post(url("section_create", questionnaire.pk), {"title": "Итоги", "description": ""})
    final = questionnaire.sections.get(title="Итоги")
    assert final.position == 3
    methodist_client.post(url("section_update", final.pk), {"title": "Итоги года", "description": "Кратко"})
    methodist_client.post(url("section_move", final.pk), {"direction": "up"})
    assert list(questionnaire.sections.order_by("position").values_list("title", flat=True)) == [
        "Работа", "Итоги года", "О себе"]
    response = methodist_client.post(url("section_create", questionnaire.pk), {"title": ""})
    assert "Напишите название раздела." in text(response)
    methodist_client.post(url("section_delete", questionnaire.sections.get(title="О себе").pk))
    assert questionnaire.sections.count() == 2 and questionnaire.questions.count() == 5


# --- preview and the shared respondent template ---


@pytest.fixture
def all_kinds(methodist):
    """One question of each kind, built through the services."""
    q = builder.questionnaire_create(user=methodist, title="Все виды", code="all-kinds-preview")
    save = builder.question_save
    section = builder.section_create(questionnaire=q, title="Раздел о работе", description="Пояснение раздела")
    return {
        "questionnaire": q,
        "single": save(questionnaire=q, data=QuestionData(text="Ваш пол", options=lines("Мужской", "Женский"),
                                                          allow_other=True, other_label="Другое:")),
        "multiple": save(questionnaire=q, data=QuestionData(
            text="Трудности", kind=QuestionKind.MULTIPLE, options=lines("Дисциплина", "Время"), allow_other=True,
            help_text="Отметьте все, что считаете нужным", section=section)),
        "grid": save(questionnaire=q, data=QuestionData(
            text="Нужно ли сопровождение", kind=QuestionKind.GRID, options=lines("Нужно", "Трудно сказать", "Не нужно"),
            rows=["Аттестация", "Конкурсы"], section=section)),
        "yes_no": save(questionnaire=q, data=QuestionData(
            text="Выступали ли Вы", kind=QuestionKind.YES_NO_GRID, rows=["…школьного уровня?"], required=False,
            section=section)),
        "text": save(questionnaire=q, data=QuestionData(text="Предложения", kind=QuestionKind.TEXT,
                                                        required=False, section=section)),
        "number": save(questionnaire=q, data=QuestionData(text="Стаж", kind=QuestionKind.NUMBER, section=section,
                                                          min_value=Decimal(0), max_value=Decimal("60.5"))),
    }


def names(html: str) -> list[str]:
    return re.findall(r'name="(q[^"]+)"', html)


def render_form(questions, **context) -> str:
    return render_to_string("surveys/_questionnaire_form.html", {"questions": questions, **context})


def test_every_kind_renders_the_input_names_of_the_form_data_contract(all_kinds):
    k = all_kinds
    html = render_form(questionnaire_structure(k["questionnaire"]))
    single, multiple, grid, yes_no = k["single"], k["multiple"], k["grid"], k["yes_no"]
    grid_rows, yes_no_row = list(grid.rows.all()), yes_no.rows.get()
    assert names(html) == (
        [f"q{single.pk}"] * 3 + [f"q{single.pk}_other"]
        + [f"q{multiple.pk}"] * 3 + [f"q{multiple.pk}_other"]
        + [f"q{grid.pk}_r{grid_rows[0].pk}"] * 3 + [f"q{grid.pk}_r{grid_rows[1].pk}"] * 3
        + [f"q{yes_no.pk}_r{yes_no_row.pk}"] * 2
        + [f"q{k['text'].pk}", f"q{k['number'].pk}"]
    )
    assert f'type="radio" name="q{single.pk}" id="id_q{single.pk}_other_choice" value="other"' in html
    assert f'type="checkbox" name="q{multiple.pk}"' in html
    for option in grid.options.all():
        assert f'name="q{grid.pk}_r{grid_rows[0].pk}" id="id_q{grid.pk}_r{grid_rows[0].pk}_{option.pk}" ' \
               f'value="{option.pk}"' in html
    assert '<legend class="survey-grid-row-text"' in html  # each grid row is its own fieldset
    assert f'<textarea class="form-control" name="q{k["text"].pk}"' in html
    assert f'name="q{k["number"].pk}"' in html and 'inputmode="decimal"' in html
    assert "Число от 0 до 60,5." in html
    assert "Раздел о работе" in html and "Пояснение раздела" in html
    assert "Отметьте все, что считаете нужным" in html
    assert " disabled" not in html


def test_required_questions_carry_a_star_and_optional_ones_do_not(all_kinds):
    html = render_form(questionnaire_structure(all_kinds["questionnaire"]))
    blocks = dict(re.findall(r'id="question-(\d+)".*?<(?:legend|label) class="survey-question-text"[^>]*>(.*?)</(?:legend|label)>',
                             html, re.S))
    star = '<span class="survey-required" aria-hidden="true">*</span>'
    assert star in blocks[str(all_kinds["single"].pk)] and star in blocks[str(all_kinds["number"].pk)]
    assert star not in blocks[str(all_kinds["text"].pk)] and star not in blocks[str(all_kinds["yes_no"].pk)]


def test_values_are_put_back_and_errors_shown_beside_their_question(all_kinds):
    k = all_kinds
    single, multiple, grid = k["single"], k["multiple"], k["grid"]
    row = grid.rows.first()
    chosen = grid.options.get(text="Трудно сказать")
    time = multiple.options.get(text="Время")
    values = {
        f"q{single.pk}": ["other"], f"q{single.pk}_other": ["Не скажу"],
        f"q{multiple.pk}": [str(time.pk), "other"], f"q{multiple.pk}_other": ["Отчёты"],
        f"q{grid.pk}_r{row.pk}": [str(chosen.pk)],
        f"q{k['text'].pk}": ["Больше семинаров <b>"], f"q{k['number'].pk}": ["12,5"],
    }
    errors = {grid.pk: ["Дайте одну оценку в каждой строке таблицы: Конкурсы."]}
    html = render_form(questionnaire_structure(k["questionnaire"]), values=values, errors=errors)
    assert f'id="id_q{single.pk}_other_choice" value="other" checked' in html
    assert f'name="q{single.pk}_other" id="id_q{single.pk}_other" value="Не скажу"' in html
    assert f'id="id_q{multiple.pk}_{time.pk}" value="{time.pk}" checked' in html
    assert 'value="Отчёты"' in html
    assert f'id="id_q{grid.pk}_r{row.pk}_{chosen.pk}" value="{chosen.pk}" checked' in html
    assert html.count(" checked") == 4
    assert "Больше семинаров &lt;b&gt;</textarea>" in html
    assert 'value="12,5"' in html
    grid_block = html.split(f'id="question-{grid.pk}"')[1].split("</fieldset>\n")[0]
    assert "survey-question-invalid" in html.split(f'id="question-{grid.pk}"')[0][-80:]
    assert "Дайте одну оценку в каждой строке таблицы: Конкурсы." in grid_block
    assert html.count("survey-question-invalid") == 1


def test_disabled_renders_every_input_read_only(all_kinds):
    html = render_form(questionnaire_structure(all_kinds["questionnaire"]), disabled=True)
    inputs = re.findall(r"<(?:input|textarea)[^>]*>", html)
    assert inputs and all(" disabled" in tag for tag in inputs)


def test_preview_shows_the_questionnaire_to_readers(methodist_client, director_client, observer_client, all_kinds):
    q = all_kinds["questionnaire"]
    for client in (methodist_client, director_client, observer_client):
        response = client.get(url("questionnaire_preview", q.pk))
        assert response.status_code == 200
        assert f'name="q{all_kinds["single"].pk}"' in text(response)


def test_preview_refuses_school_admins_and_other_districts(school_admin_client, other_methodist_client, all_kinds):
    q = all_kinds["questionnaire"]
    assert school_admin_client.get(url("questionnaire_preview", q.pk)).status_code == 403
    assert other_methodist_client.get(url("questionnaire_preview", q.pk)).status_code == 404


def test_preview_post_checks_answers_and_saves_nothing(methodist_client, all_kinds):
    k = all_kinds
    q = k["questionnaire"]
    response = methodist_client.post(url("questionnaire_preview", q.pk), {
        f"q{k['single'].pk}": str(k["single"].options.first().pk), f"q{k['number'].pk}": "70",
    })
    page = text(response)
    # Not answered: multiple and grid (required); out of range: number. Text and yes/no are optional.
    assert "Проверка: не пройдено вопросов — 3." in page
    assert "Это обязательный вопрос." in page and "Число должно быть не больше 60,5." in page
    assert 'value="70"' in page  # what was typed stays on the page
    assert Response.objects.count() == 0 and Campaign.objects.count() == 0

    grid_rows = list(k["grid"].rows.all())
    good = {
        f"q{k['single'].pk}": str(k["single"].options.first().pk),
        f"q{k['multiple'].pk}": "other", f"q{k['multiple'].pk}_other": "Отчёты",
        f"q{k['grid'].pk}_r{grid_rows[0].pk}": str(k["grid"].options.first().pk),
        f"q{k['grid'].pk}_r{grid_rows[1].pk}": str(k["grid"].options.last().pk),
        f"q{k['number'].pk}": "12,5",
    }
    page = text(methodist_client.post(url("questionnaire_preview", q.pk), good))
    assert "Проверка пройдена: анкета была бы принята." in page
    assert Response.objects.count() == 0


def test_shipped_questionnaire_preview_renders_its_grids(methodist_client):
    shared = Questionnaire.objects.get(district=None, code="methodical-support", version=1)
    page = text(methodist_client.get(url("questionnaire_preview", shared.pk)))
    assert "Оформление текущей школьной документации" in page
    assert page.count('class="survey-grid-row"') >= 5 + 3 + 3
