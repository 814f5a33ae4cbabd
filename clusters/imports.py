"""XLSX import of the registry (docs/domain.md, «Import templates»): organisations, teachers, cluster memberships.

Each kind is declared once as a `RowImport` subclass: its columns (Russian header, parser,
whether required, how to export it), the columns that identify a row, and small hooks that look
up related objects. The shared engine then

1. reads the first sheet within limits (core/xlsx.py) and maps the header row to columns
   (case, extra spaces and «ё» do not matter; unknown columns are ignored);
2. parses every cell, checks duplicate keys inside the file, resolves references with one query
   per kind of object, and validates each object with the model's own `full_clean()`;
3. writes nothing if anything was wrong and returns every error as
   «строка N, столбец «X»: …» (the page groups those sharing a cause, core/import_errors.py, and a
   kind naming organisations adds «load organisations first» when most are unknown); otherwise
   creates and updates everything with bulk queries inside one transaction.

Re-importing a file changes nothing: rows are matched by stable keys and an object whose values
are already those of the file is counted as unchanged and not written.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from core import xlsx
from core.import_errors import GroupedErrorsMixin, grouped_lines, organisations_first
from core.permissions import can
from core.xlsx import RowError
from imc_portal.models import User

from .models import (
    MAX_YEAR,
    MIN_YEAR,
    Cluster,
    ClusterMembership,
    District,
    Organisation,
    OrganisationKind,
    QualificationCategory,
    Teacher,
    Tier,
)

IMPORT = "registry.import"  # the capability (core.permissions) an import needs


# --- results -----------------------------------------------------------------------------------


@dataclass
class ImportResult(GroupedErrorsMixin):
    """What an import did, or why it did nothing: `errors` one per bad cell, shown grouped by cause
    (core/import_errors.py) under `hint` — what to load first when the file's references are missing."""

    kind: str
    title: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    created_clusters: list[str] = field(default_factory=list)
    hint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        text = f"создано {self.created}, изменено {self.updated}, без изменений {self.unchanged}"
        if self.created_clusters:
            text += "; созданы новые кластеры: " + ", ".join(self.created_clusters)
        return text


def group_errors(errors: Iterable[RowError]) -> list[str]:
    """Row errors sharing column and message as one line each (core.import_errors.grouped_lines)."""
    return grouped_lines(errors)


# --- cell parsers ------------------------------------------------------------------------------


class CellError(Exception):
    """A cell's value cannot be used; the message says why, in Russian."""


def normalise_label(value: Any) -> str:
    return xlsx.normalise_header(value)


def parse_text(value: Any) -> str:
    return xlsx.cell_to_text(value)


_INTEGER = re.compile(r"[+-]?\d+")


def parse_int(*, min_value: int | None = None, max_value: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise CellError("ожидается целое число")
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise CellError(f"ожидается целое число, а не {xlsx.cell_to_text(value)}")
            number = int(value)
        elif isinstance(value, str):
            text = "".join(value.split())
            if text.endswith((".0", ",0")):
                text = text[:-2]
            if not _INTEGER.fullmatch(text):
                raise CellError(f"ожидается целое число, а не «{value.strip()}»")
            number = int(text)
        else:
            raise CellError(f"ожидается целое число, а не «{xlsx.cell_to_text(value)}»")
        if min_value is not None and max_value is not None and not min_value <= number <= max_value:
            raise CellError(f"число {number} вне допустимого диапазона {min_value}–{max_value}")
        return number

    return parse


def parse_choice(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[normalise_label(value)] = value
        lookup[normalise_label(label)] = value
    allowed = ", ".join(str(label) for label in choices.labels)

    def parse(value: Any) -> str:
        try:
            return lookup[normalise_label(value)]
        except KeyError:
            raise CellError(f"недопустимое значение «{xlsx.cell_to_text(value)}»; допустимо: {allowed}") from None

    return parse


_choice_parser = functools.cache(parse_choice)


@dataclass(frozen=True)
class Column:
    """One column of an import template (and of the matching export).

    `name` is the key of the parsed value; when `model_field` is true it is also the field of the
    imported model that receives it. A `required` column must be in the file and filled in every
    row; an optional column may be left out (the field is then not touched) or left empty
    (`empty` is stored).
    """

    header: str
    name: str
    parse: Callable[[Any], Any] = parse_text
    required: bool = True
    model_field: bool = True
    empty: Any = ""
    choices: type[models.TextChoices] | None = None
    export: str | Callable[[Any], Any] | None = None
    width: int = 20
    text: bool = False
    hint: str = ""  # shown next to the column on the import page

    def parse_cell(self, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise CellError("не заполнено")
            return self.empty
        if self.choices is not None:
            return _choice_parser(self.choices)(value)
        return self.parse(value)

    def xlsx_column(self) -> xlsx.XlsxColumn:
        export = self.export
        if export is None:
            export = f"get_{self.name}_display" if self.choices else self.name
        labels = tuple(str(label) for label in self.choices.labels) if self.choices else ()
        return xlsx.XlsxColumn(header=self.header, value=export, width=self.width, choices=labels, text=self.text)


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str | None, str]] = field(default_factory=list)  # (column name, message)
    failed: set[str] = field(default_factory=set)

    def add_error(self, column: str | None, message: str) -> None:
        self.errors.append((column, message))
        if column:
            self.failed.add(column)


# --- the engine --------------------------------------------------------------------------------


@dataclass
class _WritePlan:
    """What a valid file writes: objects to create, and objects to update with the fields that changed."""

    new: list[models.Model] = field(default_factory=list)
    changed: list[models.Model] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)


