"""The Sayansk diagnostics demo: individual results whose group means reproduce seed 001's index table."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Avg, Count

from clusters.models import District
from demo.diagnostics import load_diagnostics_demo, reset_diagnostics_demo
from diagnostics import rollups
from diagnostics.models import Answer, Area, AreaScore, DiagnosticCampaign, Invitation, InvitationStatus

pytestmark = pytest.mark.django_db

# Seed 001, typed here again (not imported from the generator's data): year → area code → printed index. The year
# of 2016/17 is 2017 (its end), as a monitoring period's.
COMPETENCIES = ("comp-methodological", "comp-methodical", "comp-technological", "comp-evaluative",
                "comp-diagnostic", "comp-design", "comp-reflexive", "comp-inclusive")
SEED_TABLE = {
    ("competencies", 2017): dict(zip(COMPETENCIES, (
        "0.54", "0.573", "0.42", "0.766", "0.387", "0.661", "0.556", "0.273"), strict=True)),
    ("competencies", 2019): dict(zip(COMPETENCIES, (
        "0.62", "0.667", "0.735", "0.77", "0.389", "0.692", "0.556", "0.277"), strict=True)),
    ("competencies", 2020): dict(zip(COMPETENCIES, (
        "0.623", "0.668", "0.74", "0.773", "0.39", "0.712", "0.558", "0.28"), strict=True)),
    ("digital", 2018): {"digital-knowledge": "0.61", "digital-activity": "0.39"},
    ("digital", 2019): {"digital-knowledge": "0.22", "digital-activity": "0.78"},
    ("digital", 2020): {"digital-knowledge": "0.19", "digital-activity": "0.81"},
}


def _round(value, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _campaigns():
    return DiagnosticCampaign.objects.filter(district__code="sayansk")


def test_six_campaigns_over_a_large_share_of_the_city(demo_output):
    campaigns = _campaigns().annotate(n=Count("invitations"))
    assert sorted((c.instrument.code, c.year, c.period_label) for c in campaigns) == [
        ("competencies", 2017, "2016/17"), ("competencies", 2019, "2018/19"), ("competencies", 2020, "2019/20"),
        ("digital", 2018, "2017/18"), ("digital", 2019, "2018/19"), ("digital", 2020, "2019/20"),
    ]
    assert {(c.instrument.code, c.year): c.n for c in campaigns} == {
        ("competencies", 2017): 350, ("competencies", 2019): 526, ("competencies", 2020): 582,
        ("digital", 2018): 450, ("digital", 2019): 526, ("digital", 2020): 582,
    }
    invitations = Invitation.objects.filter(campaign__in=_campaigns())
    assert not invitations.exclude(status=InvitationStatus.SUBMITTED).exists()
    assert invitations.values("token_hash").distinct().count() == invitations.count()
    assert "Диагностика (город Саянск): кампаний — 6" in demo_output


def test_group_means_reproduce_the_seed_table(demo_output):
    rows = (AreaScore.objects.filter(invitation__campaign__district__code="sayansk")
            .values("invitation__campaign__instrument__code", "invitation__campaign__year", "area__code")
            .annotate(mean=Avg("score"), n=Count("id")))
    means = {(r["invitation__campaign__instrument__code"], r["invitation__campaign__year"], r["area__code"]):
             r["mean"] for r in rows}
    expected = {(code, year, area): printed for (code, year), table in SEED_TABLE.items()
                for area, printed in table.items()}
    assert set(means) == set(expected)
    for key, printed in expected.items():
        places = "0." + "0" * (len(printed) - 2)
        assert _round(means[key], places) == Decimal(printed), key
        # the roll-up's three decimals round to the printed number as well
        assert _round(_round(means[key], "0.001"), places) == Decimal(printed), key


def test_the_competency_index_roll_up_prints_the_seed_table(demo_output):
    """diagnostics.rollups.index_by_year (the competency index page's numbers) over the demo's results."""
    district = District.objects.get(code="sayansk")
    codes = dict(Area.objects.values_list("id", "code"))
    for family in ("competencies", "digital"):
        cells = rollups.index_by_year(district.id, family)
        table = {(family, year, codes[area_id]): cell.mean for (area_id, year), cell in cells.items()}
        expected = {(code, year, area): Decimal(printed) for (code, year), rows in SEED_TABLE.items()
                    if code == family for area, printed in rows.items()}
        assert table == expected


def test_each_area_score_is_the_mean_of_its_answers(demo_output):
    answers = (Answer.objects.filter(invitation__campaign__district__code="sayansk")
               .values("invitation_id", "item__area_id").annotate(mean=Avg("score"), n=Count("id")))
    by_pair = {(a["invitation_id"], a["item__area_id"]): (a["mean"], a["n"]) for a in answers}
    scores = AreaScore.objects.filter(invitation__campaign__district__code="sayansk") \
        .values_list("invitation_id", "area_id", "score", "items")
    assert len(by_pair) == scores.count() > 0
    for invitation_id, area_id, score, items in scores:
        mean, n = by_pair[(invitation_id, area_id)]
        assert (_round(mean, "0.001"), n) == (score, items)


def test_answer_scores_follow_the_scale(demo_output):
    wrong = [(a.choice, a.item.scale, a.score) for a in Answer.objects.filter(
        invitation__campaign__district__code="sayansk", choice__lte=4).select_related("item")[:2000]
        if a.score != _round(Decimal(a.choice) / (4 if a.item.scale == "likert5" else 3), "0.001")]
    assert wrong == []


def test_a_rerun_changes_nothing(demo_output):
    def counts():
        return (_campaigns().count(), Invitation.objects.filter(campaign__in=_campaigns()).count(),
                Answer.objects.filter(invitation__campaign__in=_campaigns()).count(),
                AreaScore.objects.filter(invitation__campaign__in=_campaigns()).count())

    before = counts()
    stats = load_diagnostics_demo()
    assert sum(stats.created.values()) == 0
    assert counts() == before


def test_reset_removes_the_campaigns_and_a_reload_draws_the_same_results(demo_output):
    """The campaigns protect the district (load_demo --reset deletes them first); the draw is seeded."""
    def snapshot():
        return sorted(AreaScore.objects.filter(invitation__campaign__in=_campaigns()).values_list(
            "invitation__campaign__title", "invitation__teacher_id", "area__code", "score"))

    before = snapshot()
    assert reset_diagnostics_demo() > 0
    assert not _campaigns().exists() and not AreaScore.objects.filter(
        invitation__campaign__district__code="sayansk").exists()
    load_diagnostics_demo()
    assert snapshot() == before
