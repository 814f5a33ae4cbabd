"""Tiers computed from results (network/services/tiers.py) against numbers worked out by hand.

The district of `build_district` (results of 2020, clusters of 2021):

    group                       A            B            C            D           E           F
    ОГЭ Математика 9        5,00 (75)    5,00 (50)    3,00 (100)   3,00 (40)       —          —
    ВПР Русский язык 5      3,00 (25)    3,00 (150)   5,00 (100)       —       5,00 (60)      —
    ОГЭ Физика 9                —            —            —            —       4,20 (30)      —
    ВПР Математика 5            —            —            —        4,00 (10)   4,00 (10)      —
    (mean score, participants in brackets)

    ОГЭ Математика 9: mean (5 + 5 + 3 + 3) / 4 = 4; σ = √((1 + 1 + 1 + 1) / 4) = 1 → z A +1, B +1, C −1, D −1
    ВПР Русский язык 5: mean (3 + 3 + 5 + 5) / 4 = 4; σ = 1                    → z A −1, B −1, C +1, E +1
    ОГЭ Физика 9: E alone — no z («одна организация»); ВПР Математика 5: 4 and 4, σ = 0 — no z («нет разброса»)

    index A = (75·1 + 25·(−1)) / (75 + 25)   = 50 / 100   = +0,500 → ТОП (exactly at the threshold)
    index B = (50·1 + 150·(−1)) / (50 + 150) = −100 / 200 = −0,500 → отстающая (exactly at the threshold)
    index C = (100·(−1) + 100·1) / 200       = 0          →  0,000 → синхронная
    index D = 40·(−1) / 40                   = −1,000 (weight 40; the flat row left out) → отстающая
    index E = 60·1 / 60                      = +1,000 (weight 60; both rows without z left out) → ТОП
    F has no results: keeps its tier, marked «задан вручную».
"""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.models import ClusterMembership, Tier, TierSource
from core.errors import ForbiddenError, InvalidError
from network.models import TierChange
from network.services import tiers
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory
from tests.network.factories import TierSettingsFactory, result

pytestmark = pytest.mark.django_db

D = Decimal


def build_district(district) -> SimpleNamespace:
    orgs = {code: OrganisationFactory(district=district, code=f"T-{code}", short_name=f"Школа {code}")
            for code in "ABCDEF"}
    a, b, c, d, e, _ = orgs.values()
    for org, mean, weight in ((a, 5, 75), (b, 5, 50), (c, 3, 100), (d, 3, 40)):
        result(org, "Математика", mean, participants=weight)
    for org, mean, weight in ((a, 3, 25), (b, 3, 150), (c, 5, 100), (e, 5, 60)):
        result(org, "Русский язык", mean, participants=weight, procedure_name="ВПР", grade=5)
    result(e, "Физика", "4.2", participants=30)
    result(d, "Математика", 4, participants=10, procedure_name="ВПР", grade=5)
    result(e, "Математика", 4, participants=10, procedure_name="ВПР", grade=5)
    cluster = ClusterFactory(district=district, year=2021, name="Функциональная грамотность")
    members = {code: ClusterMembershipFactory(cluster=cluster, organisation=org, tier=Tier.SYNCHRONOUS)
               for code, org in orgs.items()}
    return SimpleNamespace(cluster=cluster, orgs=orgs, members=members)


def state(world) -> dict[str, tuple[str, str, Decimal | None]]:
    return {code: (m.tier, m.tier_source, m.tier_index)
            for code, m in ((code, ClusterMembership.objects.get(pk=m.pk)) for code, m in world.members.items())}


@pytest.fixture
def world(district_a):
    return build_district(district_a)


def test_defaults_when_the_district_has_no_settings(district_a):
    settings = tiers.tier_settings(district_a)
    assert (settings.pk, settings.top_threshold, settings.lagging_threshold, settings.max_mentees) == \
        (None, D("0.5"), D("-0.5"), 2)


