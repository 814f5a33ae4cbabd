"""The network part of the demo (issue 11): the whole cycle of seed 002 for the Frunzensky district.

Results → tiers → pairs → joint work → practices, each through the product's own services, as the
district's methodist «metodist» (and, for its own school, the demo school administrator «admin_ou»):

1. Assessment results of 2019 and 2020 (ОГЭ, ЕГЭ, ВПР; demo/network_data.py) are imported from an
   in-memory XLSX with `import_results`, exactly as the methodist uploads a file. Each school's
   results are generated from the tier it has in the clusters of the next year, so the tiers the
   import then computes (`apply_computed_tiers`) equal the registry demo's tiers one for one: the
   справка's numbers stay as they were, and the memberships are now «по результатам». A school that
   sits in two clusters of a year with different tiers cannot get one index for both; it gets no
   results that year and keeps its tier, marked «задан вручную» (three schools in 2021).
2. Pairs are proposed in every cluster of 2021 (`propose_pairs`); the methodist confirms them with a
   goal and dates, names mentor teachers of the ТОП organisation (who join the base of mentors), and
   each pair gets 2–4 joint activities; one proposal is rejected with a reason and one is left for the
   methodist to decide on the demo.
3. Results of 2021 follow the pairs: a paired lagging school closes much of its gap, an unpaired one
   does not — the effect the report of kind «network» measures.
4. A dozen practices of the base, some verified, with tags, linked to pairs and events.

A rerun creates only what is missing and changes nothing that exists: result rows are imported only
for keys not stored yet; pairs are proposed and decided only in a cluster that has no pair at all;
practices are seeded only into an empty base, mentors matched by teacher.
"""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from openpyxl import Workbook

from clusters.models import (
    Cluster,
    ClusterMembership,
    District,
    Event,
    Organisation,
    OrganisationKind,
    Teacher,
    Tier,
    TierSource,
)
from imc_portal.models import User
from network.imports import import_results
from network.models import (
    AssessmentResult,
    MentorProfile,
    OrganisationPair,
    PairActivity,
    PairStatus,
    Practice,
    Procedure,
)
from network.services.mentors import save_mentor
from network.services.pairs import (
    complete_pair,
    confirm_pair,
    create_activity,
    propose_pairs,
    reject_pair,
    update_pair,
)
from network.services.practices import save_practice, set_verified
from network.services.tiers import apply_computed_tiers

from . import network_data as data
from .registry.districts import DEMO_DISTRICT_CODES, FRUNZENSKY
from .registry.frunzensky import CLUSTER_NAMES, DEMO_SCHOOL_CODE, FGOS, PARENTS, VECTOR

METHODIST = "metodist"
SCHOOL_ADMIN = "admin_ou"
# Decisions that are not «confirm»: (cluster, which proposal of it by mentee code).
REJECTED = {CLUSTER_NAMES[PARENTS]: -1}
LEFT_PROPOSED = {CLUSTER_NAMES[VECTOR]: -1}
COMPLETED = {CLUSTER_NAMES[FGOS]: 0}
REJECTION_REASON = ("ОУ включена в городскую программу адресной поддержки школ с низкими результатами; "
                    "сопровождение ведёт городской методический центр.")


class NetworkDemoError(RuntimeError):
    """The registry demo this loader builds on is missing."""


@dataclass
class NetworkDemoStats:
    created: Counter = field(default_factory=Counter)

    def line(self, district: District) -> str:
        pairs = OrganisationPair.objects.filter(cluster__district=district)
        practices = Practice.objects.filter(district=district)
        totals = (
            ("результатов", AssessmentResult.objects.filter(organisation__district=district).count()),
            ("уровней по результатам", ClusterMembership.objects.filter(
                cluster__district=district, tier_source=TierSource.COMPUTED).count()),
            ("пар ОУ", pairs.count()),
            ("действующих пар", pairs.filter(status=PairStatus.ACTIVE).count()),
            ("мероприятий пар", PairActivity.objects.filter(pair__cluster__district=district).count()),
            ("практик", practices.count()),
            ("проверено", practices.filter(is_verified=True).count()),
            ("наставников", MentorProfile.objects.filter(teacher__organisation__district=district).count()),
        )
        made = sum(self.created.values())
        return (f"Сетевое взаимодействие ({district.name}): "
                + ", ".join(f"{label} {count}" for label, count in totals)
                + (f"; добавлено записей: {made}." if made else "; всё уже было загружено."))


