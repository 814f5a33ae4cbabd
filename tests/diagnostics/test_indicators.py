"""Registered diagnostic calculations by scope, numbers worked out by hand over test_rollups' small district
(6 diagnosed teachers: A 4, B 2; cluster «Север» = A) plus one undiagnosed active teacher in B.

    diagnosed share          district 6 / 7; cluster 4 / 4; A 4 / 4; B 2 / 3
    deficit share «методич.» district 3 / 6; cluster 2 / 4; A 2 / 4; B 1 / 2
    area mean                district 3,45 / 6 = 0,575; A 2,25 / 4 = 0,5625 → 0,563; B 0,600
    training after diagnosis A1 completed a course after the diagnosis, A2 before it → district 1 / 6, A 1 / 4
    active ИОМ from diagnosis B1 (active, from a diagnosis); A3 active but typed by hand; A4 from a diagnosis but
                             completed → district 1 / 7, B 1 / 3, A 0 / 4
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from clusters.models import RouteStatus, Teacher
from diagnostics import indicators
from diagnostics.models import Invitation, RouteOrigin
from monitoring.computations import calculate, parameter_problems, registered_calculations
from monitoring.models import Period, ScopeKind
from tests.diagnostics.test_rollups import small_district
from tests.factories import IndividualRouteFactory, TeacherFactory, TrainingCompletionFactory

D = Decimal
PERIOD = Period(starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2021, 12, 31))


def by_scope(results):
    return {(r.scope_kind, r.cluster_id or r.organisation_id): (r.numerator, r.denominator) for r in results}


@pytest.fixture
def small(district_a):
    org_a, org_b, cluster = small_district(district_a)
    TeacherFactory(organisation=org_b)  # active, never diagnosed
    return org_a, org_b, cluster


def test_all_five_registered():
    assert {indicators.DIAGNOSED, indicators.DEFICIT, indicators.AREA_MEAN, indicators.TRAINING_AFTER,
            indicators.ACTIVE_ROUTE} <= set(registered_calculations())


@pytest.mark.django_db
def test_diagnosed_share(district_a, small):
    org_a, org_b, cluster = small
    got = by_scope(calculate(indicators.DIAGNOSED, district_a.pk, PERIOD))
    assert got == {(ScopeKind.DISTRICT, None): (6, 7), (ScopeKind.CLUSTER, cluster.pk): (4, 4),
                   (ScopeKind.ORGANISATION, org_a.pk): (4, 4), (ScopeKind.ORGANISATION, org_b.pk): (2, 3)}


@pytest.mark.django_db
def test_deficit_share_and_area_mean(district_a, small):
    org_a, org_b, cluster = small
    got = by_scope(calculate(indicators.DEFICIT, district_a.pk, PERIOD, {"area": "comp-methodical"}))
    assert got == {(ScopeKind.DISTRICT, None): (3, 6), (ScopeKind.CLUSTER, cluster.pk): (2, 4),
                   (ScopeKind.ORGANISATION, org_a.pk): (2, 4), (ScopeKind.ORGANISATION, org_b.pk): (1, 2)}
    means = {(r.scope_kind, r.cluster_id or r.organisation_id): r.fact
             for r in calculate(indicators.AREA_MEAN, district_a.pk, PERIOD, {"area": "comp-methodical"})}
    assert means == {(ScopeKind.DISTRICT, None): D("0.575"), (ScopeKind.CLUSTER, cluster.pk): D("0.563"),
                     (ScopeKind.ORGANISATION, org_a.pk): D("0.563"), (ScopeKind.ORGANISATION, org_b.pk): D("0.600")}


@pytest.mark.django_db
def test_area_parameter_checked_in_russian(district_a):
    assert parameter_problems(indicators.DEFICIT, {}, district_a.pk) == [
        "Для функции «Доля педагогов с дефицитом в группе (по результатам диагностики)» укажите параметр "
        "«Группа компетенций»."]
    problems = parameter_problems(indicators.AREA_MEAN, {"area": "nope"}, district_a.pk)
    assert problems[0].startswith("Группы компетенций с кодом «nope» нет. Коды групп: subject")
    assert parameter_problems(indicators.AREA_MEAN, {"area": "comp-methodical"}, district_a.pk) == []
    with pytest.raises(indicators.DiagnosticIndicatorError):
        calculate(indicators.DEFICIT, district_a.pk, PERIOD, {"area": "nope"})


@pytest.mark.django_db
def test_training_after_diagnosis(district_a, small):
    org_a, org_b, cluster = small
    a1, a2 = Teacher.objects.filter(organisation=org_a).order_by("pk")[:2]
    # The diagnoses of 2021 were submitted on 01.06.2021; A1 completed a course after it, A2 before it.
    Invitation.objects.filter(campaign__year=2021).update(submitted_at=timezone.make_aware(dt.datetime(2021, 6, 1)))
    TrainingCompletionFactory(teacher=a1, completed_on=dt.date(2021, 9, 1))
    TrainingCompletionFactory(teacher=a2, completed_on=dt.date(2021, 5, 10))
    got = by_scope(calculate(indicators.TRAINING_AFTER, district_a.pk, PERIOD))
    assert got[(ScopeKind.DISTRICT, None)] == (1, 6)
    assert got[(ScopeKind.ORGANISATION, org_a.pk)] == (1, 4)
    assert got[(ScopeKind.CLUSTER, cluster.pk)] == (1, 4)
    assert got[(ScopeKind.ORGANISATION, org_b.pk)] == (0, 2)


@pytest.mark.django_db
def test_active_route_share(district_a, small):
    org_a, org_b, cluster = small
    b1 = Teacher.objects.filter(organisation=org_b).order_by("pk").first()
    a3, a4 = Teacher.objects.filter(organisation=org_a).order_by("pk")[2:4]
    diagnosis = b1.diagnostic_invitations.first()
    RouteOrigin.objects.create(route=IndividualRouteFactory(teacher=b1, status=RouteStatus.ACTIVE), invitation=diagnosis)
    IndividualRouteFactory(teacher=a3, status=RouteStatus.ACTIVE)
    RouteOrigin.objects.create(route=IndividualRouteFactory(teacher=a4, status=RouteStatus.COMPLETED),
                               invitation=a4.diagnostic_invitations.first())
    got = by_scope(calculate(indicators.ACTIVE_ROUTE, district_a.pk, PERIOD))
    assert got[(ScopeKind.DISTRICT, None)] == (1, 7)
    assert got[(ScopeKind.ORGANISATION, org_b.pk)] == (1, 3)
    assert got[(ScopeKind.ORGANISATION, org_a.pk)] == (0, 4)
