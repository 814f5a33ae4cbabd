"""factory_boy factories for monitoring: programmes, periods, indicators, values, approvals, jobs.

Defaults follow the network programme of the tests' small district: yearly periods labelled by
the year, percent indicators with one decimal, values at the district level. A value's period
belongs to its indicator's programme and its district is the programme's, so

    ValueFactory(indicator=indicator, period=period, plan=Decimal("40"), fact=Decimal("54.8"))

is enough; a cluster or organisation value passes `scope_kind` with `cluster` or `organisation`.
"""
from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from core.roles import Role
from core.scope import ScopeKind
from monitoring.models import (
    Indicator,
    Period,
    PeriodApproval,
    PeriodKind,
    Programme,
    RecomputeJob,
    Source,
    Value,
)
from monitoring.units import Unit
from tests.factories import DistrictFactory, UserFactory


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"programme-{n}")
    name = "Эффективность сетевого взаимодействия педагогов"
    period_kind = PeriodKind.YEAR


class PeriodFactory(DjangoModelFactory):
    """A calendar year: `PeriodFactory(programme=p, year=2020)` is «2020», 01.01–31.12.2020."""

    class Meta:
        model = Period
        django_get_or_create = ("programme", "label")

    class Params:
        year = 2021

    programme = factory.SubFactory(ProgrammeFactory)
    label = factory.LazyAttribute(lambda o: str(o.year))
    starts_on = factory.LazyAttribute(lambda o: dt.date(o.year, 1, 1))
    ends_on = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 31))


class IndicatorFactory(DjangoModelFactory):
    """An entered percent indicator; `computed=True` with `calculation=…` makes a computed one."""

    class Meta:
        model = Indicator

    class Params:
        computed = factory.Trait(source=Source.COMPUTED, calculation=factory.SelfAttribute("code"))

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.Sequence(lambda n: f"Показатель {n}")
    unit = Unit.PERCENT
    decimals = 1
    source = Source.ENTERED
    position = factory.Sequence(lambda n: n)


class ValueFactory(DjangoModelFactory):
    class Meta:
        model = Value

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.SubFactory(PeriodFactory, programme=factory.SelfAttribute("..indicator.programme"))
    district = factory.SelfAttribute("indicator.programme.district")
    scope_kind = ScopeKind.DISTRICT
    cluster = None
    organisation = None
    plan = None
    fact = None


class PeriodApprovalFactory(DjangoModelFactory):
    """The director's approval of a period at the district level (the lock on its values)."""

    class Meta:
        model = PeriodApproval

    period = factory.SubFactory(PeriodFactory)
    district = factory.SelfAttribute("period.programme.district")
    scope_kind = ScopeKind.DISTRICT
    cluster = None
    organisation = None
    approved_by = factory.SubFactory(UserFactory, role=Role.DIRECTOR, district=factory.SelfAttribute("..district"))


class RecomputeJobFactory(DjangoModelFactory):
    class Meta:
        model = RecomputeJob

    programme = factory.SubFactory(ProgrammeFactory)
    period = None
