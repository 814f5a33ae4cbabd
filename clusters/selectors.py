"""Reads of the registry, always through the user's scope.

Scope rules (docs/domain.md, «The people»): a methodist or a director works inside their district, an observer reads
it, a school administrator sees only their own organisation and its teachers. The portal
administrator works in Django admin, not in the registry screens. Every queryset a view shows or
edits comes from one of the `*_for_user` functions below, so a forgotten filter cannot leak
another district's data.

Who holds which right is written once, in `core.permissions` (the `registry.*` capabilities);
these functions only decide the scope a right applies to — the user's district or the user's own
organisation.
"""
from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.permissions import can, can_any
from core.scope import Scope, ScopeKind, ScopeNotFound, parse_scope_key
from imc_portal.models import User

from .models import (
    Cluster,
    ClusterMembership,
    Community,
    CommunityMembership,
    District,
    Event,
    IndividualRoute,
    InnovationParticipation,
    InnovationProject,
    Mentorship,
    Organisation,
    Teacher,
    TrainingCompletion,
    TrainingProgram,
)

# The capabilities (core.permissions) the scopes below ask: the district's registry read and
# written, teachers' personal data of the whole district, and the records of the user's own
# organisation (a school administrator's) read and written.
DISTRICT_READ, DISTRICT_WRITE = "registry.view_district", "registry.edit"
PERSONAL_DATA_READ = "registry.view_personal_data"  # teachers of the whole district, by name
OWN_READ, OWN_WRITE = "registry.view_own_organisation", "registry.edit_own_organisation"


def user_district(user: User) -> District | None:
    return user.district if user.is_authenticated else None


def _district_q(user: User, path: str) -> Q:
    """Filter on the user's district through `path` (e.g. "organisation__district")."""
    return Q(**{f"{path}_id": user.district_id}) if user.district_id else Q(pk__in=[])


def _scoped(
    qs: QuerySet,
    user: User,
    *,
    write: bool,
    district: str,
    read: str = DISTRICT_READ,
    own: str | Callable[[int], Q] | None = None,
    own_writes: bool = True,
) -> QuerySet:
    """`qs` narrowed to what the user may read (or, with `write`, change).

    A user holding the own-organisation capability gets the rows of their organisation (`own`: the
    lookup to the organisation's id, or a function building the Q; None: such users get nothing;
    `own_writes=False`: they read those rows but do not change them). A user holding the district
    capability (`read`, or `registry.edit` for writing) gets the rows of their district (`district`:
    the lookup to the district). Anybody else gets nothing.
    """
    if own is not None and (own_writes or not write) and can(user, OWN_WRITE if write else OWN_READ):
        own_q = own(user.organisation_id) if callable(own) else Q(**{own: user.organisation_id})
        return qs.filter(own_q)
    if can(user, DISTRICT_WRITE if write else read):
        return qs.filter(_district_q(user, district))
    return qs.none()


def organisations_for_user(user: User, *, write: bool = False) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("district")
    return _scoped(qs, user, write=write, district="district", own="pk")


def teachers_for_user(user: User, *, write: bool = False) -> QuerySet[Teacher]:
    qs = Teacher.objects.select_related("organisation")
    return _scoped(qs, user, write=write, district="organisation__district", read=PERSONAL_DATA_READ,
                   own="organisation_id")


def _clusters_of_organisation(organisation_id: int) -> Q:
    # A subquery, not a join: a later Count("memberships") must count every member.
    return Q(pk__in=ClusterMembership.objects.filter(organisation_id=organisation_id).values("cluster_id"))


def clusters_for_user(user: User, *, write: bool = False) -> QuerySet[Cluster]:
    """A school administrator reads the clusters their organisation is a member of."""
    qs = Cluster.objects.select_related("district", "curator")
    return _scoped(qs, user, write=write, district="district", own=_clusters_of_organisation, own_writes=False)


def memberships_for_user(user: User, *, write: bool = False) -> QuerySet[ClusterMembership]:
    """A school administrator may edit their own membership's theme and project."""
    qs = ClusterMembership.objects.select_related("cluster", "organisation")
    return _scoped(qs, user, write=write, district="cluster__district", own="organisation_id")


def communities_for_user(user: User, *, write: bool = False) -> QuerySet[Community]:
    qs = Community.objects.select_related("district", "leader", "leader__organisation", "curator")
    return _scoped(qs, user, write=write, district="district")


def community_memberships_for_user(user: User, *, write: bool = False) -> QuerySet[CommunityMembership]:
    qs = CommunityMembership.objects.select_related("community", "teacher", "teacher__organisation")
    return _scoped(qs, user, write=write, district="community__district", read=PERSONAL_DATA_READ,
                   own="teacher__organisation_id", own_writes=False)


def _teacher_related_for_user(model, user: User, *, write: bool) -> QuerySet:
    """Records hanging off one teacher (completions, routes): scoped like the teacher."""
    qs = model.objects.select_related("teacher", "teacher__organisation")
    return _scoped(qs, user, write=write, district="teacher__organisation__district", read=PERSONAL_DATA_READ,
                   own="teacher__organisation_id")


