"""ИОМ from a diagnosis: propose a route from a submitted diagnosis's deficits, edit its steps, approve it,
complete it (issue 12, item 4).

A proposed route (clusters.IndividualRoute, status «запланирован») gets, per deficit area (index below the
district's `deficit_below`, weakest first): up to two courses tagged with the area (the district's own, then the
shared catalogue), a mentor of the district with a high index (≥ `high_from`) in that area in the same year
(same organisation first, then registered mentors), a community of the district the teacher is not in, and the
area's recommendation. Each area gets an equal slice of the route's span; its steps are due at the slice's end.
Only the school administrator edits and approves; methodists and the director read.
"""
from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, Max, OuterRef, Q, QuerySet, When
from django.utils import timezone

from clusters.models import (
    Community,
    Deficit,
    IndividualRoute,
    Mentorship,
    RouteStatus,
    Teacher,
    TrainingCompletion,
    TrainingProgram,
)
from core.errors import AppError
from core.formatting import number
from core.permissions import can

from ..models import (
    AreaScore,
    Invitation,
    InvitationStatus,
    LevelSettings,
    RouteOrigin,
    RouteStep,
    StepKind,
    StepStatus,
)
from ..scoring import DEFAULT_DEFICIT_BELOW, DEFAULT_HIGH_FROM

MAX_COURSES = 2
CLOSED_STEPS = (StepStatus.DONE, StepStatus.CANCELLED)


logger = logging.getLogger(__name__)


class RouteError(AppError):
    code = "invalid"


# --- reads ---------------------------------------------------------------------------------------


def routes_for_user(user, *, write: bool = False) -> QuerySet[IndividualRoute]:
    """Routes a user may read: the school administrator their organisation's teachers' (and only they write),
    methodists and the director their district's (read-only)."""
    qs = IndividualRoute.objects.select_related("teacher", "teacher__organisation", "origin")
    if can(user, "diagnostics.school") and user.organisation_id:
        return qs.filter(teacher__organisation_id=user.organisation_id)
    if not write and can(user, "diagnostics.view") and user.district_id:
        return qs.filter(teacher__organisation__district_id=user.district_id)
    return qs.none()


def thresholds(district_id: int) -> tuple[Decimal, Decimal]:
    levels = LevelSettings.objects.filter(district_id=district_id).first()
    if levels is None:
        return DEFAULT_DEFICIT_BELOW, DEFAULT_HIGH_FROM
    return levels.deficit_below, levels.high_from


# --- proposal ------------------------------------------------------------------------------------


