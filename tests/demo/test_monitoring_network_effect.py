"""The demo's effect programme: the four network calculations computed from the network demo's data.

The facts the demo stores came from `recompute_programme` (network/effect.py). Here they are counted
again by hand from the rows — results, memberships, pairs — with the definitions of docs/domain.md
(«Уровни по результатам», «Эффект сетевого взаимодействия»), without calling network/effect.py or
network/results_index.py, and both are compared with the numbers the demo prints.

The demo's numbers for 2021 (Frunzensky, the district figure):
    lagging whose index rose         8 of 11 = 72,7 %     plan 60 %
    paired − unpaired mean change    +0,710 (8) − (−0,491) (3) = +1,201 index points    plan 0,3
    ТОП organisations tutoring       7 of 16 = 43,75 % → 43,8 %     plan 50 % (not met)
    organisations whose tier rose    5 of 13 = 38,5 %     plan 30 %
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from clusters.models import ClusterMembership, Tier
from monitoring.calculations import quantize
from monitoring.models import Source, Value
from network.models import AssessmentResult, OrganisationPair, PairStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]

DISTRICT = "frunzensky"
RANK = {Tier.LAGGING: 0, Tier.SYNCHRONOUS: 1, Tier.TOP: 2}


def effect_values() -> dict[str, Value]:
    values = Value.objects.filter(indicator__programme__district__code=DISTRICT,
                                  indicator__programme__code="network-results-effect", period__label="2021",
                                  scope_key="district").select_related("indicator")
    return {value.indicator.code: value for value in values}


def hand_indices(year: int) -> dict[int, Decimal]:
    """docs/domain.md: z = (mean − group mean) / population σ of the district's means in the same procedure ×
    subject × grade × year (no z for a group of one or without spread); index = Σ participants·z / Σ participants,
    three decimals, half up."""
    rows = list(AssessmentResult.objects.filter(organisation__district__code=DISTRICT, year=year).values_list(
        "organisation_id", "procedure_id", "subject", "grade", "participants", "mean_score"))
    groups = defaultdict(list)
    for _, procedure, subject, grade, _, mean in rows:
        groups[(procedure, subject, grade)].append(float(mean))
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for organisation, procedure, subject, grade, participants, mean in rows:
        scores = groups[(procedure, subject, grade)]
        sigma = statistics.pstdev(scores)
        if len(scores) < 2 or sigma < 1e-6:
            continue
        sums[organisation][0] += participants * (float(mean) - statistics.fmean(scores)) / sigma
        sums[organisation][1] += participants
    return {org: Decimal(str(s / n)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) for org, (s, n) in sums.items()}


def hand_changes() -> dict[int, Decimal]:
    before, after = hand_indices(2020), hand_indices(2021)
    return {org: after[org] - before[org] for org in after if org in before}


def memberships(year: int, **filters):
    return ClusterMembership.objects.filter(cluster__district__code=DISTRICT, cluster__year=year, **filters)


def effective_pairs():
    return OrganisationPair.objects.filter(cluster__district__code=DISTRICT, cluster__year=2021,
                                           status__in=[PairStatus.ACTIVE, PairStatus.COMPLETED])


def tier_by_organisation(year: int) -> dict[int, str]:
    """An organisation in several clusters of a year takes the tier of the lowest cluster id (docs/domain.md)."""
    tiers: dict[int, str] = {}
    for organisation, tier in memberships(year).order_by("-cluster_id").values_list("organisation_id", "tier"):
        tiers[organisation] = tier  # the lowest cluster id comes last and wins
    return tiers


def test_the_programme_has_the_four_calculations_with_plans_and_computed_facts():
    values = effect_values()
    assert {code: (v.indicator.calculation, v.plan) for code, v in values.items()} == {
        "lagging_improved": ("network_lagging_improved_share", Decimal(60)),
        "paired_gain": ("network_paired_gain_difference", Decimal("0.3")),
        "top_tutoring": ("network_top_tutoring_share", Decimal(50)),
        "tier_rise": ("network_tier_rise_share", Decimal(30)),
    }
    for value in values.values():
        assert value.fact_source == Source.COMPUTED and value.computed_at is not None
        assert value.changes.get(field="plan").changed_by.username == "metodist"


def test_lagging_improved_and_the_paired_gain_match_a_count_by_hand():
    changes = hand_changes()
    lagging = set(memberships(2021, tier=Tier.LAGGING).values_list("organisation_id", flat=True))
    paired = set(effective_pairs().filter(mentee_organisation_id__in=lagging)
                 .values_list("mentee_organisation_id", flat=True))
    compared = [org for org in lagging if org in changes]
    rose = [org for org in compared if changes[org] > 0]
    paired_changes = [changes[org] for org in compared if org in paired]
    unpaired_changes = [changes[org] for org in compared if org not in paired]
    paired_mean = sum(paired_changes) / len(paired_changes)
    unpaired_mean = sum(unpaired_changes) / len(unpaired_changes)

    # The demo's numbers: 8 of the 11 comparable lagging organisations rose (72,7 %); 8 paired with a mean
    # change of +0,710, 3 unpaired with −0,491 → +0,710 − (−0,491) = +1,201.
    assert (len(rose), len(compared)) == (8, 11)
    assert (len(paired_changes), len(unpaired_changes)) == (8, 3)
    assert (paired_mean.quantize(Decimal("0.001")), unpaired_mean.quantize(Decimal("0.001"))) == (
        Decimal("0.710"), Decimal("-0.491"))
    assert (paired_mean - unpaired_mean).quantize(Decimal("0.001")) == Decimal("1.201")

    values = effect_values()
    improved, gain = values["lagging_improved"], values["paired_gain"]
    assert (improved.numerator, improved.denominator) == (len(rose), len(compared))
    assert quantize(improved.fact, 1) == Decimal("72.7")  # 8 / 11 = 72,73 %
    assert (gain.numerator, gain.denominator) == (8, 11)  # paired of the compared
    assert quantize(gain.fact, 3) == Decimal("1.201")


def test_top_tutoring_and_tier_rise_match_a_count_by_hand():
    tops = set(memberships(2021, tier=Tier.TOP).values_list("organisation_id", flat=True))
    tutoring = tops & set(effective_pairs().values_list("mentor_organisation_id", flat=True))
    before, after = tier_by_organisation(2020), tier_by_organisation(2021)
    both = [org for org in after if org in before]
    rose = [org for org in both if RANK[after[org]] > RANK[before[org]]]

    # 7 of the 16 ТОП organisations tutor (43,75 %); of the 13 organisations in clusters of 2020 and 2021,
    # 5 went up a tier (38,46 %).
    assert (len(tutoring), len(tops)) == (7, 16)
    assert (len(rose), len(both)) == (5, 13)

    values = effect_values()
    tutor, rise = values["top_tutoring"], values["tier_rise"]
    assert (tutor.numerator, tutor.denominator, quantize(tutor.fact, 1)) == (7, 16, Decimal("43.8"))
    assert (rise.numerator, rise.denominator, quantize(rise.fact, 1)) == (5, 13, Decimal("38.5"))
    # Plan/fact: three plans met, half the ТОП organisations tutoring is not (43,8 % < 50 %).
    assert [v.fact >= v.plan for v in (values["lagging_improved"], values["paired_gain"], tutor, rise)] == [
        True, True, False, True]
