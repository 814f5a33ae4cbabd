"""Reads of the practice and mentor base: scoped querysets, search that ignores Cyrillic case and ё.

Readers: a practice belongs to a district, and everybody holding `network.view_practices` in that
district reads it (school administrators too: the base is for sharing). Writers: a methodist
(`network.edit`) any practice of the district; a school administrator (`network.contribute_practice`
without `network.edit`) only their own organisation's. Mentors are personal data: `network.view`.
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from clusters.models import Cluster, Event, Organisation, Teacher
from core.permissions import can
from core.search import normalise

from .models import MentorProfile, OrganisationPair, Practice, PracticeFile, PracticeTag

VIEW_PRACTICES = "network.view_practices"
CONTRIBUTE = "network.contribute_practice"
EDIT = "network.edit"
VIEW = "network.view"


def fold(text: str | None) -> str:
    """The search form of a text: lower case, ё → е (SQLite's LOWER and LIKE ignore Cyrillic case); the one rule
    every list shares (core/search.py)."""
    return normalise(text)


def _district_id(user) -> int | None:
    return getattr(user, "district_id", None) if getattr(user, "is_authenticated", False) else None


def practices_for_user(user, *, write: bool = False) -> QuerySet[Practice]:
    qs = Practice.objects.select_related("organisation", "cluster", "event", "district")
    district_id = _district_id(user)
    if district_id is None:
        return qs.none()
    if write:
        if can(user, EDIT):
            return qs.filter(district_id=district_id)
        if can(user, CONTRIBUTE) and user.organisation_id:
            return qs.filter(district_id=district_id, organisation_id=user.organisation_id)
        return qs.none()
    if can(user, VIEW_PRACTICES):
        return qs.filter(district_id=district_id)
    return qs.none()


def practice_files_for_user(user, *, write: bool = False) -> QuerySet[PracticeFile]:
    return PracticeFile.objects.select_related("practice").filter(
        practice__in=practices_for_user(user, write=write).values("pk")
    )


def search_practices(qs: QuerySet[Practice], text: str) -> QuerySet[Practice]:
    """Every word of `text` must occur in the practice's search text (both sides folded)."""
    for word in fold(text).split():
        qs = qs.filter(search_text__contains=word)
    return qs


def practices_of_organisation(user, organisation: Organisation) -> QuerySet[Practice]:
    """Verified first, then the newest."""
    return practices_for_user(user).filter(organisation=organisation).order_by("-is_verified", "-year", "title")


def practices_of_event(user, event: Event) -> QuerySet[Practice]:
    return practices_for_user(user).filter(event=event).order_by("-is_verified", "-year", "title")


# --- choices of the practice form and filter ------------------------------------------------------


def district_organisations(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(district_id=_district_id(user)).order_by("code")


def district_clusters(user) -> QuerySet[Cluster]:
    qs = Cluster.objects.filter(district_id=_district_id(user)).order_by("-year", "name")
    if not can(user, EDIT):  # a school offers only the clusters it is in
        qs = qs.filter(memberships__organisation_id=user.organisation_id)
    return qs


def district_clusters_all(user) -> QuerySet[Cluster]:
    """Every cluster of the district (the list's filter: reading the base is not limited to one's clusters)."""
    return Cluster.objects.filter(district_id=_district_id(user)).order_by("-year", "name")


def district_pairs(user) -> QuerySet[OrganisationPair]:
    qs = OrganisationPair.objects.select_related("cluster", "mentor_organisation", "mentee_organisation").filter(
        cluster__district_id=_district_id(user)
    ).order_by("-cluster__year", "mentee_organisation__code")
    if not can(user, EDIT):
        own = user.organisation_id
        qs = qs.filter(Q(mentor_organisation_id=own) | Q(mentee_organisation_id=own))
    return qs


def district_events(user) -> QuerySet[Event]:
    return Event.objects.filter(district_id=_district_id(user)).order_by("-held_on", "title")


def district_tags(user) -> QuerySet[PracticeTag]:
    return PracticeTag.objects.filter(district_id=_district_id(user)).order_by("name")


def practice_years(user) -> list[int]:
    return list(practices_for_user(user).order_by("-year").values_list("year", flat=True).distinct())


def practice_subjects(user) -> list[str]:
    subjects = practices_for_user(user).exclude(subject="").order_by("subject").values_list("subject", flat=True)
    return list(dict.fromkeys(subjects))


# --- mentors ------------------------------------------------------------------------------------


def mentors_for_user(user, *, write: bool = False) -> QuerySet[MentorProfile]:
    qs = MentorProfile.objects.select_related("teacher", "teacher__organisation")
    district_id = _district_id(user)
    if district_id is None or not can(user, EDIT if write else VIEW):
        return qs.none()
    return qs.filter(teacher__organisation__district_id=district_id)


def mentors_named(qs: QuerySet[MentorProfile], text: str) -> QuerySet[MentorProfile]:
    """Mentors whose name holds every word of `text`, folded in Python (portable; a district has hundreds)."""
    words = fold(text).split()
    if not words:
        return qs
    names = qs.values_list("pk", "teacher__full_name")
    return qs.filter(pk__in=[pk for pk, name in names if all(w in fold(name) for w in words)])


def mentors_teaching(qs: QuerySet[MentorProfile], subject: str) -> QuerySet[MentorProfile]:
    wanted = fold(subject).strip()
    if not wanted:
        return qs
    rows = qs.values_list("pk", "subjects")
    return qs.filter(pk__in=[pk for pk, subjects in rows if wanted in {fold(s).strip() for s in subjects.split(",")}])


def mentor_subjects(user) -> list[str]:
    seen: dict[str, str] = {}
    for subjects in mentors_for_user(user).values_list("subjects", flat=True):
        for subject in subjects.split(","):
            if subject.strip():
                seen.setdefault(fold(subject).strip(), subject.strip())
    return sorted(seen.values(), key=fold)


def teachers_for_mentoring(user, organisation_id: int | None) -> QuerySet[Teacher]:
    """Active teachers of one organisation of the user's district (the mentor form lists one school at a time)."""
    if not organisation_id:
        return Teacher.objects.none()
    return Teacher.objects.filter(
        organisation_id=organisation_id, organisation__district_id=_district_id(user), is_active=True
    ).order_by("full_name")
