"""The Kirovsky diagnostics demo (seed 004, issue 12 item 9): two yearly self-diagnostics of professional
deficits answered through the services, with the proposed ИОМ partly approved and completed.

`load_kirovsky_diagnostics_demo()` runs after the registry demo and the Sayansk diagnostics demo, before the
monitoring demo (whose Kirovsky programme computes its diagnostics criteria from these results). For each of
2023/24 and 2024/25 the methodist starts a campaign of the shipped teacher-deficit instrument with
`create_campaign` over organisations that employ about 45 % of the district's active teachers (seeded random;
half of the first year's organisations take part again, so some teachers are diagnosed twice). Of the invited,
most consent and submit (`consent`, `submit`: the AreaScores and the proposed ИОМ are the service's own), a few
decline, a few leave a draft, a few never open the link — about 40 % of the district is diagnosed each year (996
teachers of 2476 in 2023). Going through the services costs ~15 ms a submission on SQLite (the answers, the
proposal with its mentor search), so this loader takes about 30 s — the price of results that are the services'
own rather than written around them.

Then, per organisation, the school administrator (an account created here for the organisations whose
administrator has got to the routes) approves most proposed routes (`approve_route`); of the approved, a part
is completed — the courses are recorded in the training registry (the signal completes the course steps) and the
other steps are marked done (`save_step`) — and a part has only its first course done.

The services date everything «now» and accept answers only while a campaign is open, so each campaign is created
open until an hour from now and, once answered, moved to its historical dates: the campaign's closing, the
consent / refusal / submission times, when the route was proposed and approved, and the route's span and step
deadlines (mapped linearly onto the span the proposal would have had on the day of the submission). Completion
dates are historical from the start (courses between the submission and the end of the year for completed
routes, so they count in «повышение квалификации на основе предварительной диагностики» of that year).

The shared demo courses are tagged with the deficit groups they address (the catalogue's group tags), so that
proposals contain course steps. Campaigns are matched on (district, instrument, title) and filled only when this
run creates them: a second run adds nothing. `reset_kirovsky_diagnostics_demo()` deletes the campaigns with
their invitations, the routes proposed from them, the course completions recorded for those routes and the
approvers' accounts.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from clusters.models import (
    District,
    IndividualRoute,
    Organisation,
    RouteStatus,
    Teacher,
    TrainingCompletion,
    TrainingProgram,
)
from demo.registry.districts import KIROVSKY
from demo.registry.growth import PROGRAMS
from demo.registry.names import full_name
from diagnostics.instruments_shipped import create_shipped_instruments
from diagnostics.models import (
    Area,
    DiagnosticCampaign,
    Instrument,
    Invitation,
    InvitationStatus,
    RouteOrigin,
    RouteStep,
    StepKind,
    StepStatus,
)
from diagnostics.services.answers import consent, decline, save_draft, submit
from diagnostics.services.campaigns import create_campaign
from diagnostics.services.instruments import items_for
from diagnostics.services.routes import approve_route, route_span, save_step
from imc_portal.models import Role, User

SEED = "kirovsky-diagnostics"
INSTRUMENT_CODE = "teacher-deficits"
METHODIST = "metodist_kirov"
APPROVER_PREFIX = "kir_ou_"
INVITED_SHARE = 0.45  # teachers of the campaign's organisations / active teachers (see the docstring)
REPEAT_SHARE = 0.5  # share of the first year's organisations that take part again
# What an invited teacher does: submits, declines, leaves a draft, never opens the link.
SUBMITTED, DECLINED, DRAFT, PENDING = "submitted", "declined", "draft", "pending"
OUTCOMES = {SUBMITTED: 0.89, DECLINED: 0.04, DRAFT: 0.03, PENDING: 0.04}
APPROVING_SHARE = 0.6  # organisations whose administrator has approved routes
APPROVED_SHARE = 0.85  # of their proposed routes
CERTIFICATE_PREFIX = "7805"

# Where a teacher stands in each group on average: subject knowledge is strongest, psychology weakest.
AREA_SHIFT = {"subject": 0.07, "methodical": -0.02, "psycho_pedagogical": -0.07, "communicative": 0.03}
# The demo courses (demo/registry/growth.py) tagged with the groups they address.
COURSE_TAGS = {
    "subject": ("experts", "fg"),
    "methodical": ("kir_method", "fgos"),
    "psycho_pedagogical": ("inclusive", "dou"),
    "communicative": ("kir_young", "mentor"),
}


@dataclass(frozen=True)
class CampaignSpec:
    year: int  # the academic year's first year (the model's «год»: 2023/24 → 2023)
    label: str
    opens: dt.date
    closes: dt.date
    completed: float  # of the approved routes: all steps done
    started: float  # of the approved routes: the first course done, the rest in progress
    gain: float  # how much better the district answers this year

    @property
    def title(self) -> str:
        return f"Самодиагностика профессиональных дефицитов педагогов, {self.label}"


CAMPAIGNS: tuple[CampaignSpec, ...] = (
    CampaignSpec(2023, "2023/24", dt.date(2023, 9, 18), dt.date(2023, 10, 27), completed=0.55, started=0.3, gain=0),
    CampaignSpec(2024, "2024/25", dt.date(2024, 9, 16), dt.date(2024, 10, 25), completed=0.2, started=0.4,
                 gain=0.03),
)


class KirovskyDiagnosticsDemoError(RuntimeError):
    pass


@dataclass
class KirovskyDiagnosticsStats:
    created: Counter = field(default_factory=Counter)

    def line(self, district: District) -> str:
        campaigns = demo_campaigns()
        invitations = Invitation.objects.filter(campaign__in=campaigns).aggregate(
            total=Count("pk"), submitted=Count("pk", filter=Q(status=InvitationStatus.SUBMITTED)),
            declined=Count("pk", filter=Q(status=InvitationStatus.DECLINED)))
        routes = Counter(demo_routes().values_list("status", flat=True))
        added = sum(self.created.values())
        return (f"Диагностика ({district.name}): кампаний — {len(campaigns)}, приглашено — {invitations['total']}, "
                f"прошли диагностику — {invitations['submitted']}, отказались — {invitations['declined']}, "
                f"ИОМ предложено — {sum(routes.values())} (утверждено и выполняется — {routes[RouteStatus.ACTIVE]}, "
                f"выполнено — {routes[RouteStatus.COMPLETED]}, ждут утверждения — {routes[RouteStatus.PLANNED]})"
                + (f"; создано строк: {added}." if added else "; всё уже было."))


def load_kirovsky_diagnostics_demo(*, stdout: TextIO | None = None) -> KirovskyDiagnosticsStats:
    """Create the Kirovsky campaigns that are missing, answered, with their routes; idempotent."""
    stats = KirovskyDiagnosticsStats()
    with transaction.atomic():
        district = _district()
        instrument = _instrument()
        existing = {c.title for c in demo_campaigns()}
        if len(existing) < len(CAMPAIGNS):
            methodist = _methodist()
            _tag_courses()
            organisations = _organisations(district)
            for spec, orgs in zip(CAMPAIGNS, organisations, strict=True):
                if spec.title not in existing:
                    _run(spec, district, instrument, methodist, orgs, stats)
    if stdout is not None:
        stdout.write(stats.line(district) + "\n")
    return stats


def demo_campaigns() -> list[DiagnosticCampaign]:
    return list(DiagnosticCampaign.objects.filter(district__code=KIROVSKY, instrument__code=INSTRUMENT_CODE,
                                                  title__in=[spec.title for spec in CAMPAIGNS]).order_by("year"))


def demo_routes():
    return IndividualRoute.objects.filter(origin__invitation__campaign__in=demo_campaigns())


def reset_kirovsky_diagnostics_demo() -> int:
    """Delete the campaigns (they protect the district) with their invitations and results, the routes proposed
    from them with the course completions recorded for those routes, and the approvers' accounts."""
    routes = list(demo_routes().values_list("pk", flat=True))
    completions = set(RouteStep.objects.filter(route_id__in=routes, completion__isnull=False)
                      .values_list("completion_id", flat=True))
    deleted = TrainingCompletion.objects.filter(pk__in=completions).delete()[0]
    deleted += IndividualRoute.objects.filter(pk__in=routes).delete()[0]
    deleted += DiagnosticCampaign.objects.filter(pk__in=[c.pk for c in demo_campaigns()]).delete()[0]
    deleted += User.objects.filter(username__startswith=APPROVER_PREFIX, organisation__district__code=KIROVSKY,
                                   role=Role.SCHOOL_ADMIN).delete()[0]
    return deleted


