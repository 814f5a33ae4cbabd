"""Read side of the annual plan: which events a user may see, the plan of a year with its filters, the forms a
district may choose from, the month grid.

Scope (docs: issue 13): methodists, the director and observers read their district's plan; a school
administrator reads their district's plan too (their own teachers are another area's concern).
"""
from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from clusters.models import DistrictEventForm, Event, EventForm, EventStatus, Organisation
from core.permissions import can

VIEW, PLAN = "events.view", "events.plan"
CUSTOM_PREFIX = "custom:"  # a district's own form in a choice value: "custom:<pk>"

MONTHS = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь",
          "Ноябрь", "Декабрь")
WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")

ORGANISER_KINDS = (
    ("imc", "ИМЦ"),
    ("community", "сообщество"),
    ("cluster", "кластер"),
    ("organisation", "организация"),
)


def events_for_user(user) -> QuerySet[Event]:
    """Events of the user's district for whoever holds events.view; nothing for anybody else."""
    if not can(user, VIEW) or not getattr(user, "district_id", None):
        return Event.objects.none()
    return (Event.objects.filter(district_id=user.district_id)
            .select_related("custom_form", "cluster", "community", "district")
            .prefetch_related(Prefetch("organisers", queryset=Organisation.objects.order_by("short_name"))))


def district_forms(district_id) -> QuerySet[DistrictEventForm]:
    return DistrictEventForm.objects.filter(district_id=district_id).order_by("name")


def district_forms_with_use(district_id) -> QuerySet[DistrictEventForm]:
    """The district's own forms with how many events use each (the forms page)."""
    return district_forms(district_id).annotate(event_count=Count("events"))


def form_choices(district_id) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices: the shipped forms, then the district's own ("custom:<pk>")."""
    shipped = [(value, str(label)) for value, label in EventForm.choices]
    groups = [("Формы портала", shipped)]
    own = [(f"{CUSTOM_PREFIX}{f.pk}", f.name) for f in district_forms(district_id)]
    if own:
        groups.append(("Формы района", own))
    return groups


@dataclass(frozen=True)
class PlanFilters:
    form: str = ""  # a shipped form value or "custom:<pk>"
    status: str = ""
    organiser: str = ""  # one of ORGANISER_KINDS

    def apply(self, qs: QuerySet[Event]) -> QuerySet[Event]:
        if self.form.startswith(CUSTOM_PREFIX):
            raw = self.form[len(CUSTOM_PREFIX):]
            qs = qs.filter(custom_form_id=int(raw)) if raw.isdigit() else qs.none()
        elif self.form:
            # A shipped form means the shipped one only: «другое» with a district's name is that name.
            qs = qs.filter(form=self.form, custom_form__isnull=True)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.organiser == "imc":
            qs = qs.filter(organised_by_imc=True)
        elif self.organiser == "community":
            qs = qs.filter(community__isnull=False)
        elif self.organiser == "cluster":
            qs = qs.filter(cluster__isnull=False)
        elif self.organiser == "organisation":
            qs = qs.filter(Q(organisers__isnull=False)).distinct()
        return qs

    @classmethod
    def from_query(cls, query, district_id) -> tuple[PlanFilters, list[str]]:
        """Filters from the query string; an unknown value is dropped with a Russian note (never a 500)."""
        notes = []
        form = (query.get("form") or "").strip()
        allowed_forms = {value for _, group in form_choices(district_id) for value, _ in group}
        if form and form not in allowed_forms:
            notes.append("Такой формы мероприятия нет — фильтр по форме не применён.")
            form = ""
        status = (query.get("status") or "").strip()
        if status and status not in EventStatus.values:
            notes.append("Такого статуса нет — фильтр по статусу не применён.")
            status = ""
        organiser = (query.get("organiser") or "").strip()
        if organiser and organiser not in dict(ORGANISER_KINDS):
            notes.append("Такого вида организатора нет — фильтр по организатору не применён.")
            organiser = ""
        return cls(form=form, status=status, organiser=organiser), notes


def plan_events(user, year: int, filters: PlanFilters | None = None) -> list[Event]:
    """The year's events in the plan's order: date, start time (untimed last in the day), title."""
    qs = events_for_user(user).filter(held_on__year=year)
    if filters is not None:
        qs = filters.apply(qs)
    events = list(qs)
    events.sort(key=lambda e: (e.held_on, e.starts_at is None, e.starts_at or datetime.time(0), e.title))
    return events


def organiser_names(event: Event) -> list[str]:
    """Who organises, as the plan prints it: the ИМЦ, the community, the cluster, the organisations
    (organisers must be prefetched)."""
    names = ["ИМЦ"] if event.organised_by_imc else []
    if event.community_id:
        names.append(event.community.name)
    if event.cluster_id:
        names.append(event.cluster.name)
    names.extend(o.short_name for o in event.organisers.all())
    return names


@dataclass
class PlanMonth:
    number: int
    name: str
    events: list[Event] = field(default_factory=list)


def by_month(events: list[Event]) -> list[PlanMonth]:
    """Months that have events, in order (the list view and the PDF)."""
    months: dict[int, PlanMonth] = {}
    for event in events:
        month = event.held_on.month
        months.setdefault(month, PlanMonth(month, MONTHS[month - 1])).events.append(event)
    return [months[m] for m in sorted(months)]


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    events: list[Event]


def month_grid(events: list[Event], year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month; days of the neighbouring months are shown empty."""
    on_day: dict[datetime.date, list[Event]] = {}
    for event in events:
        on_day.setdefault(event.held_on, []).append(event)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[CalendarDay(d, d.month == month, on_day.get(d, []) if d.month == month else []) for d in week]
            for week in weeks]
