"""The consultations log and teachers' achievements (issue 13, item 5): who reads and writes which rows, and the
reads the teacher's page panel needs.

Scope: consultations carry teachers' names (personal data) — methodists (events.journal) write the district's log,
the director reads it (registry.view_personal_data), observers and school administrators do not see it.
Achievements: methodists write the district's, school administrators (events.school_journal) their own
organisation's teachers', the director reads the district's.
"""
from __future__ import annotations

from django.db.models import QuerySet

from clusters.models import Organisation, Teacher
from core.permissions import can, can_any
from core.roles import Role
from core.search import matching, words
from imc_portal.models import User

from ..models import Achievement, Attendance, Consultation

JOURNAL = "events.journal"  # the district's consultations and achievements (methodists)
SCHOOL_JOURNAL = "events.school_journal"  # achievements of the own organisation's teachers (school administrators)
PERSONAL_DATA = "registry.view_personal_data"  # reads the district's teachers by name (the director too)

CONSULTATIONS_READ = (JOURNAL, PERSONAL_DATA)
CONSULTATIONS_WRITE = JOURNAL
ACHIEVEMENTS_READ = (JOURNAL, SCHOOL_JOURNAL, PERSONAL_DATA)
ACHIEVEMENTS_WRITE = (JOURNAL, SCHOOL_JOURNAL)


def _district_id(user: User) -> int | None:
    return user.district_id if user.is_authenticated else None


def consultations_for_user(user: User, *, write: bool = False) -> QuerySet[Consultation]:
    qs = Consultation.objects.select_related("methodist", "organisation")
    allowed = can(user, CONSULTATIONS_WRITE) if write else can_any(user, *CONSULTATIONS_READ)
    if not allowed or _district_id(user) is None:
        return qs.none()
    return qs.filter(district_id=user.district_id)


def achievements_for_user(user: User, *, write: bool = False) -> QuerySet[Achievement]:
    qs = Achievement.objects.select_related("teacher", "teacher__organisation")
    if can(user, SCHOOL_JOURNAL) and user.organisation_id:
        return qs.filter(teacher__organisation_id=user.organisation_id)
    if (can(user, JOURNAL) or (not write and can(user, PERSONAL_DATA))) and _district_id(user):
        return qs.filter(teacher__organisation__district_id=user.district_id)
    return qs.none()


def journal_teachers(user: User, *, for_achievements: bool = False) -> QuerySet[Teacher]:
    """The teachers a form may name: the district's (methodists), the own organisation's (school administrators)."""
    qs = Teacher.objects.select_related("organisation").order_by("organisation__short_name", "full_name", "pk")
    if for_achievements and can(user, SCHOOL_JOURNAL) and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if can(user, JOURNAL) and _district_id(user):
        return qs.filter(organisation__district_id=user.district_id)
    return qs.none()


def journal_organisations(user: User) -> QuerySet[Organisation]:
    if not _district_id(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(district_id=user.district_id).order_by("short_name", "code")


def district_methodists(district_id: int | None) -> QuerySet[User]:
    return User.objects.filter(role=Role.METHODIST, district_id=district_id, is_active=True).order_by(
        "last_name", "first_name", "pk")


# Without JS the consultation form shows a checklist of at most this many teachers of the filter (plus the ones
# already chosen); a larger list asks to narrow the search.
CHECKLIST_LIMIT = 150


def teacher_checklist(teachers: QuerySet[Teacher], *, organisation_id: int | None, search: str,
                      chosen_ids: set[int]) -> tuple[list[tuple[Teacher, bool]], int]:
    """(teacher, checked) rows for the form: the chosen ones first, then the filter's; and the filter's total."""
    chosen = list(teachers.filter(pk__in=chosen_ids)) if chosen_ids else []
    found = teachers.exclude(pk__in=chosen_ids)
    if organisation_id:
        found = found.filter(organisation_id=organisation_id)
    found = matching(found, search)
    if not organisation_id and not words(search):
        return [(t, True) for t in chosen], found.count()
    shown = list(found[:CHECKLIST_LIMIT + 1])
    total = len(shown) if len(shown) <= CHECKLIST_LIMIT else found.count()
    return [(t, True) for t in chosen] + [(t, False) for t in shown[:CHECKLIST_LIMIT]], total


# --- the teacher's page panel ----------------------------------------------------------------------------


def teacher_events_summary(teacher: Teacher, user: User) -> dict:
    """Events attended (with the certificate issued for each), consultations and achievements of one teacher,
    in four queries. Consultations only for those who read the log."""
    attendances = list(
        Attendance.objects.filter(teacher=teacher)
        .select_related("event", "event__custom_form", "certificate")
        .order_by("-event__held_on", "pk")
    )
    certificates = {a.pk: getattr(a, "certificate", None) for a in attendances}
    consultations = []
    if can_any(user, *CONSULTATIONS_READ):
        consultations = list(Consultation.objects.filter(teachers=teacher, district_id=user.district_id)
                             .select_related("methodist").order_by("-held_on", "pk"))
    achievements = list(Achievement.objects.filter(teacher=teacher).order_by("-year", "title"))
    return {
        "teacher": teacher,
        "attendances": [(a, certificates[a.pk]) for a in attendances],
        "certificates_count": sum(1 for c in certificates.values() if c is not None),
        "consultations": consultations,
        "show_consultations": can_any(user, *CONSULTATIONS_READ),
        "achievements": achievements,
        "can_add_achievement": can_any(user, *ACHIEVEMENTS_WRITE),
    }


def visible_teacher(user: User, teacher: Teacher) -> bool:
    """Who sees the panel: whoever may open that teacher's page (the registry's own scope)."""
    from clusters.selectors import teachers_for_user

    return teachers_for_user(user).filter(pk=teacher.pk).exists()

