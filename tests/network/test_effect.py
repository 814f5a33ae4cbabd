"""The effect calculations against numbers worked out by hand (docs/domain.md, «Эффект сетевого
взаимодействия»).

Indices are made exact: every result group has two schools, the school under test and a partner
outside the clusters, with means 4 and 3 — group mean 3,5, σ = √((16 + 9)/2 − 3,5²) = 0,5, so
z = +1 for the school with 4 and −1 for the one with 3. An index of 0 is two such groups of equal
participants, one +1 and one −1: (50·1 + 50·(−1)) / 100 = 0.

The scenario (clusters of 2021: C1, then C2; of 2020: C0, then C0b):

    org  tier 2020 (C0)     tier 2021          index 2020 → 2021   change   pair in 2021
    L1   отстающая (C0b ТОП) отстающая C1, C2   −1 → +1              +2      C1: active, mentor T1
    L2   синхронная          отстающая C1       −1 → −1               0      C1: proposed (T2) — not counted
    L3   отстающая           отстающая C1       −1 →  0              +1      C1: completed, mentor T1
    L4   —                   отстающая C1       −1 → (none)           —      —
    L5   —                   отстающая C2        0 → −1              −1      C2: rejected (T3) — not counted
    T1   синхронная          ТОП C1, C2          —                    —      mentor in C1
    T2   ТОП                 ТОП C1              —                    —      mentor of a proposed pair only
    T3   —                   ТОП C2              —                    —      mentor of a rejected pair only
    X    синхронная          —                   —                    —      —
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from clusters.models import Tier
from monitoring import computations
from monitoring.models import Indicator, Period, PeriodKind, Programme, ScopeKind, Source, Value
from monitoring.services import recompute_programme
from monitoring.units import Unit
from network import effect, indicators
from network.models import PairStatus
from tests.factories import ClusterFactory, ClusterMembershipFactory, DistrictFactory, OrganisationFactory
from tests.network.factories import OrganisationPairFactory, result

pytestmark = pytest.mark.django_db

_subjects = itertools.count()


def set_index(org, partner, year: int, value: int) -> None:
    """Give `org` the index +1, −1 or 0 for `year` (see the module docstring)."""
    signs = {1: [1], -1: [-1], 0: [1, -1]}[value]
    for sign in signs:
        subject = f"Предмет {next(_subjects)}"
        result(org, subject, "4" if sign > 0 else "3", year=year)
        result(partner, subject, "3" if sign > 0 else "4", year=year)


@pytest.fixture
def scenario():
    return build_scenario(DistrictFactory())


def build_scenario(d) -> dict:
    """The module docstring's table, in district `d` (the report test builds it in district A)."""
    partner = OrganisationFactory(district=d, short_name="Партнёр")
    orgs = {name: OrganisationFactory(district=d, short_name=name) for name in
            ("L1", "L2", "L3", "L4", "L5", "T1", "T2", "T3", "X")}
    c0 = ClusterFactory(district=d, year=2020, name="C0")
    c0b = ClusterFactory(district=d, year=2020, name="C0b")
    c1 = ClusterFactory(district=d, year=2021, name="C1")
    c2 = ClusterFactory(district=d, year=2021, name="C2")
    for cluster, name, tier in [
        (c0, "L1", Tier.LAGGING), (c0b, "L1", Tier.TOP), (c0, "L2", Tier.SYNCHRONOUS), (c0, "L3", Tier.LAGGING),
        (c0, "T1", Tier.SYNCHRONOUS), (c0, "T2", Tier.TOP), (c0, "X", Tier.SYNCHRONOUS),
        (c1, "L1", Tier.LAGGING), (c1, "L2", Tier.LAGGING), (c1, "L3", Tier.LAGGING), (c1, "L4", Tier.LAGGING),
        (c1, "T1", Tier.TOP), (c1, "T2", Tier.TOP),
        (c2, "L1", Tier.LAGGING), (c2, "L5", Tier.LAGGING), (c2, "T1", Tier.TOP), (c2, "T3", Tier.TOP),
    ]:
        ClusterMembershipFactory(cluster=cluster, organisation=orgs[name], tier=tier)
    for name, before, after in [("L1", -1, 1), ("L2", -1, -1), ("L3", -1, 0), ("L4", -1, None), ("L5", 0, -1)]:
        set_index(orgs[name], partner, 2020, before)
        if after is not None:
            set_index(orgs[name], partner, 2021, after)
    for cluster, mentor, mentee, status in [
        (c1, "T1", "L1", PairStatus.ACTIVE), (c1, "T1", "L3", PairStatus.COMPLETED),
        (c1, "T2", "L2", PairStatus.PROPOSED), (c2, "T3", "L5", PairStatus.REJECTED),
    ]:
        OrganisationPairFactory(cluster=cluster, mentor_organisation=orgs[mentor], mentee_organisation=orgs[mentee],
                                status=status)
    return {"district": d, "orgs": orgs, "c1": c1, "c2": c2, "c0": c0}


