"""Why (issue 9): «A `$…$` in an option text, cluster name or period label → matplotlib mathtext →
500 on the results page and a failed PDF render». Option texts reach charts as typed."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.charts import bar_comparison_chart
from surveys import results as r
from surveys.models import QuestionKind
from surveys.responses import questionnaire_structure

from .factories import QuestionFactory, QuestionnaireFactory, make_campaign, respond

pytestmark = pytest.mark.django_db

LABELS = ["$x^2$", "$\\frac{1}{$"]


@pytest.fixture
def dollar_campaign(district_a, school_a):
    questionnaire = QuestionnaireFactory(district=district_a, code="dollars")
    QuestionFactory(questionnaire=questionnaire, code="q1", text="Формула", kind=QuestionKind.SINGLE, options=LABELS)
    campaign = make_campaign(questionnaire, district_a)
    respond(campaign, school_a, q1=LABELS[0])
    respond(campaign, school_a, q1=LABELS[1])
    return campaign


def _chart_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_results_page_draws_dollar_options_as_typed(methodist_client, observer_client, dollar_campaign):
    for client in (methodist_client, observer_client):
        page = client.get(reverse("surveys:campaign_results", args=[dollar_campaign.pk]))
        assert page.status_code == 200
        chart = page.context["results"].questions[0].chart
        assert set(LABELS) <= set(_chart_texts(chart))


def test_the_refused_school_reader_gets_403_not_a_chart(school_admin_client, dollar_campaign):
    page = school_admin_client.get(reverse("surveys:campaign_results", args=[dollar_campaign.pk]))
    assert page.status_code == 403


def test_the_pdf_chart_helper_draws_them_as_typed(dollar_campaign):
    """The справка «Результаты анкетирования» draws each choice question with this helper."""
    from reports.kinds.survey import survey_question

    results = r.campaign_results(dollar_campaign, questions=questionnaire_structure(dollar_campaign.questionnaire))
    item = survey_question(results.questions[0], bar_comparison_chart)
    assert set(LABELS) <= set(_chart_texts(item["chart"]))
