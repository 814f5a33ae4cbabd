"""Reads of surveys, always through the user's scope.

Methodists build questionnaires and run campaigns of their district (shared questionnaires with
no district are visible to every district and copied before changes); directors and observers
read results; a school administrator sees only their organisation's campaigns and its own
responses. Anonymous respondents reach a campaign only through a link token.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from imc_portal.models import Role, User

from .models import Campaign, CampaignLink, Questionnaire, Response

BUILDERS = frozenset({Role.METHODIST})
RESULT_READERS = frozenset({Role.METHODIST, Role.DIRECTOR, Role.OBSERVER})
ORGANISATION_ROLES = frozenset({Role.SCHOOL_ADMIN})


def questionnaires_for_user(user: User, *, write: bool = False) -> QuerySet[Questionnaire]:
    if user.role not in (BUILDERS if write else RESULT_READERS) or not user.district_id:
        return Questionnaire.objects.none()
    if write:
        return Questionnaire.objects.filter(district_id=user.district_id)
    return Questionnaire.objects.filter(Q(district_id=user.district_id) | Q(district__isnull=True))


def campaigns_for_user(user: User, *, write: bool = False) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("questionnaire", "district")
    if user.role in ORGANISATION_ROLES and not write:
        # Campaigns addressed to the school: its district's, for all organisations or naming it.
        return qs.filter(district_id=user.district_id).filter(
            Q(organisations__isnull=True) | Q(organisations=user.organisation_id)
        ).distinct()
    if user.role in (BUILDERS if write else RESULT_READERS) and user.district_id:
        return qs.filter(district_id=user.district_id)
    return qs.none()


def organisation_responses_for_user(user: User) -> QuerySet[Response]:
    """A school administrator's own organisation responses (drafts and submitted)."""
    if user.role in ORGANISATION_ROLES:
        return Response.objects.filter(organisation_id=user.organisation_id, for_organisation=True)
    return Response.objects.none()


def link_by_token(token: str) -> CampaignLink | None:
    return (
        CampaignLink.objects.select_related("campaign", "campaign__questionnaire", "organisation")
        .filter(token=token)
        .first()
    )