def _district() -> District:
    district = District.objects.filter(code=FRUNZENSKY).first()
    if district is None:
        raise NetworkDemoError("The Frunzensky district is missing: load the registry demo first.")
    return district


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NetworkDemoError(f"User «{username}» is missing: load the registry demo first.")
    return user


def load_network_demo(*, stdout: TextIO | None = None) -> NetworkDemoStats:
    """Create or complete the network demo; idempotent. One progress line goes to `stdout`, if given."""
    stats = NetworkDemoStats()
    with transaction.atomic():
        district = _district()
        methodist = _user(METHODIST)
        for year in (2019, 2020):
            _import_year(district, methodist, year, stats)
        for cluster in Cluster.objects.filter(district=district, year=2021).order_by("name"):
            _pairs(cluster, methodist, stats)
        _import_year(district, methodist, 2021, stats)
        _practices(district, methodist, stats)
    if stdout is not None:
        stdout.write(stats.line(district) + "\n")
    return stats


# --- results and tiers -----------------------------------------------------------------------------


def schools(district: District) -> dict[str, int]:
    """code → id of the district's active schools (results are only for schools)."""
    return dict(Organisation.objects.filter(district=district, kind=OrganisationKind.SCHOOL, is_active=True)
                .values_list("code", "id"))


def tiers_of_year(district: District, year: int) -> dict[str, set[str]]:
    """org code → the tiers it has in the district's clusters of `year`."""
    found: dict[str, set[str]] = {}
    for code, tier in ClusterMembership.objects.filter(cluster__district=district, cluster__year=year) \
            .values_list("organisation__code", "tier"):
        found.setdefault(code, set()).add(tier)
    return found


def split_targets(district: District, year: int, codes) -> tuple[dict[str, str], set[str]]:
    """(school → the one tier it has in the clusters of `year`, schools with two different tiers)."""
    tiers = tiers_of_year(district, year)
    targets = {code: next(iter(t)) for code, t in tiers.items() if code in codes and len(t) == 1}
    torn = {code for code, t in tiers.items() if code in codes and len(t) > 1}
    return targets, torn


def _strengths_after_pairs(district: District, codes) -> dict[str, float]:
    """2021: ТОП stays strong, a paired lagging school closes much of its gap, an unpaired one does not."""
    targets, _ = split_targets(district, 2021, codes)
    paired = set(OrganisationPair.objects.filter(
        cluster__district=district, cluster__year=2021, status__in=[PairStatus.ACTIVE, PairStatus.COMPLETED],
    ).values_list("mentee_organisation__code", flat=True))
    strengths = {}
    for code, tier in targets.items():
        base = data.TIER_STRENGTH[tier] * 0.9
        if tier == Tier.LAGGING and code in paired:
            base = data.PAIRED_LAGGING_STRENGTH
        strengths[code] = base + data.free_strength(code, 2021) * 0.15
    return strengths


def generated_rows(district: District, year: int) -> list[data.ResultRow]:
    codes = schools(district)
    if year == 2021:
        return data.generate_year(year, codes, {}, _strengths_after_pairs(district, codes))
    targets, torn = split_targets(district, year + 1, codes)
    return data.generate_year(year, [c for c in codes if c not in torn], targets)


