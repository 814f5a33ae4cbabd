"""A small campaign end to end, every number worked out by hand: the teachers' answers go through the
personal-link service (consent, submit), and the stored indices, the profile levels, the district's and the
organisations' deficit shares and means, and the proposed ИОМ steps are compared with arithmetic done here.

The instrument (district A): методические — three items on the 4-level scale (option i scores i/3, stored to
three decimals: 0; 0,333; 0,667; 1), предметные — two items on the 5-level scale (0; 0,25; 0,5; 0,75; 1).
Thresholds are the defaults: «дефицит» below 0,5, «высокий» from 0,8.

    teacher (school)   методические answers → index             предметные answers → index
    T3 Фомина (Б)      3,3,3 → (1+1+1)/3 = 1,000  высокий        2,2 → (0,5+0,5)/2 = 0,500  достаточный
    T1 Андреева (А)    0,1,1 → (0+0,333+0,333)/3 = 0,222 дефицит 4,3 → (1+0,75)/2 = 0,875   высокий
    T2 Белова (А)      2,2,3 → (0,667+0,667+1)/3 = 0,778 дост.   2,1 → (0,5+0,25)/2 = 0,375  дефицит
    T4 Гусева (Б)      invited, never answers — not diagnosed

They submit in that order (T3, T1, T2): a route is proposed at submission, and a mentor must already have
a high index in the area.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from clusters.models import RouteStatus
from diagnostics import rollups
from diagnostics.models import AreaScore, Family, RouteOrigin, Scale, StepKind
from diagnostics.profiles import profile_of
from diagnostics.services import answers
from tests.diagnostics.factories import (
    DiagnosticCampaignFactory,
    InstrumentFactory,
    InvitationFactory,
    ItemFactory,
    area,
)
from tests.factories import CommunityFactory, TeacherFactory, TrainingProgramFactory

pytestmark = pytest.mark.django_db

ANSWERS = {  # teacher key → (методические choices, предметные choices)
    "t3": ((3, 3, 3), (2, 2)),
    "t1": ((0, 1, 1), (4, 3)),
    "t2": ((2, 2, 3), (2, 1)),
}


@pytest.fixture
def world(district_a, school_a, school_b):
    instrument = InstrumentFactory(district=district_a, family=Family.TEACHER_DEFICITS)
    methodical = [ItemFactory(instrument=instrument, area=area("methodical"), scale=Scale.LIKERT4, position=i)
                  for i in range(3)]
    subject = [ItemFactory(instrument=instrument, area=area("subject"), scale=Scale.LIKERT5, position=10 + i)
               for i in range(2)]
    campaign = DiagnosticCampaignFactory(district=district_a, instrument=instrument, year=2021)
    campaign.organisations.set([school_a, school_b])
    teachers = {
        "t1": TeacherFactory(organisation=school_a, full_name="Андреева Анна"),
        "t2": TeacherFactory(organisation=school_a, full_name="Белова Бэла"),
        "t3": TeacherFactory(organisation=school_b, full_name="Фомина Фаина"),
        "t4": TeacherFactory(organisation=school_b, full_name="Гусева Галина"),
    }
    invitations = {key: InvitationFactory(campaign=campaign, teacher=teacher) for key, teacher in teachers.items()}
    course = TrainingProgramFactory(district=district_a, title="Анализ урока", hours=36)
    course.areas.add(area("methodical"))
    community = CommunityFactory(district=district_a, name="ГППО «Современный урок»")
    for key in ("t3", "t1", "t2"):  # the order of submission matters for mentors (see the docstring)
        invitation = answers.consent(invitations[key])
        method_choices, subject_choices = ANSWERS[key]
        data = {f"item_{item.pk}": str(choice) for item, choice in zip(methodical, method_choices, strict=True)}
        data |= {f"item_{item.pk}": str(choice) for item, choice in zip(subject, subject_choices, strict=True)}
        answers.submit(invitation, data)
    return {"campaign": campaign, "teachers": teachers, "invitations": invitations, "course": course,
            "community": community, "school_a": school_a, "school_b": school_b}


def stored(invitation, code):
    return AreaScore.objects.get(invitation=invitation, area__code=code).score


def test_indices_stored_per_area(world):
    inv = world["invitations"]
    assert (stored(inv["t3"], "methodical"), stored(inv["t3"], "subject")) == (Decimal("1.000"), Decimal("0.500"))
    assert (stored(inv["t1"], "methodical"), stored(inv["t1"], "subject")) == (Decimal("0.222"), Decimal("0.875"))
    assert (stored(inv["t2"], "methodical"), stored(inv["t2"], "subject")) == (Decimal("0.778"), Decimal("0.375"))
    assert not AreaScore.objects.filter(invitation=inv["t4"]).exists()


def test_profile_levels(world):
    levels = {(r.area.code, r.score, r.level_label) for r in profile_of(world["teachers"]["t1"]).results}
    assert levels == {("methodical", Decimal("0.222"), "дефицит"), ("subject", Decimal("0.875"), "высокий")}
    levels = {(r.area.code, r.level_label) for r in profile_of(world["teachers"]["t3"]).results}
    assert levels == {("methodical", "высокий"), ("subject", "достаточный")}  # 0,500 is not below 0,5


def test_district_and_organisation_rollups(world, district_a):
    m, s = area("methodical").pk, area("subject").pk
    district = rollups.district_by_area(district_a.pk, 2021, Family.TEACHER_DEFICITS)
    # методические: 3 diagnosed, 1 deficit (T1) → 1/3 = 0,333; mean (0,222 + 0,778 + 1)/3 = 2/3 → 0,667
    assert (district[m].teachers, district[m].deficits) == (3, 1)
    assert (district[m].deficit_share, district[m].mean) == (Decimal("0.333"), Decimal("0.667"))
    # предметные: 1 deficit (T2); mean (0,5 + 0,875 + 0,375)/3 = 1,75/3 = 0,5833 → 0,583
    assert (district[s].deficit_share, district[s].mean) == (Decimal("0.333"), Decimal("0.583"))
    orgs = rollups.organisation_by_area(district_a.pk, 2021, Family.TEACHER_DEFICITS)
    a, b = world["school_a"].pk, world["school_b"].pk
    # school A: T1, T2 → методические 1 of 2 = 0,5, mean (0,222+0,778)/2 = 0,5; предметные 1 of 2, (0,875+0,375)/2
    assert (orgs[a, m].deficit_share, orgs[a, m].mean) == (Decimal("0.500"), Decimal("0.500"))
    assert (orgs[a, s].deficit_share, orgs[a, s].mean) == (Decimal("0.500"), Decimal("0.625"))
    # school B: only T3 diagnosed (T4 never answered) → no deficits, means 1 and 0,5
    assert (orgs[b, m].teachers, orgs[b, m].deficits, orgs[b, m].mean) == (1, 0, Decimal("1.000"))
    assert (orgs[b, s].deficit_share, orgs[b, s].mean) == (Decimal("0.000"), Decimal("0.500"))


def test_proposed_routes_steps(world):
    inv, teachers = world["invitations"], world["teachers"]
    # T3 has no deficit → no route; T1 and T2 each get one, proposed (planned), tied to their diagnosis
    assert not RouteOrigin.objects.filter(invitation=inv["t3"]).exists()
    route_1 = RouteOrigin.objects.get(invitation=inv["t1"]).route
    route_2 = RouteOrigin.objects.get(invitation=inv["t2"]).route
    assert route_1.status == route_2.status == RouteStatus.PLANNED
    assert route_1.deficits == ["methodical"] and route_2.deficits == ["subject"]

    def steps(route):
        return [(s.kind, s.area.code, s.training_program_id, s.mentor_id, s.community_id)
                for s in route.steps.order_by("position")]

    # T1, методические: the course tagged with the area; the mentor — T3 (1,000 ≥ 0,8, submitted before T1);
    # the community the teacher is not in; the area's recommendation. Due at the route's end (one area).
    assert steps(route_1) == [
        (StepKind.COURSE, "methodical", world["course"].pk, None, None),
        (StepKind.MENTOR, "methodical", None, teachers["t3"].pk, None),
        (StepKind.COMMUNITY, "methodical", None, None, world["community"].pk),
        (StepKind.OTHER, "methodical", None, None, None),
    ]
    # T2, предметные: no course tagged; mentor T1 (0,875, same school) — T3's 0,500 is not high
    assert steps(route_2) == [
        (StepKind.MENTOR, "subject", None, teachers["t1"].pk, None),
        (StepKind.COMMUNITY, "subject", None, None, world["community"].pk),
        (StepKind.OTHER, "subject", None, None, None),
    ]
    assert {s.due_on for s in route_1.steps.all()} == {route_1.ends_on}
    assert route_1.steps.get(kind=StepKind.OTHER).title == area("methodical").recommendation
