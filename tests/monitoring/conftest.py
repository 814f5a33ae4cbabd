"""A small district whose indicator values are worked out by hand in the tests' docstrings."""
import datetime as dt

import pytest

from clusters.models import RouteStatus
from monitoring.models import Indicator, Period, PeriodKind, Programme, Source
from monitoring.units import Unit
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    CommunityFactory,
    CommunityMembershipFactory,
    IndividualRouteFactory,
    InnovationProjectFactory,
    OrganisationFactory,
    TeacherFactory,
    TrainingCompletionFactory,
)

D = dt.date


@pytest.fixture
def small_district(district_a):
    """o1..o5 active, o6 closed. Clusters 2021: C1 = {o1, o2, o6}, C2 = {o2, o3}.

    Teachers: o1: t1 t2 t3, o2: t4 t5, o3: t6, o4: t7. Community members during 2021:
    t1 (since 01.09.2020), t2 (01.03–01.06.2021), t5 (31.12.2021), t6 (01.02.2021), t7 (since 2020)
    — five; t3 joins only in 2022 and t4 left on 31.12.2020.
    """
    o = {i: OrganisationFactory(district=district_a, code=f"o{i}") for i in range(1, 7)}
    o[6].is_active = False
    o[6].save()
    c1 = ClusterFactory(district=district_a, year=2021, name="C1")
    c2 = ClusterFactory(district=district_a, year=2021, name="C2")
    old = ClusterFactory(district=district_a, year=2020, name="C0")
    for cluster, orgs in ((c1, (1, 2, 6)), (c2, (2, 3)), (old, (4, 5))):
        for i in orgs:
            ClusterMembershipFactory(cluster=cluster, organisation=o[i])
    t = {
        1: TeacherFactory(organisation=o[1]), 2: TeacherFactory(organisation=o[1]), 3: TeacherFactory(organisation=o[1]),
        4: TeacherFactory(organisation=o[2]), 5: TeacherFactory(organisation=o[2]),
        6: TeacherFactory(organisation=o[3]), 7: TeacherFactory(organisation=o[4]),
    }
    community = CommunityFactory(district=district_a)
    for i, joined, left in (
        (1, D(2020, 9, 1), None), (2, D(2021, 3, 1), D(2021, 6, 1)), (3, D(2022, 1, 10), None),
        (4, D(2019, 1, 1), D(2020, 12, 31)), (5, D(2021, 12, 31), None), (6, D(2021, 2, 1), None),
        (7, D(2020, 1, 1), None),
    ):
        CommunityMembershipFactory(community=community, teacher=t[i], joined_on=joined, left_on=left)
    # Training: window for 2021 is 01.01.2019–31.12.2021.
    TrainingCompletionFactory(teacher=t[1], completed_on=D(2019, 6, 1))   # counts
    TrainingCompletionFactory(teacher=t[2], completed_on=D(2018, 12, 31))  # too early
    TrainingCompletionFactory(teacher=t[5], completed_on=D(2021, 12, 31))  # counts
    TrainingCompletionFactory(teacher=t[7], completed_on=D(2022, 1, 1))   # too late
    TrainingCompletionFactory(teacher=t[3], completed_on=D(2021, 5, 1))   # not a member in 2021
    # Routes: active or completed and overlapping 2021.
    IndividualRouteFactory(teacher=t[1], starts_on=D(2021, 1, 1), ends_on=D(2021, 12, 31), status=RouteStatus.ACTIVE)
    IndividualRouteFactory(teacher=t[2], starts_on=D(2021, 1, 1), ends_on=D(2021, 12, 31), status=RouteStatus.CANCELLED)
    IndividualRouteFactory(teacher=t[6], starts_on=D(2020, 9, 1), ends_on=D(2021, 1, 15), status=RouteStatus.COMPLETED)
    IndividualRouteFactory(teacher=t[7], starts_on=D(2021, 3, 1), ends_on=D(2021, 9, 1), status=RouteStatus.PLANNED)
    # Innovation: P1 overlaps 2021 (t1, t2, t7); P2 starts in 2022 (t5).
    p1 = InnovationProjectFactory(district=district_a, starts_on=D(2020, 9, 1), ends_on=D(2021, 6, 30))
    p2 = InnovationProjectFactory(district=district_a, starts_on=D(2022, 1, 1), ends_on=None)
    for i in (1, 2, 7):
        p1.participations.create(teacher=t[i])
    p2.participations.create(teacher=t[5])
    return {"o": o, "t": t, "c1": c1, "c2": c2, "district": district_a}


@pytest.fixture
def network_programme(district_a):
    programme = Programme.objects.create(
        district=district_a, code="network", name="Эффективность сетевого взаимодействия педагогов",
        period_kind=PeriodKind.YEAR,
    )
    for year in (2020, 2021):
        Period.objects.create(programme=programme, label=str(year), starts_on=D(year, 1, 1), ends_on=D(year, 12, 31))
    for position, code in enumerate(
        ("net_schools_share", "net_teachers_cpd_share", "net_teachers_iom_share", "net_teachers_innovation_share")
    ):
        Indicator.objects.create(
            programme=programme, code=code, name=code, unit=Unit.PERCENT, source=Source.COMPUTED,
            calculation=code, position=position,
        )
    Indicator.objects.create(programme=programme, code="entered", name="Вводимый показатель", unit=Unit.PERCENT,
                             position=10)
    return programme