class RowImport:
    """Declarative import of one kind of registry rows; subclasses declare and fill in hooks."""

    kind: ClassVar[str]
    title: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]  # column names that identify a row within the file
    related_fields: ClassVar[tuple[str, ...]] = ()  # foreign keys resolved here, not by full_clean
    field_columns: ClassVar[dict[str, str]] = {}  # model field → the column its errors belong to
    filename_prefix: ClassVar[str]
    sheet_title: ClassVar[str]
    capability: ClassVar[str] = IMPORT  # an app above the registry names its own (network.edit)
    max_rows: ClassVar[int | None] = None  # None: core.xlsx's limits (settings.IMPORT_MAX_*)
    max_bytes: ClassVar[int | None] = None
    max_uncompressed: ClassVar[int | None] = None
    # A kind whose rows name organisations: the column, and this kind's place in the loading order
    # (core.import_errors.IMPORT_ORDER) for the «load organisations first» hint.
    organisation_column: ClassVar[str | None] = None
    order_step: ClassVar[str] = ""

    def __init__(self, *, user: User):
        self.user = user
        self.district: District | None = user.district if user.is_authenticated else None
        self.result = ImportResult(kind=self.kind, title=self.title)
        self.present: set[str] = set()
        self.unknown_organisations: set[str] = set()

    # Declarations used by templates and exports.

    @classmethod
    def column(cls, name: str) -> Column:
        return next(c for c in cls.columns if c.name == name)

    @classmethod
    def xlsx_columns(cls) -> tuple[xlsx.XlsxColumn, ...]:
        return tuple(column.xlsx_column() for column in cls.columns)

    @classmethod
    def template_bytes(cls) -> bytes:
        return xlsx.build_workbook(cls.xlsx_columns(), sheet_title=cls.sheet_title)

    # Hooks.

    def key_of(self, row: ParsedRow) -> tuple | None:
        if any(name not in row.values for name in self.key):
            return None
        return tuple(row.values[name] for name in self.key)

    def prefetch(self, rows: list[ParsedRow]) -> None:
        """Load every existing object the rows refer to, a query per kind of object."""

    def resolve(self, row: ParsedRow) -> models.Model:
        """The existing object the row updates, or a new one; reference problems go to row errors."""
        raise NotImplementedError

    def validate_related(self) -> None:
        """Validate objects created on the way (new clusters); errors go to self.result."""

    def save_related(self) -> None:
        """Save objects created on the way, before the rows' own objects."""

    # The run: read → map the header → parse → check keys → validate → write (or report), each a step.

    def run(self, file) -> ImportResult:
        if not can(self.user, self.capability):
            raise PermissionDenied("Импорт доступен только методистам ИМЦ.")
        if self.district is None:
            return self._refuse("У вашей учётной записи не указан район — импортировать некуда.")
        rows = self._read_rows(file)
        if rows is None:
            return self.result
        self._check_duplicates(rows)
        try:
            with transaction.atomic():
                self._validate_and_apply(rows)
        except IntegrityError:
            self._discard_counts()
            return self._refuse(
                "Данные изменились во время импорта (например, кто-то одновременно добавил те же "
                "записи). Ничего не изменено — повторите импорт."
            )
        if self.result.errors and self.unknown_organisations:
            self.result.hint = self.order_hint(rows)
        return self.result

    def organisation_not_found(self, row: ParsedRow, code: str, message: str = "") -> None:
        """The row names an organisation the district does not have: its error, and a note for the hint."""
        self.unknown_organisations.add(normalise_label(code))
        row.add_error(self.organisation_column,
                      message or f"организация с кодом «{code}» не найдена в вашем районе")

    def order_hint(self, rows: list[ParsedRow]) -> str:
        """«Сначала загрузите организации района …» when the district has none or most of the file's
        organisations are unknown (core.import_errors.organisations_first); «» otherwise."""
        referenced = {normalise_label(row.values[self.organisation_column]) for row in rows
                      if self.organisation_column in row.values}
        return organisations_first(
            district=self.district.name, known=Organisation.objects.filter(district=self.district).count(),
            unknown=len(self.unknown_organisations), referenced=len(referenced), step=self.order_step,
        )

    def _refuse(self, message: str) -> ImportResult:
        self.result.errors.append(RowError(None, None, message))
        return self.result

    def _discard_counts(self) -> None:
        """Nothing was written: the result must not claim anything was created or left as it was."""
        self.result.created = self.result.updated = self.result.unchanged = 0
        self.result.created_clusters = []

    def _read_rows(self, file) -> list[ParsedRow] | None:
        """The file's data rows parsed; None (with the reason in the result) when there are none."""
        try:
            table = self.read_table(file)
        except xlsx.XlsxReadError as error:
            self._refuse(str(error))
            return None
        positions = self._map_header(table.header)
        if positions is None:
            return None
        parsed = (self._parse_row(number, values, positions) for number, values in table.rows)
        rows = [row for row in parsed if row is not None]
        if not rows:
            self._refuse("В файле нет строк с данными: под строкой заголовков пусто.")
            return None
        return rows

    def read_table(self, file) -> xlsx.Table:
        """The upload's first sheet (core/xlsx.py); a kind with other limits or reader overrides this."""
        return xlsx.read_table(file, max_bytes=self.max_bytes, max_uncompressed=self.max_uncompressed,
                               row_limit=self.max_rows)

    def _map_header(self, header: list[Any]) -> dict[str, int] | None:
        """Column name → position in the file; None (with the reason in the result) if unusable."""
        positions = self._header_positions(header)
        if positions is None:
            return None
        missing = [c.header for c in self.columns if c.required and c.name not in positions]
        if missing:
            self._refuse(self._missing_columns_message(missing, any_known=bool(positions)))
            return None
        self.present = set(positions)
        return positions

    def _header_positions(self, header: list[Any]) -> dict[str, int] | None:
        by_header = {normalise_label(c.header): c for c in self.columns}
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            column = by_header.get(normalise_label(cell))
            if column is None:
                continue  # extra columns are allowed and ignored
            if column.name in positions:
                self._refuse(f"Столбец «{column.header}» встречается в строке заголовков дважды.")
                return None
            positions[column.name] = index
        return positions

    def _missing_columns_message(self, missing: list[str], *, any_known: bool) -> str:
        message = "В файле нет обязательных столбцов: " + ", ".join(f"«{h}»" for h in missing) + "."
        if not any_known:
            message += (
                f" Первая непустая строка листа должна быть строкой заголовков шаблона "
                f"«{self.title}» — проверьте, тот ли вид данных выбран."
            )
        return message

    def _parse_row(self, number: int, values: tuple, positions: dict[str, int]) -> ParsedRow | None:
        """The row's parsed cells, or None for a row filled only in columns we do not read."""
        cells = {name: values[index] if index < len(values) else None for name, index in positions.items()}
        if all(xlsx.cell_to_text(value) == "" for value in cells.values()):
            return None
        row = ParsedRow(number=number)
        for column in self.columns:
            if column.name not in cells:
                continue
            value = cells[column.name]
            try:
                row.values[column.name] = column.parse_cell(value)
            except CellError as error:
                row.add_error(column.name, str(error))
        return row

    def _check_duplicates(self, rows: list[ParsedRow]) -> None:
        seen: dict[tuple, int] = {}
        for row in rows:
            key = self.key_of(row)
            if key is None:
                continue
            if key in seen:
                described = ", ".join(
                    f"{self.column(name).header} «{xlsx.cell_to_text(row.values[name])}»" for name in self.key
                )
                row.add_error(self.key[-1], f"повтор: та же запись ({described}) уже есть в строке {seen[key]}")
            else:
                seen[key] = row.number

    def _validate_and_apply(self, rows: list[ParsedRow]) -> None:
        self.prefetch(rows)
        plan = self._plan(rows)
        self.validate_related()
        self._collect_row_errors(rows)
        if self.result.errors:
            self._sort_errors()
            self.result.unchanged = 0
            self.result.created_clusters = []
            return
        self._write(plan)

    def _plan(self, rows: list[ParsedRow]) -> _WritePlan:
        """Resolve, assign and validate every row; sort the valid ones into new / changed / unchanged."""
        plan = _WritePlan()
        for row in rows:
            instance = self.resolve(row)
            is_new = instance.pk is None
            fields = self._assign(instance, row, is_new=is_new)
            self._full_clean(instance, row)
            if row.errors:
                continue
            if is_new:
                plan.new.append(instance)
            elif fields:
                plan.changed.append(instance)
                plan.changed_fields |= fields
            else:
                self.result.unchanged += 1
        return plan

    def _collect_row_errors(self, rows: list[ParsedRow]) -> None:
        for row in rows:
            for name, message in row.errors:
                header = self.column(name).header if name else None
                self.result.errors.append(RowError(row.number, header, message))

    def _sort_errors(self) -> None:
        """By row, and within a row in the template's column order (as a user reads the file)."""
        order = {c.header: i for i, c in enumerate(self.columns)}
        self.result.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, len(order))))

    def _write(self, plan: _WritePlan) -> None:
        self.save_related()
        self.model.objects.bulk_create(plan.new)
        if plan.changed:
            self.model.objects.bulk_update(plan.changed, sorted(plan.changed_fields))
        self.result.created = len(plan.new)
        self.result.updated = len(plan.changed)

    def _assign(self, instance: models.Model, row: ParsedRow, *, is_new: bool) -> set[str]:
        """Copy the row's parsed values onto the object; return the fields whose value changed."""
        changed = set()
        for column in self.columns:
            if not column.model_field or column.name not in row.values:
                continue
            value = row.values[column.name]
            if is_new or getattr(instance, column.name) != value:
                setattr(instance, column.name, value)
                changed.add(column.name)
        return changed

    def _full_clean(self, instance: models.Model, row: ParsedRow) -> None:
        # Foreign keys were resolved from prefetched sets (full_clean would query each one), and
        # uniqueness is guaranteed by the keys, so neither costs a query per row here.
        exclude = set(self.related_fields) | row.failed
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                column = self._column_for_field(field_name)
                for message in messages:
                    row.add_error(column, message.rstrip("."))

    def _column_for_field(self, field_name: str) -> str | None:
        if field_name == NON_FIELD_ERRORS:
            return None
        if field_name in self.field_columns:
            return self.field_columns[field_name]
        if any(c.name == field_name and c.model_field for c in self.columns):
            return field_name
        return None


