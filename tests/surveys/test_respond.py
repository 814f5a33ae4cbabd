"""Answering: anonymous teachers through a public link, school administrators for their organisation."""
from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys.models import Answer, Response, ResponseStatus

from .factories import make_campaign, valid_answers


def _key(page) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', page.content.decode()).group(1)


def _question_block(page, question) -> str:
    """The HTML of one question on the page (from its frame to the next question)."""
    html = page.content.decode()
    start = html.index(f'id="question-{question.pk}"')
    following = html.find('id="question-', start + 1)
    return html[start:following if following != -1 else len(html)]


@pytest.fixture
def teacher_campaign(kinds, district_a, school_a, school_b):
    return make_campaign(kinds.questionnaire, district_a, organisations=[school_a, school_b])


def _link(campaign, organisation=None):
    return campaign.links.get(organisation=organisation)


def _url(link) -> str:
    return reverse("survey_public:respond", args=[link.token])


def _open(client, link):
    """The form as a browser gets it: the link redirects to the form with its own key in the URL."""
    return client.get(_url(link), follow=True)


# --- the public page ---------------------------------------------------------------------------


def test_open_campaign_renders_the_form_with_a_fresh_submission_key(client, teacher_campaign, kinds, school_a):
    page = _open(client, _link(teacher_campaign, school_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert kinds.questionnaire.title in html and "Просим ответить на вопросы." in html
    assert "ГБОУ СОШ № 1" in html
    assert f'name="q{kinds.single.pk}"' in html and f'name="q{kinds.text.pk}"' in html
    first, second = _key(page), _key(_open(client, _link(teacher_campaign, school_a)))
    assert len(first) >= 60 and first != second
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_logged_in_staff_can_open_the_public_form_too(methodist_client, teacher_campaign):
    assert _open(methodist_client, _link(teacher_campaign)).status_code == 200


def test_unknown_token_is_404(client, teacher_campaign):
    assert client.get(reverse("survey_public:respond", args=["no-such-token-16"])).status_code == 404
    assert client.get(reverse("survey_public:thanks", args=["no-such-token-16"])).status_code == 404


@pytest.mark.parametrize(("state", "words"), [
    ("scheduled", "Приём ответов ещё не начался: анкета откроется"),
    ("closed", "Приём ответов завершён"),
])
def test_a_campaign_not_open_says_so_with_the_date_and_shows_no_form(client, kinds, district_a, state, words):
    campaign = make_campaign(kinds.questionnaire, district_a, state=state)
    moment = campaign.opens_at if state == "scheduled" else campaign.closes_at
    page = _open(client, _link(campaign))
    html = page.content.decode()
    assert page.status_code == 200
    assert words in html and f"{timezone.localtime(moment):%d.%m.%Y}" in html
    assert "<form" not in html and "submission_key" not in html


@pytest.mark.parametrize("state", ["scheduled", "closed"])
def test_a_campaign_not_open_refuses_a_post_and_stores_nothing(client, kinds, district_a, state):
    campaign = make_campaign(kinds.questionnaire, district_a, state=state)
    page = client.post(_url(_link(campaign)), {**valid_answers(kinds), "submission_key": "k" * 32})
    assert page.status_code == 200
    assert "Приём ответов" in page.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_valid_submission_is_stored_anonymously_and_redirects_to_thanks(client, teacher_campaign, kinds, school_a):
    link = _link(teacher_campaign, school_a)
    key = _key(_open(client, link))
    page = client.post(_url(link), {**valid_answers(kinds), "submission_key": key})
    assert page.status_code == 302 and page["Location"] == reverse("survey_public:thanks", args=[link.token])
    response = Response.objects.get()
    assert response.organisation == school_a and response.campaign == teacher_campaign
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_on == timezone.localdate()
    assert response.updated_by is None and response.updated_at is None and not response.for_organisation
    # 1 single + 2 multiple (option and «Другое») + 2 grid + 1 yes/no + text + number.
    assert response.answers.count() == 8
    assert "sessionid" not in page.cookies
    thanks = client.get(page["Location"])
    assert "Ваши ответы приняты!" in thanks.content.decode()
    assert "Благодарим за сотрудничество!" in thanks.content.decode()


def test_the_general_link_stores_no_organisation(client, teacher_campaign, kinds):
    link = _link(teacher_campaign)
    client.post(_url(link), {**valid_answers(kinds), "submission_key": _key(_open(client, link))})
    assert Response.objects.get().organisation is None


def test_a_double_click_with_the_same_key_stores_one_response(client, teacher_campaign, kinds, school_a):
    link = _link(teacher_campaign, school_a)
    data = {**valid_answers(kinds), "submission_key": _key(_open(client, link))}
    first = client.post(_url(link), data)
    second = client.post(_url(link), data)
    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 8


def test_two_teachers_opening_the_form_store_two_responses(client, teacher_campaign, kinds, school_a):
    link = _link(teacher_campaign, school_a)
    for _ in range(2):
        client.post(_url(link), {**valid_answers(kinds), "submission_key": _key(_open(client, link))})
    assert Response.objects.filter(organisation=school_a).count() == 2


def test_csrf_works_for_anonymous_respondents(teacher_campaign, kinds, school_a):
    client = Client(enforce_csrf_checks=True)
    link = _link(teacher_campaign, school_a)
    page = _open(client, link)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    refused = client.post(_url(link), {**valid_answers(kinds), "submission_key": _key(page)})
    assert refused.status_code == 403 and not Response.objects.exists()
    accepted = client.post(_url(link), {**valid_answers(kinds), "submission_key": _key(page),
                                        "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert Response.objects.count() == 1


def test_a_campaign_closed_after_the_page_was_opened_refuses_the_post(client, teacher_campaign, kinds, school_a):
    link = _link(teacher_campaign, school_a)
    key = _key(_open(client, link))
    teacher_campaign.closes_at = timezone.now()
    teacher_campaign.save()
    page = client.post(_url(link), {**valid_answers(kinds), "submission_key": key})
    assert page.status_code == 200 and "Приём ответов завершён" in page.content.decode()
    assert not Response.objects.exists()


# --- validation of every kind through the view: error beside the question, typed values kept ---


def _break(kinds, data: dict, case: str):
    """Spoil one answer of valid data; return the question whose error must show."""
    if case == "required missing":
        data.pop(f"q{kinds.text.pk}")
        return kinds.text, "Это обязательный вопрос."
    if case == "wrong option id":
        data[f"q{kinds.single.pk}"] = str(kinds.option(kinds.grid, "Трудно сказать").pk)
        return kinds.single, "Такого варианта ответа нет в этом вопросе."
    if case == "two values for single choice":
        data[f"q{kinds.single.pk}"] = [str(o.pk) for o in kinds.single.options.all()]
        return kinds.single, "Выберите только один вариант ответа."
    if case == "number out of range":
        data[f"q{kinds.number.pk}"] = "1812"
        return kinds.number, "Число должно быть не меньше 1950."
    if case == "other without text":
        data[f"q{kinds.multiple.pk}_other"] = ""
        return kinds.multiple, "Вы выбрали «Другое» — напишите, что имеете в виду."
    if case == "text too long":
        data[f"q{kinds.text.pk}"] = "Я" * 51
        return kinds.text, "Ответ длиннее 50 символов."
    if case == "grid row missing":
        row = kinds.grid.rows.last()
        data.pop(f"q{kinds.grid.pk}_r{row.pk}")
        return kinds.grid, "Дайте одну оценку в каждой строке таблицы: Подготовка к конкурсам."
    raise AssertionError(case)


@pytest.mark.parametrize("case", [
    "required missing", "wrong option id", "two values for single choice", "number out of range",
    "other without text", "text too long", "grid row missing",
])
def test_a_refused_submission_shows_the_error_beside_its_question_and_keeps_what_was_typed(
    client, teacher_campaign, kinds, school_a, case
):
    link = _link(teacher_campaign, school_a)
    key = _key(_open(client, link))
    data = valid_answers(kinds)
    question, message = _break(kinds, data, case)
    page = client.post(_url(link), {**data, "submission_key": key})

    assert page.status_code == 200
    assert not Response.objects.exists() and not Answer.objects.exists()
    html = page.content.decode()
    assert "Анкета не отправлена" in html
    assert message in _question_block(page, question)
    assert f'href="#question-{question.pk}"' in html
    assert _key(page) == key  # the corrected form is still the same submission
    # What the respondent typed elsewhere is still there.
    grid_row = kinds.grid.rows.first()
    assert f'value="{data[f"q{kinds.grid.pk}_r{grid_row.pk}"]}" checked' in _question_block(page, kinds.grid)
    if question != kinds.text:
        assert 'value="РГПУ им. А.И. Герцена"' in html or ">РГПУ им. А.И. Герцена<" in html
    if question != kinds.multiple:
        assert 'value="Много отчётов"' in html
    if question == kinds.number:
        assert 'value="1812"' in html
    # Fixing the answer with the same key then stores exactly one response.
    client.post(_url(link), {**valid_answers(kinds), "submission_key": key})
    assert Response.objects.count() == 1


# --- organisation questionnaires (school administrators) -------------------------------------


@pytest.fixture
def org_campaign(org_kinds, district_a, school_a):
    return make_campaign(org_kinds.questionnaire, district_a, organisations=[school_a], title="Критерии ОУ 2021")


def _fill_url(campaign) -> str:
    return reverse("surveys:organisation_fill", args=[campaign.pk])


def _answers(response) -> set:
    return set(response.answers.values_list("question_id", "option_id", "row_id", "text", "number"))


def test_draft_submit_edit_close(school_admin_client, org_campaign, org_kinds, school_a):
    url = _fill_url(org_campaign)
    page = school_admin_client.get(url)
    assert page.status_code == 200 and "не начата" in page.content.decode()

    # A draft needs nothing required.
    partial = {f"q{org_kinds.text.pk}": "Черновой ответ", "action": "draft"}
    assert school_admin_client.post(url, partial).status_code == 302
    response = Response.objects.get(campaign=org_campaign, organisation=school_a, for_organisation=True)
    assert response.status == ResponseStatus.DRAFT and response.submitted_on is None
    page = school_admin_client.get(url)
    assert "черновик" in page.content.decode() and 'value="Черновой ответ"' in page.content.decode()

    # Submitting enforces required questions; the draft stays as it was.
    page = school_admin_client.post(url, {**partial, "action": "submit"})
    assert page.status_code == 200 and "Это обязательный вопрос." in _question_block(page, org_kinds.single)
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT and response.answers.count() == 1

    page = school_admin_client.post(url, {**valid_answers(org_kinds), "action": "submit"})
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_on == timezone.localdate()

    # Editable until the close date; a submitted response cannot lose required answers.
    edited = {**valid_answers(org_kinds), f"q{org_kinds.text.pk}": "СПбГУ", "action": "submit"}
    assert school_admin_client.post(url, edited).status_code == 302
    assert response.answers.get(question=org_kinds.text).text == "СПбГУ"
    page = school_admin_client.post(url, {f"q{org_kinds.text.pk}": "x", "action": "draft"})
    assert page.status_code == 200 and "Это обязательный вопрос." in page.content.decode()
    assert response.answers.get(question=org_kinds.text).text == "СПбГУ"

    # After the close date everything is read-only and a POST changes nothing.
    org_campaign.closes_at = timezone.now()
    org_campaign.save()
    before = _answers(response)
    page = school_admin_client.get(url)
    html = page.content.decode()
    assert "Приём ответов завершён" in html and "только для просмотра" in html
    assert 'value="СПбГУ"' in html and "disabled" in _question_block(page, org_kinds.text)
    assert "Сохранить черновик" not in html and 'value="submit"' not in html
    page = school_admin_client.post(url, {**edited, f"q{org_kinds.text.pk}": "Другой вуз"}, follow=True)
    assert "Изменения не сохранены" in page.content.decode()
    response.refresh_from_db()
    assert _answers(response) == before and response.status == ResponseStatus.SUBMITTED


def test_scheduled_organisation_campaign_shows_questions_read_only(school_admin_client, org_kinds, district_a):
    campaign = make_campaign(org_kinds.questionnaire, district_a, state="scheduled")
    page = school_admin_client.get(_fill_url(campaign))
    assert "ещё не начался" in page.content.decode() and "disabled" in page.content.decode()
    page = school_admin_client.post(_fill_url(campaign), {**valid_answers(org_kinds), "action": "submit"}, follow=True)
    assert "Изменения не сохранены" in page.content.decode()
    assert not Response.objects.exists()


def test_another_school_cannot_open_a_campaign_not_addressed_to_it(other_school_admin_client, org_campaign):
    assert other_school_admin_client.get(_fill_url(org_campaign)).status_code == 404
    assert other_school_admin_client.post(_fill_url(org_campaign), {"action": "draft"}).status_code == 404


def test_another_school_never_sees_school_a_answers(
    school_admin_client, other_school_admin_client, org_kinds, district_a, school_b
):
    campaign = make_campaign(org_kinds.questionnaire, district_a)  # all organisations of the district
    school_admin_client.post(_fill_url(campaign), {**valid_answers(org_kinds), "action": "submit"})
    page = other_school_admin_client.get(_fill_url(campaign))
    assert page.status_code == 200
    assert "РГПУ им. А.И. Герцена" not in page.content.decode() and "не начата" in page.content.decode()
    other_school_admin_client.post(_fill_url(campaign), {f"q{org_kinds.text.pk}": "Свой ответ", "action": "draft"})
    assert Response.objects.filter(campaign=campaign).count() == 2
    assert Response.objects.get(campaign=campaign, organisation=school_b).status == ResponseStatus.DRAFT


@pytest.mark.parametrize("persona", ["methodist_client", "director_client", "observer_client"])
def test_district_staff_cannot_fill_for_an_organisation(request, persona, org_campaign):
    assert request.getfixturevalue(persona).get(_fill_url(org_campaign)).status_code == 403


def test_teacher_campaign_is_not_filled_by_the_school(school_admin_client, teacher_campaign):
    assert school_admin_client.get(_fill_url(teacher_campaign)).status_code == 404


def test_start_page_lists_pending_organisation_questionnaires(
    school_admin_client, other_school_admin_client, org_campaign, org_kinds, district_a
):
    closed = make_campaign(org_kinds.questionnaire, district_a, state="closed", title="Прошлогодняя анкета")
    page = school_admin_client.get(reverse("home"))
    block = page.content.decode()
    assert "Критерии ОУ 2021" in block and "не начата" in block
    assert f"приём до {timezone.localtime(org_campaign.closes_at):%d.%m.%Y %H:%M}" in block
    assert closed.title not in block
    school_admin_client.post(_fill_url(org_campaign), {"action": "draft"})
    assert "черновик" in school_admin_client.get(reverse("home")).content.decode()
    # School B is not addressed.
    assert "Критерии ОУ 2021" not in other_school_admin_client.get(reverse("home")).content.decode()


def test_organisation_page_lists_questionnaires_and_the_link_for_teachers(
    school_admin_client, org_campaign, teacher_campaign, school_a
):
    page = school_admin_client.get(reverse("surveys:organisation_campaign_list"))
    html = page.content.decode()
    assert page.status_code == 200 and "Критерии ОУ 2021" in html
    assert f"http://testserver/s/{teacher_campaign.links.get(organisation=school_a).token}/" in html
    assert teacher_campaign.links.get(organisation=None).token not in html


def test_organisation_page_is_for_school_administrators(methodist_client):
    assert methodist_client.get(reverse("surveys:organisation_campaign_list")).status_code == 403
