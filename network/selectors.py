"""Reads of the network app's results, procedures, pairs and mentors, always through the user's scope.

Results: a methodist, a director or an observer (network.view) reads the results of their district's
organisations; a school administrator (network.view_own) reads only their own organisation's. Procedures:
readers see the shipped ones and their district's; only the district's own are written (network.edit).

Methodists, directors and observers (network.view) read the pairs of their district; a school
administrator (network.view_own) reads the pairs their organisation is in, as mentor or mentee.
Only a methodist (network.edit) decides pairs; the plan of joint activities is changed by the
methodist and by the school administrators of both organisations of the pair
(network.update_pair_activities). Anything outside the scope is a 404.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from clusters.models import ClusterMembership, Mentorship, Organisation, Teacher
from core.permissions import can

from .models import AssessmentResult, MentorProfile, OrganisationPair, PairActivity, Procedure
from .results_index import organisation_indices, subject_z

VIEW, VIEW_OWN, EDIT, ACTIVITIES = "network.view", "network.view_own", "network.edit", "network.update_pair_activities"


def results_for_user(user, *, write: bool = False) -> QuerySet[AssessmentResult]:
    """Results the user may read (district or own organisation), or write (`write`: a methodist's district)."""
    qs = AssessmentResult.objects.select_related("organisation", "procedure")
    if write:
        return qs.filter(organisation__district_id=user.district_id) if can(user, EDIT) and user.district_id \
            else qs.none()
    if can(user, VIEW) and user.district_id:
        return qs.filter(organisation__district_id=user.district_id)
    if can(user, VIEW_OWN) and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def procedures_for_user(user, *, write: bool = False) -> QuerySet[Procedure]:
    """Readers see the shipped procedures and their district's; only the district's own are written."""
    own = Q(district_id=user.district_id) if user.is_authenticated and user.district_id else Q(pk__in=[])
    if write:
        return Procedure.objects.filter(own) if can(user, EDIT) else Procedure.objects.none()
    if can(user, VIEW) or can(user, VIEW_OWN):
        return Procedure.objects.filter(Q(district__isnull=True) | own).order_by("name")
    return Procedure.objects.none()


def _pairs_base() -> QuerySet[OrganisationPair]:
    return OrganisationPair.objects.select_related(
        "cluster", "cluster__district", "mentor_organisation", "mentee_organisation", "decided_by"
    )


def _own_q(organisation_id: int | None) -> Q:
    return Q(mentor_organisation_id=organisation_id) | Q(mentee_organisation_id=organisation_id)


def pairs_for_user(user, *, write: bool = False) -> QuerySet[OrganisationPair]:
    """Pairs the user may read (district or own organisation), or decide (`write`: a methodist's district)."""
    qs = _pairs_base()
    if not user.is_authenticated:
        return qs.none()
    if write:
        return qs.filter(cluster__district_id=user.district_id) if can(user, EDIT) and user.district_id else qs.none()
    if can(user, VIEW) and user.district_id:
        return qs.filter(cluster__district_id=user.district_id)
    if can(user, VIEW_OWN) and user.organisation_id:
        return qs.filter(_own_q(user.organisation_id))
    return qs.none()


def activity_pairs_for_user(user) -> QuerySet[OrganisationPair]:
    """Pairs whose plan of activities the user may change: a methodist's district, a school's own pairs."""
    if not user.is_authenticated or not can(user, ACTIVITIES):
        return OrganisationPair.objects.none()
    if can(user, EDIT):
        return pairs_for_user(user, write=True)
    return _pairs_base().filter(_own_q(user.organisation_id)) if user.organisation_id else _pairs_base().none()


def activities_for_user(user) -> QuerySet[PairActivity]:
    """Activities the user may change (those of `activity_pairs_for_user`)."""
    return PairActivity.objects.select_related("pair", "pair__cluster").filter(
        pair__in=activity_pairs_for_user(user).values("pk")
    )


def pairs_of_organisation(user, organisation: Organisation) -> QuerySet[OrganisationPair]:
    """The organisation's pairs (mentor or mentee) the user may read: the organisation page's panel."""
    return pairs_for_user(user).filter(_own_q(organisation.pk)).order_by("-cluster__year", "status", "pk")


def pair_teacher_choices(pair: OrganisationPair, mentor_organisation_id: int | None = None) -> QuerySet[Teacher]:
    """Who may be a mentor teacher of the pair: working teachers of its two organisations (a select of two
    schools, not of the district) that are in the base of mentors (active) or mentor in the registry
    (clusters.Mentorship); those already chosen stay choosable."""
    ids = [mentor_organisation_id or pair.mentor_organisation_id, pair.mentee_organisation_id]
    mentors = Q(mentor_profile__is_active=True) | Q(pk__in=Mentorship.objects.values("mentor_id"))
    if pair.pk:
        mentors |= Q(pk__in=pair.mentor_teachers.values("pk"))
    return (
        Teacher.objects.filter(mentors, organisation_id__in=ids, is_active=True)
        .select_related("organisation").order_by("organisation__short_name", "full_name")
    )


def mentor_suggestions(pair: OrganisationPair) -> list[MentorProfile]:
    """Active mentors of the ТОП organisation: those whose subjects include the pair's subject first, then
    the others of that organisation (each group by name)."""
    profiles = list(
        MentorProfile.objects.filter(is_active=True, teacher__organisation_id=pair.mentor_organisation_id,
                                     teacher__is_active=True)
        .select_related("teacher").order_by("teacher__full_name")
    )
    subject = pair.subject.strip().casefold()
    matching = [p for p in profiles if subject and subject in {s.casefold() for s in p.subject_list}]
    return matching + [p for p in profiles if p not in matching]


def registry_mentors(pair: OrganisationPair) -> list[Teacher]:
    """Teachers of the ТОП organisation who mentor in the registry (clusters.Mentorship) and have no
    mentor profile: candidates too, shown after the base of mentors."""
    mentor_ids = Mentorship.objects.filter(mentor__organisation_id=pair.mentor_organisation_id).values("mentor_id")
    return list(
        Teacher.objects.filter(pk__in=mentor_ids, is_active=True, mentor_profile__isnull=True).order_by("full_name")
    )


@dataclass(frozen=True)
class PairSide:
    organisation: Organisation
    tier: str  # display label («ТОП», «отстающая» …), empty when not a member of the cluster
    index: Decimal | None  # result index of year Y − 1
    subject_z: Decimal | None  # z in the pair's subject, year Y − 1


def pair_numbers(pair: OrganisationPair) -> dict:
    """The numbers that made the proposal: both organisations' tiers, indices and z's in the subject."""
    year = pair.cluster.year - 1
    zs = subject_z(pair.cluster.district_id, year)
    indices = organisation_indices(pair.cluster.district_id, year)
    memberships = {
        m.organisation_id: m for m in ClusterMembership.objects.filter(
            cluster=pair.cluster, organisation_id__in=[pair.mentor_organisation_id, pair.mentee_organisation_id])
    }

    def side(org: Organisation) -> PairSide:
        membership = memberships.get(org.pk)
        index = indices.get(org.pk)
        return PairSide(org, membership.get_tier_display() if membership else "",
                        index.index if index else None, zs.get((org.pk, pair.subject)))

    mentor, mentee = side(pair.mentor_organisation), side(pair.mentee_organisation)
    weakest = min(((z, s) for (oid, s), z in zs.items() if oid == pair.mentee_organisation_id), default=None)
    return {
        "year": year,
        "mentor": mentor,
        "mentee": mentee,
        "difference": (mentor.subject_z - mentee.subject_z
                       if mentor.subject_z is not None and mentee.subject_z is not None else None),
        "weakest_subject": weakest[1] if weakest else "",
        "weakest_z": weakest[0] if weakest else None,
    }
