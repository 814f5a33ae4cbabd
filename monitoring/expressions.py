"""Reusable query expressions for computed indicators: "in period P" as database conditions.

Each builder returns an Exists(...) over a teacher (OuterRef("pk")), so one aggregate query can
count teachers for a whole district, per cluster or per organisation without loading any rows.
"""
from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

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


def community_member(start: datetime.date, end: datetime.date) -> Exists:
    return Exists(
        CommunityMembership.objects.filter(teacher=OuterRef("pk")).filter(
            _active_during("joined_on", "left_on", start, end)
        )
    )


def trained_within_window(end: datetime.date) -> Exists:
    window_start = datetime.date(end.year - (CPD_WINDOW_YEARS - 1), 1, 1)
    return Exists(
        TrainingCompletion.objects.filter(teacher=OuterRef("pk"), completed_on__gte=window_start, completed_on__lte=end)
    )


def on_individual_route(start: datetime.date, end: datetime.date) -> Exists:
    return Exists(
        IndividualRoute.objects.filter(
            teacher=OuterRef("pk"),
            status__in=[RouteStatus.ACTIVE, RouteStatus.COMPLETED],
            starts_on__lte=end,
            ends_on__gte=start,
        )
    )


def in_innovation_project(start: datetime.date, end: datetime.date) -> Exists:
    return Exists(
        InnovationParticipation.objects.filter(teacher=OuterRef("pk")).filter(
            _active_during("project__starts_on", "project__ends_on", start, end)
        )
    )
