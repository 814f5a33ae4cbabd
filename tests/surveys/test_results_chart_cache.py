"""Why (issue 15.1): «The survey results page redraws every chart with matplotlib on every request» (1,3 requests/s,
11 s with a few colleagues).

A second read of the results draws nothing and gives the same page; a new answer changes the shares of the
questions it answered, so exactly those charts get a new key and are drawn — no invalidation code anywhere.
"""
from __future__ import annotations

import re
from unittest import mock

import pytest
from django.urls import reverse

from core import charts

from .factories import NO, respond

pytestmark = pytest.mark.django_db

# Per-request tokens of the layout (CSP nonce, CSRF token): everything else of the page must repeat.
_PER_REQUEST = re.compile(r'(nonce=|value=|content=|"X-CSRFToken": )"[A-Za-z0-9+/=_-]{20,}"')


def _read(client, campaign):
    response = client.get(reverse("surveys:campaign_results", args=[campaign.pk]))
    assert response.status_code == 200
    return response, _PER_REQUEST.sub(r'\1"…"', response.content.decode())


@pytest.fixture(autouse=True)
def empty_chart_cache():
    charts._chart_cache().clear()
    yield
    charts._chart_cache().clear()


def test_a_second_read_draws_nothing_and_gives_the_same_page(seven_campaign, methodist_client, director_client,
                                                            school_admin_client, other_methodist_client):
    with mock.patch.object(charts, "Figure", wraps=charts.Figure) as figures:
        response, first = _read(methodist_client, seven_campaign)
        drawn = [result.chart for result in response.context["results"].questions if getattr(result, "chart", "")]
        assert len(drawn) >= 2 and figures.call_count == len(drawn)  # q1 and q2 at least
        assert "66,7" in drawn[0]  # q1: Да 4 of 6 answered
        _, second = _read(methodist_client, seven_campaign)
        assert second == first
        assert figures.call_count == len(drawn)
        # The director of the same district reads the same charts, from the cache.
        assert _read(director_client, seven_campaign)[1].count("<svg") == first.count("<svg")
        assert figures.call_count == len(drawn)
    url = reverse("surveys:campaign_results", args=[seven_campaign.pk])
    assert school_admin_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404


def test_a_new_answer_redraws_only_the_charts_whose_shares_changed(seven_campaign, methodist_client, school_b):
    with mock.patch.object(charts, "Figure", wraps=charts.Figure) as figures:
        before, _ = _read(methodist_client, seven_campaign)
        charts_before = figures.call_count
        respond(seven_campaign, school_b, q1=NO)  # answers q1 only: q2's shares stay as they were
        after, _ = _read(methodist_client, seven_campaign)
        assert figures.call_count == charts_before + 1
    q1_before, q1_after = before.context["results"].questions[0].chart, after.context["results"].questions[0].chart
    assert "66,7" in q1_before and "57,1" in q1_after  # Да: 4 of 6, then 4 of 7
    assert after.context["results"].questions[1].chart == before.context["results"].questions[1].chart