def training_completions_for_user(user: User, *, write: bool = False) -> QuerySet[TrainingCompletion]:
    return _teacher_related_for_user(TrainingCompletion, user, write=write).select_related("program")


def routes_for_user(user: User, *, write: bool = False) -> QuerySet[IndividualRoute]:
    return _teacher_related_for_user(IndividualRoute, user, write=write)


def training_programs_for_user(user: User, *, write: bool = False) -> QuerySet[TrainingProgram]:
    """Everybody reads the shared catalogue and their district's entries; a methodist edits only
    their own district's entries (another district's courses are never theirs to change)."""
    allowed = can(user, DISTRICT_WRITE) if write else can_any(user, PERSONAL_DATA_READ, OWN_READ)
    if not allowed or not user.district_id:
        return TrainingProgram.objects.none()
    if write:
        return TrainingProgram.objects.filter(district_id=user.district_id)
    return TrainingProgram.objects.filter(Q(district__isnull=True) | Q(district_id=user.district_id))


def innovation_projects_for_user(user: User, *, write: bool = False) -> QuerySet[InnovationProject]:
    qs = InnovationProject.objects.select_related("district", "lead_organisation")
    return _scoped(qs, user, write=write, district="district")


def _mentorships_of_organisation(organisation_id: int) -> Q:
    return Q(mentor__organisation_id=organisation_id) | Q(mentee__organisation_id=organisation_id)


def mentorships_for_user(user: User, *, write: bool = False) -> QuerySet[Mentorship]:
    qs = Mentorship.objects.select_related("mentor", "mentor__organisation", "mentee", "mentee__organisation")
    return _scoped(qs, user, write=write, district="mentee__organisation__district", read=PERSONAL_DATA_READ,
                   own=_mentorships_of_organisation, own_writes=False)


def events_for_user(user: User, *, write: bool = False) -> QuerySet[Event]:
    qs = Event.objects.select_related("district", "cluster", "community", "custom_form")
    return _scoped(qs, user, write=write, district="district")


def get_for_user(queryset: QuerySet, pk) -> object:
    """One object from a scoped queryset; anything outside the scope is simply not found."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Объект не найден или недоступен.") from None


_MEMBERS_ATTR = "_memberships_by_name"


def cluster_memberships(cluster: Cluster) -> list[ClusterMembership]:
    """The cluster's memberships with their organisations, by short name — read once per cluster object, so the
    cluster page's table and its panels (network's tiers) share one query. Read pages only: the list is what
    the first call found."""
    members = cluster.__dict__.get(_MEMBERS_ATTR)
    if members is None:
        members = list(cluster.memberships.select_related("organisation").order_by("organisation__short_name"))
        cluster.__dict__[_MEMBERS_ATTR] = members
    return members


def cluster_members_by_tier(cluster: Cluster) -> list[tuple[str, list[ClusterMembership]]]:
    """The cluster page's table: tiers in seed 000's order, each with its organisations."""
    from .models import Tier

    members = cluster_memberships(cluster)
    return [(tier, [m for m in members if m.tier == tier]) for tier in Tier.values]


def clusters_of_year_with_sizes(district_id: int, year: int) -> QuerySet[Cluster]:
    """Seed 000's list «Кластер … Включает N образовательных организаций»."""
    return (
        Cluster.objects.filter(district_id=district_id, year=year)
        .annotate(size=Count("memberships"))
        .order_by("pk")
    )


# --- registry scopes (the value object is core.scope.Scope; these are the reads it needs) ---------


def scope_from_key(key: str | None, *, district: District) -> Scope:
    """"district" (or empty) / "cluster:12" / "organisation:7" within `district`, else ScopeNotFound."""
    kind, object_id = parse_scope_key(key)
    if kind == ScopeKind.DISTRICT:
        return Scope.of_district(district)
    model = Cluster if kind == ScopeKind.CLUSTER else Organisation
    found = model.objects.filter(pk=object_id, district=district).first()
    if found is None:
        raise ScopeNotFound(f"No {kind} {object_id} in district {district.pk}")
    return Scope.of_cluster(found) if kind == ScopeKind.CLUSTER else Scope.of_organisation(found)


def scope_choices(
    district: District, *, year: int | None = None, organisations: QuerySet[Organisation] | None = None
) -> list[Scope]:
    """The district, its clusters (of `year`, else all: newest year first), then organisations by name.

    `organisations` narrows the organisations offered (default: the district's active ones).
    """
    clusters = Cluster.objects.filter(district=district)
    if year is not None:
        clusters = clusters.filter(year=year)
    if organisations is None:
        organisations = Organisation.objects.filter(district=district, is_active=True)
    # Only the columns a scope holds, without model instances: the monitoring pages' picker lists every
    # cluster and organisation of the district on each request.
    cluster_rows = clusters.order_by("-year", "name").values_list("pk", "name", "year", "district_id")
    organisation_rows = organisations.filter(district=district).order_by("short_name").values_list(
        "pk", "short_name", "district_id")
    return [
        Scope.of_district(district),
        *(Scope.of_cluster(SimpleNamespace(pk=pk, name=name, year=year, district_id=district_id))
          for pk, name, year, district_id in cluster_rows),
        *(Scope.of_organisation(SimpleNamespace(pk=pk, short_name=name, district_id=district_id))
          for pk, name, district_id in organisation_rows),
    ]


