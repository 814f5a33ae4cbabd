"""The Kirovsky diagnostics demo (issue 12, item 9): two yearly campaigns answered through the services, routes
proposed, partly approved and completed, and the Concept's diagnostics criteria computed from them."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse

from clusters.models import IndividualRoute, RouteStatus, Teacher, TrainingCompletion
from demo.diagnostics_kirovsky import (
    APPROVER_PREFIX,
    INVITED_SHARE,
    demo_campaigns,
    demo_routes,
    load_kirovsky_diagnostics_demo,
    reset_kirovsky_diagnostics_demo,
)
from diagnostics.models import (
    AreaScore,
    DiagnosticCampaign,
    Invitation,
    InvitationStatus,
    RouteOrigin,
    RouteStep,
    StepKind,
    StepStatus,
)
from imc_portal.models import Role, User
from monitoring.models import Value
from tests.demo.conftest import KIROVSKY_TEST_SHARE

pytestmark = pytest.mark.django_db


def _active_teachers():
    return Teacher.objects.filter(organisation__district__code="kirovsky", is_active=True)


def _diagnosed(year: int) -> set[int]:
    return set(Invitation.objects.filter(campaign__district__code="kirovsky", campaign__year=year,
                                         status=InvitationStatus.SUBMITTED).values_list("teacher_id", flat=True))


def _fact(code: str, label: str) -> Value:
    return Value.objects.get(indicator__programme__district__code="kirovsky", indicator__programme__code="support-criteria",
                             indicator__code=code, period__label=label, scope_key="district")


def test_the_demo_diagnoses_about_40_percent_of_the_district():
    """`make run` loads the demo at 45 % of the teachers invited (≈ 40 % diagnosed: 996 of 2476 in 2023)."""
    assert INVITED_SHARE == 0.45


def test_two_yearly_campaigns_over_a_share_of_the_district(demo_output):
    campaigns = demo_campaigns()
    assert [(c.year, c.period_label, c.instrument.code) for c in campaigns] == [
        (2023, "2023/24", "teacher-deficits"), (2024, "2024/25", "teacher-deficits")]
    assert all(c.created_by.username == "metodist_kirov" for c in campaigns)
    assert [(c.closes_at.year, c.closes_at.month) for c in campaigns] == [(2023, 10), (2024, 10)]
    active = _active_teachers().count()
    for campaign in campaigns:
        statuses = dict(campaign.invitations.values_list("status").annotate(n=Count("pk")))
        # organisations are taken until they employ the share of the district (the package loads
        # KIROVSKY_TEST_SHARE; the demo is configured at 45 %), and about 89 % of the invited submit
        invited = sum(statuses.values()) / active
        assert KIROVSKY_TEST_SHARE <= invited < KIROVSKY_TEST_SHARE + 0.06
        assert 0.8 < statuses[InvitationStatus.SUBMITTED] / sum(statuses.values()) < 0.95
        assert statuses[InvitationStatus.DECLINED] and statuses[InvitationStatus.DRAFT]
        assert statuses[InvitationStatus.INVITED]  # never opened
        submitted = campaign.invitations.filter(status=InvitationStatus.SUBMITTED)
        window = (campaign.opens_at, campaign.closes_at)
        assert not submitted.exclude(submitted_at__range=window).exists()
        assert not submitted.filter(Q(consent_at__isnull=True) | Q(consent_at__gt=F("submitted_at"))).exists()
        # the service's scores: one AreaScore per teacher-deficit group per submitted diagnosis
        assert AreaScore.objects.filter(invitation__in=submitted).count() == submitted.count() * 4
    assert _diagnosed(2023) & _diagnosed(2024)  # some teachers took part in both years
    assert "Диагностика (Кировский район): кампаний — 2" in demo_output


def test_routes_proposed_for_deficits_partly_approved_and_completed(demo_output):
    submitted = Invitation.objects.filter(campaign__in=demo_campaigns(), status=InvitationStatus.SUBMITTED)
    with_deficit = submitted.filter(area_scores__score__lt=Decimal("0.5")).distinct()
    origins = RouteOrigin.objects.filter(invitation__in=submitted)
    # one proposed route for every diagnosis with a deficit, none for the others
    assert set(origins.values_list("invitation_id", flat=True)) == set(with_deficit.values_list("pk", flat=True))
    assert not origins.exclude(route__teacher_id=F("invitation__teacher_id")).exists()
    statuses = dict(demo_routes().values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == {RouteStatus.PLANNED, RouteStatus.ACTIVE, RouteStatus.COMPLETED}
    assert all(n > 20 for n in statuses.values()), statuses

    # proposed when the diagnosis was submitted, approved by the school administrator of the teacher's school
    for origin in origins.select_related("invitation", "approved_by", "route__teacher")[:300]:
        assert origin.proposed_at == origin.invitation.submitted_at
        assert origin.route.starts_on.year == origin.invitation.campaign.year
        if origin.route.status == RouteStatus.PLANNED:
            assert origin.approved_by is None
        else:
            assert origin.approved_by.role == Role.SCHOOL_ADMIN
            assert origin.approved_by.organisation_id == origin.route.teacher.organisation_id
            assert origin.approved_at > origin.proposed_at
    assert not User.objects.filter(username__startswith=APPROVER_PREFIX).exclude(password__startswith="!").exists()

    completed = demo_routes().filter(status=RouteStatus.COMPLETED)
    steps = RouteStep.objects.filter(route__in=completed)
    assert not steps.exclude(status__in=(StepStatus.DONE, StepStatus.CANCELLED)).exists()
    courses = steps.filter(kind=StepKind.COURSE)
    assert courses.exists()
    # the course steps were closed by the training registry's record (the signal), not by hand
    assert not courses.filter(completion__isnull=True).exists()
    for step in courses.select_related("completion", "route")[:200]:
        assert step.completion.program_id == step.training_program_id
        assert step.completion.teacher_id == step.route.teacher_id
        assert step.completion.based_on_diagnostics
        assert step.completed_on == step.completion.completed_on


def test_diagnosed_share_is_computed_not_typed(demo_output):
    """«Доля педагогов, прошедших профессиональную диагностику» of 2023 against a count done here."""
    value = _fact("diagnosed_share", "2023")
    assert value.indicator.source == "computed" and value.computed_at is not None
    active = set(_active_teachers().values_list("pk", flat=True))
    diagnosed = _diagnosed(2023) & active
    # e.g. the demo at 45 %: 996 of 2476 active teachers diagnosed in 2023 → 996 / 2476 × 100 = 40,23 %
    assert len(diagnosed) > 0 and len(active) == 2476
    assert value.numerator == len(diagnosed) and value.denominator == len(active)
    assert round(value.fact, 2) == round(Decimal(len(diagnosed)) * 100 / Decimal(len(active)), 2)
    assert value.plan == 35  # typed by the methodist, unlike the fact


def test_training_after_diagnosis_matches_plain_sql(demo_output):
    """«… прошедших повышение квалификации на основе предварительной диагностики» of 2024, counted in SQL: teachers
    diagnosed in 2024 with a course finished on or after the day of their submission and by 31.12.2024."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT COUNT(DISTINCT i.teacher_id),
                   COUNT(DISTINCT CASE WHEN EXISTS (
                       SELECT 1 FROM clusters_trainingcompletion tc
                       WHERE tc.teacher_id = i.teacher_id AND tc.completed_on >= DATE(i.submitted_at)
                         AND tc.completed_on <= '2024-12-31') THEN i.teacher_id END)
            FROM diagnostics_invitation i
            JOIN diagnostics_diagnosticcampaign c ON c.id = i.campaign_id
            JOIN clusters_district d ON d.id = c.district_id
            WHERE d.code = 'kirovsky' AND c.year = 2024 AND i.status = 'submitted'
        """)
        diagnosed, trained = cursor.fetchone()
    value = _fact("training_after_diagnosis", "2024")
    assert value.computed_at is not None
    assert (value.numerator, value.denominator) == (trained, diagnosed)
    assert 0 < trained < diagnosed
    assert round(value.fact, 4) == round(Decimal(trained) * 100 / Decimal(diagnosed), 4)


def test_deficit_shares_are_computed_per_group(demo_output):
    scores = AreaScore.objects.filter(invitation__campaign__in=demo_campaigns(), invitation__campaign__year=2023)
    for code, area in (("deficit_methodical", "methodical"), ("deficit_psycho_pedagogical", "psycho_pedagogical")):
        value = _fact(code, "2023")
        in_area = scores.filter(area__code=area)
        # one diagnosis per teacher per year here, so teachers = their scores
        assert value.denominator == in_area.count()
        assert value.numerator == in_area.filter(score__lt=Decimal("0.5")).count()
    # the typed criteria stay typed
    assert _fact("support_1", "2023").indicator.source == "entered"


def test_a_second_run_adds_nothing(demo_output):
    def counts():
        return (DiagnosticCampaign.objects.count(), Invitation.objects.count(), AreaScore.objects.count(),
                IndividualRoute.objects.count(), RouteStep.objects.count(), TrainingCompletion.objects.count(),
                User.objects.count(), sorted(demo_routes().values_list("pk", "status")))

    before = counts()
    stats = load_kirovsky_diagnostics_demo()
    assert counts() == before
    assert not stats.created


def test_reset_removes_the_campaigns_routes_and_their_courses(demo_output):
    routes = list(demo_routes().values_list("pk", flat=True))
    courses = set(RouteStep.objects.filter(route_id__in=routes, completion__isnull=False)
                  .values_list("completion_id", flat=True))
    registry_routes = IndividualRoute.objects.filter(teacher__organisation__district__code="kirovsky",
                                                     origin__isnull=True).count()
    assert routes and courses and registry_routes

    assert reset_kirovsky_diagnostics_demo() > 0

    assert not demo_campaigns()
    assert not DiagnosticCampaign.objects.filter(district__code="kirovsky").exists()
    assert not IndividualRoute.objects.filter(pk__in=routes).exists()
    assert not TrainingCompletion.objects.filter(pk__in=courses).exists()
    assert not User.objects.filter(username__startswith=APPROVER_PREFIX).exists()
    # the registry's own routes and the Sayansk demo are not touched
    assert IndividualRoute.objects.filter(teacher__organisation__district__code="kirovsky",
                                          origin__isnull=True).count() == registry_routes
    assert DiagnosticCampaign.objects.filter(district__code="sayansk").count() == 6


def test_the_demo_school_administrator_approved_some_routes_and_has_more_to_approve(demo_output, client):
    """admin_ou_kirov (ГБОУ лицей № 244, in both campaigns) is the approver of record of her school's approved routes
    and logs in to the ones still waiting; another school's routes are not hers to see."""
    admin = User.objects.get(username="admin_ou_kirov")
    school = RouteOrigin.objects.filter(route__teacher__organisation=admin.organisation, invitation__isnull=False)
    assert school.filter(approved_by=admin).exists()
    assert not school.filter(approved_by__isnull=False).exclude(approved_by=admin).exists()
    waiting = school.filter(route__status=RouteStatus.PLANNED).select_related("route__teacher").first()
    assert waiting is not None
    elsewhere = (RouteOrigin.objects.filter(invitation__campaign__district__code="kirovsky")
                 .exclude(route__teacher__organisation=admin.organisation).first())
    client.force_login(admin)
    assert client.get(reverse("diagnostics:route_detail", args=[waiting.route_id])).status_code == 200
    assert client.get(reverse("diagnostics:route_detail", args=[elsewhere.route_id])).status_code == 404
