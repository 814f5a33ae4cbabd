"""Why (issue 15.1): the results page at 0.04 of a bare page with its charts cached — the rest of the page (counts,
participation, filter, ~1,100 template variables) was rebuilt on every read.

The body is rendered once per data version and reader kind (surveys/results_page.py): a second read of unchanged
data renders nothing and makes a fixed handful of queries; a new submission, a new cluster membership (an input of
the disclosure rule) or an edited question is a new body; readers of different groups or kinds never share one.
Numbers worked out by hand from factories.seven_responses: whole campaign 7 responses, «Да» 4 of 6 (66,7 %).
"""
from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import charts
from surveys import results as r
from surveys.models import Audience, ResponseStatus
from tests.factories import ClusterFactory, ClusterMembershipFactory

from .factories import NO, YES, make_campaign, respond, results_questionnaire

pytestmark = pytest.mark.django_db

_PER_REQUEST = re.compile(r'(nonce=|value=|content=|"X-CSRFToken": )"[A-Za-z0-9+/=_-]{20,}"')


@pytest.fixture(autouse=True)
def empty_cache():
    charts._chart_cache().clear()
    yield
    charts._chart_cache().clear()


def url(campaign, group: str = "") -> str:
    return reverse("surveys:campaign_results", args=[campaign.pk]) + (f"?group={group}" if group else "")


def read(client, campaign, group: str = "") -> str:
    response = client.get(url(campaign, group))
    assert response.status_code == 200
    return _PER_REQUEST.sub(r'\1"…"', response.content.decode())


def test_a_second_read_is_served_from_the_cache(seven_campaign, methodist_client, school_admin_client):
    first = read(methodist_client, seven_campaign)
    with CaptureQueriesContext(connection) as second_read:
        second = read(methodist_client, seven_campaign)
    assert second == first
    assert "66,7&nbsp;%" in second and 'data-testid="results-total">7<' in second
    # session, user, the campaign, the digest of its rows — none of the questions, counts or organisations
    assert len(second_read) <= 5, [q["sql"][:80] for q in second_read.captured_queries]
    assert school_admin_client.get(url(seven_campaign)).status_code == 403  # anonymous campaign: refused


def test_a_new_submission_is_on_the_next_read(seven_campaign, methodist_client, school_b):
    before = read(methodist_client, seven_campaign)
    respond(seven_campaign, school_b, q1=NO)  # q1: Да 4 of 7 answered = 57,1 % (was 4 of 6)
    after = read(methodist_client, seven_campaign)
    yes_line = f'<td>{YES}</td><td class="num">4</td><td class="num">'
    assert 'data-testid="results-total">7<' in before and yes_line + "66,7&nbsp;%" in before
    assert 'data-testid="results-total">8<' in after and yes_line + "57,1&nbsp;%" in after


def test_an_edited_question_is_on_the_next_read(seven_campaign, methodist_client):
    read(methodist_client, seven_campaign)
    question = seven_campaign.questionnaire.questions.get(code="q1")
    question.text = "Переформулированный вопрос"
    question.save()
    assert "Переформулированный вопрос" in read(methodist_client, seven_campaign)


def test_the_disclosure_rule_is_decided_on_current_data(seven_campaign, methodist_client, school_a, school_b,
                                                        district_a):
    """The rule's inputs are in the key: a cached body of a group is never shown past a change of them.

    School A has 4 responses: hidden. A fifth (and 4 more by the general link) shows it: A 5, B 2, general 5.
    Then a cluster of the campaign's year {A, B} (7) appears: shown with A, it would give B's 2 by subtraction
    (residual 7 − 5 = 2 < 5), so the rule hides the smaller shown child, A — the body cached a moment before
    showed A's numbers and must not be served again.
    """
    group = f"organisation:{school_a.pk}"
    assert r.SUPPRESSED_MESSAGE in read(methodist_client, seven_campaign, group)
    respond(seven_campaign, school_a, q1=NO)
    for _ in range(4):
        respond(seven_campaign, None, q1=YES)
    shown = read(methodist_client, seven_campaign, group)
    assert r.SUPPRESSED_MESSAGE not in shown and "60,0&nbsp;%" in shown  # Да: R1 R2 R4 of A's 5
    assert read(methodist_client, seven_campaign, group) == shown  # from the cache
    cluster = ClusterFactory(district=district_a, year=seven_campaign.closes_at.year, name="Север")
    ClusterMembershipFactory(cluster=cluster, organisation=school_a)
    ClusterMembershipFactory(cluster=cluster, organisation=school_b)
    hidden = read(methodist_client, seven_campaign, group)
    assert r.SUPPRESSED_MESSAGE in hidden and "60,0&nbsp;%" not in hidden
    cluster_page = read(methodist_client, seven_campaign, f"cluster:{cluster.pk}")
    assert r.SUPPRESSED_MESSAGE not in cluster_page and 'data-testid="results-total">7<' in cluster_page


@pytest.fixture
def organisation_campaign(district_a, school_a, school_b):
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION, code="org"),
                             district_a, title="Критерии")
    respond(campaign, school_a, q1=YES, q4="Ответ школы 1")
    respond(campaign, school_b, q1=NO, q4="Ответ школы 2")
    return campaign


def test_two_readers_of_different_scopes_see_their_own(organisation_campaign, methodist_client, school_admin_client,
                                                      other_school_admin_client, school_a):
    """The methodist's whole campaign (2 responses, both texts, the participation table), then school A's
    administrator (1 response, own text only, no filter) — then each again, from the cache."""
    for _ in range(2):
        whole = read(methodist_client, organisation_campaign)
        own = read(school_admin_client, organisation_campaign)
        other = read(other_school_admin_client, organisation_campaign)
        assert 'data-testid="results-total">2<' in whole and "Ответ школы 2" in whole
        assert 'data-testid="participation"' in whole and 'data-testid="group-filter"' in whole
        assert 'data-testid="results-total">1<' in own and "Ответ школы 1" in own and "Ответ школы 2" not in own
        assert 'data-testid="participation"' not in own and 'data-testid="group-filter"' not in own
        assert "Ответ школы 2" in other and "Ответ школы 1" not in other
    # The methodist reading school A's group is another body than the school's administrator's (the filter).
    methodists_a = read(methodist_client, organisation_campaign, f"organisation:{school_a.pk}")
    assert 'data-testid="group-filter"' in methodists_a and "Ответ школы 2" not in methodists_a


def test_a_draft_changes_the_participation_table(organisation_campaign, methodist_client, school_c):
    """An organisation campaign's drafts are not counted but are on the page: its responses are in the digest."""
    read(methodist_client, organisation_campaign)
    respond(organisation_campaign, school_c, q1=YES, status=ResponseStatus.DRAFT)
    assert "черновик — 1" in read(methodist_client, organisation_campaign)


def test_a_body_is_kept_an_hour_not_the_charts_week(seven_campaign, methodist_client, monkeypatch):
    """Every submission makes a new ~230 KB body: outdated ones must leave the cache within the hour."""
    cache = charts._chart_cache()
    kept = {}
    real_set = cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, timeout=None, **kw: (
        kept.__setitem__(key, timeout), real_set(key, value, timeout, **kw)))
    read(methodist_client, seven_campaign)
    bodies = {key: timeout for key, timeout in kept.items() if key.startswith("body:")}
    assert list(bodies.values()) == [3600]
