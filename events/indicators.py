"""Indicators of the year's events as registered calculations (issue 13, item 6), put into monitoring's registry
when the events app loads (EventsConfig.ready imports this module; monitoring never imports events).
docs/domain.md, «Мероприятия: показатели», gives the same definitions with a hand example.

Year Y is the period's year (its end); «in the period» is starts_on ≤ date ≤ ends_on. The population of the
shares is the district's active teachers (monitoring's "working_teachers"), so the four shares are counted
together, three aggregate queries for all of them (monitoring.computations.teacher_shares_by_scope).

events_attended_share              active teachers with an attendance at a held event dated in the period / active
events_consultations_share         active teachers in at least one consultation dated in the period / active
events_competition_share           active teachers with a competition achievement of year Y / active
events_competition_winners_share   … with the result «призёр» or «победитель» / active
events_count                       (count; parameters «form», «level», both optional) held events of the district
                                   in the period of that form and level / all held events of the district in the
                                   period (so «3 из 12» reads «3 seminars of the 12 events»); the fact is the
                                   numerator. Scopes: the district, each cluster of Y (events of that cluster) and
                                   each organisation (events it organised).

events_by_form(district_id, starts_on, ends_on) — the справка's table: per form, held events and their
participants (teachers and external people present, pupils as typed), aggregated in the database.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from clusters.models import ActivityLevel, DistrictEventForm, Event, EventForm, EventStatus
from monitoring.calculations import ScopeResult
from monitoring.computations import Choice, Parameter, ParameterSchema, register, register_teacher_share
from monitoring.models import Period, ScopeKind

from .models import Achievement, AchievementKind, Attendance, CompetitionResult, Consultation

ATTENDED = "events_attended_share"
CONSULTATIONS = "events_consultations_share"
COMPETITION = "events_competition_share"
COMPETITION_WINNERS = "events_competition_winners_share"
COUNT = "events_count"


def _in_period(period: Period, field: str) -> dict:
    return {f"{field}__gte": period.starts_on, f"{field}__lte": period.ends_on}


def attended(period: Period) -> Q:
    # Any held event counts, the district's own or another's (a regional seminar its teachers went to).
    return Q(Exists(Attendance.objects.filter(teacher_id=OuterRef("pk"), event__status=EventStatus.HELD,
                                              **_in_period(period, "event__held_on"))))


def consulted(period: Period) -> Q:
    return Q(Exists(Consultation.teachers.through.objects.filter(
        teacher_id=OuterRef("pk"), **_in_period(period, "consultation__held_on"))))


def competed(period: Period, *results: str) -> Q:
    achievements = Achievement.objects.filter(teacher_id=OuterRef("pk"), kind=AchievementKind.COMPETITION,
                                              year=period.year)
    if results:
        achievements = achievements.filter(result__in=results)
    return Q(Exists(achievements))


register_teacher_share(ATTENDED, "Доля педагогов, посетивших хотя бы одно мероприятие", "working_teachers", attended)
register_teacher_share(CONSULTATIONS, "Доля педагогов, посетивших индивидуальные и тематические консультации",
                       "working_teachers", consulted)
register_teacher_share(COMPETITION, "Доля педагогов — участников профессиональных конкурсов", "working_teachers",
                       competed)
register_teacher_share(COMPETITION_WINNERS, "Доля педагогов — победителей и призёров профессиональных конкурсов",
                       "working_teachers",
                       lambda period: competed(period, CompetitionResult.PRIZE, CompetitionResult.WINNER))


# --- events_count ------------------------------------------------------------------------------------------

def form_choices(district_id: int) -> list[Choice]:
    """The shipped forms by code, then the district's own forms by name (as events_count reads them)."""
    shipped = [Choice(code, str(label)) for code, label in EventForm.choices]
    own = [Choice(name, name, group="Формы района")
           for name in DistrictEventForm.objects.filter(district_id=district_id).order_by("name")
           .values_list("name", flat=True)]
    return shipped + own


def level_choices(district_id: int) -> list[Choice]:
    return [Choice(code, str(label)) for code, label in ActivityLevel.choices]


