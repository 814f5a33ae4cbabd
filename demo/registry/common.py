"""Plain data the demo builders produce and the loader writes: no database access here.

A builder returns a DistrictPlan — organisations, teachers, clusters, communities and growth
records — addressed by stable keys (organisation code, personnel number, cluster year and name),
never by database ids, so the same plan can be compared with what is already stored and only the
missing rows created. Every builder draws from its own seeded Random: changing one section of the
data never reshuffles another.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

SEED = 20211217  # the date of the seed-000 справка; any fixed value would do

# (organisation code, personnel number) — a teacher's stable key inside a district.
TeacherKey = tuple[str, str]


def rng_for(*parts: object) -> random.Random:
    """A Random for one section of the data; string seeds are hashed with SHA-512, so stable."""
    return random.Random(":".join([str(SEED), *map(str, parts)]))


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


@dataclass(frozen=True)
class CentreSpec:
    full_name: str
    short_name: str
    address: str
    phone: str
    email: str
    okpo: str
    ogrn: str
    inn: str
    kpp: str
    director_name: str
    director_position: str


@dataclass(frozen=True)
class OrganisationSpec:
    code: str
    short_name: str
    full_name: str
    kind: str
    address: str
    email: str
    is_active: bool = True


@dataclass(frozen=True)
class TeacherSpec:
    org_code: str
    personnel_number: str
    full_name: str
    position: str
    subject_area: str
    experience_years: int
    birth_year: int
    category: str
    education: str
    is_active: bool = True

    @property
    def key(self) -> TeacherKey:
        return (self.org_code, self.personnel_number)


@dataclass(frozen=True)
class MembershipSpec:
    org_code: str
    theme: str
    project: str
    tier: str


@dataclass
class ClusterSpec:
    year: int
    name: str
    description: str
    memberships: list[MembershipSpec] = field(default_factory=list)


@dataclass(frozen=True)
class CommunityMemberSpec:
    teacher: TeacherKey
    joined_on: datetime.date
    left_on: datetime.date | None = None
    role: str = "member"


@dataclass
class CommunitySpec:
    kind: str
    name: str
    topic: str
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    leader: TeacherKey | None = None
    members: list[CommunityMemberSpec] = field(default_factory=list)


@dataclass(frozen=True)
class ProgramSpec:
    title: str
    hours: int
    provider: str


@dataclass(frozen=True)
class CompletionSpec:
    teacher: TeacherKey
    program: ProgramSpec
    completed_on: datetime.date
    based_on_diagnostics: bool = False
    certificate_number: str = ""


@dataclass(frozen=True)
class RouteSpec:
    teacher: TeacherKey
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    deficits: tuple[str, ...] = ()
    goals: str = ""


@dataclass
class InnovationSpec:
    title: str
    level: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    lead_org_code: str | None = None
    participants: list[tuple[TeacherKey, str]] = field(default_factory=list)


@dataclass(frozen=True)
class MentorshipSpec:
    mentor: TeacherKey
    mentee: TeacherKey
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class EventSpec:
    title: str
    form: str
    level: str
    held_on: datetime.date
    organiser_codes: tuple[str, ...] = ()
    cluster: tuple[int, str] | None = None  # (year, name)
    community: tuple[str, str] | None = None  # (kind, name)
    participants_count: int = 0
    description: str = ""


@dataclass
class DistrictPlan:
    region: str
    name: str
    code: str
    centre: CentreSpec
    organisations: list[OrganisationSpec] = field(default_factory=list)
    teachers: list[TeacherSpec] = field(default_factory=list)
    clusters: list[ClusterSpec] = field(default_factory=list)
    communities: list[CommunitySpec] = field(default_factory=list)
    completions: list[CompletionSpec] = field(default_factory=list)
    routes: list[RouteSpec] = field(default_factory=list)
    innovations: list[InnovationSpec] = field(default_factory=list)
    mentorships: list[MentorshipSpec] = field(default_factory=list)
    events: list[EventSpec] = field(default_factory=list)

    def teachers_of(self, org_code: str) -> list[TeacherSpec]:
        return [t for t in self.teachers if t.org_code == org_code]

    def organisation(self, code: str) -> OrganisationSpec:
        return next(o for o in self.organisations if o.code == code)
