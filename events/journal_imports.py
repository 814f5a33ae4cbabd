"""XLSX import of the consultations log and of teachers' achievements (docs/domain.md, «Import templates»).

Both reuse the registry's engine (clusters/imports.py) for reading the first sheet, mapping the Russian header and
parsing cells, and its grouped errors (clusters.imports.group_errors). Unlike the registry's kinds they only add
records: a row that is already in the journal is an error, so the same file is never loaded twice. All or
nothing — one wrong row and nothing is written.

Consultations: one row per teacher. Rows of a thematic consultation with the same date, topic and consultant
become one consultation with all their teachers; every row of an individual consultation is one consultation.
The consultant is a methodist of the district when the cell reads as one's name («Иванова А.П.» or «Иванова Анна
Петровна»), otherwise the name is kept as typed.
"""
from __future__ import annotations

import datetime
import re
from collections import defaultdict
from typing import Any

from django.db import transaction

from clusters.imports import CellError, Column, ParsedRow, RowImport, normalise_label, parse_int
from clusters.models import ActivityLevel, Organisation, Teacher
from core import xlsx
from core.permissions import can

from .models import (
    Achievement,
    AchievementKind,
    CompetitionResult,
    Consultation,
    ConsultationKind,
)
from .services import journal

_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = xlsx.cell_to_text(value)
    match = _DATE.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise CellError(f"ожидается дата вида 17.12.2021, а не «{text}»")


def _key(text: str) -> str:
    return normalise_label(text)


class _JournalImport(RowImport):
    """Adds records only; the hooks below replace the registry's update-or-create plan."""

    key = ()
    organisation_column = "organisation"

    def key_of(self, row):  # duplicates are checked by each kind with its own wording
        return None

    def _organisations(self) -> tuple[dict[str, Organisation], set[str]]:
        """The district's organisations by code and by short name; short names two organisations share."""
        by_key: dict[str, Organisation] = {}
        shared: set[str] = set()
        for organisation in Organisation.objects.filter(district=self.district):
            by_key[_key(organisation.code)] = organisation
            short = _key(organisation.short_name)
            if short in by_key and by_key[short].pk != organisation.pk and short != _key(by_key[short].code):
                shared.add(short)
            by_key.setdefault(short, organisation)
        return by_key, shared

    def _resolve_teacher(self, row: ParsedRow, name_column: str, organisation_column: str) -> Teacher | None:
        raw_org = row.values.get(organisation_column)
        raw_name = row.values.get(name_column)
        if raw_org is None or raw_name is None:
            return None
        organisation = self.organisations.get(_key(raw_org))
        if _key(raw_org) in self.shared_names:
            row.add_error(organisation_column, f"краткое название «{raw_org}» носят несколько организаций — "
                                               "укажите код организации")
            return None
        if organisation is None:
            self.organisation_not_found(row, raw_org, f"организация «{raw_org}» не найдена в вашем районе (укажите "
                                                      "код или краткое название)")
            return None
        if self.own_organisation_id and organisation.pk != self.own_organisation_id:
            row.add_error(organisation_column, "можно вносить достижения только педагогов своей организации")
            return None
        found = self.teachers.get((organisation.pk, _key(raw_name)), [])
        if not found:
            row.add_error(name_column, f"педагог «{raw_name}» не найден в организации «{organisation.short_name}»")
            return None
        if len(found) > 1:
            row.add_error(name_column, f"в организации «{organisation.short_name}» несколько педагогов «{raw_name}» "
                                       "— внесите эту запись вручную")
            return None
        return found[0]

    def _load_teachers(self) -> None:
        self.organisations, self.shared_names = self._organisations()
        self.teachers: dict[tuple[int, str], list[Teacher]] = defaultdict(list)
        for teacher in Teacher.objects.filter(organisation__district=self.district).only("id", "full_name",
                                                                                          "organisation_id"):
            self.teachers[(teacher.organisation_id, _key(teacher.full_name))].append(teacher)

    own_organisation_id: int | None = None

    def _validate_and_apply(self, rows: list[ParsedRow]) -> None:
        self._load_teachers()
        plan = self.plan(rows)
        self._collect_row_errors(rows)
        if self.result.errors:
            self._sort_errors()
            return
        with transaction.atomic():
            self.write(plan)

    def plan(self, rows: list[ParsedRow]):
        raise NotImplementedError

    def write(self, plan) -> None:
        raise NotImplementedError


