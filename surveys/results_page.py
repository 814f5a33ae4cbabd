"""The survey results page's body: built from surveys/results.py, rendered once per data version (issue 15.1).

`results_body` renders the body (the group filter, the participation table, every question's counts, shares,
chart and texts) and keeps it in the cache (core/fragments.py) under a key made of

- what the reader is allowed to see: the campaign, the group read (a school administrator's is always their
  own organisation: results.group_for_user) and whether the reader is a school administrator (no filter, no
  participation table) — two readers share a body only when all three are equal;
- a digest of every row the body shows or decides with: the campaign and its questionnaire (questions,
  options, grid rows), the campaign's kept counts (surveys.AnswerCount: their number, newest id and the sum of
  submitted responses — a submission adds a response and a recount or rebuild writes new rows, so each changes
  the digest; the free texts come with the submissions that count them), the addressed organisations, the
  district's organisations and the clusters of the campaign's year with their memberships, and for an
  organisation campaign its responses (drafts and dates of the participation table, which are not counted);
- the code that builds it (templates, modules, the charts' style).

The k-anonymity rule (surveys/disclosure.py) is applied when the body is rendered, with the same inputs the
digest covers (the responses per organisation from the kept counts, the clusters' memberships), so a cached
body shows exactly what a fresh one would: a new submission that makes a group showable, or a membership that
would let a small group be subtracted, is a new digest and a new rendering.
"""
from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from clusters.models import Cluster, ClusterMembership, Organisation
from core import fragments
from core.charts import bar_comparison_chart
from core.scope import Scope

from . import disclosure, responses, selectors
from . import results as r
from .models import AnswerCount, Campaign, GridRow, Measure, Option, Question, Questionnaire, Response

BODY_TEMPLATE = "surveys/results/_campaign_results_body.html"
_code = fragments.code_fingerprint(
    [BODY_TEMPLATE],
    [__file__, r.__file__, disclosure.__file__, selectors.__file__, responses.__file__, fragments.__file__],
)


def _chart(result: r.QuestionResult) -> str:
    labels = [line.label for line in result.lines]
    values = [float(line.share) if line.share is not None else None for line in result.lines]
    # No title: the question heads the card; a narrower figure keeps the labels readable.
    return bar_comparison_chart(labels, values, unit="%", decimals=1, x_max=100, width=5.0)


def results_context(campaign: Campaign, group: Scope, *, is_school: bool) -> dict:
    """Everything the body shows, for a reader allowed to read `group` of `campaign`."""
    questions = responses.questionnaire_structure(campaign.questionnaire)
    results = r.campaign_results(campaign, group, questions=questions)
    for result in results.questions:
        if result.is_choice and result.respondents:
            result.chart = _chart(result)
    participation = None if is_school or not group.is_district else r.participation(campaign)
    return {
        "campaign": campaign,
        "group": group,
        "group_key": r.ALL if group.is_district else group.key,  # the whole campaign is an empty ?group=
        "results": results,
        "group_choices": None if is_school else r.group_choices(campaign),
        "participation": participation,
        "anonymous": campaign.questionnaire.is_anonymous,
        "k_anonymity": r.K_ANONYMITY,
        "suppressed_message": r.SUPPRESSED_MESSAGE,
        "hidden_count": r.HIDDEN_COUNT,
        "multiple_choice_note": r.MULTIPLE_CHOICE_NOTE,
        "is_school": is_school,
        "query": "" if group.is_district else f"?group={group.key}",
    }


def _shown_rows(campaign_id: int, questionnaire_id: int, district_id: int, year: int) -> list[QuerySet]:
    """The rows every results body of a campaign shows or decides with (but an organisation campaign's responses)."""
    in_year = {"district_id": district_id, "year": year}
    return [
        Campaign.objects.filter(pk=campaign_id).values(),
        Questionnaire.objects.filter(pk=questionnaire_id).values(),
        Question.objects.filter(questionnaire_id=questionnaire_id).values(),
        Option.objects.filter(question__questionnaire_id=questionnaire_id).values(),
        GridRow.objects.filter(question__questionnaire_id=questionnaire_id).values(),
        AnswerCount.objects.filter(campaign_id=campaign_id).values("campaign_id").annotate(
            rows=Count("id"), newest=Max("id"), responses=Sum("count", filter=Q(measure=Measure.RESPONSES))
        ),
        Campaign.organisations.through.objects.filter(campaign_id=campaign_id).values(),
        Organisation.objects.filter(district_id=district_id).values("id", "short_name", "is_active"),
        Cluster.objects.filter(**in_year).values("id", "name", "year"),
        ClusterMembership.objects.filter(cluster__district_id=district_id, cluster__year=year)
        .values("cluster_id", "organisation_id"),
    ]


def _organisation_campaign_rows(campaign_id: int, questionnaire_id: int, district_id: int, year: int) -> list[QuerySet]:
    """An organisation campaign's responses too: drafts and dates are in the participation table, not counted."""
    return [
        *_shown_rows(campaign_id, questionnaire_id, district_id, year),
        Response.objects.filter(campaign_id=campaign_id).values("id", "organisation_id", "status", "submitted_on"),
    ]


_anonymous_digest = fragments.RowsDigest(_shown_rows)
_organisation_digest = fragments.RowsDigest(_organisation_campaign_rows)


def results_version(campaign: Campaign) -> str:
    """A digest of every row the campaign's results bodies show (one query on PostgreSQL)."""
    digest = _anonymous_digest if campaign.questionnaire.is_anonymous else _organisation_digest
    return digest(campaign_id=campaign.pk, questionnaire_id=campaign.questionnaire_id,
                  district_id=campaign.district_id, year=selectors.campaign_year(campaign))


def page_context(campaign: Campaign, group: Scope, *, is_school: bool) -> dict:
    """The view's context: the body, and what it shows for whoever inspects the response (the tests, a debug
    toolbar) — computed only when asked for, so a body served from the cache costs nothing more."""
    shown = SimpleLazyObject(lambda: results_context(campaign, group, is_school=is_school))
    return {
        "campaign": campaign,
        "group": group,
        "is_school": is_school,
        "results": SimpleLazyObject(lambda: shown["results"]),
        "group_choices": None if is_school else SimpleLazyObject(lambda: shown["group_choices"]),
        "participation": None if is_school or not group.is_district else SimpleLazyObject(lambda: shown["participation"]),
        "body": results_body(campaign, group, is_school=is_school),
    }


def results_body(campaign: Campaign, group: Scope, *, is_school: bool) -> SafeString:
    """The rendered body for a reader of `group` (school administrator or not), from the cache while unchanged."""

    def render() -> str:
        return render_to_string(BODY_TEMPLATE, results_context(campaign, group, is_school=is_school))

    return fragments.cached_body("survey-results", [campaign.pk, group.key, is_school],
                                 results_version(campaign), _code(), render)
