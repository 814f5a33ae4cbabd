"""The surveys demo: Kirovsky campaigns of the shipped questionnaires, in the submission service's shapes.

The whole demo (`load_demo`) loads once for tests/demo (tests/demo/conftest.py) inside a
transaction rolled back at the end, so other test folders never see it. The counts are the ones demo/surveys.py documents and the
command prints, typed here by hand.
"""
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils.datastructures import MultiValueDict

from clusters.models import Organisation, OrganisationKind
from demo import surveys as surveys_demo
from demo.surveys import SurveysDemoError, demo_campaigns, load_surveys_demo, reset_surveys_demo
from surveys.models import (
    Answer,
    Audience,
    Campaign,
    CampaignLink,
    Questionnaire,
    Response,
    ResponseStatus,
)
from surveys.responses import answers_as_form_data, parse_answers, questionnaire_structure
from surveys.scoring import criteria_total_by_organisation
from surveys.shipped import DPO_SATISFIED_TEXT, SHIPPED_CODES
from tests.demo.conftest import FAST_HASHERS

LISTENER = "Анкета слушателя по итогам обучения по ДПП ИМЦ, 2023/2024 учебный год"
SUPPORT = "Методическое сопровождение педагогов: опрос, май–июнь 2024"
YOUNG = "Анкета для молодых педагогов, 2023/2024 учебный год"
YOUNG_OPEN = "Анкета для молодых педагогов, текущий опрос"
CRITERIA = "Критерии методической поддержки педагогов: самообследование школ, 2023/2024"

# title: (questionnaire code, state, responses); the criteria campaign: 46 submitted + 1 draft.
EXPECTED = {
    LISTENER: ("dpo-listener", "closed", 280),
    SUPPORT: ("methodical-support", "closed", 340),
    YOUNG: ("young-teachers", "closed", 230),
    YOUNG_OPEN: ("young-teachers", "open", 18),
    CRITERIA: ("support-criteria", "closed", 47),
}
TEACHER_CAMPAIGNS = (LISTENER, SUPPORT, YOUNG, YOUNG_OPEN)
SUMMARY = "Анкетирование: Кировский район — кампаний 5 (закрытых 4, открытых 1), ответов 915, новых ответов 915"
MODELS = (Questionnaire, Campaign, CampaignLink, Response, Answer)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def campaign(title: str) -> Campaign:
    return Campaign.objects.select_related("questionnaire", "district", "created_by").get(title=title)


def counts() -> dict:
    return {model: model.objects.count() for model in MODELS}


def test_the_command_prints_the_counts(demo_output):
    assert SUMMARY in demo_output
    assert "  анкетирование: " in demo_output  # its timing line


def test_campaigns_states_and_counts():
    assert [c.title for c in demo_campaigns()] == list(EXPECTED)
    for title, (code, state, responses) in EXPECTED.items():
        c = campaign(title)
        assert (c.questionnaire.code, c.questionnaire.district_id, c.questionnaire.version) == (code, None, 1)
        assert (c.district.code, c.created_by.username) == ("kirovsky", "metodist_kirov")
        assert c.state() == state, title
        assert c.responses.count() == responses, title
    assert {c.questionnaire.code for c in demo_campaigns()} == set(SHIPPED_CODES)


def test_anonymous_responses_have_the_service_shape_and_spread_over_links():
    for title in TEACHER_CAMPAIGNS:
        c = campaign(title)
        assert c.questionnaire.audience == Audience.TEACHERS
        linked = set(c.links.exclude(organisation=None).values_list("organisation", flat=True))
        assert len(linked) == 20 and c.links.filter(organisation=None).count() == 1
        assert set(c.organisations.values_list("pk", flat=True)) == linked
        responses = c.responses.all()
        assert not responses.exclude(status=ResponseStatus.SUBMITTED).exists()
        assert not responses.filter(for_organisation=True).exists()
        assert not responses.exclude(submission_key=None).exists()
        assert not responses.exclude(updated_by=None).exists() and not responses.exclude(updated_at=None).exists()
        assert set(responses.exclude(organisation=None).values_list("organisation", flat=True)) <= linked
        assert responses.filter(organisation=None).exists()  # the general link
        assert not responses.filter(submitted_on__lt=c.opens_at.date()).exists()
        assert not responses.filter(submitted_on__gt=c.closes_at.date()).exists()
    for title in (LISTENER, SUPPORT, YOUNG):
        per_organisation = Counter(campaign(title).responses.exclude(organisation=None)
                                   .values_list("organisation", flat=True))
        assert len(per_organisation) == 20
        assert sorted(n for n in per_organisation.values() if n < 5) == [2, 3, 4], title  # k-anonymity shows
    support_kinds = set(campaign(SUPPORT).organisations.values_list("kind", flat=True))
    assert support_kinds == {OrganisationKind.SCHOOL}