# --- the three kinds ---------------------------------------------------------------------------


def _organisations_by_code(district: District, rows: Iterable[ParsedRow], name: str) -> dict[str, Organisation]:
    codes = {row.values[name] for row in rows if name in row.values}
    return {o.code: o for o in Organisation.objects.filter(district=district, code__in=codes)}


class OrganisationImport(RowImport):
    kind = "organisations"
    title = "Организации"
    model = Organisation
    filename_prefix = "organisations"
    sheet_title = "Организации"
    columns = (
        Column("Код", "code", width=12, text=True),
        Column("Краткое наименование", "short_name", width=30),
        Column("Полное наименование", "full_name", width=60),
        Column("Тип", "kind", choices=OrganisationKind, width=12),
        Column("Район", "district_name", model_field=False, export="district.name", width=24,
               hint="название вашего района, как в портале"),
        Column("Адрес", "address", required=False, width=40),
        Column("Email", "email", required=False, width=28),
    )
    key = ("code",)
    related_fields = ("district",)

    def prefetch(self, rows):
        codes = {row.values["code"] for row in rows if "code" in row.values}
        self.existing = {o.code: o for o in Organisation.objects.filter(district=self.district, code__in=codes)}

    def resolve(self, row):
        district_name = row.values.get("district_name")
        if district_name is not None and normalise_label(district_name) != normalise_label(self.district.name):
            row.add_error(
                "district_name",
                f"«{district_name}» — не ваш район; импортировать можно только в «{self.district.name}»",
            )
        existing = self.existing.get(row.values.get("code"))
        return existing or Organisation(district=self.district)


