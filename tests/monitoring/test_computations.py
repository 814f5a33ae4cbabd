"""Computed indicators against answers worked out by hand on the small district (see conftest)."""
from decimal import Decimal

import pytest

from monitoring.computations import calculate
from monitoring.models import Period, ScopeKind

pytestmark = pytest.mark.django_db


def _by_scope(results):
    out = {}
    for r in results:
        key = {ScopeKind.DISTRICT: "district", ScopeKind.CLUSTER: f"c{r.cluster_id}",
               ScopeKind.ORGANISATION: f"o{r.organisation_id}"}[r.scope_kind]
        out[key] = (r.numerator, r.denominator)
    return out


@pytest.fixture
def year_2021(network_programme):
    return network_programme.periods.get(label="2021")


def test_net_schools_share_counts_distinct_active_organisations(small_district, year_2021):
    """o1, o2, o3 are in 2021 clusters (o2 twice, closed o6 ignored); 5 active → 3/5 = 60 %."""
    (result,) = calculate("net_schools_share", small_district["district"].pk, year_2021)
    assert (result.numerator, result.denominator) == (3, 5)
    assert result.fact == Decimal(60)


def test_cpd_share_by_district_cluster_and_organisation(small_district, year_2021):
    """Members in 2021: t1 t2 t5 t6 t7. Trained 2019–2021: t1, t5 → 2/5.

    By organisation: o1 {t1,t2} 1/2, o2 {t5} 1/1, o3 {t6} 0/1, o4 {t7} 0/1.
    By cluster: C1 = o1+o2 → {t1,t2,t5} 2/3; C2 = o2+o3 → {t5,t6} 1/2.
    """
    s = small_district
    got = _by_scope(calculate("net_teachers_cpd_share", s["district"].pk, year_2021))
    assert got["district"] == (2, 5)
    assert got[f"o{s['o'][1].pk}"] == (1, 2)
    assert got[f"o{s['o'][2].pk}"] == (1, 1)
    assert got[f"o{s['o'][3].pk}"] == (0, 1)
    assert got[f"o{s['o'][4].pk}"] == (0, 1)
    assert got[f"c{s['c1'].pk}"] == (2, 3)
    assert got[f"c{s['c2'].pk}"] == (1, 2)
    assert len(got) == 1 + 2 + 4  # no scope for organisations without members


def test_iom_share(small_district, year_2021):
    """Active/completed routes overlapping 2021: t1 (active), t6 (completed in Jan) → 2/5."""
    got = _by_scope(calculate("net_teachers_iom_share", small_district["district"].pk, year_2021))
    assert got["district"] == (2, 5)


def test_innovation_share(small_district, year_2021):
    """P1 (to 30.06.2021) has t1, t2, t7; P2 starts 2022 → 3/5 = 60 %."""
    (district,) = [r for r in calculate("net_teachers_innovation_share", small_district["district"].pk, year_2021)
                   if r.scope_kind == ScopeKind.DISTRICT]
    assert (district.numerator, district.denominator) == (3, 5)
    assert district.fact == Decimal(60)


def test_participation_share_for_an_academic_year(small_district, network_programme):
    """2019/20 = 01.09.2019–31.08.2020: members t4 (2019–2020) and t7 (since 01.01.2020) of 7 → 2/7."""
    import datetime as dt

    period = Period.objects.create(programme=network_programme, label="2019/20", starts_on=dt.date(2019, 9, 1),
                                   ends_on=dt.date(2020, 8, 31))
    got = _by_scope(calculate("community_participation_share", small_district["district"].pk, period))
    assert got["district"] == (2, 7)


def test_share_runs_a_constant_number_of_queries(small_district, year_2021, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        calculate("net_teachers_cpd_share", small_district["district"].pk, year_2021)