# --- lookups -------------------------------------------------------------------------------------


def _district() -> District:
    district = District.objects.filter(code=KIROVSKY).first()
    if district is None:
        raise KirovskyDiagnosticsDemoError("the Kirovsky district is missing: load the registry demo first")
    return district


def _methodist() -> User:
    methodist = User.objects.filter(username=METHODIST).first()
    if methodist is None:
        raise KirovskyDiagnosticsDemoError(f"user «{METHODIST}» is missing: load the registry demo first")
    return methodist


def _instrument() -> Instrument:
    create_shipped_instruments()  # creates only what is missing by (code, version)
    instrument = (Instrument.objects.filter(code=INSTRUMENT_CODE, district__isnull=True).order_by("-version")
                  .first())
    if instrument is None:
        raise KirovskyDiagnosticsDemoError(f"the shipped instrument «{INSTRUMENT_CODE}» is missing")
    return instrument


def _tag_courses() -> None:
    """The demo courses address deficit groups (idempotent: adding a tag twice keeps one)."""
    areas = {a.code: a for a in Area.objects.filter(code__in=COURSE_TAGS)}
    programmes = {(p.title, p.hours, p.provider): p for p in TrainingProgram.objects.all()}
    for code, keys in COURSE_TAGS.items():
        found = [programmes.get((PROGRAMS[k].title, PROGRAMS[k].hours, PROGRAMS[k].provider)) for k in keys]
        areas[code].training_programs.add(*[p for p in found if p is not None])