class ConsultationImport(_JournalImport):
    kind = "consultations"
    title = "Журнал консультаций"
    model = Consultation
    filename_prefix = "consultations"
    sheet_title = "Консультации"
    capability = journal.JOURNAL
    columns = (
        Column("Дата", "held_on", parse=parse_date, width=12, hint="например, 17.12.2021"),
        Column("Вид", "kind", choices=ConsultationKind, width=16, hint="индивидуальная или тематическая"),
        Column("Тема", "topic", width=40),
        Column("Консультант", "consultant", width=24, model_field=False,
               hint="методист района («Иванова А.П.») или ФИО консультанта"),
        Column("Педагог (ФИО)", "teacher_name", width=32, model_field=False,
               hint="одна строка — один педагог; строки тематической консультации с той же датой, темой и "
                    "консультантом — одна консультация"),
        Column("Организация (код или краткое название)", "organisation", width=24, model_field=False),
    )

    def _methodists(self) -> dict[str, int]:
        names: dict[str, int] = {}
        for user in journal.district_methodists(self.district.pk):
            for spelled in (user.display_name, user.get_full_name(),
                            " ".join(p for p in (user.last_name, user.first_name, user.patronymic) if p)):
                if spelled:
                    names.setdefault(_key(spelled), user.pk)
        return names

    def plan(self, rows):
        methodists = self._methodists()
        dates = {row.values["held_on"] for row in rows if "held_on" in row.values}
        existing = set()
        for held_on, kind, topic, methodist_id, name, teacher_id in Consultation.teachers.through.objects.filter(
                consultation__district=self.district, consultation__held_on__in=dates).values_list(
                "consultation__held_on", "consultation__kind", "consultation__topic", "consultation__methodist_id",
                "consultation__methodist_name", "teacher_id"):
            existing.add((held_on, kind, _key(topic), methodist_id or _key(name), teacher_id))
        groups: dict[tuple, dict] = {}
        seen: dict[tuple, int] = {}
        for row in rows:
            teacher = self._resolve_teacher(row, "teacher_name", "organisation")
            if row.errors or teacher is None:
                continue
            values = row.values
            methodist_id = methodists.get(_key(values["consultant"]))
            consultant = methodist_id or _key(values["consultant"])
            key = (values["held_on"], values["kind"], _key(values["topic"]), consultant)
            if key + (teacher.pk,) in existing:
                row.add_error("teacher_name", "эта консультация педагога уже есть в журнале")
                continue
            if key + (teacher.pk,) in seen:
                row.add_error("teacher_name", f"повтор: тот же педагог на той же консультации уже в строке "
                                              f"{seen[key + (teacher.pk,)]}")
                continue
            seen[key + (teacher.pk,)] = row.number
            group_key = key if values["kind"] == ConsultationKind.THEMATIC else (*key, teacher.pk)
            group = groups.setdefault(group_key, {"consultation": Consultation(
                district=self.district, kind=values["kind"], topic=values["topic"].strip(), held_on=values["held_on"],
                methodist_id=methodist_id, methodist_name="" if methodist_id else values["consultant"].strip(),
            ), "teachers": []})
            group["teachers"].append(teacher)
        return list(groups.values())

    def write(self, plan) -> None:
        for group in plan:  # one organisation for all the teachers → the consultation's organisation
            organisations = {t.organisation_id for t in group["teachers"]}
            if len(organisations) == 1:
                group["consultation"].organisation_id = organisations.pop()
        consultations = Consultation.objects.bulk_create([g["consultation"] for g in plan])
        Through = Consultation.teachers.through
        Through.objects.bulk_create([Through(consultation_id=c.pk, teacher_id=t.pk)
                                     for c, g in zip(consultations, plan, strict=True) for t in g["teachers"]])
        self.result.created = len(consultations)


LEVEL_HINT = ", ".join(str(label) for label in ActivityLevel.labels)


class AchievementImport(_JournalImport):
    kind = "achievements"
    title = "Достижения педагогов"
    model = Achievement
    filename_prefix = "achievements"
    sheet_title = "Достижения"
    capability = journal.JOURNAL
    columns = (
        Column("ФИО педагога", "teacher_name", width=32, model_field=False),
        Column("Организация", "organisation", width=24, model_field=False, hint="код или краткое название"),
        Column("Вид (публикация/конкурс)", "kind", choices=AchievementKind, width=14),
        Column("Название", "title", width=40),
        Column("Где", "venue", required=False, width=30, hint="издание или организатор конкурса"),
        Column("Год", "year", parse=parse_int(min_value=1990, max_value=2100), width=8),
        Column("Уровень", "level", choices=ActivityLevel, required=False, width=12, hint=LEVEL_HINT),
        Column("Результат", "result", choices=CompetitionResult, required=False, width=14,
               hint="для конкурса: участник, призёр или победитель; у публикации пусто"),
    )

    def __init__(self, *, user):
        super().__init__(user=user)
        if can(user, journal.SCHOOL_JOURNAL):  # a school administrator: own organisation's teachers only
            self.capability = journal.SCHOOL_JOURNAL
            self.own_organisation_id = user.organisation_id

    def plan(self, rows):
        years = {row.values["year"] for row in rows if "year" in row.values}
        existing = {(teacher_id, kind, _key(title), year) for teacher_id, kind, title, year in
                    Achievement.objects.filter(teacher__organisation__district=self.district, year__in=years)
                    .values_list("teacher_id", "kind", "title", "year")}
        seen: dict[tuple, int] = {}
        new = []
        for row in rows:
            teacher = self._resolve_teacher(row, "teacher_name", "organisation")
            values = row.values
            kind, result = values.get("kind"), values.get("result", "")
            if kind == AchievementKind.COMPETITION and not result and "result" not in row.failed:
                row.add_error("result", "у конкурса укажите результат: участник, призёр или победитель")
            if kind == AchievementKind.PUBLICATION and result:
                row.add_error("result", "у публикации результата нет — оставьте ячейку пустой")
            if row.errors or teacher is None:
                continue
            key = (teacher.pk, kind, _key(values["title"]), values["year"])
            if key in existing:
                row.add_error("title", "это достижение педагога уже есть в журнале")
                continue
            if key in seen:
                row.add_error("title", f"повтор: то же достижение педагога уже в строке {seen[key]}")
                continue
            seen[key] = row.number
            new.append(Achievement(teacher=teacher, kind=kind, title=values["title"].strip(),
                                   venue=values.get("venue", ""), year=values["year"],
                                   level=values.get("level", ""), result=result))
        return new

    def write(self, plan) -> None:
        Achievement.objects.bulk_create(plan)
        self.result.created = len(plan)