def test_computed_tiers_by_hand(world, methodist):
    run = tiers.apply_computed_tiers(district=world.cluster.district, year=2021, user=methodist)
    assert state(world) == {
        "A": (Tier.TOP, TierSource.COMPUTED, D("0.500")),  # exactly at +0.5 → ТОП
        "B": (Tier.LAGGING, TierSource.COMPUTED, D("-0.500")),  # exactly at −0.5 → отстающая
        "C": (Tier.SYNCHRONOUS, TierSource.COMPUTED, D("0.000")),
        "D": (Tier.LAGGING, TierSource.COMPUTED, D("-1.000")),
        "E": (Tier.TOP, TierSource.COMPUTED, D("1.000")),
        "F": (Tier.SYNCHRONOUS, TierSource.MANUAL, None),  # no results: keeps its tier
    }
    # A, B, D, E changed tier (all started синхронная); C changed source only; F stayed manual.
    assert (run.computed, run.changed, run.manual, run.overridden) == (5, 4, 1, 0)
    assert (run.year, run.results_year) == (2021, 2020)
    history = {(c.membership.organisation.code, c.previous_tier, c.tier, c.source, c.index, c.changed_by_id)
               for c in TierChange.objects.select_related("membership__organisation")}
    assert history == {
        ("T-A", Tier.SYNCHRONOUS, Tier.TOP, TierSource.COMPUTED, D("0.500"), methodist.pk),
        ("T-B", Tier.SYNCHRONOUS, Tier.LAGGING, TierSource.COMPUTED, D("-0.500"), methodist.pk),
        ("T-C", Tier.SYNCHRONOUS, Tier.SYNCHRONOUS, TierSource.COMPUTED, D("0.000"), methodist.pk),
        ("T-D", Tier.SYNCHRONOUS, Tier.LAGGING, TierSource.COMPUTED, D("-1.000"), methodist.pk),
        ("T-E", Tier.SYNCHRONOUS, Tier.TOP, TierSource.COMPUTED, D("1.000"), methodist.pk),
    }


def test_recompute_is_idempotent_and_writes_nothing_when_nothing_changed(world):
    tiers.apply_computed_tiers(district=world.cluster.district, year=2021)
    before = TierChange.objects.count()
    again = tiers.apply_computed_tiers(district=world.cluster.district, year=2021)
    assert (again.changed, TierChange.objects.count()) == (0, before)
    assert TierChange.objects.filter(changed_by__isnull=False).count() == 0  # the portal recomputed, no user


def test_configured_thresholds_change_the_result(world):
    # top 0.6 / lagging −0.6: A (+0.5) and B (−0.5) fall inside → синхронная; D (−1) and E (+1) keep theirs.
    TierSettingsFactory(district=world.cluster.district, top_threshold=D("0.6"), lagging_threshold=D("-0.6"))
    tiers.apply_computed_tiers(district=world.cluster.district, year=2021)
    assert {code: tier for code, (tier, _, _) in state(world).items()} == {
        "A": Tier.SYNCHRONOUS, "B": Tier.SYNCHRONOUS, "C": Tier.SYNCHRONOUS,
        "D": Tier.LAGGING, "E": Tier.TOP, "F": Tier.SYNCHRONOUS,
    }


def test_no_results_keeps_a_hand_tier_and_loses_a_stale_index(world, district_a):
    world.members["F"].tier = Tier.TOP
    world.members["F"].save()
    tiers.apply_computed_tiers(district=district_a, year=2021)
    assert state(world)["F"] == (Tier.TOP, TierSource.MANUAL, None)
    # The year after (2022, results of 2021 — none): a computed member goes back to manual, tier kept.
    later = ClusterFactory(district=district_a, year=2022)
    kept = ClusterMembershipFactory(cluster=later, organisation=world.orgs["A"], tier=Tier.TOP,
                                    tier_source=TierSource.COMPUTED, tier_index=D("0.700"))
    run = tiers.apply_computed_tiers(district=district_a, year=2022)
    kept.refresh_from_db()
    assert (kept.tier, kept.tier_source, kept.tier_index) == (Tier.TOP, TierSource.MANUAL, None)
    assert (run.computed, run.manual, run.changed) == (0, 1, 0)
    assert TierChange.objects.filter(membership=kept, source=TierSource.MANUAL, previous_tier=Tier.TOP).count() == 1


