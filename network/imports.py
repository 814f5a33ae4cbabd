"""XLSX import of assessment results (docs/domain.md, «Импорт результатов оценочных процедур»).

Built on the registry's declarative engine (clusters/imports.py): the same header matching,
all-or-nothing run, «строка N, столбец «X»: …» messages (grouped on the page when many rows share
one), duplicate keys inside the file, and idempotent re-import by the natural key
(year, procedure, subject, grade, organisation code).

Two things differ from the registry's kinds, both for speed (100,000 rows in ≤ 30 s,
benchmarks/network_import.py):

* no `full_clean()` per object: every model validator of AssessmentResult (grade 1–11, year range,
  participants ≥ 1, mean ≥ 0, shares 0–100, two decimals, subject length) is checked by the column
  parsers below, so a bad cell gets its message once, in its column, and nothing else is queried;
* writes go in batches (`bulk_create` / `bulk_update` with `BATCH_SIZE`).

Cell rules:

* «Процедура» — a shipped procedure (ОГЭ, ЕГЭ, ВПР, РДР, районная диагностика) or one of the
  district's own, case and extra spaces ignored; an unknown name is refused with the allowed names.
* «Предмет» — spaces trimmed and collapsed, the first letter upper-cased, the rest kept as typed:
  «русский  язык» and «Русский язык» are one subject (one group of the tier method).
* Shares — «54,8», 54.8, «54,8 %» or «54,8%»; 0–100; may be left empty (ЕГЭ has no «4» and «5»).
  A cell formatted as a percentage in Excel holds a fraction (54,8 % is stored as 0.548); the
  reader (network/xlsx.py) sees the cell's number format and such a cell is read as Excel shows
  it, 54,8.
* Numbers are rounded half up to two decimals (a score computed by a formula such as
  3,8000000001 is 3,80).

After a file that created or changed rows, the tiers of the clusters of each year Y + 1 (Y a year whose
rows were created or changed) are recomputed from year Y's results (network/services/tiers.py), in the same transaction.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import Q

from clusters.imports import CellError, Column, ImportResult, ParsedRow, RowImport, normalise_label, parse_int
from clusters.models import MAX_YEAR, MIN_YEAR, Organisation
from core import formatting, xlsx

from . import xlsx as fast_xlsx
from .models import MAX_GRADE, AssessmentResult, Procedure

CAPABILITY = "network.edit"
BATCH_SIZE = 2000
STATISTICS_ROWS = 1000  # a file this large refreshes PostgreSQL's statistics of the results table
MAX_ROWS = 120_000  # a city's year of results is about 100,000 rows
MAX_BYTES = 25 * 1024 * 1024
MAX_UNCOMPRESSED = 256 * 1024 * 1024
CENT = Decimal("0.01")
MAX_MEAN = Decimal("9999.99")  # the field holds 6 digits, 2 after the point
SUBJECT_LENGTH = AssessmentResult._meta.get_field("subject").max_length

_DECIMAL = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


# --- cell parsers ----------------------------------------------------------------------------------


def _to_decimal(value: Any, *, percent: bool) -> Decimal:
    if isinstance(value, bool):
        raise CellError("ожидается число")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("ожидается число")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        text = "".join(value.split())  # also no-break and thin spaces: «1 234,5»
        if percent and text.endswith("%"):
            text = text[:-1]
        if not _DECIMAL.fullmatch(text):
            raise CellError(f"ожидается число, а не «{value.strip()}»")
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise CellError(f"ожидается число, а не «{value.strip()}»") from None
    raise CellError(f"ожидается число, а не «{xlsx.cell_to_text(value)}»")


def parse_mean(value: Any) -> Decimal:
    number = _to_decimal(value, percent=False).quantize(CENT, rounding=ROUND_HALF_UP)
    if number < 0:
        raise CellError(f"средний балл не может быть отрицательным ({formatting.exact(number)})")
    if number > MAX_MEAN:
        raise CellError(f"средний балл {formatting.exact(number)} больше допустимого {formatting.exact(MAX_MEAN)}")
    return number


def parse_share(value: Any) -> Decimal:
    number = _to_decimal(value, percent=True)
    if isinstance(value, fast_xlsx.Percent):
        number *= 100  # a percent-formatted cell holds the fraction: «54,8 %» is 0.548
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if not Decimal(0) <= number <= Decimal(100):
        raise CellError(f"доля {formatting.exact(number)} % вне диапазона 0–100 %")
    return number


_parse_whole = parse_int()


def parse_participants(value: Any) -> int:
    number = _parse_whole(value)
    if number < 1:
        raise CellError(f"участников должно быть не меньше 1, а не {number}")
    return number


def normalise_subject(value: Any) -> str:
    """«  русский   язык » → «Русский язык»; «ОБЖ» stays «ОБЖ» (only the first letter changes)."""
    text = " ".join(xlsx.cell_to_text(value).split())
    return text[:1].upper() + text[1:]


# A file repeats a handful of subjects and procedures in 100,000 rows: normalise each spelling once.
_subject = functools.lru_cache(maxsize=4096)(normalise_subject)
_procedure_key = functools.lru_cache(maxsize=4096)(normalise_label)


def parse_subject(value: Any) -> str:
    text = _subject(value) if isinstance(value, str) else normalise_subject(value)
    if len(text) > SUBJECT_LENGTH:
        raise CellError(f"название предмета длиннее {SUBJECT_LENGTH} символов")
    return text


def parse_code(value: Any) -> str:
    return xlsx.cell_to_text(value)


# --- the import ------------------------------------------------------------------------------------


@dataclasses.dataclass
class ResultsImportResult(ImportResult):
    tiers_changed: int = 0
    tier_years: list[int] = dataclasses.field(default_factory=list)


class ResultImport(RowImport):
    kind = "results"
    title = "Результаты оценочных процедур"
    model = AssessmentResult
    filename_prefix = "assessment_results"
    sheet_title = "Результаты"
    capability = CAPABILITY
    max_rows = MAX_ROWS
    max_bytes = MAX_BYTES
    max_uncompressed = MAX_UNCOMPRESSED
    columns = (
        Column("Год", "year", parse=parse_int(min_value=MIN_YEAR, max_value=MAX_YEAR), width=8),
        Column("Процедура", "procedure_name", model_field=False, export="procedure.name", width=24,
               hint="ОГЭ, ЕГЭ, ВПР, РДР, районная диагностика или процедура района"),
        Column("Предмет", "subject", parse=parse_subject, width=28,
               hint="первая буква станет заглавной, лишние пробелы убираются"),
        Column("Класс", "grade", parse=parse_int(min_value=1, max_value=MAX_GRADE), width=8, hint="1–11"),
        Column("Код организации", "organisation_code", parse=parse_code, model_field=False,
               export="organisation.code", width=16, text=True, hint="код организации вашего района"),
        Column("Участников", "participants", parse=parse_participants, width=12, hint="целое число, не меньше 1"),
        Column("Средний балл", "mean_score", parse=parse_mean, width=14, hint="например, 3,8 или 61,5"),
        Column("Доля не справившихся, %", "failed_share", parse=parse_share, required=False, empty=None,
               width=16, hint="0–100, например 4,5; можно оставить пустым"),
        Column("Доля «4» и «5», %", "good_share", parse=parse_share, required=False, empty=None, width=16,
               hint="0–100; для ЕГЭ оставьте пустым"),
    )
    key = ("year", "procedure_name", "subject", "grade", "organisation_code")
    related_fields = ("organisation", "procedure")
    field_columns = {"organisation": "organisation_code", "procedure": "procedure_name"}
    organisation_column = "organisation_code"  # organisations not loaded yet: say so once (core.import_errors)

    def __init__(self, *, user):
        super().__init__(user=user)
        self.result = ResultsImportResult(kind=self.kind, title=self.title)

    @classmethod
    def procedures_for(cls, district) -> list[Procedure]:
        """The procedures a district's file may name: the shipped ones and the district's own."""
        district_id = district.pk if district is not None else None
        return list(Procedure.objects.filter(Q(district__isnull=True) | Q(district_id=district_id))
                    .order_by("name"))

    @classmethod
    def template_bytes_for(cls, district) -> bytes:
        """The empty template, with the district's procedures as a dropdown of «Процедура»."""
        names = tuple(p.name for p in cls.procedures_for(district))
        # A dropdown list is a comma-separated string of ≤ 255 characters in the file format.
        usable = all("," not in n and '"' not in n for n in names) and len(",".join(names)) <= 250
        columns = tuple(
            dataclasses.replace(column, choices=names) if usable and column.header == "Процедура" else column
            for column in cls.xlsx_columns()
        )
        return xlsx.build_workbook(columns, sheet_title=cls.sheet_title)

    def read_table(self, file) -> xlsx.Table:
        return fast_xlsx.read_table(file, max_bytes=self.max_bytes, max_uncompressed=self.max_uncompressed,
                                    row_limit=self.max_rows)

    def key_of(self, row):
        key = super().key_of(row)
        # A procedure is the same whatever the case or spacing of its name in the file.
        return None if key is None else (key[0], _procedure_key(key[1]), *key[2:])

    def prefetch(self, rows: list[ParsedRow]) -> None:
        procedures = self.procedures_for(self.district)
        self.allowed_procedures = ", ".join(p.name for p in procedures)
        # The district's own name wins over a shipped one spelled alike (the form refuses such twins anyway).
        self.procedures = {normalise_label(p.name): p for p in sorted(procedures, key=lambda p: p.district_id or 0)}
        codes = {row.values["organisation_code"] for row in rows if "organisation_code" in row.values}
        self.organisations = dict(
            Organisation.objects.filter(district=self.district, code__in=codes).values_list("code", "pk")
        )
        years = {row.values["year"] for row in rows if "year" in row.values}
        _refresh_statistics(len(rows))
        existing = AssessmentResult.objects.filter(organisation__district=self.district, year__in=years).only(
            "id", "organisation_id", "procedure_id", "subject", "grade", "year", "participants", "mean_score",
            "failed_share", "good_share",
        )
        self.existing = {(r.organisation_id, r.procedure_id, r.subject, r.grade, r.year): r
                         for r in existing.iterator(chunk_size=BATCH_SIZE)}

    def resolve(self, row: ParsedRow) -> AssessmentResult:
        procedure = organisation_id = None
        name = row.values.get("procedure_name")
        if name is not None:
            procedure = self.procedures.get(_procedure_key(name))
            if procedure is None:
                row.add_error("procedure_name", f"процедура «{name}» не найдена; допустимо: {self.allowed_procedures}")
        code = row.values.get("organisation_code")
        if code is not None:
            organisation_id = self.organisations.get(code)
            if organisation_id is None:
                self.organisation_not_found(row, code)
        if procedure is None or organisation_id is None or row.errors:
            return AssessmentResult()
        values = row.values
        existing = self.existing.get(
            (organisation_id, procedure.pk, values["subject"], values["grade"], values["year"])
        )
        return existing or AssessmentResult(organisation_id=organisation_id, procedure_id=procedure.pk)

    def _full_clean(self, instance, row) -> None:
        """Nothing left to check: the parsers carry every validator of the model (see the module docstring)."""

    def _write(self, plan) -> None:
        _insert(plan.new)
        if plan.changed:
            if connection.vendor == "postgresql":
                _update_values(plan.changed)
            else:
                AssessmentResult.objects.bulk_update(plan.changed, sorted(plan.changed_fields), batch_size=BATCH_SIZE)
        self.result.created = len(plan.new)
        self.result.updated = len(plan.changed)
        _refresh_statistics(len(plan.new) + len(plan.changed))
        if plan.new or plan.changed:
            years = sorted({r.year for r in plan.new} | {r.year for r in plan.changed})
            self._apply_tiers(years)

    def _apply_tiers(self, years: list[int]) -> None:
        """Clusters of year Y + 1 take their tiers from year Y's index (docs/domain.md)."""
        from .services.tiers import apply_computed_tiers  # written by the tiers area; imported when used

        for year in years:
            outcome = apply_computed_tiers(district=self.district, year=year + 1, user=self.user)
            self.result.tiers_changed += outcome.changed
            self.result.tier_years.append(year + 1)