class TeacherImport(RowImport):
    kind = "teachers"
    title = "Педагоги"
    model = Teacher
    filename_prefix = "teachers"
    sheet_title = "Педагоги"
    columns = (
        Column("Табельный номер", "personnel_number", width=16, text=True),
        Column("Код организации", "organisation_code", model_field=False, export="organisation.code", width=16,
               text=True, hint="код организации вашего района"),
        Column("ФИО", "full_name", width=36),
        Column("Должность", "position", width=24),
        Column("Предметная область", "subject_area", required=False, width=24),
        Column("Педагогический стаж", "experience_years", parse=parse_int(), required=False, empty=None, width=12,
               hint="полных лет, целое число"),
        Column("Год рождения", "birth_year", parse=parse_int(), required=False, empty=None, width=12,
               hint="четыре цифры"),
        Column("Квалификационная категория", "category", choices=QualificationCategory, required=False,
               empty=QualificationCategory.NONE, width=16),
    )
    key = ("organisation_code", "personnel_number")
    related_fields = ("organisation",)
    field_columns = {"organisation": "organisation_code"}
    organisation_column = "organisation_code"
    order_step = "педагоги"

    def prefetch(self, rows):
        self.organisations = _organisations_by_code(self.district, rows, "organisation_code")
        numbers = {row.values["personnel_number"] for row in rows if "personnel_number" in row.values}
        teachers = Teacher.objects.filter(organisation__in=list(self.organisations.values()),
                                          personnel_number__in=numbers)
        self.existing = {(t.organisation_id, t.personnel_number): t for t in teachers}

    def resolve(self, row):
        code = row.values.get("organisation_code")
        if code is None:
            return Teacher()
        organisation = self.organisations.get(code)
        if organisation is None:
            self.organisation_not_found(row, code)
            return Teacher()
        existing = self.existing.get((organisation.pk, row.values.get("personnel_number")))
        return existing or Teacher(organisation=organisation)