def _organisations(district: District) -> list[list[Organisation]]:
    """Each campaign's organisations: a seeded order of the district's organisations, taken until they employ
    INVITED_SHARE of its active teachers; the second year keeps REPEAT_SHARE of the first year's."""
    rng = random.Random(f"{SEED}-organisations")
    counts = dict(Teacher.objects.filter(organisation__district=district, organisation__is_active=True,
                                         is_active=True)
                  .order_by().values("organisation_id").annotate(n=Count("pk")).values_list("organisation_id", "n"))
    organisations = list(Organisation.objects.filter(pk__in=counts).order_by("code"))
    rng.shuffle(organisations)
    wanted = INVITED_SHARE * sum(counts.values())
    chosen: list[list[Organisation]] = []
    for index in range(len(CAMPAIGNS)):
        picked = rng.sample(chosen[-1], round(len(chosen[-1]) * REPEAT_SHARE)) if index else []
        rest = [o for o in organisations if o not in picked and not any(o in year for year in chosen)]
        for organisation in rest:
            if sum(counts[o.pk] for o in picked) >= wanted:
                break
            picked.append(organisation)
        chosen.append(sorted(picked, key=lambda o: o.code))
    return chosen


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


# --- one campaign --------------------------------------------------------------------------------


def _run(spec: CampaignSpec, district: District, instrument: Instrument, methodist: User,
         organisations: list[Organisation], stats: KirovskyDiagnosticsStats) -> None:
    rng = random.Random(f"{SEED}-{spec.year}")
    now = timezone.now()
    campaign = create_campaign(
        user=methodist, district=district, instrument=instrument, title=spec.title, year=spec.year,
        period_label=spec.label, level="", profession="", organisations=organisations,
        opens_at=_aware(spec.opens, 9), closes_at=now + dt.timedelta(hours=1))
    stats.created["кампаний"] += 1
    submitted = _answer(campaign, spec, rng, stats)
    _backdate(campaign, spec, submitted)
    approved = _approve(campaign, rng, stats)
    _complete(spec, approved, rng, stats)