def route_span(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """From today to 31 May of the campaign's academic year (year + 1), or a year from today when that is past."""
    ends = dt.date(year + 1, 5, 31)
    if ends <= today:
        try:
            ends = today.replace(year=today.year + 1)
        except ValueError:  # 29 February
            ends = today + dt.timedelta(days=365)
    return today, ends


def deficit_scores(invitation: Invitation, deficit_below: Decimal) -> list[AreaScore]:
    return list(invitation.area_scores.select_related("area").filter(score__lt=deficit_below)
                .order_by("score", "area__position", "area__code"))


def courses_for(area, district_id: int) -> list[TrainingProgram]:
    qs = area.training_programs.filter(Q(district_id=district_id) | Q(district__isnull=True))
    own_first = sorted(qs, key=lambda p: (p.district_id is None, p.title, p.pk))
    return own_first[:MAX_COURSES]


def mentor_for(area, invitation: Invitation, high_from: Decimal):
    """The best mentor: a teacher of the district with a high index in the area in the campaign's year — the same
    organisation first, then a teacher already in the mentorship registry, then the higher index, then by name.
    One query, ranked in the database (a city's year holds thousands of high results)."""
    teacher = invitation.teacher
    best = (AreaScore.objects
            .filter(area=area, score__gte=high_from, invitation__status=InvitationStatus.SUBMITTED,
                    invitation__campaign__year=invitation.campaign.year,
                    invitation__teacher__organisation__district_id=invitation.campaign.district_id)
            .exclude(invitation__teacher_id=teacher.pk)
            .values("invitation__teacher_id")
            .annotate(best=Max("score"),
                      elsewhere=Case(When(invitation__teacher__organisation_id=teacher.organisation_id, then=0),
                                     default=1),
                      registered=Exists(Mentorship.objects.filter(mentor_id=OuterRef("invitation__teacher_id"))),
                      name=F("invitation__teacher__full_name"))
            .order_by("elsewhere", "-registered", "-best", "name", "invitation__teacher_id")
            .first())
    if best is None:
        return None
    return Teacher.objects.select_related("organisation").get(pk=best["invitation__teacher_id"])


def free_communities(invitation: Invitation, today: dt.date) -> list[Community]:
    teacher = invitation.teacher
    member_of = teacher.community_memberships.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    return list(Community.objects.filter(district_id=invitation.campaign.district_id)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
                .exclude(pk__in=member_of.values("community_id")).order_by("name", "pk"))


def area_steps(score: AreaScore, invitation: Invitation, high_from: Decimal, communities: list) -> list[dict]:
    area = score.area
    steps = [{"kind": StepKind.COURSE, "training_program": p, "title": f"Курс «{p.title}» ({p.hours} ч)"}
             for p in courses_for(area, invitation.campaign.district_id)]
    mentor = mentor_for(area, invitation, high_from)
    if mentor is not None:
        steps.append({"kind": StepKind.MENTOR, "mentor": mentor,
                      "title": f"Работа с наставником {mentor.full_name} ({mentor.organisation.short_name})"})
    if communities:
        community = communities.pop(0)
        steps.append({"kind": StepKind.COMMUNITY, "community": community,
                      "title": f"Участие в сообществе «{community.name}»"})
    steps.append({"kind": StepKind.OTHER,
                  "title": area.recommendation or f"Самообразование: {area.name} компетенции"})
    return steps


def goals_text(scores: list[AreaScore]) -> str:
    if not scores:
        return "По результатам диагностики дефицитов не выявлено."
    parts = ", ".join(f"{s.area.name} ({number(s.score, 3, trim=True)})" for s in scores)
    return f"Устранение профессиональных дефицитов по результатам диагностики: {parts}."


def propose_route(*, invitation: Invitation, user=None, today: dt.date | None = None) -> IndividualRoute:
    """The proposed ИОМ of a submitted diagnosis; proposing again returns the existing one."""
    existing = RouteOrigin.objects.filter(invitation=invitation).select_related("route").first()
    if existing is not None:
        return existing.route
    if invitation.status != InvitationStatus.SUBMITTED:
        raise RouteError("ИОМ предлагается только по пройденной диагностике.")
    today = today or timezone.localdate()
    campaign = invitation.campaign
    deficit_below, high_from = thresholds(campaign.district_id)
    scores = deficit_scores(invitation, deficit_below)
    starts, ends = route_span(campaign.year, today)
    with transaction.atomic():
        route = IndividualRoute(teacher=invitation.teacher, starts_on=starts, ends_on=ends,
                                deficits=[s.area.code for s in scores if s.area.code in Deficit.values],
                                goals=goals_text(scores), status=RouteStatus.PLANNED)
        route.full_clean()
        route.save()
        RouteOrigin.objects.create(route=route, invitation=invitation)
        communities = free_communities(invitation, today)
        steps = []
        span = (ends - starts).days
        for index, score in enumerate(scores):
            due = starts + dt.timedelta(days=span * (index + 1) // len(scores))
            steps += [RouteStep(route=route, position=len(steps) + offset, area=score.area, due_on=due, **fields)
                      for offset, fields in enumerate(area_steps(score, invitation, high_from, communities), start=1)]
        RouteStep.objects.bulk_create(steps)
    return route


def propose_route_for_deficits(invitation: Invitation) -> IndividualRoute | None:
    """Called by the submission: a diagnosis with deficits gets its proposed ИОМ at once, for the school
    administrator to edit and approve. A proposal that cannot be built (e.g. a route the registry refuses) is
    logged and leaves the submission standing — the administrator can still build the route by hand."""
    deficit_below, _ = thresholds(invitation.campaign.district_id)
    if not deficit_scores(invitation, deficit_below):
        return None
    try:
        with transaction.atomic():
            return propose_route(invitation=invitation)
    except (RouteError, ValidationError):
        logger.exception("No ИОМ proposed for invitation %s", invitation.pk)
        return None


# --- editing, approval, completion ----------------------------------------------------------------


def save_step(step: RouteStep) -> RouteStep:
    """Validate and save a step (its route's status follows: all steps closed → completed)."""
    if step.route.status in (RouteStatus.COMPLETED, RouteStatus.CANCELLED) and step.pk is None:
        raise RouteError("В завершённый или отменённый ИОМ шаги не добавляются.")
    if step.status == StepStatus.DONE and step.completed_on is None:
        step.completed_on = timezone.localdate()
    if step.status != StepStatus.DONE:
        step.completed_on = None
    try:
        step.full_clean()
    except ValidationError as error:
        raise RouteError("Шаг не сохранён: проверьте поля.", field_errors=error.message_dict) from error
    with transaction.atomic():
        step.save()
        refresh_status(step.route)
    return step


def delete_step(step: RouteStep) -> None:
    route = step.route
    with transaction.atomic():
        step.delete()
        refresh_status(route)


def approve_route(route: IndividualRoute, *, user) -> IndividualRoute:
    if route.status != RouteStatus.PLANNED:
        raise RouteError("Утвердить можно только запланированный ИОМ.")
    if not route.steps.exists():
        raise RouteError("В ИОМ нет ни одного шага — добавьте шаги перед утверждением.")
    with transaction.atomic():
        origin, _ = RouteOrigin.objects.get_or_create(route=route)
        origin.approved_by = user
        origin.approved_at = timezone.now()
        origin.save(update_fields=["approved_by", "approved_at"])
        route.status = RouteStatus.ACTIVE
        route.save(update_fields=["status"])
        refresh_status(route)
    return route


def refresh_status(route: IndividualRoute) -> None:
    """An active route whose every step is done or cancelled is completed."""
    if route.status != RouteStatus.ACTIVE:
        return
    steps = route.steps.all()
    if steps.exists() and not steps.exclude(status__in=CLOSED_STEPS).exists():
        route.status = RouteStatus.COMPLETED
        route.save(update_fields=["status"])


def complete_course_steps(completion: TrainingCompletion) -> int:
    """A course recorded in the training registry completes the teacher's open steps with that course."""
    steps = list(RouteStep.objects.select_related("route")
                 .filter(route__teacher_id=completion.teacher_id, training_program_id=completion.program_id,
                         route__status__in=(RouteStatus.PLANNED, RouteStatus.ACTIVE))
                 .exclude(status__in=CLOSED_STEPS))
    with transaction.atomic():
        for step in steps:
            step.status = StepStatus.DONE
            step.completion = completion
            step.completed_on = completion.completed_on
            step.save(update_fields=["status", "completion", "completed_on"])
        for route in {step.route_id: step.route for step in steps}.values():
            refresh_status(route)
        # the registry's «по результатам диагностики» follows: the course was a step of a diagnosis's route
        if (not completion.based_on_diagnostics and RouteOrigin.objects.filter(
                route_id__in={step.route_id for step in steps}, invitation__isnull=False).exists()):
            completion.based_on_diagnostics = True
            type(completion).objects.filter(pk=completion.pk).update(based_on_diagnostics=True)
    return len(steps)
