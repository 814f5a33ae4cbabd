"""ИОМ from a diagnosis: hand-worked proposals, idempotence, approval, completion by the training registry.

The world: district A (thresholds 0,5 / 0,8 by default), the teacher of school A diagnosed in 2021 with
методические 0,333, коммуникативные 0,9, предметные 0,45 → deficits методические (weakest) then предметные.
Proposed on 01.12.2021 → the route runs to 31.05.2022 (181 days); two areas → методические due 01.03.2022
(day 90 = 181 // 2), предметные due 31.05.2022 (day 181).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import diagnostics.signals  # noqa: F401  (connects the TrainingCompletion receiver; the lead wires it in ready())
from clusters.models import RouteStatus
from diagnostics.models import InvitationStatus, RouteOrigin, RouteStep, StepKind, StepStatus
from diagnostics.services.routes import RouteError, approve_route, propose_route, route_span
from tests.diagnostics.factories import AreaScoreFactory, DiagnosticCampaignFactory, InvitationFactory, area
from tests.factories import (
    CommunityFactory,
    CommunityMembershipFactory,
    DistrictFactory,
    MentorshipFactory,
    TeacherFactory,
    TrainingCompletionFactory,
    TrainingProgramFactory,
)

TODAY = dt.date(2021, 12, 1)


def diagnosed(campaign, teacher, **scores):
    invitation = InvitationFactory(campaign=campaign, teacher=teacher, status=InvitationStatus.SUBMITTED)
    for code, score in scores.items():
        AreaScoreFactory(invitation=invitation, area=area(code), score=Decimal(score))
    return invitation


@pytest.fixture
def case(district_a, school_a, school_b):
    campaign = DiagnosticCampaignFactory(district=district_a, year=2021)
    old = DiagnosticCampaignFactory(district=district_a, instrument=campaign.instrument, year=2020)
    teacher = TeacherFactory(organisation=school_a, full_name="Петрова Ольга Ивановна")
    invitation = diagnosed(campaign, teacher, methodical="0.333", communicative="0.9", subject="0.45")
    # mentors: same organisation beats a higher index elsewhere; another year does not count
    far = TeacherFactory(organisation=school_b, full_name="Алексеева Вера")
    near = TeacherFactory(organisation=school_a, full_name="Смирнова Нина")
    last_year = TeacherFactory(organisation=school_a, full_name="Борисова Анна")
    diagnosed(campaign, far, methodical="0.95")
    diagnosed(campaign, near, methodical="0.8", subject="0.79")
    diagnosed(old, last_year, methodical="1")
    # courses: the district's own first (by title), at most two; another district's never
    own_b = TrainingProgramFactory(district=district_a, title="Ясный урок")
    own_a = TrainingProgramFactory(district=district_a, title="Анализ урока")
    shared = TrainingProgramFactory(district=None, title="Методика ФГОС")
    foreign = TrainingProgramFactory(district=DistrictFactory(), title="Аааа чужой курс")
    subject_course = TrainingProgramFactory(district=None, title="Предметное содержание математики")
    for programme in (own_b, own_a, shared, foreign):
        programme.areas.add(area("methodical"))
    subject_course.areas.add(area("subject"))
    # communities: the teacher is already in the РМО; the ГППО is free
    rmo = CommunityFactory(district=district_a, name="РМО учителей математики")
    CommunityMembershipFactory(community=rmo, teacher=teacher)
    gppo = CommunityFactory(district=district_a, name="ГППО «Современный урок»")
    return locals()


def step_rows(route):
    return [(s.position, s.area.code, s.kind, s.training_program_id, s.mentor_id, s.community_id, s.due_on)
            for s in route.steps.order_by("position")]


def test_proposal_hand_worked(case):
    route = propose_route(invitation=case["invitation"], today=TODAY)
    assert route.teacher == case["teacher"]
    assert (route.starts_on, route.ends_on) == (TODAY, dt.date(2022, 5, 31))
    assert route.status == RouteStatus.PLANNED
    assert route.deficits == ["methodical", "subject"]
    assert route.goals == ("Устранение профессиональных дефицитов по результатам диагностики: "
                           "методические (0,333), предметные (0,45).")
    origin = RouteOrigin.objects.get(route=route)
    assert origin.invitation == case["invitation"] and origin.approved_at is None
    march, may = dt.date(2022, 3, 1), dt.date(2022, 5, 31)
    assert step_rows(route) == [
        (1, "methodical", StepKind.COURSE, case["own_a"].pk, None, None, march),
        (2, "methodical", StepKind.COURSE, case["own_b"].pk, None, None, march),
        (3, "methodical", StepKind.MENTOR, None, case["near"].pk, None, march),
        (4, "methodical", StepKind.COMMUNITY, None, None, case["gppo"].pk, march),
        (5, "methodical", StepKind.OTHER, None, None, None, march),
        (6, "subject", StepKind.COURSE, case["subject_course"].pk, None, None, may),
        (7, "subject", StepKind.OTHER, None, None, None, may),
    ]
    other = route.steps.get(position=5)
    assert other.title == area("methodical").recommendation
    assert route.steps.get(position=1).title == "Курс «Анализ урока» (36 ч)"
    assert set(route.steps.values_list("status", flat=True)) == {StepStatus.PLANNED}


def test_mentor_falls_back_to_registered_mentor_then_index(case, school_b):
    # without the same-organisation candidate, a registered mentor beats a higher index
    case["near"].diagnostic_invitations.all().delete()
    second = TeacherFactory(organisation=school_b, full_name="Яковлева Ирина")
    diagnosed(case["campaign"], second, methodical="0.85")
    MentorshipFactory(mentor=second, mentee=TeacherFactory(organisation=school_b))
    route = propose_route(invitation=case["invitation"], today=TODAY)
    assert route.steps.get(kind=StepKind.MENTOR).mentor == second


def test_proposal_is_idempotent(case):
    first = propose_route(invitation=case["invitation"], today=TODAY)
    again = propose_route(invitation=case["invitation"], today=TODAY)
    assert again.pk == first.pk
    assert RouteStep.objects.filter(route=first).count() == 7
    assert RouteOrigin.objects.filter(invitation=case["invitation"]).count() == 1


def test_unsubmitted_diagnosis_is_refused(district_a, school_a):
    invitation = InvitationFactory(campaign=DiagnosticCampaignFactory(district=district_a),
                                   teacher=TeacherFactory(organisation=school_a), status=InvitationStatus.DRAFT)
    with pytest.raises(RouteError, match="пройденной диагностике"):
        propose_route(invitation=invitation, today=TODAY)
    assert not RouteOrigin.objects.exists()


def test_route_span_of_an_old_campaign_is_a_year_from_today():
    assert route_span(2019, TODAY) == (TODAY, dt.date(2022, 12, 1))
    assert route_span(2024, dt.date(2024, 2, 29)) == (dt.date(2024, 2, 29), dt.date(2025, 5, 31))
    assert route_span(2023, dt.date(2024, 6, 1)) == (dt.date(2024, 6, 1), dt.date(2025, 6, 1))


def test_approval_by_the_school(case, school_admin, school_admin_client):
    route = propose_route(invitation=case["invitation"], today=TODAY)
    response = school_admin_client.post(f"/diagnostics/routes/{route.pk}/approve/")
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.status == RouteStatus.ACTIVE
    assert route.origin.approved_by == school_admin and route.origin.approved_at is not None
    with pytest.raises(RouteError, match="только запланированный"):
        approve_route(route, user=school_admin)


@pytest.mark.parametrize("persona, status", [("other_school_admin_client", 404), ("methodist_client", 403),
                                             ("director_client", 403), ("observer_client", 403)])
def test_approval_refused(case, request, persona, status):
    route = propose_route(invitation=case["invitation"], today=TODAY)
    response = request.getfixturevalue(persona).post(f"/diagnostics/routes/{route.pk}/approve/")
    assert response.status_code == status
    route.refresh_from_db()
    assert route.status == RouteStatus.PLANNED and route.origin.approved_at is None


def test_completion_in_the_registry_completes_course_steps_and_the_route(case, school_admin):
    route = propose_route(invitation=case["invitation"], today=TODAY)
    approve_route(route, user=school_admin)
    done = TrainingCompletionFactory(teacher=case["teacher"], program=case["own_a"], completed_on=dt.date(2022, 1, 20))
    step = route.steps.get(position=1)
    assert (step.status, step.completion, step.completed_on) == (StepStatus.DONE, done, dt.date(2022, 1, 20))
    assert route.steps.filter(status=StepStatus.DONE).count() == 1
    done.refresh_from_db()
    assert done.based_on_diagnostics  # the registry's flag follows the route built from a diagnosis
    # another teacher's completion of the same course changes nothing
    other = TrainingCompletionFactory(teacher=case["near"], program=case["own_b"])
    other.refresh_from_db()
    assert not other.based_on_diagnostics
    assert route.steps.get(position=2).status == StepStatus.PLANNED
    route.steps.exclude(kind=StepKind.COURSE).update(status=StepStatus.CANCELLED)
    TrainingCompletionFactory(teacher=case["teacher"], program=case["own_b"], completed_on=dt.date(2022, 2, 1))
    route.refresh_from_db()
    assert route.status == RouteStatus.ACTIVE  # the subject course is still open
    TrainingCompletionFactory(teacher=case["teacher"], program=case["subject_course"], completed_on=dt.date(2022, 3, 1))
    route.refresh_from_db()
    assert route.status == RouteStatus.COMPLETED


def test_completion_before_approval_completes_the_step_not_the_route(case):
    route = propose_route(invitation=case["invitation"], today=TODAY)
    route.steps.exclude(position=6).delete()
    TrainingCompletionFactory(teacher=case["teacher"], program=case["subject_course"])
    route.refresh_from_db()
    assert route.steps.get().status == StepStatus.DONE
    assert route.status == RouteStatus.PLANNED
