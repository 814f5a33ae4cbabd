"""The network demo (demo/network.py, issue 11 item 7): results → tiers → pairs → practices, Frunzensky.

The whole demo (`load_demo`) loads once for tests/demo (tests/demo/conftest.py). The tiers the demo's
results give must be the registry demo's own tiers (the справка's numbers rest on them): they are
checked here against the registry plan, and the indices against their bands with the product's SQL
(network/results_index.py), not with the generator's own arithmetic.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.db.models import Count

from clusters.models import ClusterMembership, District, Organisation, OrganisationKind, Tier, TierSource
from demo import network_data as data
from demo.network import load_network_demo
from demo.registry.frunzensky import CLUSTER_NAMES, FGOS, PARENTS, VECTOR, build_plan
from network.models import (
    ActivityStatus,
    AssessmentResult,
    MentorProfile,
    OrganisationPair,
    PairActivity,
    PairStatus,
    Practice,
)
from network.results_index import organisation_indices

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


@pytest.fixture
def frunzensky() -> District:
    return District.objects.get(code="frunzensky")


def plan_tiers() -> dict[tuple[int, str, str], str]:
    """(year, cluster name, organisation code) → the tier the registry demo gave it."""
    return {(c.year, c.name, m.org_code): m.tier for c in build_plan().clusters for m in c.memberships}


def torn(year: int) -> set[str]:
    """Schools with two different tiers in the clusters of `year` (no index can satisfy both)."""
    seen: dict[str, set[str]] = {}
    for (y, _, code), tier in plan_tiers().items():
        if y == year:
            seen.setdefault(code, set()).add(tier)
    return {code for code, tiers in seen.items() if len(tiers) > 1}


def test_the_command_reports_the_network_demo(demo_output):
    line = next(s for s in demo_output.splitlines() if s.startswith("Сетевое взаимодействие (Фрунзенский район)"))
    assert "практик 12" in line and "пар ОУ" in line and "добавлено записей" in line


def test_results_cover_three_years_of_schools_on_realistic_scales(frunzensky):
    results = AssessmentResult.objects.filter(organisation__district=frunzensky).select_related("procedure")
    assert set(results.values_list("year", flat=True)) == {2019, 2020, 2021}
    assert set(results.values_list("organisation__kind", flat=True)) == {OrganisationKind.SCHOOL}
    assert set(results.values_list("procedure__name", "subject", "grade")) == {
        ("ОГЭ", "Математика", 9), ("ОГЭ", "Русский язык", 9), ("ЕГЭ", "Математика профильная", 11),
        ("ЕГЭ", "Русский язык", 11), ("ВПР", "Математика", 4), ("ВПР", "Русский язык", 4),
        ("ВПР", "Математика", 5), ("ВПР", "Русский язык", 5),
    }
    schools = Organisation.objects.filter(district=frunzensky, kind=OrganisationKind.SCHOOL, is_active=True).count()
    # 8 rows a school a year; the three schools torn between two tiers in 2021 have no 2020 results.
    assert results.filter(year=2019).count() == results.filter(year=2021).count() == 8 * schools
    assert results.filter(year=2020).count() == 8 * (schools - len(torn(2021)))
    for r in results:
        assert 20 <= r.participants <= 120
        assert Decimal(0) <= r.failed_share <= Decimal(25)
        if r.procedure.name == "ЕГЭ":
            assert Decimal(45) <= r.mean_score <= Decimal(80) and r.good_share is None
        else:
            assert Decimal("2.8") <= r.mean_score <= Decimal("4.6")
            assert Decimal(30) <= r.good_share <= Decimal(85)


@pytest.mark.parametrize("year", [2020, 2021])
def test_indices_land_in_the_bands_of_the_next_years_tiers(frunzensky, year):
    indices = organisation_indices(frunzensky.pk, year - 1)
    codes = dict(Organisation.objects.filter(district=frunzensky).values_list("id", "code"))
    wanted = {code: tier for (y, _, code), tier in plan_tiers().items()
              if y == year and code.startswith("FRN-S") and code not in torn(year)}
    assert wanted
    found = {codes[org_id]: index.index for org_id, index in indices.items()}
    for code, tier in wanted.items():
        index = found[code]
        if tier == Tier.TOP:
            assert index >= Decimal("0.5"), (code, index)
        elif tier == Tier.LAGGING:
            assert index <= Decimal("-0.5"), (code, index)
        else:
            assert Decimal("-0.4") <= index <= Decimal("0.4"), (code, index)


def test_tiers_are_the_registry_demos_and_now_come_from_results(frunzensky):
    tiers = plan_tiers()
    memberships = ClusterMembership.objects.filter(cluster__district=frunzensky).select_related(
        "cluster", "organisation")
    assert memberships.count() == len(tiers)
    for m in memberships:
        assert m.tier == tiers[(m.cluster.year, m.cluster.name, m.organisation.code)], m
        school = m.organisation.kind == OrganisationKind.SCHOOL
        computed = school and m.cluster.year in (2020, 2021) and m.organisation.code not in torn(m.cluster.year)
        assert m.tier_source == (TierSource.COMPUTED if computed else TierSource.MANUAL), m
        assert (m.tier_index is not None) == computed, m
    # The справка's count of 2021 memberships by tier is untouched (73 memberships, seed 000).
    by_tier = dict(memberships.filter(cluster__year=2021).values_list("tier").annotate(n=Count("id")))
    assert sum(by_tier.values()) == 73


def test_pairs_are_proposed_decided_and_have_their_work(frunzensky):
    pairs = OrganisationPair.objects.filter(cluster__district=frunzensky).select_related("cluster")
    assert pairs.exists() and set(pairs.values_list("cluster__year", flat=True)) == {2021}
    statuses = dict(pairs.values_list("status").annotate(n=Count("id")))
    assert statuses[PairStatus.ACTIVE] >= 5
    assert statuses[PairStatus.REJECTED] == statuses[PairStatus.PROPOSED] == statuses[PairStatus.COMPLETED] == 1
    assert pairs.get(status=PairStatus.REJECTED).cluster.name == CLUSTER_NAMES[PARENTS]
    assert pairs.get(status=PairStatus.PROPOSED).cluster.name == CLUSTER_NAMES[VECTOR]
    completed = pairs.get(status=PairStatus.COMPLETED)
    assert completed.cluster.name == CLUSTER_NAMES[FGOS]
    assert set(completed.activities.values_list("status", flat=True)) == {ActivityStatus.DONE}
    for pair in pairs.filter(status__in=[PairStatus.ACTIVE, PairStatus.COMPLETED]):
        activities = list(pair.activities.all())
        assert 2 <= len(activities) <= 4, pair
        assert any(a.status == ActivityStatus.DONE and a.result for a in activities), pair
        assert pair.goal and pair.starts_on and pair.subject and pair.advantage > 0
        teachers = list(pair.mentor_teachers.all())
        assert teachers and {t.organisation_id for t in teachers} == {pair.mentor_organisation_id}
        assert all(MentorProfile.objects.filter(teacher=t).exists() for t in teachers)
        tiers = dict(pair.cluster.memberships.values_list("organisation_id", "tier"))
        assert (tiers[pair.mentor_organisation_id], tiers[pair.mentee_organisation_id]) == (Tier.TOP, Tier.LAGGING)
    forms = set(PairActivity.objects.filter(pair__cluster__district=frunzensky).values_list("form", flat=True))
    assert len(forms) >= 4
    statuses = set(PairActivity.objects.filter(pair__cluster__district=frunzensky).values_list("status", flat=True))
    assert statuses == set(ActivityStatus.values)
    # The demo school's administrator recorded her own pairs' activities.
    assert PairActivity.objects.filter(updated_by__username="admin_ou").exists()


def test_paired_lagging_schools_improve_in_2021(frunzensky):
    before, after = organisation_indices(frunzensky.pk, 2020), organisation_indices(frunzensky.pk, 2021)
    paired = set(OrganisationPair.objects.filter(
        cluster__district=frunzensky, status__in=[PairStatus.ACTIVE, PairStatus.COMPLETED],
    ).values_list("mentee_organisation_id", flat=True))
    assert paired
    assert all(after[org].index > before[org].index for org in paired if org in before)


def test_a_dozen_practices_some_verified_tagged_and_linked(frunzensky):
    practices = Practice.objects.filter(district=frunzensky)
    assert practices.count() == len(data.PRACTICES) == 12
    assert 0 < practices.filter(is_verified=True).count() < 12
    assert all(p.tags.exists() and p.search_text for p in practices)
    assert practices.filter(pairs__isnull=False).distinct().count() >= 3
    assert practices.filter(event__isnull=False).count() >= 3
    assert practices.filter(organisation__code="FRN-S215", created_by__username="admin_ou").count() == 2


def network_snapshot() -> dict:
    counts = {model._meta.label: model.objects.count() for model in apps.get_app_config("network").get_models()}
    memberships = sorted(ClusterMembership.objects.values_list("pk", "tier", "tier_source", "tier_index"))
    pairs = sorted(OrganisationPair.objects.values_list("pk", "status", "decided_at"))
    results = sorted(AssessmentResult.objects.values_list("pk", "mean_score", "participants"))
    return {"counts": counts, "memberships": memberships, "pairs": pairs, "results": results}


def test_a_rerun_changes_nothing(frunzensky):
    before = network_snapshot()
    out = StringIO()
    stats = load_network_demo(stdout=out)
    assert not stats.created
    assert "всё уже было загружено" in out.getvalue()
    assert network_snapshot() == before


def test_a_rerun_keeps_what_the_methodist_decided(frunzensky):
    """A pair the methodist confirmed from the proposal, a practice she edited: a rerun leaves both."""
    from imc_portal.models import User
    from network.services.pairs import confirm_pair
    from network.services.practices import save_practice

    methodist = User.objects.get(username="metodist")
    pair = OrganisationPair.objects.get(cluster__district=frunzensky, status=PairStatus.PROPOSED)
    confirm_pair(user=methodist, pair=pair, goal="Цель методиста", starts_on=datetime.date(2021, 10, 1))
    practice = Practice.objects.filter(district=frunzensky).order_by("pk").first()
    practice.title = "Переименованная практика"
    save_practice(methodist, practice, tags="метка методиста")
    before = network_snapshot()

    load_network_demo()

    assert network_snapshot() == before, "the renamed practice is not created again, the pair stays confirmed"


def test_reset_removes_the_network_demo_and_a_load_brings_it_back(frunzensky):
    from demo.network import reset_network_demo

    before = network_snapshot()["counts"]
    assert reset_network_demo() > 0
    assert not AssessmentResult.objects.exists() and not OrganisationPair.objects.exists()
    assert not Practice.objects.exists()
    load_network_demo()
    after = network_snapshot()["counts"]
    # Tier history grows by nothing: the tiers computed again are the tiers already there.
    assert after == before


def test_the_demo_cycle_can_be_walked_page_by_page(frunzensky):
    """After `make run`: the methodist's and the demo school's pages of the cycle open on the demo's data."""
    from django.test import Client
    from django.urls import reverse

    from imc_portal.models import User

    methodist, school = Client(), Client()
    methodist.force_login(User.objects.get(username="metodist"))
    school.force_login(User.objects.get(username="admin_ou"))
    vector = frunzensky.clusters.get(year=2021, name=CLUSTER_NAMES[VECTOR])
    demo_school = ClusterMembership.objects.get(cluster=vector, organisation__code="FRN-S215")
    pages = [reverse("network:results"), f"{reverse('network:tiers')}?cluster={vector.pk}", reverse("network:pairs"),
             reverse("network:practices"), reverse("network:mentors"), reverse("network:tiers")]
    pages += [pair.get_absolute_url() for pair in OrganisationPair.objects.filter(cluster__district=frunzensky)]
    pages += [practice.get_absolute_url() for practice in Practice.objects.filter(district=frunzensky)]
    for url in pages:
        response = methodist.get(url)
        assert response.status_code == 200, url
    tiers_page = methodist.get(f"{reverse('network:tiers')}?cluster={vector.pk}").content.decode()
    # The demo school's index as the page prints it: three decimals, decimal comma, the sign shown.
    index = f"{demo_school.tier_index:+.3f}".replace(".", ",")
    assert demo_school.tier == Tier.TOP and index in tiers_page
    own = OrganisationPair.objects.filter(cluster__district=frunzensky, mentor_organisation__code="FRN-S215")
    assert own.exists()
    for pair in own:
        assert school.get(pair.get_absolute_url()).status_code == 200
    assert school.get(reverse("network:practices")).status_code == 200
