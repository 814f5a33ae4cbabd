"""A value's period, indicator and district checked once per statement (issue 15.5, migration monitoring 0007):
no foreign key checks every row of a recompute's insert against the same period, and the database still
refuses a value of a missing period or indicator, keeps a period or an indicator that has values, and
carries values along when their indicator moves to another district (tests/monitoring/test_value_keys.py)."""
import gc
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from core.scope import ScopeKind
from monitoring.models import Period, Value
from monitoring.services import recompute_programme
from tests.monitoring.factories import IndicatorFactory, PeriodFactory, ProgrammeFactory, ValueFactory

pytestmark = pytest.mark.django_db

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only")


def _check_now() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks happen at commit; check now


def _execute(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgresql
def test_no_foreign_key_checks_each_row_against_the_period_or_the_indicator():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'monitoring_value'::regclass "
            "AND contype = 'f'")
        referenced = {row[0] for row in cursor.fetchall()}
    assert not referenced & {"monitoring_period", "monitoring_indicator"}
    assert "clusters_organisation" in referenced  # the other apps' keys stay foreign keys


@postgresql
def test_a_value_of_a_missing_period_is_refused_at_the_statement():
    indicator = IndicatorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.create(indicator=indicator, period_id=10**9, district_id=indicator.programme.district_id,
                             scope_kind=ScopeKind.DISTRICT, fact=Decimal("50"))


@postgresql
def test_one_statement_of_many_values_is_refused_for_one_bad_row():
    value = ValueFactory()
    columns = "district_id, period_id, fact_source, comment, updated_at, version, indicator_id, scope_kind, scope_key"
    row = "(%s, %s, 'computed', '', now(), 1, %s, 'district', %s)"
    with pytest.raises(IntegrityError), transaction.atomic():
        _execute(f"INSERT INTO monitoring_value ({columns}) VALUES {row}, {row}",
                 [value.district_id, value.period_id, value.indicator_id, "district-a",
                  value.district_id, 10**9, value.indicator_id, "district-b"])
    assert Value.objects.count() == 1


@postgresql
def test_a_value_moved_to_a_missing_period_is_refused_and_other_updates_pass():
    value = ValueFactory()
    Value.objects.filter(pk=value.pk).update(fact=Decimal("12.5"))  # keys unchanged: no check fires
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.filter(pk=value.pk).update(period_id=10**9)
    other = PeriodFactory(programme=value.indicator.programme, year=2030)
    Value.objects.filter(pk=value.pk).update(period=other)  # an existing period: accepted
    assert Value.objects.get(pk=value.pk).period_id == other.pk


@postgresql
@pytest.mark.parametrize("table", ["monitoring_period", "monitoring_indicator"])
def test_a_period_or_an_indicator_with_values_is_not_deleted_behind_djangos_back(table):
    value = ValueFactory()
    pk = value.period_id if table == "monitoring_period" else value.indicator_id
    with pytest.raises(IntegrityError), transaction.atomic():
        _execute(f"DELETE FROM {table} WHERE id = %s", [pk])
        _check_now()
    assert Value.objects.filter(pk=value.pk).exists()


def test_deleting_a_period_deletes_its_values():
    value = ValueFactory()
    Period.objects.filter(pk=value.period_id).delete()
    assert not Value.objects.filter(pk=value.pk).exists()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_recompute_leaves_the_garbage_collector_as_it_found_it(enabled):
    programme = ProgrammeFactory()
    PeriodFactory(programme=programme, year=2021)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        recompute_programme(programme)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
