"""The events part of the demo (issue 13): the year of work behind the seeds' paragraphs (data: demo/events_data.py).

1. The registry demo's events dated before the load day are historic: its district's methodist marks each still
   «запланировано» as held (events.services.attendance.mark_held).
2. Frunzensky 2021 (seed 000, «новые формы взаимодействия»): mutual testing of the clusters' products and video
   lessons are added to the festival and the clusters' master-classes of the registry demo; registry teachers are
   registered and marked present at them (the checklist service). The monitoring справка created afterwards by
   demo/reports.py gets «Формы взаимодействия в 2021 году» from these events (events/report_sections.py).
3. Sayansk (seed 001): the regional seminar gets 30 attendances — registry teachers, mathematics first, and six
   teachers from Тулун — 180 pupils, hours of short-term professional development and its certificates.
4. Kirovsky (seed 004): the annual plan of 2024, held, with attendance; the plan's next events open for
   registration (one on the public page); thematic and individual consultations over a share of the teachers;
   publications and competition results of teachers.

The past cannot be registered for through the registration service (it refuses events already held or past), so
historic registrations are written with the model; attendance, pupils, the held status, the upcoming registrations
and the certificates go through the events services as the pages call them.

A rerun adds nothing: events are identified by district, title and date (upcoming ones by title); an event that
already has registrations or attendances is left as it is; consultations and achievements are seeded only into a
district that has none; certificates only for an event that has none.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

import events.report_sections  # noqa: F401 - registers the справка's section even before the lead's ready() import
from clusters.models import (
    Cluster,
    ClusterMembership,
    District,
    Event,
    EventForm,
    EventStatus,
    Teacher,
    TrainingCompletion,
    TrainingProgram,
)
from events.models import (
    Achievement,
    AchievementKind,
    Attendance,
    Certificate,
    CertificateCounter,
    CompetitionResult,
    Consultation,
    ConsultationKind,
    Registration,
    RegistrationStatus,
)
from events.services import attendance as attendance_service
from events.services import certificates as certificate_service
from events.services import registration as registration_service
from events.services.plan import ensure_public_code
from imc_portal.models import User

from . import events_data as data
from .registry.common import rng_for
from .registry.districts import DEMO_DISTRICT_CODES, FRUNZENSKY, KIROVSKY, SAYANSK
from .registry.frunzensky import CLUSTER_NAMES

METHODISTS = {FRUNZENSKY: "metodist", KIROVSKY: "metodist_kirov", SAYANSK: "metodist_sayansk",
              "krasnoselsky": "metodist_krasnoe"}
KIROVSKY_SCHOOL_ADMIN = "admin_ou_kirov"


class EventsDemoError(RuntimeError):
    """The demo this loader builds on is missing."""


@dataclass
class EventsDemoStats:
    created: Counter = field(default_factory=Counter)

    def line(self) -> str:
        made = ", ".join(f"{name} {count}" for name, count in self.created.items() if count)
        return "Мероприятия: " + (f"добавлено — {made}." if made else "всё уже было загружено.")


def _district(code: str) -> District:
    district = District.objects.filter(code=code).first()
    if district is None:
        raise EventsDemoError(f"District «{code}» is missing: load the registry demo first.")
    return district


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise EventsDemoError(f"User «{username}» is missing: load the registry demo first.")
    return user


def load_events_demo(*, stdout: TextIO | None = None, today: dt.date | None = None) -> EventsDemoStats:
    """Create or complete the events demo; idempotent. One progress line goes to `stdout`, if given."""
    today = today or timezone.localdate()
    stats = EventsDemoStats()
    with transaction.atomic():
        _past_events_held(today, stats)
        _frunzensky(stats)
        _sayansk(stats)
        _kirovsky(today, stats)
    if stdout is not None:
        stdout.write(stats.line() + "\n")
    return stats


# --- shared steps ------------------------------------------------------------------------------------------------


def _past_events_held(today: dt.date, stats: EventsDemoStats) -> None:
    """The registry demo's past events are history: «проведено» (by the district's methodist, as the page does)."""
    for code, username in METHODISTS.items():
        pending = list(Event.objects.filter(district__code=code, status=EventStatus.PLANNED, held_on__lt=today))
        if not pending:
            continue
        methodist = _user(username)
        for event in pending:
            attendance_service.mark_held(user=methodist, event=event)
        stats.created["проведено"] += len(pending)


def _event(district: District, spec: data.PlanEvent, stats: EventsDemoStats, *, today: dt.date | None = None,
           cluster_id: int | None = None, status: str = EventStatus.HELD) -> tuple[Event, bool]:
    """The plan's event, created with the model when missing (the plan's form service takes a bound form)."""
    held_on = spec.held_on or today + dt.timedelta(days=spec.days_ahead)
    found = Event.objects.filter(district=district, title=spec.title)
    found = found.filter(held_on=held_on) if spec.held_on else found
    event = found.first()
    if event is not None:
        return event, False
    event = Event(
        district=district, title=spec.title, form=spec.form, level=spec.level, held_on=held_on, status=status,
        place=spec.place, audience=spec.audience, capacity=spec.capacity, registration_open=spec.registration_open,
        public_registration=spec.public_registration, cluster_id=cluster_id, description=spec.description,
        participants_count=spec.attendees, starts_at=dt.time(15, 0), ends_at=dt.time(17, 0),
    )
    ensure_public_code(event)
    event.save()
    stats.created["мероприятий"] += 1
    return event, True


def _attend(event: Event, teacher_ids: list[int], methodist: User, stats: EventsDemoStats) -> None:
    """Registered (historic rows: the service refuses the past) and marked present through the checklist."""
    if event.registrations.exists() or event.attendances.exists() or not teacher_ids:
        return
    Registration.objects.bulk_create([
        Registration(event=event, teacher_id=teacher_id, status=RegistrationStatus.REGISTERED, registered_by=methodist,
                     ticket_hash=registration_service.hash_ticket(registration_service.new_ticket()))
        for teacher_id in teacher_ids
    ])
    present = set(event.registrations.values_list("pk", flat=True))
    added, _ = attendance_service.save_checklist(user=methodist, event=event, present_ids=present)
    stats.created["регистраций"] += len(teacher_ids)
    stats.created["присутствий"] += added


def _sample(teacher_ids: list[int], count: int, *seed: object) -> list[int]:
    return sorted(rng_for(*seed).sample(teacher_ids, min(count, len(teacher_ids))))


def _active_teachers(district: District, **filters) -> list[int]:
    return list(Teacher.objects.filter(organisation__district=district, is_active=True, **filters)
                .order_by("pk").values_list("pk", flat=True))


# --- Frunzensky 2021 ---------------------------------------------------------------------------------------------


def _frunzensky(stats: EventsDemoStats) -> None:
    district = _district(FRUNZENSKY)
    methodist = _user(METHODISTS[FRUNZENSKY])
    teachers = _active_teachers(district)
    clusters = dict(Cluster.objects.filter(district=district, year=2021).values_list("name", "pk"))
    members = _cluster_teachers(clusters.values())
    prefixes = Q()
    for prefix in data.FRUNZENSKY_ATTENDED_PREFIXES:
        prefixes |= Q(title__startswith=prefix)
    for event in Event.objects.filter(prefixes, district=district, held_on__year=2021).order_by("held_on", "pk"):
        pool = members.get(event.cluster_id) or teachers
        _attend(event, _sample(pool, event.participants_count, FRUNZENSKY, "events", event.title), methodist, stats)
    for index, held_on in zip(data.FRUNZENSKY_MUTUAL_TESTING_CLUSTERS, data.FRUNZENSKY_MUTUAL_TESTING_DATES,
                              strict=True):
        name = CLUSTER_NAMES[index]
        spec = data.PlanEvent(f"Взаимоапробация продуктов проекта кластера «{name}»", EventForm.MUTUAL_TESTING,
                              held_on, data.MUTUAL_TESTING_ATTENDEES,
                              description="Взаимоапробация результатов и продуктов, полученных в ходе реализации "
                                          "проектов внутри кластера (аналитическая справка № 1-854).")
        event, _ = _event(district, spec, stats, cluster_id=clusters.get(name))
        pool = members.get(event.cluster_id) or teachers
        _attend(event, _sample(pool, spec.attendees, FRUNZENSKY, "events", spec.title), methodist, stats)
    for spec in data.FRUNZENSKY_VIDEO_LESSONS:
        event, _ = _event(district, spec, stats)
        _attend(event, _sample(teachers, spec.attendees, FRUNZENSKY, "events", spec.title), methodist, stats)


def _cluster_teachers(cluster_ids) -> dict[int, list[int]]:
    """cluster id → active teachers of its organisations (two queries)."""
    organisations: dict[int, set[int]] = {}
    for cluster_id, organisation_id in ClusterMembership.objects.filter(cluster_id__in=list(cluster_ids)) \
            .values_list("cluster_id", "organisation_id"):
        organisations.setdefault(cluster_id, set()).add(organisation_id)
    every = set().union(*organisations.values()) if organisations else set()
    by_organisation: dict[int, list[int]] = {}
    for pk, organisation_id in Teacher.objects.filter(organisation_id__in=every, is_active=True) \
            .order_by("pk").values_list("pk", "organisation_id"):
        by_organisation.setdefault(organisation_id, []).append(pk)
    return {cluster_id: sorted(pk for o in orgs for pk in by_organisation.get(o, []))
            for cluster_id, orgs in organisations.items()}


# --- Sayansk -----------------------------------------------------------------------------------------------------


def _sayansk(stats: EventsDemoStats) -> None:
    district = _district(SAYANSK)
    seminar = Event.objects.filter(district=district, title=data.SAYANSK_SEMINAR).first()
    if seminar is None:
        raise EventsDemoError(f"The Sayansk seminar «{data.SAYANSK_SEMINAR}» is missing: load the registry demo.")
    methodist = _user(METHODISTS[SAYANSK])
    if not seminar.attendances.exists():
        # The plan's edit form sets the hours (events/forms_plan.py validates 1–72); the demo's value is in range.
        Event.objects.filter(pk=seminar.pk).update(hours=data.SAYANSK_SEMINAR_HOURS)
        seminar.refresh_from_db()
        if seminar.status != EventStatus.HELD:
            attendance_service.mark_held(user=methodist, event=seminar)
        attendance_service.set_pupils(user=methodist, event=seminar, value=str(data.SAYANSK_SEMINAR_PUPILS))
        external = data.TULUN_TEACHERS
        maths = _active_teachers(district, subject_area="математика")
        others = [pk for pk in _active_teachers(district) if pk not in set(maths)]
        wanted = data.SAYANSK_SEMINAR_TEACHERS - len(external)
        chosen = maths[:wanted] + _sample(others, max(wanted - len(maths), 0), SAYANSK, "seminar")
        for teacher_id in chosen:
            attendance_service.add_teacher(user=methodist, event=seminar, teacher_id=teacher_id)
        for full_name, organisation in external:
            attendance_service.add_external(user=methodist, event=seminar, full_name=full_name,
                                            organisation_name=organisation)
        stats.created["присутствий"] += len(chosen) + len(external)
    if not seminar.certificates.exists():
        result = certificate_service.certificates_issue(event=seminar, user=methodist)
        stats.created["сертификатов"] += result.issued


# --- Kirovsky ----------------------------------------------------------------------------------------------------


def _kirovsky(today: dt.date, stats: EventsDemoStats) -> None:
    district = _district(KIROVSKY)
    methodist = _user(METHODISTS[KIROVSKY])
    teachers = _active_teachers(district)
    events = {}
    for spec in data.KIROVSKY_2024:
        event, _ = _event(district, spec, stats)
        events[spec.title] = event
        _attend(event, _sample(teachers, spec.attendees, KIROVSKY, "events", spec.title), methodist, stats)
    for spec in data.KIROVSKY_UPCOMING:
        event, created = _event(district, spec, stats, today=today, status=EventStatus.PLANNED)
        if created:
            _register_upcoming(event, spec, methodist, stats)
    _consultations(district, methodist, teachers, stats)
    _achievements(district, teachers, events[data.KIROVSKY_COMPETITION], stats)


def _register_upcoming(event: Event, spec: data.PlanEvent, methodist: User, stats: EventsDemoStats) -> None:
    """The school administrator registers two of her teachers; the public master-class also takes two people
    from another district on its public page."""
    if not spec.registration_open:
        return
    admin = _user(KIROVSKY_SCHOOL_ADMIN)
    own = list(Teacher.objects.filter(organisation=admin.organisation, is_active=True).order_by("pk")
               .values_list("pk", flat=True)[:2])
    if own:
        result = registration_service.register_teachers(user=admin, event=event, teacher_ids=own)
        stats.created["регистраций"] += len(result.registered) + len(result.waitlisted)
    if spec.public_registration:
        for full_name, organisation, email in data.KIROVSKY_EXTERNAL:
            registration_service.register_external(event=event, full_name=full_name, organisation_name=organisation,
                                                   email=email, consent=True)
            stats.created["регистраций"] += 1


def _consultations(district: District, methodist: User, teachers: list[int], stats: EventsDemoStats) -> None:
    """Thematic and individual consultations of 2024, written as the journal's form saves them (the form holds the
    rules: one teacher for an individual consultation, at least one for a thematic one)."""
    if Consultation.objects.filter(district=district).exists() or not teachers:
        return
    rng = rng_for(KIROVSKY, "consultations")
    plan = []
    for index in range(data.THEMATIC_COUNT):
        held_on = dt.date(2024, 1, 17) + dt.timedelta(days=index * 33)
        size = rng.randint(*data.THEMATIC_SIZE)
        plan.append((ConsultationKind.THEMATIC, data.THEMATIC_TOPICS[index % len(data.THEMATIC_TOPICS)], held_on,
                     rng.sample(teachers, min(size, len(teachers)))))
    for index in range(data.INDIVIDUAL_COUNT):
        held_on = dt.date(2024, 1, 10) + dt.timedelta(days=(index * 5) % 340)
        plan.append((ConsultationKind.INDIVIDUAL, rng.choice(data.INDIVIDUAL_TOPICS), held_on, [rng.choice(teachers)]))
    consultations = Consultation.objects.bulk_create([
        Consultation(district=district, kind=kind, topic=topic, held_on=held_on, methodist=methodist)
        for kind, topic, held_on, _ in plan
    ])
    if any(c.pk is None for c in consultations):  # bulk_create returns keys on PostgreSQL and SQLite ≥ 3.35
        consultations = list(Consultation.objects.filter(district=district).order_by("pk"))
    through = Consultation.teachers.through
    through.objects.bulk_create([
        through(consultation_id=consultation.pk, teacher_id=teacher_id)
        for consultation, (_, _, _, chosen) in zip(consultations, plan, strict=True) for teacher_id in chosen
    ])
    stats.created["консультаций"] += len(consultations)


def _achievements(district: District, teachers: list[int], competition: Event, stats: EventsDemoStats) -> None:
    """Publications and competition results, written as the journal's form saves them (a competition has a
    result, a publication none — also a database constraint). The district's own competition: its attendees,
    3 winners and 7 prize-winners."""
    if Achievement.objects.filter(teacher__organisation__district=district).exists() or not teachers:
        return
    rng = rng_for(KIROVSKY, "achievements")
    subjects = dict(Teacher.objects.filter(pk__in=teachers).values_list("pk", "subject_area"))
    rows = []
    contestants = list(competition.attendances.filter(teacher__isnull=False).order_by("pk")
                       .values_list("teacher_id", flat=True))
    for place, teacher_id in enumerate(contestants):
        result = (CompetitionResult.WINNER if place < 3 else CompetitionResult.PRIZE if place < 10
                  else CompetitionResult.PARTICIPANT)
        rows.append(Achievement(teacher_id=teacher_id, kind=AchievementKind.COMPETITION, title=competition.title,
                                venue="ИМЦ Кировского района", year=2024, level=competition.level, result=result,
                                event=competition))
    for teacher_id in rng.sample(teachers, min(data.CITY_COMPETITION_ENTRIES, len(teachers))):
        title, venue, level = rng.choice(data.CITY_COMPETITIONS)
        result = rng.choices([CompetitionResult.PARTICIPANT, CompetitionResult.PRIZE, CompetitionResult.WINNER],
                             weights=[6, 3, 1])[0]
        rows.append(Achievement(teacher_id=teacher_id, kind=AchievementKind.COMPETITION, title=title, venue=venue,
                                year=rng.choice([2023, 2024]), level=level, result=result))
    for teacher_id in rng.sample(teachers, min(data.PUBLICATIONS, len(teachers))):
        subject = subjects.get(teacher_id) or "начальной школы"
        rows.append(Achievement(teacher_id=teacher_id, kind=AchievementKind.PUBLICATION,
                                title=rng.choice(data.PUBLICATION_TITLES).format(subject=subject),
                                venue=rng.choice(data.PUBLICATION_VENUES), year=rng.choice([2023, 2024])))
    Achievement.objects.bulk_create(rows)
    stats.created["достижений"] += len(rows)


# --- reset -------------------------------------------------------------------------------------------------------


def reset_events_demo() -> int:
    """Delete what protects the demo districts' events and districts: certificates (with their PDFs), the
    short-training records and courses they made, the register counters, consultations. Registrations, attendance
    and achievements go with their events and teachers (the registry's reset). Call it before the registry's
    reset. Returns the number of rows deleted."""
    districts = District.objects.filter(code__in=DEMO_DISTRICT_CODES)
    certificates = Certificate.objects.filter(district__in=districts)
    names = [(c.pdf.storage, c.pdf.name) for c in certificates if c.pdf]
    completions = list(certificates.exclude(training_completion=None).values_list("training_completion", flat=True))
    suffix = certificate_service.SHORT_TRAINING_SUFFIX
    titles = [f"{title}{suffix}"[:500] for title in Event.objects.filter(district__in=districts)
              .exclude(hours=None).values_list("title", flat=True)]
    deleted = certificates.delete()[0]
    deleted += TrainingCompletion.objects.filter(pk__in=completions).delete()[0]
    deleted += TrainingProgram.objects.filter(district__in=districts, title__in=titles,
                                              completions__isnull=True).delete()[0]
    deleted += CertificateCounter.objects.filter(district__in=districts).delete()[0]
    deleted += Consultation.objects.filter(district__in=districts).delete()[0]
    deleted += Attendance.objects.filter(event__district__in=districts).delete()[0]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names if name])
    return deleted