def test_only_the_year_and_district_asked_are_touched(world, district_a, district_b):
    other_year = ClusterMembershipFactory(cluster=ClusterFactory(district=district_a, year=2020),
                                          organisation=world.orgs["A"])
    other_district = ClusterMembershipFactory(cluster=ClusterFactory(district=district_b, year=2021))
    second = ClusterMembershipFactory(cluster=ClusterFactory(district=district_a, year=2021, name="Второй"),
                                      organisation=world.orgs["E"])
    tiers.apply_computed_tiers(district=district_a, year=2021)
    for untouched in (other_year, other_district):
        untouched.refresh_from_db()
        assert (untouched.tier_source, untouched.tier_index) == (TierSource.MANUAL, None)
    second.refresh_from_db()  # every cluster of the year: E is ТОП in the second cluster too
    assert (second.tier, second.tier_index) == (Tier.TOP, D("1.000"))


def test_override_survives_recompute_and_clear_returns_the_rule(world, district_a, methodist):
    tiers.apply_computed_tiers(district=district_a, year=2021)
    b = world.members["B"]
    change = tiers.override_tier(user=methodist, membership=b, tier=Tier.SYNCHRONOUS,
                                 reason="  Новая администрация, результаты первого полугодия выше  ")
    assert (change.previous_tier, change.tier, change.source, change.index, change.reason) == (
        Tier.LAGGING, Tier.SYNCHRONOUS, TierSource.OVERRIDE, D("-0.500"),
        "Новая администрация, результаты первого полугодия выше")
    run = tiers.apply_computed_tiers(district=district_a, year=2021)
    assert (run.overridden, run.changed) == (1, 0)
    assert state(world)["B"] == (Tier.SYNCHRONOUS, TierSource.OVERRIDE, D("-0.500"))
    cleared = tiers.clear_override(user=methodist, membership=b)
    assert state(world)["B"] == (Tier.LAGGING, TierSource.COMPUTED, D("-0.500"))
    assert (cleared.previous_tier, cleared.tier, cleared.source) == (Tier.SYNCHRONOUS, Tier.LAGGING,
                                                                      TierSource.COMPUTED)
    # History of B, newest first: back to the rule, the override, the first computation.
    assert list(b.tier_changes.values_list("source", "tier")) == [
        (TierSource.COMPUTED, Tier.LAGGING), (TierSource.OVERRIDE, Tier.SYNCHRONOUS),
        (TierSource.COMPUTED, Tier.LAGGING)]


def test_clear_override_without_results_marks_the_tier_manual(world, methodist):
    f = world.members["F"]
    tiers.override_tier(user=methodist, membership=f, tier=Tier.LAGGING, reason="Предписание надзора")
    tiers.clear_override(user=methodist, membership=f)
    assert state(world)["F"] == (Tier.LAGGING, TierSource.MANUAL, None)


@pytest.mark.parametrize("tier, reason, field", [
    (Tier.TOP, "   ", "reason"), (Tier.TOP, "", "reason"), ("best", "Основание", "tier"),
])
def test_override_refusals_change_nothing(world, methodist, tier, reason, field):
    a = world.members["A"]
    with pytest.raises(InvalidError) as refused:
        tiers.override_tier(user=methodist, membership=a, tier=tier, reason=reason)
    assert field in refused.value.field_errors
    if field == "reason":
        assert str(refused.value) == "Укажите основание изменения уровня."
    assert state(world)["A"] == (Tier.SYNCHRONOUS, TierSource.MANUAL, None)
    assert not TierChange.objects.exists()


def test_clear_without_override_is_refused(world, methodist):
    with pytest.raises(InvalidError, match="не изменялся методистом"):
        tiers.clear_override(user=methodist, membership=world.members["A"])


