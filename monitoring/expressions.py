"""Reusable query conditions for computed indicators: "a teacher who … in period P".

Each builder returns `Q(pk__in=<subquery of teacher ids>)`. The subquery does not depend on the
outer row, so PostgreSQL evaluates it once into a hash table (a "hashed SubPlan") and every
teacher row costs one probe — one aggregate query can then count teachers for a whole district,
per cluster or per organisation without loading any rows into Python.
"""
from __future__ import annotations

import datetime

from django.db.models import Q

from clusters.models import (
    CommunityMembership,
    IndividualRoute,
    InnovationParticipation,
    RouteStatus,
    TrainingCompletion,
)

# Seed 000 counts continuous professional development over three years: Y-2 … Y.
CPD_WINDOW_YEARS = 3


def _active_during(start_field: str, end_field: str, start: datetime.date, end: datetime.date) -> Q:
    """A record dated [start_field, end_field] (open end allowed) overlaps [start, end]."""
    return Q(**{f"{start_field}__lte": end}) & (Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start}))


def community_member(start: datetime.date, end: datetime.date) -> Q:
    members = CommunityMembership.objects.filter(_active_during("joined_on", "left_on", start, end))
    return Q(pk__in=members.values("teacher_id"))


def trained_within_window(end: datetime.date) -> Q:
    window_start = datetime.date(end.year - (CPD_WINDOW_YEARS - 1), 1, 1)
    completions = TrainingCompletion.objects.filter(completed_on__gte=window_start, completed_on__lte=end)
    return Q(pk__in=completions.values("teacher_id"))


def on_individual_route(start: datetime.date, end: datetime.date) -> Q:
    routes = IndividualRoute.objects.filter(
        status__in=[RouteStatus.ACTIVE, RouteStatus.COMPLETED], starts_on__lte=end, ends_on__gte=start
    )
    return Q(pk__in=routes.values("teacher_id"))


def in_innovation_project(start: datetime.date, end: datetime.date) -> Q:
    participations = InnovationParticipation.objects.filter(
        _active_during("project__starts_on", "project__ends_on", start, end)
    )
    return Q(pk__in=participations.values("teacher_id"))