COUNT_PARAMETERS = ParameterSchema(
    fields=(Parameter("form", required=False, label="Форма мероприятия", choices=form_choices,
                      blank_label="— все формы —", shape="код формы в кавычках, например \"seminar\"."),
            Parameter("level", required=False, label="Уровень", choices=level_choices, blank_label="— все уровни —",
                      shape="код уровня в кавычках, например \"region\".")),
    example='{"form": "seminar", "level": "district"}',
    note="без параметров — все проведённые мероприятия; «form» — код формы (или название формы района), "
         "«level» — " + ", ".join(f"{code} ({label})" for code, label in ActivityLevel.choices),
)


@dataclass(frozen=True)
class CountResult(ScopeResult):
    """A fact that is a count (the numerator); the denominator is all held events of the scope."""

    @property
    def fact(self) -> Decimal | None:
        return Decimal(self.numerator)


def _count_problems(parameters: dict, district_id: int) -> list[str]:
    problems = []
    form = parameters.get("form")
    if form and form not in EventForm.values and not DistrictEventForm.objects.filter(
            district_id=district_id, name=form).exists():
        codes = ", ".join(EventForm.values)
        problems.append(f"Формы мероприятия «{form}» нет. Коды форм: {codes} (или название формы района).")
    level = parameters.get("level")
    if level and level not in ActivityLevel.values:
        problems.append(f"Уровня «{level}» нет. Коды уровней: {', '.join(ActivityLevel.values)}.")
    return problems


def _chosen(parameters: dict) -> Q:
    condition = Q()
    form = parameters.get("form")
    if form:  # a shipped form by its code, a district's own one by its name
        condition &= Q(form=form, custom_form__isnull=True) if form in EventForm.values else Q(custom_form__name=form)
    if parameters.get("level"):
        condition &= Q(level=parameters["level"])
    return condition


@register(COUNT, "Количество проведённых мероприятий (по форме и уровню)", parameters=COUNT_PARAMETERS,
          validate=_count_problems)
def events_count(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    held = Event.objects.filter(district_id=district_id, status=EventStatus.HELD, **_in_period(period, "held_on"))
    counts = {"num": Count("pk", filter=_chosen(parameters), distinct=True), "den": Count("pk", distinct=True)}
    total = held.aggregate(**counts)
    results = [CountResult(ScopeKind.DISTRICT, total["num"], total["den"])]
    results += [CountResult(ScopeKind.CLUSTER, row["num"], row["den"], cluster_id=row["cluster_id"])
                for row in held.filter(cluster__year=period.year).values("cluster_id").annotate(**counts).order_by()]
    results += [CountResult(ScopeKind.ORGANISATION, row["num"], row["den"], organisation_id=row["organisers"])
                for row in held.filter(organisers__isnull=False).values("organisers").annotate(**counts).order_by()]
    return results


# --- the справка's table -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormRow:
    form: str  # the form as printed
    events: int
    teachers: int
    external: int
    pupils: int

    @property
    def participants(self) -> int:
        return self.teachers + self.external + self.pupils


def events_by_form(district_id: int, starts_on: datetime.date, ends_on: datetime.date) -> list[FormRow]:
    """Held events of the district between the dates by form: events, teachers and external people present,
    pupils (typed on the event). Counts come from subqueries per event, summed by form in one query."""
    def present(**condition):
        return Coalesce(Subquery(
            Attendance.objects.filter(event_id=OuterRef("pk"), **condition).order_by()
            .values("event_id").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))

    rows = (Event.objects.filter(district_id=district_id, status=EventStatus.HELD, held_on__gte=starts_on,
                                 held_on__lte=ends_on)
            .annotate(teachers_n=present(teacher__isnull=False), external_n=present(teacher__isnull=True))
            .values("form", "custom_form__name")
            .annotate(events=Count("pk"), teachers=Sum("teachers_n"), external=Sum("external_n"),
                      pupils=Sum("pupils_count"))
            .order_by())
    labels = dict(EventForm.choices)
    out = [FormRow(row["custom_form__name"] or str(labels.get(row["form"], row["form"])), row["events"],
                   row["teachers"] or 0, row["external"] or 0, row["pupils"] or 0) for row in rows]
    return sorted(out, key=lambda r: (-r.events, r.form))