@pytest.mark.parametrize("persona", ["director", "observer", "school_admin", "other_methodist"])
def test_only_the_districts_methodist_changes_tiers(world, district_a, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(ForbiddenError):
        tiers.override_tier(user=user, membership=world.members["A"], tier=Tier.TOP, reason="Так решили")
    with pytest.raises(ForbiddenError):
        tiers.apply_computed_tiers(district=district_a, year=2021, user=user)
    assert not TierChange.objects.exists()


def test_settings_service_keeps_thresholds_ordered(district_a, methodist):
    with pytest.raises(InvalidError) as refused:
        tiers.save_tier_settings(user=methodist, district=district_a, top_threshold=D("0.3"),
                                 lagging_threshold=D("0.3"), max_mentees=2)
    assert refused.value.field_errors == {"lagging_threshold": ["Порог отстающих должен быть ниже порога ТОП."]}
    saved = tiers.save_tier_settings(user=methodist, district=district_a, top_threshold=D("0.7"),
                                     lagging_threshold=D("-0.3"), max_mentees=3)
    assert tiers.tier_settings(district_a).pk == saved.pk


def _members(district, count: int) -> None:
    cluster = ClusterFactory(district=district, year=2021)
    for i in range(count):
        org = OrganisationFactory(district=district)
        result(org, "Математика", 3 + i % 3, participants=10 + i)
        ClusterMembershipFactory(cluster=cluster, organisation=org)


def _recompute_queries(district) -> int:
    with CaptureQueriesContext(connection) as queries:
        tiers.apply_computed_tiers(district=district, year=2021)
    return len(queries)


def test_queries_do_not_grow_with_members(district_a, district_b):
    _members(district_a, 5)
    _members(district_b, 20)
    assert _recompute_queries(district_a) == _recompute_queries(district_b)


def test_cluster_tiers_reads_in_fixed_queries(world, district_a, district_b):
    tiers.apply_computed_tiers(district=district_a, year=2021)
    with CaptureQueriesContext(connection) as small:
        table = tiers.cluster_tiers(world.cluster)
    _members(district_b, 20)
    big = ClusterFactory._meta.model.objects.filter(district=district_b).get()
    tiers.apply_computed_tiers(district=district_b, year=2021)
    with CaptureQueriesContext(connection) as large:
        tiers.cluster_tiers(big)
    assert len(small) == len(large)
    e = next(m for m in table.members if m.membership.organisation.code == "T-E")
    assert (e.current.participants, e.current.rows, e.index_text) == (60, 1, "+1,000")
    assert sorted((r.row.subject, r.row.procedure, r.z_text, r.no_z) for r in e.rows) == [
        ("Математика", "ВПР", "—", "нет сравнения: нет разброса"),
        ("Русский язык", "ВПР", "+1,000", ""),
        ("Физика", "ОГЭ", "—", "нет сравнения: одна организация"),
    ]
    b = next(m for m in table.members if m.membership.organisation.code == "T-B")
    assert (b.index_text, b.stale) == ("\u22120,500", False)


def test_signed_index():
    assert [tiers.signed_index(v) for v in (D("1.225"), D("-0.5"), D("0"), None)] == \
        ["+1,225", "\u22120,500", "0,000", "—"]


def test_many_members_are_written_in_chunks(district_a):
    # 300 members > one chunk of the UPDATE on SQLite (999 parameters / 4 = 249 rows).
    # Means 3 (even) and 5 (odd), 150 of each: group mean 4, σ = 1 → z −1 / +1 → index −1,000 / +1,000.
    from clusters.models import Organisation
    from network.models import AssessmentResult
    from tests.network.factories import procedure

    orgs = Organisation.objects.bulk_create(
        [Organisation(district=district_a, code=f"M{i:03d}", short_name=f"Школа {i}", full_name=f"Школа {i}")
         for i in range(300)])
    oge = procedure("ОГЭ")
    AssessmentResult.objects.bulk_create(
        [AssessmentResult(organisation=o, procedure=oge, subject="Математика", grade=9, year=2020, participants=20,
                          mean_score=D(3 if i % 2 == 0 else 5)) for i, o in enumerate(orgs)])
    cluster = ClusterFactory(district=district_a, year=2021)
    ClusterMembership.objects.bulk_create([ClusterMembership(cluster=cluster, organisation=o, theme="Тема")
                                           for o in orgs])
    run = tiers.apply_computed_tiers(district=district_a, year=2021)
    assert (run.computed, run.changed) == (300, 300)
    stored = dict(ClusterMembership.objects.filter(cluster=cluster).values_list("organisation__code", "tier_index"))
    assert stored["M000"] == D("-1.000") and stored["M299"] == D("1.000")
    tally = {tier: ClusterMembership.objects.filter(cluster=cluster, tier=tier, tier_source=TierSource.COMPUTED).count()
             for tier in (Tier.TOP, Tier.LAGGING)}
    assert tally == {Tier.TOP: 150, Tier.LAGGING: 150}
    assert TierChange.objects.filter(membership__cluster=cluster).count() == 300
