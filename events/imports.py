"""XLSX import of the annual plan (docs/domain.md, «Импорт плана мероприятий»).

Built on the registry's declarative engine (clusters/imports.py): header matching (case, spaces and «ё» do
not matter, extra columns ignored), all or nothing, «строка N, столбец «X»: …» errors grouped on the page.

A row is an event of the user's district identified by (Дата, Мероприятие): re-importing a file changes
nothing, a changed cell updates the event, the same key twice in one file is refused. An imported event is
«запланировано»; an existing event keeps its status.

Cells:
* «Форма» — a shipped form (семинар, мастер-класс …) or one of the district's own, by name, case ignored.
* «Организатор» — empty or «ИМЦ» for the ИМЦ; otherwise names separated by «;»: «ИМЦ», an organisation's
  code or short name, a community's name, a cluster's name (a cluster of the event's year), all of the
  user's district. Without «ИМЦ» in a filled cell the ИМЦ is not an organiser.
* «Время начала» / «Время окончания» — «10:00» or «10.00» or a time cell; the end after the start.
* «Ссылка» — https:// only; «Мест» ≥ 1; «Часов» 1–72; both may be empty.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any

from clusters.imports import CellError, Column, ImportResult, ParsedRow, RowImport, normalise_label, parse_int
from clusters.models import (
    ActivityLevel,
    Cluster,
    Community,
    DistrictEventForm,
    Event,
    EventForm,
    Organisation,
)
from core import xlsx

CAPABILITY = "events.plan"
MIN_YEAR, MAX_YEAR = 2000, 2100
_DATE_TEXT = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME_TEXT = re.compile(r"(\d{1,2})[:.](\d{2})(?::\d{2})?")
IMC = normalise_label("ИМЦ")


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = xlsx.cell_to_text(value)
        match = _DATE_TEXT.fullmatch(text) or _ISO_DATE.fullmatch(text)
        if match is None:
            raise CellError(f"ожидается дата в виде 17.03.2021, а не «{text}»")
        parts = [int(p) for p in match.groups()]
        day_, month, year = parts if match.re is _DATE_TEXT else reversed(parts)
        try:
            day = datetime.date(year, month, day_)
        except ValueError:
            raise CellError(f"такой даты нет: «{text}»") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CellError(f"год {day.year} вне допустимого диапазона {MIN_YEAR}–{MAX_YEAR}")
    return day


def parse_time(value: Any) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # a time typed into a number cell: a fraction of a day
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60 % 24, minutes % 60)
    text = xlsx.cell_to_text(value)
    match = _TIME_TEXT.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise CellError(f"ожидается время в виде 10:00, а не «{text}»")
    return datetime.time(int(match[1]), int(match[2]))


def parse_https(value: Any) -> str:
    text = xlsx.cell_to_text(value)
    if not text.lower().startswith("https://"):
        raise CellError("ссылка должна начинаться с https://")
    return text


def _names(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


@dataclasses.dataclass
class PlanImportResult(ImportResult):
    years: list[int] = dataclasses.field(default_factory=list)  # of the rows written (the page to open)


class PlanImport(RowImport):
    kind = "events_plan"
    title = "План мероприятий"
    model = Event
    filename_prefix = "events_plan"
    sheet_title = "План"
    capability = CAPABILITY
    columns = (
        Column("Дата", "held_on", parse=parse_date, width=12, hint="например, 17.03.2021"),
        Column("Время начала", "starts_at", parse=parse_time, required=False, empty=None, width=10, text=True,
               hint="например, 15:00; можно оставить пустым"),
        Column("Время окончания", "ends_at", parse=parse_time, required=False, empty=None, width=10, text=True,
               hint="позже времени начала"),
        Column("Мероприятие", "title", width=48),
        Column("Форма", "form_name", model_field=False, width=24,
               hint="форма портала (семинар, мастер-класс …) или форма района"),
        Column("Уровень", "level", required=False, empty=ActivityLevel.DISTRICT, choices=ActivityLevel, width=10,
               hint="ОУ, район, город, регион, РФ; пусто — район"),
        Column("Организатор", "organiser", model_field=False, required=False, width=32,
               hint="ИМЦ и/или код или краткое наименование организации, сообщество, кластер — через «;»; "
                    "пусто — ИМЦ"),
        Column("Аудитория", "audience", required=False, width=28),
        Column("Место", "place", required=False, width=32),
        Column("Ссылка", "online_url", parse=parse_https, required=False, width=28, hint="только https://"),
        Column("Мест", "capacity", parse=parse_int(min_value=1, max_value=100_000), required=False, empty=None,
               width=8, hint="не меньше 1; пусто — без ограничения"),
        Column("Часов", "hours", parse=parse_int(min_value=1, max_value=72), required=False, empty=None, width=8,
               hint="1–72; для сертификатов о повышении квалификации"),
    )
    key = ("held_on", "title")
    related_fields = ("district", "custom_form", "cluster", "community")
    field_columns = {"form": "form_name", "custom_form": "form_name", "cluster": "organiser",
                     "community": "organiser"}

    def __init__(self, *, user):
        super().__init__(user=user)
        self.result = PlanImportResult(kind=self.kind, title=self.title)
        self.organisers_of: dict[int, list[int]] = {}  # id(event) → organisation pks from the file

    def key_of(self, row):
        key = super().key_of(row)
        return None if key is None else (key[0], normalise_label(key[1]))

    # --- references, one query per kind ---

    def prefetch(self, rows: list[ParsedRow]) -> None:
        district = self.district
        self.forms: dict[str, tuple[str, DistrictEventForm | None]] = {
            normalise_label(label): (value, None) for value, label in EventForm.choices}
        own = list(DistrictEventForm.objects.filter(district=district))
        self.forms.update({normalise_label(f.name): (EventForm.OTHER, f) for f in own})
        self.allowed_forms = ", ".join([str(label) for label in EventForm.labels] + [f.name for f in own])
        organisations = list(Organisation.objects.filter(district=district))
        self.organisations = {normalise_label(o.short_name): o.pk for o in organisations}
        self.organisations.update({normalise_label(o.code): o.pk for o in organisations})
        self.communities = {normalise_label(c.name): c.pk for c in Community.objects.filter(district=district)}
        self.clusters = {(c.year, normalise_label(c.name)): c.pk for c in Cluster.objects.filter(district=district)}
        # The events of the file's dates, matched by title in Python (SQLite's iexact ignores Cyrillic case).
        dates = {row.values["held_on"] for row in rows if "held_on" in row.values}
        existing = Event.objects.filter(district=district, held_on__in=dates).prefetch_related("organisers")
        self.existing = {(e.held_on, normalise_label(e.title)): e for e in existing}

    def resolve(self, row: ParsedRow) -> Event:
        values = row.values
        event = None
        if "held_on" in values and "title" in values:
            event = self.existing.get((values["held_on"], normalise_label(values["title"])))
        if event is None:
            event = Event(district=self.district)
        event.import_values = {}  # what the row says about the fields outside the engine's columns
        name = values.get("form_name")
        if name is not None:
            found = self.forms.get(normalise_label(name))
            if found is None:
                row.add_error("form_name", f"форма «{name}» не найдена; допустимо: {self.allowed_forms}")
            else:
                event.import_values["form"] = found[0]
                event.import_values["custom_form_id"] = found[1].pk if found[1] else None
        if "organiser" in values:
            self._resolve_organisers(row, event)
        starts, ends = values.get("starts_at"), values.get("ends_at")
        if ends is not None and starts is None and "starts_at" not in row.failed:
            row.add_error("starts_at", "укажите время начала, если указано время окончания")
        elif starts is not None and ends is not None and ends <= starts:
            row.add_error("ends_at", "время окончания должно быть позже времени начала")
        return event

    def _resolve_organisers(self, row: ParsedRow, event: Event) -> None:
        text = row.values["organiser"]
        names = _names(text)
        found = {"organised_by_imc": not names, "community_id": None, "cluster_id": None}
        organisations: list[int] = []
        year = row.values.get("held_on").year if "held_on" in row.values else None
        for name in names:
            key = normalise_label(name)
            if key == IMC:
                found["organised_by_imc"] = True
            elif key in self.organisations:
                organisations.append(self.organisations[key])
            elif key in self.communities:
                if found["community_id"] not in (None, self.communities[key]):
                    row.add_error("organiser", "сообщество-организатор может быть только одно")
                found["community_id"] = self.communities[key]
            elif year is not None and (year, key) in self.clusters:
                if found["cluster_id"] not in (None, self.clusters[(year, key)]):
                    row.add_error("organiser", "кластер-организатор может быть только один")
                found["cluster_id"] = self.clusters[(year, key)]
            else:
                row.add_error("organiser", f"организатор «{name}» не найден в вашем районе: укажите ИМЦ, код или "
                                           "краткое наименование организации, название сообщества или кластера "
                                           "года мероприятия")
        event.import_values.update(found)
        self.organisers_of[id(event)] = sorted(set(organisations))

    # --- assigning and writing ---

    def _assign(self, instance: Event, row: ParsedRow, *, is_new: bool) -> set[str]:
        changed = super()._assign(instance, row, is_new=is_new)
        for name, value in getattr(instance, "import_values", {}).items():
            if is_new or getattr(instance, name) != value:
                setattr(instance, name, value)
                changed.add(name.removesuffix("_id"))
        wanted = self.organisers_of.get(id(instance))
        if wanted is not None and not is_new:
            current = sorted(o.pk for o in instance.organisers.all())
            if current != wanted:
                # Only the M2M differs: name a real field so the engine counts the event as changed.
                changed.add("organised_by_imc")
        return changed

    def _full_clean(self, instance: Event, row: ParsedRow) -> None:
        if "form_name" in row.failed:
            row.failed.add("form")  # the unknown form was reported once, in its column
        super()._full_clean(instance, row)

    def _write(self, plan) -> None:
        super()._write(plan)
        self.result.years = sorted({e.held_on.year for e in [*plan.new, *plan.changed]})
        through = Event.organisers.through
        touched = [e for e in [*plan.new, *plan.changed] if id(e) in self.organisers_of]
        if not touched:
            return
        through.objects.filter(event_id__in=[e.pk for e in touched if e in plan.changed]).delete()
        through.objects.bulk_create([through(event_id=e.pk, organisation_id=pk)
                                     for e in touched for pk in self.organisers_of[id(e)]])


def import_plan(*, user, file) -> ImportResult:
    return PlanImport(user=user).run(file)


def template_bytes() -> bytes:
    return PlanImport.template_bytes()
