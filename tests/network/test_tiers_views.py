"""Tiers pages: what each persona sees and may do (numbers from tests/network/test_tiers.py's district)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import ClusterMembership, Tier, TierSource
from network.models import TierChange, TierSettings
from network.services import tiers
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory
from tests.network.factories import result
from tests.network.test_tiers import build_district

pytestmark = pytest.mark.django_db

MINUS = "\u2212"


@pytest.fixture
def world(district_a, school_a):
    world = build_district(district_a)
    world.own = ClusterMembershipFactory(cluster=world.cluster, organisation=school_a)  # school_admin's
    tiers.apply_computed_tiers(district=district_a, year=2021)
    return world


def page(world) -> str:
    return f"{reverse('network:tiers')}?cluster={world.cluster.pk}"


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("persona", ["methodist_client", "director_client", "observer_client"])
def test_readers_see_tiers_with_the_numbers_behind_them(world, persona, request):
    response = request.getfixturevalue(persona).get(page(world))
    assert response.status_code == 200
    html = text(response)
    assert "по результатам оценочных процедур <strong>2020 года</strong>" in html
    assert f"индекс ≥ +0,500, <strong>отстающая</strong> — ≤ {MINUS}0,500" in html
    for shown in ("+0,500", f"{MINUS}0,500", "+1,000", f"{MINUS}1,000", "0,000",
                  "нет сравнения: одна организация", "нет сравнения: нет разброса", "по результатам",
                  "задан вручную", "4,000", "1,000"):  # district mean 4 and σ 1 of the rows
        assert shown in html, shown
    can_edit = persona == "methodist_client"
    assert ("Пересчитать уровни" in html) is can_edit
    assert (reverse("network:tier_override", args=[world.members["A"].pk]) in html) is can_edit


def test_cluster_picker_lists_the_districts_clusters_newest_first(world, district_a, methodist_client):
    older = ClusterFactory(district=district_a, year=2019, name="Старый")
    html = text(methodist_client.get(reverse("network:tiers")))
    assert html.index(f"?cluster={world.cluster.pk}") < html.index(f"?cluster={older.pk}")
    # Thresholds read as on a cluster's page (signed, three decimals), no «Y − 1» notation.
    assert f"ТОП — индекс ≥ +0,500, отстающая — ≤ {MINUS}0,500" in html and "Y − 1" not in html


@pytest.mark.parametrize("persona, status", [
    ("school_admin_client", 403), ("portal_admin_client", 403), ("other_methodist_client", 404),
])
def test_refused_readers(world, persona, status, request):
    assert request.getfixturevalue(persona).get(page(world)).status_code == status


@pytest.mark.parametrize("query", ["abc", "", "999999"])
def test_unknown_cluster_is_404(world, methodist_client, query):
    assert methodist_client.get(f"{reverse('network:tiers')}?cluster={query}").status_code == 404


def test_anonymous_goes_to_login(world, anonymous):
    response = anonymous.get(page(world))
    assert response.status_code == 302 and "login" in response["Location"]


def test_recompute_says_how_many_changed(world, district_a, methodist_client):
    ClusterMembership.objects.filter(cluster=world.cluster).update(tier=Tier.SYNCHRONOUS, tier_source=TierSource.MANUAL,
                                                                   tier_index=None)
    response = methodist_client.post(reverse("network:tiers_recompute", args=[world.cluster.pk]), follow=True)
    assert response.redirect_chain[-1][0] == page(world)
    # A, E → ТОП and B, D → отстающая; C stays синхронная (source computed); F and school A have no results.
    assert "уровень изменился у 4 организаций. По результатам — 5, без результатов (уровень оставлен) — 2" in text(
        response)
    # The button sits on one cluster's page but the run covers the district's year: the message says so.
    assert f"Уровни всех кластеров района {world.cluster.year} года пересчитаны" in text(response)
    assert ClusterMembership.objects.get(pk=world.members["A"].pk).tier == Tier.TOP


@pytest.mark.parametrize("persona, status", [
    ("director_client", 403), ("school_admin_client", 403), ("other_methodist_client", 404),
])
def test_recompute_refused(world, persona, status, request):
    response = request.getfixturevalue(persona).post(reverse("network:tiers_recompute", args=[world.cluster.pk]))
    assert response.status_code == status


def test_override_from_the_page_then_clear(world, methodist_client):
    b = world.members["B"]
    response = methodist_client.post(reverse("network:tier_override", args=[b.pk]),
                                     {"tier": Tier.SYNCHRONOUS, "reason": "Решение методсовета"}, follow=True)
    html = text(response)
    assert "Уровень организации «Школа B» изменён: синхронная." in html
    assert "изменён методистом" in html and "Основание: Решение методсовета" in html
    assert reverse("network:tier_clear", args=[b.pk]) in html
    # History: the override (with who and why) above the first computation; the index with its sign.
    assert f"отстающая → синхронная (изменён методистом, индекс {MINUS}0,500), " in html
    assert "— «Решение методсовета»" in html
    assert f"синхронная → отстающая (по результатам, индекс {MINUS}0,500)" in html
    response = methodist_client.post(reverse("network:tier_clear", args=[b.pk]), follow=True)
    assert "возвращён расчётный уровень: отстающая (по результатам)" in text(response)
    b.refresh_from_db()
    assert (b.tier, b.tier_source, b.tier_index) == (Tier.LAGGING, TierSource.COMPUTED, Decimal("-0.500"))


def test_override_without_reason_changes_nothing(world, methodist_client):
    a = world.members["A"]
    response = methodist_client.post(reverse("network:tier_override", args=[a.pk]), {"tier": Tier.LAGGING,
                                                                                      "reason": "  "})
    assert response.status_code == 200
    assert "Укажите основание изменения уровня." in text(response)
    a.refresh_from_db()
    assert (a.tier, a.tier_source) == (Tier.TOP, TierSource.COMPUTED)
    assert not TierChange.objects.filter(source=TierSource.OVERRIDE).exists()


def test_override_form_page(world, methodist_client):
    response = methodist_client.get(reverse("network:tier_override", args=[world.members["A"].pk]))
    assert response.status_code == 200 and "Основание" in text(response)
    # A's index is (75·1 + 25·(−1)) / 100 = +0,500 (test_tiers.py), signed as on the tiers page.
    assert "индекс +0,500)" in text(response)


@pytest.mark.parametrize("persona, status", [
    ("director_client", 403), ("observer_client", 403), ("school_admin_client", 403), ("other_methodist_client", 404),
])
def test_override_and_clear_refused(world, methodist, persona, status, request):
    a = world.members["A"]
    tiers.override_tier(user=methodist, membership=a, tier=Tier.LAGGING, reason="Проверка")
    client = request.getfixturevalue(persona)
    assert client.post(reverse("network:tier_override", args=[a.pk]),
                       {"tier": Tier.TOP, "reason": "Иначе"}).status_code == status
    assert client.post(reverse("network:tier_clear", args=[a.pk])).status_code == status
    a.refresh_from_db()
    assert (a.tier, a.tier_source) == (Tier.LAGGING, TierSource.OVERRIDE)


def test_clear_when_not_overridden_says_so(world, methodist_client):
    response = methodist_client.post(reverse("network:tier_clear", args=[world.members["A"].pk]), follow=True)
    assert "не изменялся методистом" in text(response)


def test_settings_form(district_a, methodist_client):
    url = reverse("network:tier_settings")
    assert methodist_client.get(url).status_code == 200
    response = methodist_client.post(url, {"top_threshold": "0,2", "lagging_threshold": "0,2", "max_mentees": "2"})
    assert response.status_code == 200
    assert "Порог отстающих должен быть ниже порога ТОП." in text(response)
    assert not TierSettings.objects.exists()
    response = methodist_client.post(url, {"top_threshold": "0,7", "lagging_threshold": "-0,3", "max_mentees": "3"},
                                     follow=True)
    assert "Пороги уровней сохранены" in text(response)
    stored = TierSettings.objects.get(district=district_a)
    assert (stored.top_threshold, stored.lagging_threshold, stored.max_mentees) == (Decimal("0.7"), Decimal("-0.3"), 3)


@pytest.mark.parametrize("persona", ["director_client", "observer_client", "school_admin_client"])
def test_settings_refused(district_a, persona, request):
    client = request.getfixturevalue(persona)
    assert client.post(reverse("network:tier_settings"), {"top_threshold": "1", "lagging_threshold": "0",
                                                          "max_mentees": "2"}).status_code == 403
    assert not TierSettings.objects.exists()


def test_configured_thresholds_shown_and_applied(world, district_a, methodist_client):
    methodist_client.post(reverse("network:tier_settings"),
                          {"top_threshold": "0,6", "lagging_threshold": "-0,6", "max_mentees": "2"})
    methodist_client.post(reverse("network:tiers_recompute", args=[world.cluster.pk]))
    html = text(methodist_client.get(page(world)))
    assert f"индекс ≥ +0,600, <strong>отстающая</strong> — ≤ {MINUS}0,600" in html
    assert ClusterMembership.objects.get(pk=world.members["A"].pk).tier == Tier.SYNCHRONOUS  # +0,5 < +0,6


def test_cluster_page_panel(world, methodist_client, school_admin_client):
    url = world.cluster.get_absolute_url()
    html = text(methodist_client.get(url))
    assert 'data-testid="tiers-panel"' in html and "Уровни по результатам 2020 года" in html
    assert f'href="{page(world)}"' in html and "+1,000" in html
    response = school_admin_client.get(url)  # school A is a member: it opens the cluster, not the tiers
    assert response.status_code == 200 and 'data-testid="tiers-panel"' not in text(response)


def test_cluster_page_panel_reads_the_stored_tiers_only(world, methodist_client):
    """The panel shows each member's stored tier, source and index (not the index «now»: the tiers page does),
    so the cluster page neither computes the district's indices nor reads the history, and reads the
    memberships once for its table and the panel."""
    ClusterMembership.objects.filter(pk=world.members["C"].pk).update(tier_index=Decimal("0.250"))
    with CaptureQueriesContext(connection) as queries:
        html = text(methodist_client.get(world.cluster.get_absolute_url()))
    assert 'data-testid="tiers-panel"' in html and "+0,250" in html  # the stored index, as changed above
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "clusters_clustermembership"' in s for s in sql) == 1
    assert not any("network_tierchange" in s or "network_assessmentresult" in s for s in sql)


def test_stale_index_is_flagged(world, methodist_client):
    ClusterMembership.objects.filter(pk=world.members["C"].pk).update(tier_index=Decimal("0.250"))
    html = text(methodist_client.get(page(world)))
    assert 'data-testid="tiers-stale"' in html and "сейчас 0,000" in html


def _page_queries(client, cluster) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{reverse('network:tiers')}?cluster={cluster.pk}").status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_members(district_a, methodist, methodist_client):
    small, large = ClusterFactory(district=district_a, year=2021), ClusterFactory(district=district_a, year=2021)
    for cluster, count in ((small, 5), (large, 20)):
        for i in range(count):
            org = OrganisationFactory(district=district_a)
            result(org, "Математика", 3 + i % 3, participants=10 + i)
            ClusterMembershipFactory(cluster=cluster, organisation=org)
    tiers.apply_computed_tiers(district=district_a, year=2021, user=methodist)
    for cluster in (small, large):  # history with a user on every member
        for m in cluster.memberships.all()[:3]:
            tiers.override_tier(user=methodist, membership=m, tier=Tier.TOP, reason="Проверка числа запросов")
    methodist_client.get(reverse("home"))  # the session's first page keeps the navbar's names (issue 15.3)
    assert _page_queries(methodist_client, small) == _page_queries(methodist_client, large)


@pytest.mark.parametrize(("persona", "link"), [("methodist_client", True), ("director_client", False)])
def test_cluster_without_results_says_tiers_are_manual(world, district_a, persona, link, request):
    # Browser review: a district with no results saw only «Уровни рассчитаны по результатам … года».
    empty = ClusterFactory(district=district_a, year=2021, name="Без результатов")
    ClusterMembershipFactory(cluster=empty, organisation=OrganisationFactory(district=district_a))
    html = text(request.getfixturevalue(persona).get(f"{reverse('network:tiers')}?cluster={empty.pk}"))
    assert "нет результатов 2020 года, поэтому все уровни заданы вручную" in html
    assert ("загрузите результаты" in html) is link
    assert "tiers-no-results" not in text(request.getfixturevalue(persona).get(page(world)))


def test_cluster_without_results_refused_to_school_admin(world, school_admin_client):
    assert school_admin_client.get(page(world)).status_code == 403
