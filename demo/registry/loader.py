"""Write demo plans to the database: create what is missing, never touch what exists.

Every table is matched on its stable key — organisation code, personnel number, cluster year and
name, community kind and name, (teacher, course, date) … — so a second run creates nothing and
rows a user changed or added stay as they are. The caller wraps the whole load in one transaction.

Why bulk_create and not a product service: the registry has no write service for clusters,
communities, courses, routes, projects, mentorships or events (their pages save ModelForms), and
the one bulk service, the XLSX import (clusters/imports.py), updates an existing row to the
file's values — the very thing a rerun must not do — and carries only its template's columns.
Some 10,000 teachers are therefore written here in batches, in the shapes the forms save.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q

from clusters.models import (
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
    MethodCentre,
    Organisation,
    Region,
    Teacher,
    TrainingCompletion,
    TrainingProgram,
)
from demo.users import CURATORS, DemoUser, users_load
from imc_portal.models import User

from .common import DistrictPlan, ProgramSpec, TeacherKey
from .districts import DEMO_DISTRICT_CODES
from .growth import PROGRAMS

BATCH_SIZE = 500


@dataclass
class LoadStats:
    created: Counter = field(default_factory=Counter)
    timings: list[tuple[str, float]] = field(default_factory=list)
    users_kept: list[str] = field(default_factory=list)  # demo accounts that existed: left as they are

    def add(self, model: type[models.Model], count: int) -> None:
        self.created[model._meta.verbose_name_plural] += count


class _Timer:
    def __init__(self, stats: LoadStats, label: str) -> None:
        self.stats, self.label = stats, label

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.stats.timings.append((self.label, time.perf_counter() - self.started))


def _create(stats: LoadStats, model: type[models.Model], rows: Sequence[models.Model]) -> None:
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    stats.add(model, len(rows))


class _DistrictLoader:
    """Loads one district plan; ids of what exists are looked up once per table."""

    def __init__(self, plan: DistrictPlan, stats: LoadStats) -> None:
        self.plan, self.stats = plan, stats
        self.district: District | None = None
        self.org_ids: dict[str, int] = {}
        self.teacher_ids: dict[TeacherKey, int] = {}
        self.cluster_ids: dict[tuple[int, str], int] = {}
        self.community_ids: dict[tuple[str, str], int] = {}

    # --- registry ---------------------------------------------------------------------------

    def load_registry(self) -> None:
        plan = self.plan
        region, _ = Region.objects.get_or_create(name=plan.region)
        district = District.objects.filter(code=plan.code).first()
        if district is None:
            district = District.objects.create(region=region, name=plan.name, code=plan.code)
            self.stats.add(District, 1)
        self.district = district
        if not MethodCentre.objects.filter(district=district).exists():
            MethodCentre.objects.create(district=district, **plan.centre.__dict__)
            self.stats.add(MethodCentre, 1)

        existing = set(Organisation.objects.filter(district=district).values_list("code", flat=True))
        _create(self.stats, Organisation, [
            Organisation(district=district, **o.__dict__) for o in plan.organisations if o.code not in existing
        ])
        self.org_ids = dict(Organisation.objects.filter(district=district).values_list("code", "id"))

        teachers = Teacher.objects.filter(organisation__district=district)
        existing_keys = set(teachers.values_list("organisation__code", "personnel_number"))
        _create(self.stats, Teacher, [
            Teacher(organisation_id=self.org_ids[t.org_code], **{k: v for k, v in t.__dict__.items() if k != "org_code"})
            for t in plan.teachers if t.key not in existing_keys
        ])
        self.teacher_ids = {
            (code, number): pk for pk, code, number in teachers.values_list("id", "organisation__code", "personnel_number")
        }

    # --- clusters and communities -----------------------------------------------------------

    def load_clusters(self, curator: User | None) -> None:
        district = self.district
        existing = {(c.year, c.name): c.pk for c in Cluster.objects.filter(district=district)}
        _create(self.stats, Cluster, [
            Cluster(district=district, year=c.year, name=c.name, description=c.description, curator=curator)
            for c in self.plan.clusters if (c.year, c.name) not in existing
        ])
        self.cluster_ids = cluster_ids = {
            (year, name): pk for pk, year, name in Cluster.objects.filter(district=district).values_list("id", "year", "name")
        }
        present = set(ClusterMembership.objects.filter(cluster__district=district)
                      .values_list("cluster_id", "organisation_id"))
        rows = []
        for cluster in self.plan.clusters:
            cluster_id = cluster_ids[(cluster.year, cluster.name)]
            for m in cluster.memberships:
                org_id = self.org_ids[m.org_code]
                if (cluster_id, org_id) not in present:
                    present.add((cluster_id, org_id))
                    rows.append(ClusterMembership(cluster_id=cluster_id, organisation_id=org_id, theme=m.theme,
                                                  project=m.project, tier=m.tier))
        _create(self.stats, ClusterMembership, rows)

    def load_communities(self, curator: User | None) -> None:
        district = self.district
        existing = set(Community.objects.filter(district=district).values_list("kind", "name"))
        _create(self.stats, Community, [
            Community(district=district, kind=c.kind, name=c.name, topic=c.topic, curator=curator,
                      leader_id=self.teacher_ids.get(c.leader) if c.leader else None,
                      started_on=c.started_on, ended_on=c.ended_on)
            for c in self.plan.communities if (c.kind, c.name) not in existing
        ])
        self.community_ids = community_ids = {
            (kind, name): pk for pk, kind, name in Community.objects.filter(district=district).values_list("id", "kind", "name")
        }
        present = set(CommunityMembership.objects.filter(community__district=district)
                      .values_list("community_id", "teacher_id", "joined_on"))
        rows = []
        for community in self.plan.communities:
            community_id = community_ids[(community.kind, community.name)]
            for m in community.members:
                key = (community_id, self.teacher_ids[m.teacher], m.joined_on)
                if key not in present:
                    present.add(key)
                    rows.append(CommunityMembership(community_id=community_id, teacher_id=key[1], role=m.role,
                                                    joined_on=m.joined_on, left_on=m.left_on))
        _create(self.stats, CommunityMembership, rows)

    # --- growth -----------------------------------------------------------------------------

    def load_growth(self, program_ids: dict[ProgramSpec, int]) -> None:
        district, ids = self.district, self.teacher_ids
        in_district = Q(teacher__organisation__district=district)

        present = set(TrainingCompletion.objects.filter(in_district)
                      .values_list("teacher_id", "program_id", "completed_on"))
        rows = []
        for c in self.plan.completions:
            key = (ids[c.teacher], program_ids[c.program], c.completed_on)
            if key not in present:
                present.add(key)
                rows.append(TrainingCompletion(teacher_id=key[0], program_id=key[1], completed_on=c.completed_on,
                                               based_on_diagnostics=c.based_on_diagnostics,
                                               certificate_number=c.certificate_number))
        _create(self.stats, TrainingCompletion, rows)

        # ИОМ has no unique constraint; a teacher's route is identified by its start date.
        present = set(IndividualRoute.objects.filter(in_district).values_list("teacher_id", "starts_on"))
        rows = []
        for r in self.plan.routes:
            key = (ids[r.teacher], r.starts_on)
            if key not in present:
                present.add(key)
                rows.append(IndividualRoute(teacher_id=key[0], starts_on=r.starts_on, ends_on=r.ends_on,
                                            status=r.status, deficits=list(r.deficits), goals=r.goals))
        _create(self.stats, IndividualRoute, rows)

        # Innovation projects: identified by title inside the district.
        existing = set(InnovationProject.objects.filter(district=district).values_list("title", flat=True))
        _create(self.stats, InnovationProject, [
            InnovationProject(district=district, title=p.title, level=p.level, starts_on=p.starts_on,
                              ends_on=p.ends_on, lead_organisation_id=self.org_ids.get(p.lead_org_code))
            for p in self.plan.innovations if p.title not in existing
        ])
        project_ids = dict(InnovationProject.objects.filter(district=district).values_list("title", "id"))
        present = set(InnovationParticipation.objects.filter(project__district=district)
                      .values_list("project_id", "teacher_id"))
        rows = []
        for p in self.plan.innovations:
            for teacher, role in p.participants:
                key = (project_ids[p.title], ids[teacher])
                if key not in present:
                    present.add(key)
                    rows.append(InnovationParticipation(project_id=key[0], teacher_id=key[1], role=role))
        _create(self.stats, InnovationParticipation, rows)

        present = set(Mentorship.objects.filter(mentor__organisation__district=district)
                      .values_list("mentor_id", "mentee_id", "starts_on"))
        rows = []
        for m in self.plan.mentorships:
            key = (ids[m.mentor], ids[m.mentee], m.starts_on)
            if key not in present:
                present.add(key)
                rows.append(Mentorship(mentor_id=key[0], mentee_id=key[1], starts_on=m.starts_on,
                                       ends_on=m.ends_on, notes=m.notes))
        _create(self.stats, Mentorship, rows)

        # Events: identified by title and date inside the district; few, so created one by one
        # to attach their organisers.
        existing = set(Event.objects.filter(district=district).values_list("title", "held_on"))
        created = 0
        for e in self.plan.events:
            if (e.title, e.held_on) in existing:
                continue
            event = Event.objects.create(
                district=district, title=e.title, form=e.form, level=e.level, held_on=e.held_on,
                cluster_id=self.cluster_ids.get(e.cluster) if e.cluster else None,
                community_id=self.community_ids.get(e.community) if e.community else None,
                participants_count=e.participants_count, description=e.description,
            )
            event.organisers.set([self.org_ids[code] for code in e.organiser_codes])
            existing.add((e.title, e.held_on))
            created += 1
        self.stats.add(Event, created)


def _load_programs(stats: LoadStats, programs: Iterable[ProgramSpec]) -> dict[ProgramSpec, int]:
    wanted = set(programs)
    existing = {(p.title, p.hours, p.provider): p.pk for p in TrainingProgram.objects.all()}
    _create(stats, TrainingProgram, [
        TrainingProgram(title=p.title, hours=p.hours, provider=p.provider)
        for p in sorted(wanted, key=lambda p: (p.provider, p.title))
        if (p.title, p.hours, p.provider) not in existing
    ])
    ids = {(p.title, p.hours, p.provider): p.pk for p in TrainingProgram.objects.all()}
    return {p: ids[(p.title, p.hours, p.provider)] for p in wanted}


def load(plans: Sequence[DistrictPlan], users: Sequence[DemoUser], password: str) -> LoadStats:
    stats = LoadStats()
    loaders = [_DistrictLoader(plan, stats) for plan in plans]
    for loader in loaders:
        with _Timer(stats, f"{loader.plan.name}: организации и педагоги"):
            loader.load_registry()
    with _Timer(stats, "пользователи"):
        org_ids = {(loader.plan.code, code): pk for loader in loaders for code, pk in loader.org_ids.items()}
        accounts, created = users_load(users, password, org_ids=org_ids,
                                       districts={lo.plan.code: lo.district for lo in loaders})
        stats.add(User, len(created))
        stats.users_kept = [spec.username for spec in users if spec.username not in created]
    with _Timer(stats, "программы повышения квалификации"):
        program_ids = _load_programs(stats, [c.program for plan in plans for c in plan.completions])
    for loader in loaders:
        with _Timer(stats, f"{loader.plan.name}: кластеры, сообщества, рост педагогов"):
            curator = accounts.get(CURATORS.get(loader.plan.code, ""))
            loader.load_clusters(curator)
            loader.load_communities(curator)
            loader.load_growth(program_ids)
    return stats


def reset(users: Sequence[DemoUser]) -> Counter:
    """Delete the demo districts with everything in them, their users, and unused demo courses.

    Runs inside the caller's transaction; a row elsewhere that protects demo data (say, a
    monitoring value of a demo district) makes the delete fail and the whole command roll back.
    """
    deleted: Counter = Counter()
    districts = District.objects.filter(code__in=DEMO_DISTRICT_CODES)
    demo_usernames = [u.username for u in users if u.district_code]
    steps = [
        Event.objects.filter(district__in=districts),
        InnovationProject.objects.filter(district__in=districts),
        Community.objects.filter(district__in=districts),
        Cluster.objects.filter(district__in=districts),
        User.objects.filter(Q(district__in=districts) | Q(organisation__district__in=districts)
                            | Q(username__in=demo_usernames)),
        Teacher.objects.filter(organisation__district__in=districts),
        Organisation.objects.filter(district__in=districts),
        districts,
    ]
    with transaction.atomic():
        for queryset in steps:
            _, per_model = queryset.delete()
            deleted.update(per_model)
        demo_programs = Q()
        for p in PROGRAMS.values():
            demo_programs |= Q(title=p.title, hours=p.hours, provider=p.provider)
        _, per_model = TrainingProgram.objects.filter(demo_programs, completions__isnull=True).delete()
        deleted.update(per_model)
    return deleted
