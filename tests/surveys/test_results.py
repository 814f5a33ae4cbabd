"""Campaign results against counts worked out by hand (factories.seven_responses)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from surveys import results as r
from surveys.models import Audience, ResponseStatus
from surveys.responses import anonymous_response_submit, questionnaire_structure
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory

from .factories import (
    NO,
    OTHER,
    UNSURE,
    YES,
    make_campaign,
    respond,
    results_questionnaire,
    seven_responses,
)

pytestmark = pytest.mark.django_db


def pct(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))


def by_code(results: r.CampaignResults) -> dict[str, r.QuestionResult]:
    return {q.question.code: q for q in results.questions}


def lines(result: r.QuestionResult) -> dict[str, tuple[int, Decimal | None]]:
    return {line.label: (line.count, pct(line.share) if line.share is not None else None) for line in result.lines}


# --- aggregation ------------------------------------------------------------------------------


def test_single_choice_counts_and_shares_of_those_who_answered(seven_campaign):
    """7 responses, R6 skipped q1: 6 answered; Да 4/6 = 66,7 %; «Другое» is a line of its own."""
    results = r.campaign_results(seven_campaign)
    assert results.responses == 7
    q1 = by_code(results)["q1"]
    assert q1.respondents == 6
    assert pct(q1.share_of_responses) == pct(Decimal(600) / 7)
    assert lines(q1) == {YES: (4, pct("66.7")), UNSURE: (1, pct("16.7")), NO: (1, pct("16.7")), "Другое": (0, pct(0))}


def test_multiple_choice_shares_are_of_respondents_and_may_exceed_100_percent(seven_campaign):
    """6 answered q2: Консультации 2, Семинары 4, Курсы 2, Другое 2 (R3, R7) — 166,7 % together."""
    q2 = by_code(r.campaign_results(seven_campaign))["q2"]
    assert q2.respondents == 6
    assert lines(q2) == {"Консультации": (2, pct("33.3")), "Семинары": (4, pct("66.7")),
                         "Курсы": (2, pct("33.3")), "Другое": (2, pct("33.3"))}
    assert sum(line.share for line in q2.lines) > 100
    assert q2.texts == ["Стажировки", "Наставничество"]


def test_grid_counts_and_shares_per_row(seven_campaign):
    q3 = by_code(r.campaign_results(seven_campaign))["q3"]
    assert q3.respondents == 6
    assert q3.columns == ["Нужно", "Трудно сказать", "Не нужно"]
    table = {line.label: (line.respondents, [(c.count, pct(c.share)) for c in line.cells]) for line in q3.grid}
    assert table == {
        "Аттестация": (6, [(3, pct(50)), (2, pct("33.3")), (1, pct("16.7"))]),
        "Конкурсы": (5, [(3, pct(60)), (1, pct(20)), (1, pct(20))]),
    }


def test_free_texts_are_listed_and_numbers_summarised(seven_campaign):
    by = by_code(r.campaign_results(seven_campaign))
    assert by["q4"].respondents == 3
    assert by["q4"].texts == ["Больше практики", '=HYPERLINK("http://evil.example","нажми")', "Спасибо"]
    stats = by["q5"].numbers
    assert (stats.count, stats.mean, stats.minimum, stats.maximum) == (4, Decimal(10), Decimal(2), Decimal(25))


def test_texts_on_the_page_are_limited_but_counted(seven_campaign):
    q4 = by_code(r.campaign_results(seven_campaign, text_limit=2))["q4"]
    assert q4.texts == ["Больше практики", '=HYPERLINK("http://evil.example","нажми")']
    assert q4.more_texts == 1


def test_answers_stored_by_the_submission_service_count_the_same(district_a, school_a):
    questionnaire = results_questionnaire(district_a)
    campaign = make_campaign(questionnaire, district_a)
    q = {question.code: question for question in questionnaire_structure(questionnaire)}
    option = {(o.question.code, o.text): o.pk for question in q.values() for o in question.options.all()}
    rows = {row.text: row.pk for row in q["q3"].rows.all()}
    for key, (first, seminar) in enumerate([(YES, True), (YES, False), (NO, True)]):
        data = {f"q{q['q1'].pk}": str(option[("q1", first)]),
                f"q{q['q3'].pk}_r{rows['Аттестация']}": str(option[("q3", "Нужно")])}
        data[f"q{q['q2'].pk}"] = [str(option[("q2", "Семинары")]), "other"] if seminar else ["other"]
        data[f"q{q['q2'].pk}_other"] = "Своё"
        data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
        anonymous_response_submit(campaign=campaign, organisation=school_a, data=data, submission_key=f"k{key}")
    by = by_code(r.campaign_results(campaign))
    assert lines(by["q1"])[YES] == (2, pct("66.7"))
    assert lines(by["q2"]) == {"Консультации": (0, pct(0)), "Семинары": (2, pct("66.7")), "Курсы": (0, pct(0)),
                               "Другое": (3, pct(100))}
    assert by["q3"].grid[0].cells[0].count == 3


def test_drafts_of_organisation_campaigns_do_not_count(district_a, school_a, school_b):
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION), district_a)
    respond(campaign, school_a, q1=YES)
    respond(campaign, school_b, q1=NO, status=ResponseStatus.DRAFT)
    results = r.campaign_results(campaign)
    assert results.responses == 1
    assert lines(by_code(results)["q1"])[YES] == (1, pct(100))
    assert lines(by_code(results)["q1"])[NO] == (0, pct(0))


def test_results_take_the_same_few_queries_whatever_the_number_of_questions(district_a, school_a, school_b):
    """Structure (3) + responses, counts, respondents, numbers, texts: 8 for 5 or for 45 questions."""
    counts = []
    for extra in (0, 40):
        campaign = make_campaign(results_questionnaire(district_a, code=f"n{extra}", extra_questions=extra), district_a)
        seven_responses(campaign, school_a, school_b)
        campaign = type(campaign).objects.select_related("questionnaire").get(pk=campaign.pk)
        with CaptureQueriesContext(connection) as queries:
            results = r.campaign_results(campaign)
        assert len(results.questions) == 5 + extra
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8


# --- groups and k-anonymity ---------------------------------------------------------------------


def test_an_organisation_with_four_respondents_is_not_shown(seven_campaign, school_a):
    results = r.campaign_results(seven_campaign, r.group_from_key(seven_campaign, f"organisation:{school_a.pk}"))
    assert results.suppressed
    assert results.questions == []


def general_link_responses(campaign, n: int) -> None:
    """n more responses through the general link (q1 «Да»), so the rest of the campaign is large enough."""
    for _ in range(n):
        respond(campaign, None, q1=YES)


def test_an_organisation_with_five_respondents_is_shown(seven_campaign, school_a):
    """A 5; the rest of the campaign (B 2 + general link 5) is 7 ≥ 5, so A may be shown."""
    respond(seven_campaign, school_a, q1=NO)
    general_link_responses(seven_campaign, 4)
    results = r.campaign_results(seven_campaign, r.group_from_key(seven_campaign, f"organisation:{school_a.pk}"))
    assert not results.suppressed
    assert results.responses == 5
    assert lines(by_code(results)["q1"])[YES] == (3, pct(60))


def test_five_respondents_are_not_shown_when_the_rest_of_the_campaign_is_small(seven_campaign, school_a):
    """A 5 of 8: the campaign minus A would be the answers of B's 2 and the general link's 1."""
    respond(seven_campaign, school_a, q1=NO)
    results = r.campaign_results(seven_campaign, r.group_from_key(seven_campaign, f"organisation:{school_a.pk}"))
    assert results.suppressed and results.questions == []


def test_a_cluster_counts_the_organisations_of_its_memberships(seven_campaign, district_a, school_a, school_b):
    """Cluster of the campaign's year = {A, B}: R1–R6; q1 answered by 5, Да R1 R2 R4 → 60 %.

    Four more answers through the general link leave 5 outside the cluster, so it may be shown.
    """
    general_link_responses(seven_campaign, 4)
    cluster = ClusterFactory(district=district_a, year=timezone.localtime(seven_campaign.closes_at).year)
    ClusterMembershipFactory(cluster=cluster, organisation=school_a)
    ClusterMembershipFactory(cluster=cluster, organisation=school_b)
    results = r.campaign_results(seven_campaign, r.group_from_key(seven_campaign, f"cluster:{cluster.pk}"))
    assert results.responses == 6
    assert lines(by_code(results)["q1"])[YES] == (3, pct(60))
    assert ("Консультации", 2) in [(line.label, line.count) for line in by_code(results)["q2"].lines]


def test_small_groups_of_organisation_campaigns_are_shown(district_a, school_a, school_b):
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION), district_a)
    respond(campaign, school_a, q1=YES)
    results = r.campaign_results(campaign, r.group_from_key(campaign, f"organisation:{school_a.pk}"))
    assert not results.suppressed and results.responses == 1


def test_breakdown_leaves_out_groups_under_five_and_groups_whose_rest_is_under_five(
    seven_campaign, district_a, school_a, school_b, school_c
):
    """A has 5 after R8, B has 2, the general link 5 after four more: the cluster {A, B} (7) is
    shown (the campaign minus it is 5), A is not (the cluster minus A would be B's 2 answers)."""
    respond(seven_campaign, school_a, q1=NO)
    general_link_responses(seven_campaign, 4)
    cluster = ClusterFactory(district=district_a, year=timezone.localtime(seven_campaign.closes_at).year, name="К")
    for school in (school_a, school_b):
        ClusterMembershipFactory(cluster=cluster, organisation=school)
    groups = r.results_by_group(seven_campaign, questionnaire_structure(seven_campaign.questionnaire))
    assert [(g.group.label, g.responses) for g in groups] == [("Кластер «К»", 7)]
    cluster_q1 = {q.question.code: q for q in groups[0].questions}["q1"]
    assert lines(cluster_q1)[YES] == (3, pct(50))  # A: R1 R2 R4 of 5 answered + B: R5 answered → 3/6
    # School C with 5 of its own is in no cluster: the cluster (7), C (5) and the rest (5) may all be shown.
    for _ in range(5):
        respond(seven_campaign, school_c, q1=UNSURE)
    groups = r.results_by_group(seven_campaign, questionnaire_structure(seven_campaign.questionnaire))
    assert [(g.group.label, g.responses) for g in groups] == [(school_c.short_name, 5), ("Кластер «К»", 7)]


def test_a_group_of_another_district_is_not_found(seven_campaign, school_other_district):
    from django.http import Http404

    with pytest.raises(Http404):
        r.group_from_key(seven_campaign, f"organisation:{school_other_district.pk}")


def test_response_rate_of_an_organisation_campaign(district_a, school_a, school_b):
    third = OrganisationFactory(district=district_a, short_name="ГБОУ СОШ № 3")
    OrganisationFactory(district=district_a, short_name="Закрытая", is_active=False)
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION), district_a)
    respond(campaign, school_a, q1=YES, submitted_on=dt.date(2021, 5, 20))
    respond(campaign, school_b, q1=NO, status=ResponseStatus.DRAFT)
    p = r.participation(campaign)
    assert [(row.organisation.short_name, row.status_label) for row in p.rows] == [
        (school_a.short_name, "отправлена"), (school_b.short_name, "черновик"), (third.short_name, "не начата")]
    assert (p.addressed, p.submitted, p.drafts, p.not_started) == (3, 1, 1, 1)
    assert pct(p.rate) == pct("33.3")


def test_response_rate_counts_only_the_chosen_organisations(district_a, school_a, school_b):
    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION), district_a,
                             organisations=[school_b])
    respond(campaign, school_b, q1=NO)
    p = r.participation(campaign)
    assert [row.organisation for row in p.rows] == [school_b]
    assert (p.addressed, p.submitted) == (1, 1)


def test_other_text_without_allow_other_still_counts_as_its_own_line(district_a, school_a):
    """An answer of a choice question without an option is «Другое», even if the option was switched off."""
    questionnaire = results_questionnaire(district_a)
    campaign = make_campaign(questionnaire, district_a)
    respond(campaign, school_a, q1=OTHER("Частично"))
    questionnaire.questions.filter(code="q1").update(allow_other=False)
    q1 = by_code(r.campaign_results(campaign))["q1"]
    assert lines(q1)["Другое"] == (1, pct(100))
    assert q1.texts == ["Частично"]
