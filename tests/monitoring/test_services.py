from decimal import Decimal

import pytest

from core.scope import Scope
from monitoring.models import PeriodApproval, Value, ValueChange
from monitoring.services import (
    CellInput,
    ConcurrentEditError,
    MonitoringError,
    PeriodActionForbidden,
    PeriodLockedError,
    ValueInvalidError,
    period_approve,
    period_unlock,
    recompute_programme,
    values_save,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_scope(district_a):
    return Scope.of_district(district_a)


@pytest.fixture
def entered(network_programme):
    return network_programme.indicators.get(code="entered")


def _cell(indicator, period, plan=None, fact=None, seen=None):
    return CellInput(indicator, period, None if plan is None else Decimal(plan),
                     None if fact is None else Decimal(fact), seen_version=seen)


def test_values_save_stores_plan_fact_and_history(network_programme, entered, district_scope, methodist):
    period = network_programme.periods.get(label="2021")
    changed = values_save(scope=district_scope, cells=[_cell(entered, period, "40", "54.8")], user=methodist)
    assert changed == 1
    value = Value.objects.get(indicator=entered, period=period, scope_key="district")
    assert (value.plan, value.fact, value.version, value.updated_by) == (Decimal(40), Decimal("54.8"), 1, methodist)
    assert sorted(ValueChange.objects.filter(value=value).values_list("field", "old", "new")) == [
        ("fact", None, Decimal("54.8")), ("plan", None, Decimal(40))]


def test_out_of_range_percent_saves_nothing(network_programme, entered, district_scope, methodist):
    p2020, p2021 = network_programme.periods.order_by("ends_on")
    cells = [_cell(entered, p2020, "10", "10"), _cell(entered, p2021, "40", "154.8")]
    with pytest.raises(ValueInvalidError):
        values_save(scope=district_scope, cells=cells, user=methodist)
    assert cells[0].errors == {}
    assert cells[1].errors == {"fact": ["Процент должен быть от 0 до 100."]}
    assert not Value.objects.exists()


def test_fact_of_computed_indicator_cannot_be_typed(network_programme, district_scope, methodist):
    computed = network_programme.indicators.get(code="net_schools_share")
    period = network_programme.periods.get(label="2021")
    with pytest.raises(ValueInvalidError) as error:
        values_save(scope=district_scope, cells=[_cell(computed, period, "140", "50")], user=methodist)
    (cell,) = error.value.cells
    assert cell.errors == {
        "plan": ["Процент должен быть от 0 до 100."],
        "fact": ["значение этого показателя вычисляется автоматически; его нельзя ввести вручную."],
    }
    # The plan alone is fine.
    values_save(scope=district_scope, cells=[_cell(computed, period, "40")], user=methodist)
    assert Value.objects.get(indicator=computed).plan == Decimal(40)


def test_later_save_of_a_stale_grid_is_refused_and_names_the_change(
    network_programme, entered, district_scope, methodist, director
):
    period = network_programme.periods.get(label="2021")
    values_save(scope=district_scope, cells=[_cell(entered, period, "40", "50")], user=methodist)
    # Two people opened the grid at version 1; the first saves, the second's save must fail.
    values_save(scope=district_scope, cells=[_cell(entered, period, "40", "51", seen=1)], user=director)
    with pytest.raises(ConcurrentEditError) as error:
        values_save(scope=district_scope, cells=[_cell(entered, period, "45", "50", seen=1)], user=methodist)
    (conflict,) = error.value.conflicts
    assert conflict.fact == Decimal(51)
    assert conflict.updated_by == director.display_name
    value = Value.objects.get(indicator=entered)
    assert (value.plan, value.fact, value.version) == (Decimal(40), Decimal(51), 2)


def test_locked_period_refuses_grid_save(network_programme, entered, district_scope, methodist, director):
    period = network_programme.periods.get(label="2021")
    period_approve(period=period, scope=district_scope, user=director)
    with pytest.raises(PeriodLockedError, match="утверждён директором .* — изменения запрещены"):
        values_save(scope=district_scope, cells=[_cell(entered, period, "40", "50")], user=methodist)
    assert not Value.objects.exists()
    period_unlock(period=period, scope=district_scope, user=director)
    values_save(scope=district_scope, cells=[_cell(entered, period, "40", "50")], user=methodist)
    assert Value.objects.count() == 1


def test_recompute_is_idempotent_and_keeps_provenance(small_district, network_programme):
    first = recompute_programme(network_programme)
    assert first.created > 0 and first.updated == 0
    value = Value.objects.get(indicator__code="net_schools_share", period__label="2021", scope_key="district")
    assert (value.numerator, value.denominator, value.fact) == (Decimal(3), Decimal(5), Decimal(60))
    second = recompute_programme(network_programme)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert not ValueChange.objects.exists()


def test_recompute_never_touches_a_locked_value(small_district, network_programme, director):
    recompute_programme(network_programme)
    period = network_programme.periods.get(label="2021")
    scope = Scope.of_district(small_district["district"])
    period_approve(period=period, scope=scope, user=director)
    # The registry changes after approval: o4 joins a 2021 cluster → the live share would be 4/5.
    from tests.factories import ClusterMembershipFactory

    ClusterMembershipFactory(cluster=small_district["c2"], organisation=small_district["o"][4])
    result = recompute_programme(network_programme, periods=[period])
    value = Value.objects.get(indicator__code="net_schools_share", period=period, scope_key="district")
    assert value.fact == Decimal(60)
    assert result.skipped_locked >= 1
    assert PeriodApproval.objects.filter(revoked_at__isnull=True).count() == 1


def test_unchanged_cells_and_empty_new_ones_write_nothing(network_programme, entered, district_scope, methodist):
    p2020, p2021 = network_programme.periods.order_by("ends_on")
    values_save(scope=district_scope, cells=[_cell(entered, p2021, "40", "50")], user=methodist)
    # The same numbers again (seen at version 1) and an empty cell of 2020: no change, no history.
    changed = values_save(scope=district_scope, user=methodist,
                          cells=[_cell(entered, p2021, "40", "50", seen=1), _cell(entered, p2020)])
    assert changed == 0
    assert Value.objects.get().version == 1
    assert ValueChange.objects.count() == 2


def test_a_typed_fact_replaces_a_computed_one_with_its_provenance(
    small_district, network_programme, district_scope, methodist
):
    """Only as a historical figure (the admin's correction): the numerator and denominator go."""
    recompute_programme(network_programme)
    computed = network_programme.indicators.get(code="net_schools_share")
    period = network_programme.periods.get(label="2021")
    value = Value.objects.get(indicator=computed, period=period, scope_key="district")
    values_save(scope=district_scope, user=methodist, historical=True,
                cells=[_cell(computed, period, None, "55", seen=value.version)])
    value.refresh_from_db()
    assert (value.fact, value.numerator, value.denominator, value.fact_source) == (Decimal(55), None, None, "entered")
    assert list(ValueChange.objects.filter(value=value).values_list("field", "old", "new")) == [
        ("fact", Decimal(60), Decimal(55))]


# --- the period workflow: the services' own guards ------------------------------------------------


def test_only_a_role_with_the_approve_capability_approves_or_reopens(
    network_programme, district_scope, methodist, director
):
    period = network_programme.periods.get(label="2021")
    with pytest.raises(PeriodActionForbidden, match="Утверждать периоды может только директор ИМЦ."):
        period_approve(period=period, scope=district_scope, user=methodist)
    assert not PeriodApproval.objects.exists()
    period_approve(period=period, scope=district_scope, user=director)
    with pytest.raises(PeriodActionForbidden):
        period_unlock(period=period, scope=district_scope, user=methodist)
    assert PeriodApproval.objects.filter(revoked_at__isnull=True).count() == 1


def test_approving_an_approved_period_or_reopening_an_open_one_is_refused(
    network_programme, district_scope, director
):
    period = network_programme.periods.get(label="2021")
    with pytest.raises(MonitoringError, match="Период «2021» не утверждён — снимать нечего."):
        period_unlock(period=period, scope=district_scope, user=director)
    period_approve(period=period, scope=district_scope, user=director)
    with pytest.raises(MonitoringError, match="— уже утверждён."):
        period_approve(period=period, scope=district_scope, user=director)
    reopened = period_unlock(period=period, scope=district_scope, user=director)
    assert (reopened.revoked_by, reopened.revoked_at is not None) == (director, True)
    # Reopened is open again: it may be approved anew, and the first approval stays as history.
    period_approve(period=period, scope=district_scope, user=director)
    assert PeriodApproval.objects.filter(period=period).count() == 2
