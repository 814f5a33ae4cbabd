"""A young teacher answers Приложение 3 on a phone (390 × 844) with JavaScript switched off.

The public link of the school is opened in a browser context without JavaScript: the page must be
a plain HTML form. The first submission leaves one required question empty — the server answers
with the error beside that question and everything typed still in place — then the teacher
completes it, submits, sees the thanks page, and the response is counted in the database.
"""
from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import QuestionKind, Response
from surveys.responses import questionnaire_structure
from surveys.shipped import YOUNG_TEACHERS, install_shipped_questionnaires
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.surveys.factories import make_campaign

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow", viewport=PHONE,
        java_script_enabled=False, is_mobile=True, has_touch=True, device_scale_factor=1,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def _answer(page, question, *, skip: bool = False) -> None:
    """Answer one question the way a person would: the first choice, or a short text."""
    name = f"q{question.pk}"
    if skip:
        return
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        option = question.options.all()[0]
        page.locator(f"#id_{name}_{option.pk}").check()
    elif question.is_grid:
        for row in question.rows.all():
            page.locator(f"#id_{name}_r{row.pk}_{question.options.all()[0].pk}").check()
    elif question.kind == QuestionKind.NUMBER:
        page.locator(f"#id_{name}").fill("2021")
    else:
        page.locator(f"#id_{name}").fill(f"Ответ на вопрос {question.code}")


def test_young_teacher_answers_on_a_phone_without_javascript(
    phone_page, district_a, school_a, screenshot
):
    questionnaire = install_shipped_questionnaires()[YOUNG_TEACHERS]
    campaign = make_campaign(questionnaire, district_a, organisations=[school_a],
                             title="Анкета для молодых педагогов, май 2021")
    link = campaign.links.get(organisation=school_a)
    questions = questionnaire_structure(questionnaire)
    assert len(questions) >= 27  # seed 004 prints 28 questions
    page = phone_page

    page.goto(reverse("survey_public:respond", args=[link.token]))
    assert page.get_by_role("heading", name="Анкета для молодых педагогов").is_visible()
    assert page.locator("script").count() == 0
    # Nothing sticks out sideways at 390 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "form")

    forgotten = questions[1]  # «Ваш возраст *»
    assert forgotten.required
    for question in questions:
        _answer(page, question, skip=question == forgotten)
    with page.expect_navigation():
        page.get_by_test_id("survey-submit").click()

    # Refused: the error sits beside the forgotten question, what was typed is still there.
    assert Response.objects.count() == 0
    assert "Анкета не отправлена" in page.get_by_test_id("survey-error").inner_text()
    frame = page.locator(f"#question-{forgotten.pk}")
    assert "Это обязательный вопрос." in frame.inner_text()
    text_question = next(q for q in questions if q.kind == QuestionKind.TEXT)
    assert page.locator(f"#id_q{text_question.pk}").input_value() == f"Ответ на вопрос {text_question.code}"
    assert page.locator(f"#id_q{questions[0].pk}_{questions[0].options.all()[0].pk}").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    frame.scroll_into_view_if_needed()
    screenshot(page, "refused")

    _answer(page, forgotten)
    with page.expect_navigation():
        page.get_by_test_id("survey-submit").click()

    assert page.url.endswith(reverse("survey_public:thanks", args=[link.token]))
    assert "Ваши ответы приняты!" in page.get_by_test_id("survey-thanks").inner_text()
    screenshot(page, "thanks")
    response = Response.objects.get()
    assert response.campaign == campaign and response.organisation == school_a
    assert response.answers.values("question").distinct().count() == len(questions)