# Plain multi-row statements: bulk_create / bulk_update spend most of a 100,000-row import preparing each
# value through the fields (and bulk_update builds CASE WHEN id = … per value). The values were parsed and
# range-checked above; the database's own constraints (unique key, foreign keys) still hold.
_INSERTED = ("organisation_id", "procedure_id", "subject", "grade", "year", "participants", "mean_score",
             "failed_share", "good_share")
_UPDATED = ("participants", "mean_score", "failed_share", "good_share")


def _insert(results: list[AssessmentResult]) -> None:
    table = connection.ops.quote_name(AssessmentResult._meta.db_table)
    columns = ", ".join(_INSERTED)
    row = "(" + ", ".join(["%s"] * len(_INSERTED)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(results), BATCH_SIZE):
            batch = results[start:start + BATCH_SIZE]
            params = [getattr(r, name) for r in batch for name in _INSERTED]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(batch))}", params)


def _update_values(results: list[AssessmentResult]) -> None:
    """PostgreSQL: UPDATE … FROM (VALUES …) — one statement per batch, every value column set from the file."""
    table = connection.ops.quote_name(AssessmentResult._meta.db_table)
    row = "(%s::bigint, %s::integer, %s::numeric, %s::numeric, %s::numeric)"
    assignments = ", ".join(f"{name} = v.{name}" for name in _UPDATED)
    with connection.cursor() as cursor:
        for start in range(0, len(results), BATCH_SIZE):
            batch = results[start:start + BATCH_SIZE]
            params = [value for r in batch for value in (r.pk, *(getattr(r, name) for name in _UPDATED))]
            cursor.execute(
                f"UPDATE {table} AS r SET {assignments} FROM (VALUES {', '.join([row] * len(batch))}) "
                f"AS v(id, {', '.join(_UPDATED)}) WHERE r.id = v.id", params)


def _refresh_statistics(rows: int) -> None:
    """PostgreSQL plans by table statistics: right after a bulk load (or delete) in this transaction they are
    stale, and the planner took 22 s for a 20,000-row lookup with a nested loop it thought would see 3 rows.
    ANALYZE (allowed inside a transaction, it counts this transaction's own rows) costs a fraction of a second."""
    if connection.vendor == "postgresql" and rows >= STATISTICS_ROWS:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {AssessmentResult._meta.db_table}")


def import_results(*, user, file) -> ResultsImportResult:
    """Import one uploaded XLSX of assessment results into the user's district (all or nothing)."""
    return ResultImport(user=user).run(file)