def _answer(campaign: DiagnosticCampaign, spec: CampaignSpec, rng: random.Random,
            stats: KirovskyDiagnosticsStats) -> dict[int, dt.datetime]:
    """Every invited teacher's outcome through the services; returns {invitation id: submission moment} and
    stores the historical consent / refusal moments for _backdate."""
    items = items_for(campaign.instrument)
    invitations = list(campaign.invitations.select_related("teacher").order_by("pk"))
    outcomes = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()), k=len(invitations))
    window = (_aware(spec.closes, 18) - _aware(spec.opens, 9)).total_seconds()
    moments: dict[int, dt.datetime] = {}
    changed: list[Invitation] = []
    for invitation, outcome in zip(invitations, outcomes, strict=True):
        stats.created["ссылок"] += 1
        if outcome == PENDING:
            continue
        moment = _aware(spec.opens, 9) + dt.timedelta(seconds=rng.uniform(0, window * 0.95))
        if outcome == DECLINED:
            invitation = decline(invitation)
            invitation.declined_at = moment
        else:
            invitation = consent(invitation)
            invitation.consent_at = moment - dt.timedelta(minutes=rng.randint(5, 30))
            data = _choices(invitation.teacher_id, items, spec, rng)
            if outcome == DRAFT:
                save_draft(invitation, dict(list(data.items())[:len(data) // 2]))
            else:
                submit(invitation, data)
                invitation.submitted_at = moment
                moments[invitation.pk] = moment
                stats.created["диагностик"] += 1
        changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["consent_at", "declined_at", "submitted_at"], batch_size=500)
    return moments


def _choices(teacher_id: int, items, spec: CampaignSpec, rng: random.Random) -> dict[str, str]:
    """Form data of a teacher's answers: their standing (stable over the years) per group plus this year's
    noise, turned into an option of the item's 4-level scale."""
    person = random.Random(f"{SEED}-teacher-{teacher_id}")
    tilt = person.gauss(0, 0.12)
    standing = {code: 0.6 + tilt + shift + person.gauss(0, 0.08) + spec.gain for code, shift in AREA_SHIFT.items()}
    data = {}
    for item in items:
        level = min(max(standing.get(item.area.code, 0.6 + tilt) + rng.gauss(0, 0.05), 0.0), 1.0)
        data[f"item_{item.pk}"] = str(min(max(round(level * 3 + rng.gauss(0, 0.55)), 0), 3))
    return data


def _backdate(campaign: DiagnosticCampaign, spec: CampaignSpec, submitted: dict[int, dt.datetime]) -> None:
    """Move what the services dated «now» to the campaign's time (see the module's docstring)."""
    DiagnosticCampaign.objects.filter(pk=campaign.pk).update(closes_at=_aware(spec.closes, 18))
    origins = list(RouteOrigin.objects.filter(invitation__campaign=campaign).select_related("route"))
    steps: dict[int, list[RouteStep]] = {}
    for step in RouteStep.objects.filter(route__origin__in=origins).order_by("pk"):
        steps.setdefault(step.route_id, []).append(step)
    routes, moved = [], []
    for origin in origins:
        origin.proposed_at = submitted[origin.invitation_id]
        route = origin.route
        day = timezone.localdate(origin.proposed_at)
        starts, ends = route_span(campaign.year, day)
        old_days = max((route.ends_on - route.starts_on).days, 1)
        for step in steps.get(route.pk, []):
            if step.due_on is not None:
                step.due_on = starts + dt.timedelta(
                    days=round((step.due_on - route.starts_on).days * (ends - starts).days / old_days))
                moved.append(step)
        route.starts_on, route.ends_on = starts, ends
        routes.append(route)
    RouteOrigin.objects.bulk_update(origins, ["proposed_at"], batch_size=500)
    IndividualRoute.objects.bulk_update(routes, ["starts_on", "ends_on"], batch_size=500)
    RouteStep.objects.bulk_update(moved, ["due_on"], batch_size=500)


# --- approval and completion ---------------------------------------------------------------------


def _approver(organisation: Organisation) -> User:
    """The organisation's school administrator: a demo user of that school (admin_ou_kirov), or else an account
    created here without a password (a name on the approvals)."""
    demo_admin = (User.objects.filter(role=Role.SCHOOL_ADMIN, organisation=organisation)
                  .exclude(username__startswith=APPROVER_PREFIX).order_by("pk").first())
    if demo_admin is not None:
        return demo_admin
    username = f"{APPROVER_PREFIX}{organisation.code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    rng = random.Random(f"{SEED}-{username}")
    last, first, patronymic = full_name(rng, female=rng.random() < 0.85, birth_year=rng.randint(1965, 1985)).split()
    user = User(username=username, role=Role.SCHOOL_ADMIN, last_name=last, first_name=first, patronymic=patronymic,
                position="Заместитель директора по учебно-воспитательной работе",
                district_id=organisation.district_id, organisation=organisation)
    user.set_unusable_password()
    user.save()
    return user


def _approve(campaign: DiagnosticCampaign, rng: random.Random, stats: KirovskyDiagnosticsStats) -> list:
    """The administrators of APPROVING_SHARE of the organisations approve APPROVED_SHARE of their routes."""
    origins = list(RouteOrigin.objects.filter(invitation__campaign=campaign)
                   .select_related("route", "route__teacher__organisation").order_by("route__teacher__organisation__code",
                                                                                     "pk"))
    organisations = sorted({o.route.teacher.organisation for o in origins}, key=lambda o: o.code)
    approving = set(rng.sample(organisations, round(len(organisations) * APPROVING_SHARE)))
    # a school with a demo administrator who logs in (admin_ou_kirov) always has approvals to show
    with_demo_admin = set(User.objects.filter(role=Role.SCHOOL_ADMIN, organisation__in=organisations)
                          .exclude(username__startswith=APPROVER_PREFIX).values_list("organisation_id", flat=True))
    approving |= {organisation for organisation in organisations if organisation.pk in with_demo_admin}
    approved, approvers = [], {}
    for origin in origins:
        organisation = origin.route.teacher.organisation
        if organisation not in approving or rng.random() >= APPROVED_SHARE:
            continue
        if organisation.pk not in approvers:
            approvers[organisation.pk] = _approver(organisation)
        approve_route(origin.route, user=approvers[organisation.pk])
        origin.approved_at = origin.proposed_at + dt.timedelta(days=rng.randint(3, 21), hours=rng.randint(0, 6))
        approved.append(origin)
        stats.created["утверждено ИОМ"] += 1
    RouteOrigin.objects.bulk_update(approved, ["approved_at"], batch_size=500)
    return approved


def _course_day(rng: random.Random, after: dt.date, until: dt.date) -> dt.date:
    until = min(until, timezone.localdate())
    return after + dt.timedelta(days=rng.randint(0, max((until - after).days, 0)))


def _complete(spec: CampaignSpec, approved: list[RouteOrigin], rng: random.Random,
              stats: KirovskyDiagnosticsStats) -> None:
    """Completed routes: every course recorded in the registry between the approval and 20 December (the signal
    closes the course steps), the other steps done by the route's end. Started ones: the first course only,
    some time in the academic year."""
    year_end = dt.date(spec.year, 12, 20)
    numbers = iter(range(1, 1_000_000))
    for origin in approved:
        draw = rng.random()
        if draw >= spec.completed + spec.started:
            continue
        route = origin.route
        steps = list(route.steps.order_by("position", "pk"))
        courses = [s for s in steps if s.kind == StepKind.COURSE and s.training_program_id]
        approved_on = timezone.localdate(origin.approved_at)
        if draw < spec.completed:
            for program_id in dict.fromkeys(s.training_program_id for s in courses):
                _record_course(route.teacher_id, program_id, _course_day(rng, approved_on, year_end), spec, numbers)
            for step in route.steps.exclude(status__in=(StepStatus.DONE, StepStatus.CANCELLED)).order_by("position"):
                step.status = StepStatus.DONE
                step.completed_on = _course_day(rng, approved_on, route.ends_on)
                save_step(step)
            stats.created["выполнено ИОМ"] += 1
        elif courses:
            _record_course(route.teacher_id, courses[0].training_program_id,
                           _course_day(rng, approved_on, route.ends_on), spec, numbers)
        else:
            steps[0].status = StepStatus.IN_PROGRESS
            save_step(steps[0])


def _record_course(teacher_id: int, program_id: int, day: dt.date, spec: CampaignSpec, numbers) -> None:
    """A course completion as the training registry records it (post_save → diagnostics closes the steps)."""
    if TrainingCompletion.objects.filter(teacher_id=teacher_id, program_id=program_id, completed_on=day).exists():
        return
    TrainingCompletion.objects.create(
        teacher_id=teacher_id, program_id=program_id, completed_on=day, based_on_diagnostics=True,
        certificate_number=f"{CERTIFICATE_PREFIX}{spec.year % 100:02d}-Д{next(numbers):05d}")
