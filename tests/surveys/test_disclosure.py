"""k-anonymity that holds (surveys/disclosure.py): no shown numbers subtract to a group under K.

The pure rule first (no database), then the issue's case on the results page, the XLSX and the
participation tables, for every reader — observers included.
"""
from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import results as r
from surveys.disclosure import campaign_disclosure, disclosed
from tests.factories import ClusterFactory, ClusterMembershipFactory

from .factories import YES, make_campaign, respond, results_questionnaire

K = 5
SECRET = "директор давит на педагогов"


def derivable_small_sets(counts, groups, shown, k=K):
    """Every set a reader can get by subtracting shown groups from shown groups (or the whole
    campaign) that has 1 … k−1 respondents — brute force over pairs and nested chains."""
    atoms = {a for a, n in counts.items() if n}
    sets = {"campaign": frozenset(atoms), **{key: frozenset(groups[key]) & atoms for key in shown}}
    small = []
    for (name, whole), (_, part) in itertools.permutations(sets.items(), 2):
        if part <= whole:
            rest = whole - part
            if 0 < sum(counts[a] for a in rest) < k:
                small.append((name, rest))
    # the whole campaign minus any collection of disjoint shown groups
    for size in range(2, len(shown) + 1):
        for combo in itertools.combinations(shown, size):
            parts = [sets[key] for key in combo]
            if all(a.isdisjoint(b) for a, b in itertools.combinations(parts, 2)):
                rest = sets["campaign"].difference(*parts)
                if 0 < sum(counts[a] for a in rest) < k:
                    small.append(("campaign", rest))
    return small


# --- the pure rule ------------------------------------------------------------------------------


def test_the_issue_case_cluster_a5_z1_shows_the_cluster_or_a_but_never_both():
    """Cluster {A (5), Z (1)} is the whole campaign: the cluster (6) may be shown, A may not —
    6 − 5 would be Z's one answer."""
    shown = campaign_disclosure({"A": 5, "Z": 1}, {"C": ["A", "Z"]}, K)
    assert "A" not in shown.organisations and "Z" not in shown.organisations
    assert shown.clusters == {"C"}


def test_a_cluster_is_hidden_when_the_rest_of_the_campaign_is_small():
    """Campaign = cluster {A (5), B (5)} + general link (1): the cluster's complement is one teacher."""
    shown = campaign_disclosure({"A": 5, "B": 5, None: 1}, {"C": ["A", "B"]}, K)
    assert shown.clusters == frozenset()
    assert len(shown.organisations) == 1  # A and B together would leave the general link's one answer


def test_groups_large_enough_everywhere_are_all_shown():
    counts = {"A": 5, "B": 6, "C": 7, None: 5}
    shown = campaign_disclosure(counts, {"X": ["A", "B"]}, K)
    assert shown.organisations == {"A", "B", "C"} and shown.clusters == {"X"}


def test_a_group_under_k_is_never_shown_and_the_smallest_sibling_goes_first():
    """A (4) is too small; B (10) and C (5) together would leave A: C, the smaller, is hidden."""
    assert campaign_disclosure({"A": 4, "B": 10, "C": 5}, {}, K).organisations == {"B"}


def test_overlapping_clusters_keep_only_a_nested_family():
    """A school in two clusters of one year: the larger cluster is kept, the other not shown."""
    shown = campaign_disclosure({"A": 5, "B": 5, "C": 6}, {"X": ["A", "B"], "Y": ["B", "C"]}, K)
    assert shown.clusters == {"Y"}


@pytest.mark.parametrize("seed", range(40))
def test_no_shown_groups_subtract_to_fewer_than_k(seed):
    """Random districts: no pair or disjoint collection of shown groups leaves 1 … K−1 respondents."""
    import random

    rng = random.Random(seed)
    organisations = [f"o{i}" for i in range(rng.randint(2, 7))]
    counts = {o: rng.choice([0, 1, 2, 4, 5, 6, 9, 12]) for o in organisations}
    counts[None] = rng.choice([0, 0, 1, 3, 5])
    shuffled = organisations[:]
    rng.shuffle(shuffled)
    clusters, start = {}, 0
    while start < len(shuffled):
        end = start + rng.randint(1, 3)
        clusters[f"c{start}"] = shuffled[start:end]
        start = end
    groups = {("organisation", o): [o] for o in organisations} | {("cluster", c): m for c, m in clusters.items()}
    shown = disclosed(counts, groups, K)
    assert all(sum(counts[a] for a in groups[key]) >= K for key in shown)
    assert derivable_small_sets(counts, groups, shown) == []


