"""Why (issue 15.1): «The dashboard redraws every chart with matplotlib on every request» (2,5 requests/s).

A second read of an unchanged dashboard draws nothing and gives the same page; a changed value is a new chart key,
so only that indicator's chart is drawn again — no invalidation code anywhere.
"""
from __future__ import annotations

import re
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from core import charts
from core.scope import Scope
from monitoring import selectors
from monitoring.models import Indicator, Value
from monitoring.services import CellInput, values_save
from monitoring.units import Unit

pytestmark = pytest.mark.django_db

# Per-request tokens of the layout (CSP nonce, CSRF token): everything else of the page must repeat.
_PER_REQUEST = re.compile(r'(nonce=|value=|content=|"X-CSRFToken": )"[A-Za-z0-9+/=_-]{20,}"')


def _page(client, programme) -> str:
    response = client.get(reverse("monitoring:dashboard", args=[programme.pk]))
    assert response.status_code == 200
    return _PER_REQUEST.sub(r'\1"…"', response.content.decode())


@pytest.fixture(autouse=True)
def empty_chart_cache():
    charts._chart_cache().clear()
    yield
    charts._chart_cache().clear()


@pytest.fixture
def two_entered(network_programme, district_a, methodist):
    """Two entered indicators with plan and fact in 2020 and 2021: two plan/fact charts."""
    second = Indicator.objects.create(programme=network_programme, code="entered2", name="Второй показатель",
                                      unit=Unit.PERCENT, position=11)
    periods = {p.label: p for p in network_programme.periods.all()}
    entered = network_programme.indicators.get(code="entered")
    values_save(scope=Scope.of_district(district_a), user=methodist, cells=[
        CellInput(entered, periods["2020"], Decimal(10), Decimal(10)),
        CellInput(entered, periods["2021"], Decimal(40), Decimal("54.8")),
        CellInput(second, periods["2020"], Decimal(20), Decimal("17.5")),
        CellInput(second, periods["2021"], Decimal(30), Decimal("31.2")),
    ])
    return {"programme": network_programme, "periods": periods, "entered": entered, "second": second}


def test_a_second_read_draws_nothing_and_gives_the_same_page(two_entered, methodist_client, observer_client,
                                                            school_admin_client, other_methodist_client):
    programme = two_entered["programme"]
    with mock.patch.object(charts, "Figure", wraps=charts.Figure) as figures:
        first = _page(methodist_client, programme)
        assert figures.call_count == 2  # one plan/fact chart per indicator with numbers
        second = _page(methodist_client, programme)
        assert figures.call_count == 2
        assert second == first
        assert "54,8" in first and "17,5" in first
        # Another reader allowed to see the same programme gets the same charts from the cache.
        assert _page(observer_client, programme).count("<svg") == first.count("<svg")
        assert figures.call_count == 2
    url = reverse("monitoring:dashboard", args=[programme.pk])
    assert school_admin_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404


def test_a_changed_value_redraws_only_its_chart(two_entered, district_a, methodist, methodist_client):
    programme, periods = two_entered["programme"], two_entered["periods"]
    with mock.patch.object(charts, "Figure", wraps=charts.Figure) as figures:
        before = _page(methodist_client, programme)
        stored = Value.objects.get(indicator=two_entered["second"], period=periods["2021"])
        values_save(scope=Scope.of_district(district_a), user=methodist, cells=[
            CellInput(two_entered["second"], periods["2021"], Decimal(30), Decimal("36.4"), seen_version=stored.version),
        ])
        after = _page(methodist_client, programme)
        assert figures.call_count == 3  # two at first, then only the changed one
    assert "31,2" in before and "31,2" not in after and "36,4" in after
    assert after.count("54,8") == before.count("54,8")  # the unchanged chart is the same


# --- the rest of a read: a fixed number of queries -------------------------------------------------


def _cluster_facts(programme, district_a, clusters, codes_and_facts):
    """Cluster facts of computed indicators in 2021 (what the recompute writes)."""
    from monitoring.models import ScopeKind, scope_key_for

    period = programme.periods.get(label="2021")
    for code, facts in codes_and_facts.items():
        indicator = programme.indicators.get(code=code)
        for cluster, fact in zip(clusters, facts, strict=True):
            Value.objects.create(indicator=indicator, period=period, district=district_a, scope_kind=ScopeKind.CLUSTER,
                                 cluster=cluster, scope_key=scope_key_for(ScopeKind.CLUSTER, cluster.pk),
                                 fact=Decimal(fact), fact_source="computed")


def test_cluster_comparisons_take_one_query_whatever_the_number_of_indicators(network_programme, district_a,
                                                                              methodist_client):
    """Was one query per computed indicator (an N+1 the chart drawing hid): 1 computed indicator, then 4."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from monitoring.models import Source
    from tests.factories import ClusterFactory

    clusters = [ClusterFactory(district=district_a, year=2021, name=name) for name in ("К-2", "К-1")]
    _cluster_facts(network_programme, district_a, clusters, {"net_schools_share": ("40", "62.5"),
                                                             "net_teachers_cpd_share": ("10", "20"),
                                                             "net_teachers_iom_share": ("33.3", "12.5")})
    others = network_programme.indicators.filter(source=Source.COMPUTED).exclude(code="net_schools_share")
    assert others.update(source=Source.ENTERED) == 3
    assert methodist_client.get(reverse("monitoring:programme_list")).status_code == 200  # the session's first read
    selectors.scope_choices(network_programme)  # the scope picker cached, as for both reads below
    with CaptureQueriesContext(connection) as one:
        page = _page(methodist_client, network_programme)
    assert page.count("Сравнение кластеров, 2021") == 1 and "62,5" in page and "40,0" in page and "33,3" not in page
    network_programme.indicators.exclude(code="entered").update(source=Source.COMPUTED)
    with CaptureQueriesContext(connection) as four:
        page = _page(methodist_client, network_programme)
    assert "62,5" in page and "33,3" in page and "12,5" in page
    assert len(four) == len(one)