def period_of(district, year: int = 2021) -> Period:
    programme = Programme.objects.create(district=district, code=f"net-{year}", name="Сетевое взаимодействие",
                                         period_kind=PeriodKind.YEAR)
    return Period.objects.create(programme=programme, label=str(year), starts_on=dt.date(year, 1, 1),
                                 ends_on=dt.date(year, 12, 31))


def by_key(results):
    return {("district" if r.scope_kind == ScopeKind.DISTRICT else r.cluster_id): r for r in results}


def test_the_index_changes_are_the_hand_worked_ones(scenario):
    o = scenario["orgs"]
    changes = effect.changes_for_year(scenario["district"].pk, 2021)
    assert {name: changes.get(o[name].pk) for name in ("L1", "L2", "L3", "L4", "L5")} == {
        "L1": Decimal("2.000"), "L2": Decimal("0.000"), "L3": Decimal("1.000"), "L4": None, "L5": Decimal("-1.000"),
    }


def test_lagging_improved_share(scenario):
    d, c1, c2 = scenario["district"], scenario["c1"], scenario["c2"]
    results = by_key(computations.calculate(indicators.LAGGING_IMPROVED, d.pk, period_of(d)))
    # C1: L1 (+2), L2 (0), L3 (+1) have both indices, L4 has no 2021 index → rose L1, L3: 2 of 3.
    assert (results[c1.pk].numerator, results[c1.pk].denominator) == (2, 3)
    assert round(results[c1.pk].fact, 2) == Decimal("66.67")
    # C2: L1 (+2), L5 (−1) → 1 of 2 = 50 %.
    assert (results[c2.pk].numerator, results[c2.pk].denominator, results[c2.pk].fact) == (1, 2, Decimal(50))
    # District, each organisation once: L1, L2, L3, L5 → rose L1, L3: 2 of 4 = 50 %.
    assert (results["district"].numerator, results["district"].denominator) == (2, 4)
    assert set(results) == {"district", c1.pk, c2.pk}


def test_paired_gain_difference_with_both_counts(scenario):
    d, c1, c2 = scenario["district"], scenario["c1"], scenario["c2"]
    gain = effect.lagging_effect(d.pk, 2021).gain
    # C1: paired L1 (+2), L3 (+1): mean 1,5; unpaired L2 (0; its pair is only proposed): mean 0 → 1,5.
    assert gain[c1.pk].as_tuple() == (2, Decimal("1.5"), 1, Decimal("0"), Decimal("1.5"))
    # C2: no effective pair (L5's was rejected; L1 is paired in C1, not here) → no paired group, no value.
    assert gain[c2.pk].as_tuple() == (0, None, 2, Decimal("0.5"), None)
    # District: paired L1, L3 (mean 1,5), unpaired L2 (0), L5 (−1): mean −0,5 → 1,5 − (−0,5) = 2.
    assert gain[effect.DISTRICT].as_tuple() == (2, Decimal("1.5"), 2, Decimal("-0.5"), Decimal("2.0"))

    results = by_key(computations.calculate(indicators.PAIRED_GAIN, d.pk, period_of(d)))
    district = results["district"]
    assert (district.fact, district.numerator, district.denominator) == (Decimal("2.0"), 2, 4)
    assert results[c2.pk].fact is None and (results[c2.pk].numerator, results[c2.pk].denominator) == (0, 2)


def test_top_tutoring_share(scenario):
    d, c1, c2 = scenario["district"], scenario["c1"], scenario["c2"]
    results = by_key(computations.calculate(indicators.TOP_TUTORING, d.pk, period_of(d)))
    # C1: ТОП T1 (mentor of an active and a completed pair), T2 (proposed only) → 1 of 2.
    assert (results[c1.pk].numerator, results[c1.pk].denominator, results[c1.pk].fact) == (1, 2, Decimal(50))
    # C2: ТОП T1 (no pair in C2), T3 (rejected only) → 0 of 2.
    assert (results[c2.pk].numerator, results[c2.pk].denominator) == (0, 2)
    # District: T1, T2, T3 once each → T1 tutors (in C1): 1 of 3.
    assert (results["district"].numerator, results["district"].denominator) == (1, 3)


def test_tier_movement_table(scenario):
    d = scenario["district"]
    m = effect.tier_movement(d.pk, 2020)
    # L1 is in C0 (отстающая) and C0b (ТОП) in 2020: the lower cluster pk, C0, gives its tier.
    # 2020 → 2021: L1 lag→lag, L3 lag→lag, L2 sync→lag, T1 sync→ТОП, T2 ТОП→ТОП; X left; L4, L5, T3 joined.
    assert m.matrix() == [
        # to: отст. синхр. ТОП
        [2, 0, 0],  # from отстающая
        [1, 0, 1],  # from синхронная
        [0, 0, 1],  # from ТОП
    ]
    assert (m.total, m.rose, m.stayed, m.fell, m.left, m.joined) == (5, 1, 3, 1, 1, 3)
    assert effect.tier_movement(d.pk, 2021).total == 0  # no clusters of 2022