# --- on the pages, for every reader ----------------------------------------------------------------


@pytest.fixture
def a5_z1(district_a, school_a, school_b):
    """An anonymous campaign: school A 5 answers, school Z (B) 1 with a telling free text; one
    cluster of the campaign's year holds both."""
    campaign = make_campaign(results_questionnaire(district_a), district_a)
    for _ in range(5):
        respond(campaign, school_a, q1=YES, q4="Всё хорошо")
    respond(campaign, school_b, q1=YES, q4=SECRET)
    cluster = ClusterFactory(district=district_a, year=timezone.localtime(campaign.closes_at).year, name="Север")
    for school in (school_a, school_b):
        ClusterMembershipFactory(cluster=cluster, organisation=school)
    return campaign, cluster


def _page(client, campaign, group=""):
    return client.get(reverse("surveys:campaign_results", args=[campaign.pk]) + (f"?group={group}" if group else ""))


@pytest.mark.parametrize("persona", ["methodist_client", "director_client", "observer_client"])
def test_the_a5_z1_case_reveals_nothing_about_z_to_any_reader(request, persona, a5_z1, school_a, school_b):
    campaign, cluster = a5_z1
    client = request.getfixturevalue(persona)
    shown_totals = {}
    for key in ("", f"cluster:{cluster.pk}", f"organisation:{school_a.pk}", f"organisation:{school_b.pk}"):
        page = _page(client, campaign, key)
        assert page.status_code == 200
        results = page.context["results"]
        if not results.suppressed:
            shown_totals[key] = results.responses
        if key.startswith("organisation"):
            assert results.suppressed and SECRET not in page.content.decode()
    # The campaign (6) and the cluster (6) may be shown; A (5) never next to them.
    assert shown_totals == {"": 6, f"cluster:{cluster.pk}": 6}
    # The participation table hides A's and Z's counts (6 − 5 = Z).
    html = _page(client, campaign).content.decode()
    rows = {row.organisation.pk: row for row in _page(client, campaign).context["participation"].rows}
    assert rows[school_a.pk].hidden and rows[school_b.pk].hidden
    assert r.HIDDEN_COUNT in html


def test_the_a5_z1_case_in_the_xlsx_names_neither_school(methodist_client, a5_z1, school_a, school_b):
    import io

    from openpyxl import load_workbook

    campaign, _ = a5_z1
    response = methodist_client.get(reverse("surveys:campaign_results_export", args=[campaign.pk]))
    book = load_workbook(io.BytesIO(response.content))
    raw = [tuple(row) for row in book["Ответы"].iter_rows(values_only=True)]
    assert {row[2] for row in raw[1:]} == {None}  # six rows, no organisation on any of them
    groups = {row[0] for row in book["По группам"].iter_rows(min_row=2, values_only=True)}
    assert groups == {"Кластер «Север»"}
    assert school_a.short_name not in str(groups) and school_b.short_name not in str(groups)


def test_the_campaign_page_hides_the_link_counts_too(methodist_client, a5_z1, school_a, school_b):
    campaign, _ = a5_z1
    page = methodist_client.get(reverse("surveys:campaign_detail", args=[campaign.pk]))
    rows = {row.organisation.pk: row for row, _ in page.context["links"] if row.organisation}
    assert rows[school_a.pk].hidden and rows[school_b.pk].hidden
    assert page.context["response_count"] == 6


def test_organisation_campaigns_hide_nothing(district_a, school_a, school_b):
    from surveys.models import Audience

    campaign = make_campaign(results_questionnaire(district_a, audience=Audience.ORGANISATION, code="o"), district_a)
    respond(campaign, school_a, q1=YES)
    respond(campaign, school_b, q1=YES)
    assert not any(row.hidden for row in r.participation(campaign).rows)
    assert r.shown_organisations(campaign, {school_a.pk: 1, school_b.pk: 1}) == {school_a.pk, school_b.pk}