def scope_organisation_ids(scope: Scope) -> tuple[int, ...] | None:
    """The organisations a scope covers; None for the whole district (no narrowing at all)."""
    if scope.is_organisation:
        return (scope.id,)
    if scope.is_cluster:
        return tuple(
            ClusterMembership.objects.filter(cluster_id=scope.id).order_by("pk").values_list("organisation_id", flat=True)
        )
    return None


def organisation_detail_memberships(organisation: Organisation) -> QuerySet[ClusterMembership]:
    return organisation.cluster_memberships.select_related("cluster").order_by("-cluster__year", "cluster__name")


def teacher_with_history(queryset: QuerySet[Teacher]) -> QuerySet[Teacher]:
    """A teacher page shows completions, routes, communities and projects without N+1 queries."""
    return queryset.prefetch_related(
        Prefetch("training_completions", queryset=TrainingCompletion.objects.select_related("program")),
        "routes",
        Prefetch("community_memberships", queryset=CommunityMembership.objects.select_related("community")),
        "innovation_participations__project",
    )


# --- Communities, professional development, innovation, mentorship and events screens ---


def innovation_participations_for_user(user: User, *, write: bool = False) -> QuerySet[InnovationParticipation]:
    """Participants are teachers: their names are for staff readers, like community members."""
    qs = InnovationParticipation.objects.select_related("project", "teacher", "teacher__organisation")
    return _scoped(qs, user, write=write, district="project__district", read=PERSONAL_DATA_READ,
                   own="teacher__organisation_id", own_writes=False)


def _current_on(prefix: str, field: str, today) -> Q:
    """Not ended yet: the end date `field` under `prefix` is empty or today or later."""
    return Q(**{f"{prefix}{field}__isnull": True}) | Q(**{f"{prefix}{field}__gte": today})


def communities_with_member_counts(queryset: QuerySet[Community]) -> QuerySet[Community]:
    """The list's «участников» column: members who have not left, counted in the database."""
    current = _current_on("memberships__", "left_on", timezone.localdate())
    return queryset.annotate(member_count=Count("memberships", filter=current))


def community_members(user: User, community: Community) -> QuerySet[CommunityMembership]:
    """The members table of a community page: current members first, then those who left.

    Empty for an observer, who may see the community but not teachers' names.
    """
    return (
        community_memberships_for_user(user)
        .filter(community=community)
        .order_by(F("left_on").desc(nulls_first=True), "teacher__full_name", "joined_on")
    )


def innovation_projects_with_counts(queryset: QuerySet[InnovationProject]) -> QuerySet[InnovationProject]:
    return queryset.annotate(participant_count=Count("participations"))


def project_participants(user: User, project: InnovationProject) -> QuerySet[InnovationParticipation]:
    return innovation_participations_for_user(user).filter(project=project).order_by("teacher__full_name")


def training_programs_with_usage(user: User) -> QuerySet[TrainingProgram]:
    """The shared catalogue, with how many completions of it the user may see (their district or school)."""
    visible = training_completions_for_user(user).values("pk")
    return training_programs_for_user(user).annotate(
        completion_count=Count("completions", filter=Q(completions__pk__in=visible))
    )


def teacher_mentorships(teacher: Teacher) -> QuerySet[Mentorship]:
    """Both sides of a teacher's mentorships, for the teacher's page."""
    return (
        Mentorship.objects.filter(Q(mentor=teacher) | Q(mentee=teacher))
        .select_related("mentor", "mentor__organisation", "mentee", "mentee__organisation")
        .order_by("-starts_on")
    )


def mentorships_of_organisation(queryset: QuerySet[Mentorship], organisation_id) -> QuerySet[Mentorship]:
    """Pairs where the mentor or the mentee works in the organisation."""
    return queryset.filter(_mentorships_of_organisation(organisation_id))


def organisation_development_summary(user: User, organisation: Organisation) -> dict[str, int]:
    """Counts for an organisation page, each only for the registers the user's role may open
    (the capabilities of those registers' list pages)."""
    summary: dict[str, int] = {}
    if can_any(user, PERSONAL_DATA_READ, OWN_READ):
        summary["trainings"] = training_completions_for_user(user).filter(teacher__organisation=organisation).count()
        summary["routes"] = routes_for_user(user).filter(teacher__organisation=organisation).count()
        summary["mentorships"] = mentorships_of_organisation(mentorships_for_user(user), organisation.pk).count()
    if can(user, DISTRICT_READ):
        summary["innovations"] = innovation_projects_for_user(user).filter(lead_organisation=organisation).count()
        summary["events"] = events_for_user(user).filter(organisers=organisation).count()
    return summary
