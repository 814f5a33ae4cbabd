"""The city level's test world: two districts of one city running the same programme, worked out by hand.

Programme code «network» in district A (Фрунзенский) and district B (Кировский), both in the region
«Санкт-Петербург» of the personas' conftest, period «2021» in each (and «2020» in A):

    indicator        unit     A plan  A fact  A %     B plan  B fact  B %
    net_share        percent  40      54,8    137,0   50      45      90,0
    events_count     count    10      8       80,0    4       6       150,0

% of plan = fact / plan × 100 rounded half up to 0,1: 54,8/40 = 1,37 → 137,0; 8/10 → 80,0; 45/50 → 90,0;
6/4 → 150,0. The city rollup over districts with a fact: net_share plan mean (40+50)/2 = 45,0, fact mean
(54,8+45)/2 = 49,9, % of the means 49,9/45 = 110,888… → 110,9, min 45, max 54,8, achieved in A only
(1 of 2); events_count plan mean 7, fact mean 7, 100,0 %, achieved in B only (1 of 2).

Noise that must not count: A's cluster-level value of net_share for 2021 (fact 99), A's 2020 values,
and district C (Саянск, region «Иркутская область») with the same programme (fact 1) — outside the
city user's region, inside the portal admin's view.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from core.roles import Role
from monitoring.models import Indicator, Period, Programme, ScopeKind, Value
from monitoring.units import Unit
from tests.factories import ClusterFactory, DistrictFactory, RegionFactory, UserFactory


def city_user(region, username: str = "city"):
    return UserFactory(username=username, role=Role.CITY, region=region, last_name="Городская")


def _programme(district, name: str = "Сетевое взаимодействие") -> SimpleNamespace:
    programme = Programme.objects.create(district=district, code="network", name=name)
    period = Period.objects.create(programme=programme, label="2021", starts_on=dt.date(2021, 1, 1),
                                   ends_on=dt.date(2021, 12, 31))
    share = Indicator.objects.create(programme=programme, code="net_share", name="Доля ОУ в сетевых сообществах",
                                     unit=Unit.PERCENT, decimals=1, position=1)
    count = Indicator.objects.create(programme=programme, code="events_count", name="Число сетевых мероприятий",
                                     unit=Unit.COUNT, decimals=0, position=2)
    return SimpleNamespace(programme=programme, period=period, share=share, count=count)


def _value(district, indicator, period, plan, fact, **scope) -> Value:
    return Value.objects.create(district=district, scope_kind=scope.pop("scope_kind", ScopeKind.DISTRICT),
                                indicator=indicator, period=period, plan=Decimal(str(plan)),
                                fact=Decimal(str(fact)), **scope)


def city_world(district_a, district_b) -> SimpleNamespace:
    a, b = _programme(district_a), _programme(district_b, name="Сетевое взаимодействие педагогов")
    _value(district_a, a.share, a.period, 40, "54.8")
    _value(district_a, a.count, a.period, 10, 8)
    _value(district_b, b.share, b.period, 50, 45)
    _value(district_b, b.count, b.period, 4, 6)
    cluster = ClusterFactory(district=district_a, year=2021)
    _value(district_a, a.share, a.period, 40, 99, scope_kind=ScopeKind.CLUSTER, cluster=cluster)
    a2020 = Period.objects.create(programme=a.programme, label="2020", starts_on=dt.date(2020, 1, 1),
                                  ends_on=dt.date(2020, 12, 31))
    _value(district_a, a.share, a2020, 30, 31)
    district_c = DistrictFactory(name="Саянск", code="sayansk", region=RegionFactory(name="Иркутская область"))
    c = _programme(district_c)
    _value(district_c, c.share, c.period, 1, 1)
    return SimpleNamespace(a=a, b=b, c=c, district_c=district_c, a2020=a2020)
