"""What the database keeps about a value once its indicator and district are checked by one foreign key
(issue 15.5, migration monitoring 0006): a value's district is its programme's, an indicator carries its
programme's district along, and deleting still protects and cascades as before."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from clusters.models import District
from core.scope import ScopeKind
from monitoring.models import Indicator, Value
from tests.factories import DistrictFactory
from tests.monitoring.factories import IndicatorFactory, PeriodFactory, ProgrammeFactory, ValueFactory

pytestmark = pytest.mark.django_db

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the composite key exists on PostgreSQL only")


def _indicator_district(indicator: Indicator) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT district_id FROM monitoring_indicator WHERE id = %s", [indicator.pk])
        return cursor.fetchone()[0]


@postgresql
def test_a_value_of_another_district_than_its_programmes_is_refused():
    programme = ProgrammeFactory()
    indicator, period = IndicatorFactory(programme=programme), PeriodFactory(programme=programme, year=2021)
    stranger = DistrictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.create(indicator=indicator, period=period, district=stranger, scope_kind=ScopeKind.DISTRICT,
                             fact=Decimal("50"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the keys are checked at commit; check now
    Value.objects.create(indicator=indicator, period=period, district=programme.district,
                         scope_kind=ScopeKind.DISTRICT, fact=Decimal("50"))  # its own district: accepted


@postgresql
def test_an_indicator_and_its_values_follow_their_programme_to_another_district():
    value = ValueFactory()
    programme, new_district = value.indicator.programme, DistrictFactory()
    assert _indicator_district(value.indicator) == programme.district_id
    programme.district = new_district
    programme.save()
    value.refresh_from_db()
    assert _indicator_district(value.indicator) == new_district.pk
    assert value.district_id == new_district.pk


@postgresql
def test_an_indicator_moved_to_another_programme_takes_its_district():
    indicator = IndicatorFactory()
    other = ProgrammeFactory()
    indicator.programme = other
    indicator.save()
    assert _indicator_district(indicator) == other.district_id


def test_a_district_with_values_cannot_be_deleted_and_an_indicators_values_go_with_it():
    value = ValueFactory()
    with pytest.raises(ProtectedError):
        District.objects.filter(pk=value.district_id).delete()
    value.indicator.delete()
    assert not Value.objects.filter(pk=value.pk).exists()
