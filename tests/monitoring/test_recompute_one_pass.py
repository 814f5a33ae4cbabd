"""Recompute in one pass (issue 15, item 5): the teachers are read once per period, each condition is
tested once per teacher, clusters and the district are sums of the organisations, and values are
compared and written in bulk. Numbers are the small district's, worked out by hand in conftest."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from clusters.models import Teacher
from monitoring import bulk_values, expressions
from monitoring.computations import calculate_many
from monitoring.flag_counts import counts_per_organisation
from monitoring.models import Indicator, Source, Value, ValueChange
from monitoring.services import recompute_programme
from monitoring.units import Unit
from tests.factories import TrainingCompletionFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def year_2021(network_programme):
    Indicator.objects.create(programme=network_programme, code="participation", name="participation",
                             unit=Unit.PERCENT, source=Source.COMPUTED, calculation="community_participation_share",
                             position=5)
    return network_programme.periods.get(label="2021")


def _member_2021():
    return expressions.community_member(D(2021, 1, 1), D(2021, 12, 31))


def _teacher_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"clusters_teacher"' in q["sql"]]


def test_all_teacher_shares_of_a_period_read_the_teachers_once(small_district, year_2021):
    """Four shares over two populations (community members, working teachers): one query reads the
    teachers, and the community membership — the members' population and the participation share's
    condition — is tested there once, as are the training, route and innovation conditions."""
    indicators = list(year_2021.programme.indicators.filter(source=Source.COMPUTED))
    with CaptureQueriesContext(connection) as captured:
        calculate_many([(i.pk, i.calculation, i.parameters) for i in indicators], small_district["district"].pk,
                       year_2021)
    (sql,) = _teacher_queries(captured.captured_queries)
    for table in ("clusters_communitymembership", "clusters_trainingcompletion", "clusters_individualroute",
                  "clusters_innovationparticipation"):
        assert sql.count(f'"{table}"') == 1, table


def test_a_condition_built_twice_is_counted_from_one_flag(small_district):
    """Members of 2021 by organisation: o1 {t1, t2} of t1 t2 t3, o2 {t5} of t4 t5, o3 {t6}, o4 {t7}.
    Trained 2019–2021 among them: t1 (o1), t5 (o2). o5 and o6 have no teachers: absent."""
    o = small_district["o"]
    teachers = Teacher.objects.filter(organisation__district=small_district["district"])
    trained = expressions.trained_within_window(D(2021, 12, 31))
    with CaptureQueriesContext(connection) as captured:
        got = counts_per_organisation(teachers, [(), (_member_2021(),), (_member_2021(), trained),
                                                 (Q(is_active=True), _member_2021())])
    assert got == {o[1].pk: (3, 2, 1, 2), o[2].pk: (2, 1, 1, 1), o[3].pk: (1, 1, 0, 1), o[4].pk: (1, 1, 0, 1)}
    (sql,) = _teacher_queries(captured.captured_queries)
    assert sql.count('"clusters_communitymembership"') == 1


def test_clusters_and_the_district_are_sums_of_the_organisations(small_district, year_2021):
    """Participation (active members / active teachers): o1 2/3, o2 1/2, o3 1/1, o4 1/1 → district 5/7;
    C1 = o1 + o2 (+ o6, no teachers) 3/5, C2 = o2 + o3 2/3 — o2 counts in both clusters, once in the district."""
    s = small_district
    (result,) = calculate_many([("p", "community_participation_share", {})], s["district"].pk, year_2021).values()
    got = {(r.scope_kind, r.cluster_id or r.organisation_id): (r.numerator, r.denominator) for r in result}
    assert got == {
        ("district", None): (5, 7),
        ("cluster", s["c1"].pk): (3, 5), ("cluster", s["c2"].pk): (2, 3),
        ("organisation", s["o"][1].pk): (2, 3), ("organisation", s["o"][2].pk): (1, 2),
        ("organisation", s["o"][3].pk): (1, 1), ("organisation", s["o"][4].pk): (1, 1),
    }


def test_a_changed_fact_moves_its_value_to_the_next_version_and_keeps_the_plan(small_district, year_2021):
    """t2 trains in 2021: the CPD share of o1 goes from 1/2 to 2/2, C1 from 2/3 to 3/3, the district
    from 2/5 to 3/5; the plan typed on o1's value stays, and each changed fact has one history row."""
    s = small_district
    programme = year_2021.programme
    recompute_programme(programme, periods=[year_2021])
    o1 = f"organisation:{s['o'][1].pk}"
    Value.objects.filter(indicator__code="net_teachers_cpd_share", scope_key=o1).update(plan=Decimal(90))
    TrainingCompletionFactory(teacher=s["t"][2], completed_on=D(2021, 3, 1))

    result = recompute_programme(programme, periods=[year_2021])

    assert (result.created, result.updated) == (0, 3)
    changed = {v.scope_key: v for v in Value.objects.filter(period=year_2021, version=2)}
    assert set(changed) == {o1, f"cluster:{s['c1'].pk}", "district"}
    assert (changed[o1].fact, changed[o1].numerator, changed[o1].denominator, changed[o1].plan) == (
        Decimal(100), Decimal(2), Decimal(2), Decimal(90))
    assert sorted(ValueChange.objects.filter(reason="пересчёт").values_list("old", "new")) == [
        (Decimal(40), Decimal(60)), (Decimal(50), Decimal(100)), (Decimal("66.6667"), Decimal(100))]
    assert recompute_programme(programme, periods=[year_2021]).updated == 0


def test_a_value_created_after_the_comparison_gets_the_computed_fact(small_district, year_2021, monkeypatch):
    """A grid saves a plan into an empty computed cell while the recompute runs: the write puts the fact
    onto that row (plan kept) instead of failing the period on the unique key."""
    s = small_district
    indicator = year_2021.programme.indicators.get(code="net_schools_share")
    Value.objects.create(indicator=indicator, period=year_2021, district=s["district"], plan=Decimal(70))
    monkeypatch.setattr(bulk_values, "differing",
                        lambda period, ids, rows: dict.fromkeys(((r.indicator_id, r.scope_key) for r in rows), None))

    recompute_programme(year_2021.programme, periods=[year_2021])

    value = Value.objects.get(indicator=indicator, period=year_2021, scope_key="district")
    assert (value.plan, value.fact, value.numerator, value.denominator) == (Decimal(70), Decimal(60), 3, 5)
    assert value.fact_source == Source.COMPUTED


def test_array_literals_quote_texts_and_spell_nulls():
    assert bulk_values._array([1, None, 3]) == "{1,NULL,3}"
    assert bulk_values._array([Decimal("66.6667"), None, Decimal(5)]) == "{66.6667,NULL,5}"
    assert bulk_values._array(["district", "cluster:12"]) == '{"district","cluster:12"}'
    assert bulk_values._array(['a"b', None, "c\\d", "NULL"]) == '{"a\\"b",NULL,"c\\\\d","NULL"}'
    assert bulk_values._array([]) == "{}"