def results_workbook(rows: list[data.ResultRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Результаты"
    sheet.append(list(data.HEADERS))
    for row in rows:
        sheet.append(row.cells())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stored_keys(district: District, year: int) -> set[tuple]:
    procedures = dict(Procedure.objects.values_list("pk", "name"))
    return {
        (code, procedures[procedure_id], subject, grade, year)
        for code, procedure_id, subject, grade in AssessmentResult.objects.filter(
            organisation__district=district, year=year,
        ).values_list("organisation__code", "procedure_id", "subject", "grade")
    }


def _import_year(district: District, methodist: User, year: int, stats: NetworkDemoStats) -> None:
    """Import the year's rows that are not stored yet; the import recomputes the tiers of year + 1."""
    stored = _stored_keys(district, year)
    missing = [row for row in generated_rows(district, year) if row.key not in stored]
    if not missing:
        return
    upload = SimpleUploadedFile(f"results_{year}.xlsx", results_workbook(missing),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    result = import_results(user=methodist, file=upload)
    if not result.ok:
        raise NetworkDemoError(f"Results of {year} refused: {'; '.join(result.grouped_errors)}")
    stats.created["results"] += result.created
    # The import recomputed the next year's tiers already; the explicit call says what the demo relies on.
    apply_computed_tiers(district=district, year=year + 1, user=methodist)


# --- pairs, mentors, activities --------------------------------------------------------------------


def _date(parts: tuple[int, int, int]) -> dt.date:
    return dt.date(*parts)


def initials(full_name: str) -> str:
    """«Петрова Ирина Сергеевна» → «Петрова И. С.»."""
    last, *rest = full_name.split()
    return " ".join([last, *(f"{part[0]}." for part in rest)])


def mentor_teachers(pair: OrganisationPair) -> list[Teacher]:
    area = data.TEACHER_AREAS.get(pair.subject, "")
    teachers = Teacher.objects.filter(organisation=pair.mentor_organisation, is_active=True)
    chosen = list(teachers.filter(subject_area=area).order_by("-experience_years", "personnel_number")[:2])
    return chosen or list(teachers.order_by("-experience_years", "personnel_number")[:1])


def _mentor_profiles(teachers: list[Teacher], subject: str, methodist: User, stats: NetworkDemoStats) -> None:
    for teacher in teachers:
        if MentorProfile.objects.filter(teacher=teacher).exists():
            continue
        save_mentor(methodist, MentorProfile(
            teacher=teacher, subjects=subject,
            competencies="Подготовка к ГИА, формирующее оценивание, анализ результатов ВПР и ОГЭ, "
                         "взаимопосещение уроков с обратной связью.",
        ))
        stats.created["mentors"] += 1


def _activities(pair: OrganisationPair, number: int, methodist: User, school_admin: User | None,
                teachers: list[Teacher], stats: NetworkDemoStats, *, finished: bool = False) -> None:
    subject = pair.subject.lower() if pair.subject else "предмет"
    responsible = initials(teachers[0].full_name) if teachers else ""
    # The demo school records its own pairs' work, as its administrator would on the pair's page.
    own = school_admin is not None and school_admin.organisation_id in (pair.mentor_organisation_id,
                                                                         pair.mentee_organisation_id)
    for plan in data.activity_plans(number, finished=finished):
        create_activity(user=school_admin if own else methodist, pair=pair, data={
            "form": plan.form, "topic": plan.topic.format(subject=subject), "held_on": _date(plan.held_on),
            "responsible": responsible, "status": plan.status, "result": plan.result,
        })
        stats.created["activities"] += 1


def _cluster_number(cluster: Cluster) -> int:
    return CLUSTER_NAMES.index(cluster.name) if cluster.name in CLUSTER_NAMES else 0


def _pairs(cluster: Cluster, methodist: User, stats: NetworkDemoStats) -> None:
    """Propose and decide the cluster's pairs, unless it has any pair already (then it is the users')."""
    if cluster.pairs.exists():
        return
    proposals = sorted(propose_pairs(user=methodist, cluster=cluster).created,
                       key=lambda p: p.mentee_organisation.code)
    if not proposals:
        return
    stats.created["pairs"] += len(proposals)
    school_admin = User.objects.filter(username=SCHOOL_ADMIN, organisation__code=DEMO_SCHOOL_CODE).first()
    # A cluster keeps at least one confirmed pair: a rejection or an open proposal only where there are several.
    special = {name: proposals[index] for name, index, least in
               (("rejected", REJECTED.get(cluster.name), 2), ("proposed", LEFT_PROPOSED.get(cluster.name), 2),
                ("completed", COMPLETED.get(cluster.name), 1)) if index is not None and len(proposals) >= least}
    for number, pair in enumerate(proposals):
        if pair is special.get("rejected"):
            reject_pair(user=methodist, pair=pair, reason=REJECTION_REASON)
            continue
        if pair is special.get("proposed"):
            continue
        confirm_pair(user=methodist, pair=pair, goal=data.GOALS.get(pair.subject, data.GOALS["Математика"]),
                     starts_on=_date(data.PAIR_STARTS), ends_on=_date(data.PAIR_ENDS))
        pair.refresh_from_db()
        teachers = mentor_teachers(pair)
        _mentor_profiles(teachers, pair.subject, methodist, stats)  # a pair's mentors come from the base
        update_pair(user=methodist, pair=pair, subject=pair.subject, goal=pair.goal, starts_on=pair.starts_on,
                    ends_on=pair.ends_on, mentor_organisation=pair.mentor_organisation, mentor_teachers=teachers)
        finished = pair is special.get("completed")
        _activities(pair, number + _cluster_number(cluster), methodist, school_admin, teachers, stats,
                    finished=finished)
        if finished:
            complete_pair(user=methodist, pair=pair, ends_on=dt.date(2022, 5, 27))


# --- practices ---------------------------------------------------------------------------------------


def _practice_organisation(district: District, spec: data.PracticeSpec) -> tuple[Cluster | None, Organisation | None]:
    cluster = Cluster.objects.filter(district=district, year=2021, name=spec.cluster).first()
    if spec.by_school:
        return cluster, Organisation.objects.filter(district=district, code=DEMO_SCHOOL_CODE).first()
    tops = list(Organisation.objects.filter(
        cluster_memberships__cluster=cluster, cluster_memberships__tier=Tier.TOP, kind=OrganisationKind.SCHOOL,
    ).order_by("code")) if cluster else []
    return cluster, (tops[spec.top % len(tops)] if tops else None)


def _authors(organisation: Organisation | None, subject: str) -> str:
    if organisation is None:
        return "Методический отдел ИМЦ"
    teachers = Teacher.objects.filter(organisation=organisation, is_active=True)
    area = data.TEACHER_AREAS.get(subject)
    picked = list((teachers.filter(subject_area=area) if area else teachers).order_by("personnel_number")[:2])
    return ", ".join(initials(t.full_name) for t in picked) or organisation.short_name


def _practices(district: District, methodist: User, stats: NetworkDemoStats) -> None:
    # Seeded once, into an empty base: a practice a user renamed or deleted is not brought back.
    if Practice.objects.filter(district=district).exists():
        return
    school_admin = User.objects.filter(username=SCHOOL_ADMIN, organisation__code=DEMO_SCHOOL_CODE).first()
    for spec in data.PRACTICES:
        cluster, organisation = _practice_organisation(district, spec)
        author = school_admin if spec.by_school and school_admin else methodist
        event = Event.objects.filter(district=district, title=spec.event).first() if spec.event else None
        pairs = list(OrganisationPair.objects.filter(
            cluster__district=district, mentor_organisation=organisation,
            status__in=[PairStatus.ACTIVE, PairStatus.COMPLETED],
        )) if organisation else []
        practice = Practice(
            title=spec.title, authors=_authors(organisation, spec.subject), organisation=organisation,
            cluster=cluster, subject=spec.subject, form=spec.form, year=spec.year, description=spec.description,
            event=event,
        )
        saved = save_practice(author, practice, tags=spec.tags, pairs=pairs).practice
        if spec.verified:
            set_verified(methodist, saved, True)
        stats.created["practices"] += 1


# --- reset ----------------------------------------------------------------------------------------------


def reset_network_demo() -> int:
    """Delete the demo districts' results, pairs and practices (they protect organisations and districts).

    Call it before deleting the registry demo; memberships, tier history and mentors go with the registry.
    Returns the number of rows deleted.
    """
    districts = District.objects.filter(code__in=DEMO_DISTRICT_CODES)
    deleted = 0
    for queryset in (
        Practice.objects.filter(district__in=districts),
        OrganisationPair.objects.filter(cluster__district__in=districts),
        AssessmentResult.objects.filter(organisation__district__in=districts),
    ):
        count, _ = queryset.delete()
        deleted += count
    return deleted
