"""Why (issue 15.1): the dashboard at 0.09 of a bare page with its charts cached — the plan/fact table, the scope
picker and the chart keys were rebuilt on every read (11 queries).

The body is rendered once per data version and scope (monitoring.dashboards.dashboard_body): a second read of
unchanged data makes a fixed handful of queries; a typed value, a renamed cluster or an edited indicator is a new
body; two scopes never share one.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import charts
from core.scope import Scope
from monitoring.models import ScopeKind, Value, scope_key_for
from monitoring.services import CellInput, values_save
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db

_PER_REQUEST = re.compile(r'(nonce=|value=|content=|"X-CSRFToken": )"[A-Za-z0-9+/=_-]{20,}"')


@pytest.fixture(autouse=True)
def empty_cache():
    charts._chart_cache().clear()
    yield
    charts._chart_cache().clear()


def read(client, programme, scope: str = "") -> str:
    response = client.get(reverse("monitoring:dashboard", args=[programme.pk]) + (f"?scope={scope}" if scope else ""))
    assert response.status_code == 200
    return _PER_REQUEST.sub(r'\1"…"', response.content.decode())


@pytest.fixture
def entered(network_programme, district_a, school_a, methodist):
    """The entered indicator: district plan 40 / fact 54,8 in 2021; school A's fact 12,5 in 2021."""
    indicator = network_programme.indicators.get(code="entered")
    period = network_programme.periods.get(label="2021")
    values_save(scope=Scope.of_district(district_a), user=methodist,
                cells=[CellInput(indicator, period, Decimal(40), Decimal("54.8"))])
    values_save(scope=Scope.of_organisation(school_a), user=methodist,
                cells=[CellInput(indicator, period, None, Decimal("12.5"))])
    return {"programme": network_programme, "indicator": indicator, "period": period}


def test_a_second_read_is_served_from_the_cache(entered, methodist_client, observer_client, school_admin_client,
                                                other_methodist_client):
    programme = entered["programme"]
    first = read(methodist_client, programme)
    with CaptureQueriesContext(connection) as second_read:
        second = read(methodist_client, programme)
    assert second == first and "54,8" in second
    # session, user, the programme, the digest of its rows (and the layout's) — no table, picker or comparisons
    assert len(second_read) <= 5, [q["sql"][:80] for q in second_read.captured_queries]
    assert read(observer_client, programme).count("<svg") == first.count("<svg")  # same district, same body
    url = reverse("monitoring:dashboard", args=[programme.pk])
    assert school_admin_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404


def test_two_scopes_see_their_own_numbers(entered, methodist_client, school_a):
    """The district's 54,8 and the school's 12,5, each read twice (the second time from the cache)."""
    programme = entered["programme"]
    for _ in range(2):
        district = read(methodist_client, programme)
        school = read(methodist_client, programme, f"organisation:{school_a.pk}")
        assert "54,8" in district and "12,5" not in district
        assert "12,5" in school and "54,8" not in school
        assert f'<option value="organisation:{school_a.pk}" selected>' in school


def test_a_new_value_is_on_the_next_read(entered, district_a, methodist, methodist_client):
    programme = entered["programme"]
    read(methodist_client, programme)
    stored = Value.objects.get(indicator=entered["indicator"], period=entered["period"], scope_kind=ScopeKind.DISTRICT)
    values_save(scope=Scope.of_district(district_a), user=methodist, cells=[
        CellInput(entered["indicator"], entered["period"], Decimal(40), Decimal("61.3"), seen_version=stored.version),
    ])
    after = read(methodist_client, programme)
    assert "61,3" in after and "54,8" not in after


def test_a_renamed_cluster_and_an_edited_indicator_are_on_the_next_read(entered, network_programme, district_a,
                                                                      methodist_client):
    cluster = ClusterFactory(district=district_a, year=2021, name="Северный")
    indicator = network_programme.indicators.get(code="net_schools_share")
    Value.objects.create(indicator=indicator, period=entered["period"], district=district_a,
                         scope_kind=ScopeKind.CLUSTER, cluster=cluster,
                         scope_key=scope_key_for(ScopeKind.CLUSTER, cluster.pk), fact=Decimal("62.5"),
                         fact_source="computed")
    before = read(methodist_client, network_programme)
    assert "Северный" in before and "62,5" in before
    cluster.name = "Южный"
    cluster.save()
    entered["indicator"].name = "Переименованный показатель"
    entered["indicator"].save()
    after = read(methodist_client, network_programme)
    assert "Южный" in after and "Северный" not in after and "Переименованный показатель" in after