def test_answers_follow_the_form_data_contract():
    """A stored sheet read back as form data passes the service's own validation, required marks included."""
    assert not Answer.objects.exclude(campaign=F("response__campaign")).exists()
    for title in (*TEACHER_CAMPAIGNS, CRITERIA):
        c = campaign(title)
        questions = questionnaire_structure(c.questionnaire)
        sample = c.responses.filter(status=ResponseStatus.SUBMITTED).order_by("pk")[:: 12]
        for response in sample:
            parsed = parse_answers(questions, MultiValueDict(answers_as_form_data(response)))
            assert parsed.errors == {}, (title, response.pk, parsed.errors)
            assert len(parsed.answers) == response.answers.count()


def test_distributions_are_plausible():
    listener = campaign(LISTENER)
    satisfied = Answer.objects.filter(campaign=listener, question__code="q4", option__text=DPO_SATISFIED_TEXT).count()
    assert 0.7 <= satisfied / 280 <= 0.9
    equipment = Answer.objects.filter(campaign=listener, question__code="q3", option__text=DPO_SATISFIED_TEXT).count()
    assert equipment < satisfied  # the material side is rated lower
    # Приложение 3's «Другое» of q5 (speciality) is common, q1 answered by every respondent.
    young = campaign(YOUNG)
    assert Answer.objects.filter(campaign=young, question__code="q1").count() == 230
    assert Answer.objects.filter(campaign=young, question__code="q5", option=None).count() > 20


def test_the_criteria_campaign():
    c = campaign(CRITERIA)
    assert c.questionnaire.audience == Audience.ORGANISATION
    schools = set(Organisation.objects.filter(district__code="kirovsky", is_active=True,
                                              kind=OrganisationKind.SCHOOL).values_list("pk", flat=True))
    assert len(schools) == 50 and set(c.organisations.values_list("pk", flat=True)) == schools
    responses = c.responses.all()
    assert not responses.filter(for_organisation=False).exists()
    assert responses.filter(status=ResponseStatus.SUBMITTED).count() == 46
    assert responses.filter(status=ResponseStatus.DRAFT, submitted_on=None).count() == 1
    assert len(schools - set(responses.values_list("organisation", flat=True))) == 3  # never answered
    totals = criteria_total_by_organisation(c)
    assert len(totals) == 46
    assert set(totals) == set(responses.filter(status=ResponseStatus.SUBMITTED).values_list("organisation", flat=True))
    assert all(0 <= total <= 16 for total in totals.values())
    assert len(set(totals.values())) > 5  # schools differ


def test_running_again_adds_nothing():
    before = counts()
    out = StringIO()
    load_surveys_demo(stdout=out)
    assert "ответов 915, новых ответов 0, новых строк ответов 0." in out.getvalue()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_missing_district_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(surveys_demo, "DISTRICT_CODE", "nowhere")
    with pytest.raises(SurveysDemoError, match="nowhere.*load_demo"):
        load_surveys_demo()


@pytest.mark.usefixtures("small_kirovsky_diagnostics")
def test_reset_with_surveys_present_then_the_same_demo_again():
    """--reset removes the surveys demo before the registry, which its responses and campaigns protect."""
    satisfied = Answer.objects.filter(campaign=campaign(LISTENER), option__text=DPO_SATISFIED_TEXT).count()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        out = StringIO()
        call_command("load_demo", "--reset", stdout=out)
    assert SUMMARY in out.getvalue()
    assert Answer.objects.filter(campaign=campaign(LISTENER), option__text=DPO_SATISFIED_TEXT).count() == satisfied

    assert reset_surveys_demo() > 0
    assert demo_campaigns() == [] and not Response.objects.exists()
    assert Questionnaire.objects.filter(district=None, code__in=SHIPPED_CODES).count() == 4  # not demo data


def test_demo_campaigns_do_not_trigger_notifications():
    from django.core import mail

    from surveys.notifications import campaign_notifications_send

    mail.outbox = []
    campaign_notifications_send()
    assert mail.outbox == []


def test_demo_campaigns_have_counts_equal_to_the_hand_group_by_over_their_answers():
    """The loader writes answers with bulk_create, past the services that keep the counts: it rebuilds them."""
    from tests.surveys.test_aggregates import from_counts, hand_group_by

    for item in demo_campaigns():
        hand = hand_group_by(item)
        assert sum(hand["responses"].values()) == EXPECTED[item.title][2] - (1 if item.title == CRITERIA else 0)
        assert from_counts(item) == hand, item.title
