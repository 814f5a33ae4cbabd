"""The indicator form in a real browser (issue 14.6): a survey indicator's parameters are picked from lists, not
typed as JSON. Choosing the calculation shows its fields only; the question list narrows to the chosen
questionnaire's questions, the options to the chosen question's; the indicator is saved with the dict the
calculation reads. No CSP refusal (static/js/indicator_form.js is a static file)."""
import pytest
from django.urls import reverse

from monitoring.models import Programme
from surveys.shipped import install_shipped_questionnaires

pytestmark = pytest.mark.e2e

SATISFIED = "Да, вполне или скорее да"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_methodist_picks_survey_parameters_from_lists(login_as, methodist, district_a, viewport):
    install_shipped_questionnaires()  # the live server's flush after an earlier test removed them
    programme = Programme.objects.create(district=district_a, code="network", name="Сетевое взаимодействие")
    refusals = []
    page = login_as(methodist)
    page.on("console", lambda message: refusals.append(message.text) if "Refused" in message.text else None)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(reverse("monitoring:indicator_create", kwargs={"pk": programme.pk}))
    assert "JSON" not in page.inner_text("body")
    survey = page.locator("[data-parameters-for='survey_option_share']")
    assert not survey.is_visible()  # an entered indicator has no parameters

    page.fill("[name=code]", "dpo_satisfied")
    page.fill("[name=name]", "Доля удовлетворённых качеством ДПО")
    page.select_option("[name=source]", "computed")
    page.select_option("[name=calculation]", "survey_option_share")
    assert survey.is_visible()
    assert not page.locator("[data-parameters-for='diagnostics_area_mean']").is_visible()

    question = survey.locator("select[name$='__question_code']")
    assert question.locator("option:not([hidden])").count() == 1  # nothing but «— выберите —» before a questionnaire
    survey.locator("select[name$='__questionnaire_code']").select_option("dpo-listener")
    shown = [text.split(".")[0] for text in question.locator("option:not([hidden])").all_inner_texts()[1:]]
    assert shown == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    question.select_option("q4")
    boxes = survey.locator("input[name$='__options']")
    visible = [boxes.nth(i).get_attribute("value") for i in range(boxes.count()) if boxes.nth(i).is_visible()]
    assert visible == [SATISFIED, "Затрудняюсь ответить", "Скорее нет или однозначно нет"]
    survey.locator(f"input[name$='__options'][value='{SATISFIED}'][data-parent='dpo-listener/q4']").check()
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**{reverse('monitoring:catalogue', kwargs={'pk': programme.pk})}**")

    indicator = programme.indicators.get(code="dpo_satisfied")
    assert indicator.parameters == {"questionnaire_code": "dpo-listener", "question_code": "q4",
                                    "options": [SATISFIED]}
    assert refusals == []