def test_tier_rise_share(scenario):
    d, c1, c2 = scenario["district"], scenario["c1"], scenario["c2"]
    results = by_key(computations.calculate(indicators.TIER_RISE, d.pk, period_of(d)))
    # District: L1, L2, L3, T1, T2 are in clusters of both years; only T1 rose (sync → ТОП): 1 of 5.
    assert (results["district"].numerator, results["district"].denominator, results["district"].fact) == (
        1, 5, Decimal(20))
    # C1: the same five members with a 2020 tier (L4 has none) → 1 of 5; C2: L1 (lag → lag), T1 (rose) → 1 of 2.
    assert (results[c1.pk].numerator, results[c1.pk].denominator) == (1, 5)
    assert (results[c2.pk].numerator, results[c2.pk].denominator) == (1, 2)


def test_a_district_without_clusters_or_results_has_no_values():
    d = DistrictFactory()
    period = period_of(d)
    for code in indicators.CODES:
        (district,) = computations.calculate(code, d.pk, period)
        assert (district.numerator, district.denominator, district.fact) == (0, 0, None)


def test_a_methodist_uses_them_in_a_programme_like_any_calculation(scenario):
    d = scenario["district"]
    period = period_of(d)
    assert set(indicators.CODES) <= set(computations.registered_calculations())
    made = []
    for position, code in enumerate(indicators.CODES):
        indicator = Indicator(programme=period.programme, code=code.replace("_", "-"), name=code, position=position,
                              unit=indicators.UNITS[code], source=Source.COMPUTED, calculation=code, decimals=1)
        indicator.full_clean()
        indicator.save()
        made.append(indicator)
    recompute_programme(period.programme)
    facts = {v.indicator.calculation: (v.fact, v.numerator, v.denominator) for v in
             Value.objects.filter(period=period, scope_kind=ScopeKind.DISTRICT).select_related("indicator")}
    assert facts[indicators.PAIRED_GAIN] == (Decimal("2.0000"), Decimal(2), Decimal(4))
    assert facts[indicators.LAGGING_IMPROVED] == (Decimal("50.0000"), Decimal(2), Decimal(4))
    assert facts[indicators.TOP_TUTORING][0] == Decimal("33.3333")
    assert facts[indicators.TIER_RISE][0] == Decimal("20.0000")
    assert indicators.UNITS[indicators.PAIRED_GAIN] == Unit.POINTS


def test_the_number_of_queries_does_not_grow_with_the_organisations(scenario):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d, c1 = scenario["district"], scenario["c1"]
    period = period_of(d)

    def counts() -> dict[str, int]:
        result = {}
        for code in indicators.CODES:
            with CaptureQueriesContext(connection) as queries:
                computations.calculate(code, d.pk, period)
            result[code] = len(queries)
        return result

    before = counts()
    partner = OrganisationFactory(district=d)
    for _ in range(6):  # six more отстающие with both indices and an active pair each
        org = OrganisationFactory(district=d)
        ClusterMembershipFactory(cluster=c1, organisation=org, tier=Tier.LAGGING)
        set_index(org, partner, 2020, -1)
        set_index(org, partner, 2021, 1)
        OrganisationPairFactory(cluster=c1, mentor_organisation=scenario["orgs"]["T2"], mentee_organisation=org)
    assert counts() == before
    assert max(before.values()) <= 5


def test_the_indicator_form_offers_them_to_a_methodist_and_refuses_a_director(
    district_a, methodist_client, director_client,
):
    from django.urls import reverse

    period = period_of(district_a)
    create = reverse("monitoring:indicator_create", args=[period.programme.pk])
    form = methodist_client.get(create).context["form"]
    offered = dict(form.fields["calculation"].choices)
    assert offered[indicators.PAIRED_GAIN] == (
        "Разница среднего изменения индекса отстающих ОУ в наставнических парах и без пар")
    data = {"code": "paired-gain", "name": "Разница прироста индекса в парах и без пар", "section": "",
            "unit": Unit.POINTS, "direction": "higher", "decimals": "2", "method": "", "source": Source.COMPUTED,
            "calculation": indicators.PAIRED_GAIN, "parameters": ""}
    assert director_client.post(create, data).status_code == 403
    assert not period.programme.indicators.exists()
    assert methodist_client.post(create, data).status_code == 302
    assert period.programme.indicators.get().calculation == indicators.PAIRED_GAIN