def _cluster_key(name: str) -> str:
    return normalise_label(name)


class MembershipImport(RowImport):
    kind = "memberships"
    title = "Участие в кластерах"
    model = ClusterMembership
    filename_prefix = "cluster_memberships"
    sheet_title = "Участие в кластерах"
    columns = (
        Column("Год", "year", parse=parse_int(min_value=MIN_YEAR, max_value=MAX_YEAR), model_field=False,
               export="cluster.year", width=8),
        Column("Кластер", "cluster_name", model_field=False, export="cluster.name", width=40,
               hint="название; нового кластера этого года ещё нет — он будет создан"),
        Column("Код организации", "organisation_code", model_field=False, export="organisation.code", width=16,
               text=True, hint="код организации вашего района"),
        Column("Методическая тема", "theme", width=60),
        Column("Уровень", "tier", choices=Tier, width=14),
    )
    key = ("year", "cluster_name", "organisation_code")
    related_fields = ("cluster", "organisation")
    field_columns = {"cluster": "cluster_name", "organisation": "organisation_code"}
    organisation_column = "organisation_code"
    order_step = "участие в кластерах"

    def key_of(self, row):
        key = super().key_of(row)
        # A cluster is the same whatever the case or spacing of its name in the file.
        return None if key is None else (key[0], _cluster_key(key[1]), key[2])

    def prefetch(self, rows):
        self.organisations = _organisations_by_code(self.district, rows, "organisation_code")
        years = {row.values["year"] for row in rows if "year" in row.values}
        clusters = list(Cluster.objects.filter(district=self.district, year__in=years))
        self.clusters_exact = {(c.year, c.name): c for c in clusters}
        self.clusters_loose: dict[tuple[int, str], list[Cluster]] = {}
        for cluster in clusters:
            self.clusters_loose.setdefault((cluster.year, _cluster_key(cluster.name)), []).append(cluster)
        self.new_clusters: dict[tuple[int, str], tuple[Cluster, int]] = {}  # loose key → (cluster, first row)
        memberships = ClusterMembership.objects.select_related("cluster", "organisation").filter(
            cluster__in=clusters, organisation__in=list(self.organisations.values())
        )
        self.existing = {(m.cluster_id, m.organisation_id): m for m in memberships}

    def _cluster(self, year: int, name: str, row: ParsedRow) -> Cluster:
        if (year, name) in self.clusters_exact:
            return self.clusters_exact[(year, name)]
        loose = (year, _cluster_key(name))
        candidates = self.clusters_loose.get(loose, [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            row.add_error("cluster_name", f"несколько кластеров {year} года называются почти как «{name}»; "
                                          "укажите название точно")
        if loose not in self.new_clusters:
            self.new_clusters[loose] = (Cluster(district=self.district, year=year, name=name), row.number)
        return self.new_clusters[loose][0]

    def resolve(self, row):
        membership = ClusterMembership()
        organisation = None
        code = row.values.get("organisation_code")
        if code is not None:
            organisation = self.organisations.get(code)
            if organisation is None:
                self.organisation_not_found(row, code)
        if "year" not in row.values or "cluster_name" not in row.values:
            return membership
        cluster = self._cluster(row.values["year"], row.values["cluster_name"], row)
        if organisation is not None and cluster.pk is not None:
            existing = self.existing.get((cluster.pk, organisation.pk))
            if existing is not None:
                return existing
        membership.cluster = cluster
        if organisation is not None:
            membership.organisation = organisation
        return membership

    def validate_related(self):
        names = {"year": "Год", "name": "Кластер"}
        for cluster, row_number in self.new_clusters.values():
            try:
                cluster.full_clean(exclude=["district", "curator"], validate_unique=False,
                                   validate_constraints=False)
            except ValidationError as error:
                for field_name, messages in error.message_dict.items():
                    for message in messages:
                        self.result.errors.append(
                            RowError(row_number, names.get(field_name), "кластер: " + message.rstrip("."))
                        )
        self.result.created_clusters = [f"«{c.name}» ({c.year})" for c, _ in self.new_clusters.values()]

    def save_related(self):
        clusters = [cluster for cluster, _ in self.new_clusters.values()]
        if not clusters:
            return
        Cluster.objects.bulk_create(clusters)
        if any(c.pk is None for c in clusters):  # a backend that does not return ids from bulk inserts
            saved = Cluster.objects.filter(district=self.district, year__in={c.year for c in clusters},
                                           name__in={c.name for c in clusters})
            ids = {(c.year, c.name): c.pk for c in saved}
            for cluster in clusters:
                cluster.pk = ids[(cluster.year, cluster.name)]


IMPORT_KINDS: dict[str, type[RowImport]] = {
    cls.kind: cls for cls in (OrganisationImport, TeacherImport, MembershipImport)
}


def import_file(*, kind: str, user: User, file) -> ImportResult:
    """Import one uploaded XLSX of `kind` ("organisations", "teachers", "memberships")."""
    return IMPORT_KINDS[kind](user=user).run(file)


def import_organisations(*, user: User, file) -> ImportResult:
    return OrganisationImport(user=user).run(file)


def import_teachers(*, user: User, file) -> ImportResult:
    return TeacherImport(user=user).run(file)


def import_memberships(*, user: User, file) -> ImportResult:
    return MembershipImport(user=user).run(file)
