"""Plan/fact in XLSX (docs/domain.md, «Import templates»): Показатель, Период, Объект, План, Факт.

Import is per programme and all-or-nothing: every row is parsed and checked first, then all
values are saved through services.values_save in one transaction (locks and units checked the
same way as the grid). An export of a scope is a valid import file: extra columns (name, unit,
achievement, provenance) are ignored on the way back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from clusters.models import Cluster, Organisation
from core.import_errors import GroupedErrorsMixin, organisations_first
from core.scope import Scope
from core.xlsx import (
    RowError,
    XlsxColumn,
    XlsxReadError,
    build_workbook,
    cell_to_text,
    normalise_header,
    read_table,
)

from . import services
from .calculations import Achievement, achievement, parse_number
from .models import Indicator, Period, Programme, Value
from .selectors import Table
from .services import CellInput

COLUMNS = ("Показатель", "Период", "Объект", "План", "Факт")
REQUIRED = ("Показатель", "Период", "Объект")
DISTRICT_WORDS = {"район", "district"}


@dataclass
class PlanFactImportResult(GroupedErrorsMixin):
    """`errors` one per bad cell, shown grouped by cause under `hint` (core/import_errors.py)."""

    changed: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    hint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        return f"Импорт выполнен: строк {self.rows}, изменено значений {self.changed}."


def scope_label_for_export(scope: Scope) -> str:
    """What the «Объект» column holds: «район», a cluster name or an organisation code."""
    if scope.is_cluster:
        return scope.name
    if scope.is_organisation:
        return Organisation.objects.filter(pk=scope.id).values_list("code", flat=True).get()
    return "район"


class _Resolver:
    """Looks up indicators, periods and scopes of one programme with one query per kind."""

    def __init__(self, programme: Programme):
        self.programme = programme
        district = programme.district
        self.indicators = {i.code.casefold(): i for i in programme.indicators.all()}
        self.periods = {p.label.casefold(): p for p in programme.periods.all()}
        self.organisations = {o.code.casefold(): o for o in Organisation.objects.filter(district=district)}
        self.clusters = {(c.year, " ".join(c.name.casefold().split())): c
                         for c in Cluster.objects.filter(district=district)}
        self.district_names = DISTRICT_WORDS | {district.name.casefold()}
        self.referenced: set[str] = set()  # «Объект» texts other than the district, and those not found
        self.unknown: set[str] = set()

    def order_hint(self) -> str:
        """«Сначала загрузите организации района …» when the objects of the file are mostly unknown."""
        return organisations_first(district=self.programme.district.name, known=len(self.organisations),
                                   unknown=len(self.unknown), referenced=len(self.referenced), step="план/факт")

    def scope(self, text: str, year: int) -> Scope:
        key = " ".join(text.casefold().split())
        district = self.programme.district
        if key in self.district_names:
            return Scope.of_district(district)
        self.referenced.add(key)
        organisation = self.organisations.get(key)
        cluster = self.clusters.get((year, key))
        if organisation and cluster:
            raise ValueError(f"«{text}» — и код организации, и название кластера; уточните.")
        if organisation:
            return Scope.of_organisation(organisation)
        if cluster:
            return Scope.of_cluster(cluster)
        self.unknown.add(key)
        raise ValueError(f"«{text}» — нет такой организации (по коду) или кластера {year} года в районе.")


class _Refused(Exception):
    """The file is not imported; `errors` say why, by row and column."""

    def __init__(self, errors: list[RowError]):
        super().__init__()
        self.errors = errors


class _Keep:
    """Marker: the column is absent from the file, keep the stored number."""


NUMBER_COLUMNS = {"plan": "План", "fact": "Факт"}


@dataclass
class _ParsedRow:
    number: int
    indicator: Indicator
    period: Period
    scope: Scope
    numbers: dict[str, Decimal | None | type[_Keep]]  # "План"/"Факт" → number, None (empty) or _Keep

    @property
    def key(self) -> tuple[int, int, str]:
        return self.indicator.pk, self.period.pk, self.scope.key


def import_plan_fact(*, programme: Programme, user, file) -> PlanFactImportResult:
    """read the file → resolve its rows → check the numbers → save through values_save (which
    locks the stored values, refuses approved periods, applies and records the history).

    All or nothing: any error anywhere and nothing is saved; every error found is listed.
    """
    result = PlanFactImportResult()
    resolver = None
    try:
        table, positions = _read(file)
        resolver = _Resolver(programme)
        rows = _parse_rows(table, positions, resolver)
        cells = _cells_by_scope(programme, rows)
        _check_numbers(cells)
        result.changed = _save(cells, user)
        result.rows = len(rows)
    except _Refused as refused:
        result.errors = sorted(refused.errors, key=lambda e: e.row or 0)
        if resolver is not None and resolver.unknown:
            result.hint = resolver.order_hint()
    return result


def _read(file):
    """The first sheet and where each column is (normalised header → index); refused when the file
    is not a workbook or lacks the columns."""
    try:
        table = read_table(file)
    except XlsxReadError as error:
        raise _Refused([RowError(None, None, str(error))]) from None
    positions = {normalise_header(h): i for i, h in enumerate(table.header) if h is not None}
    missing = [c for c in REQUIRED if normalise_header(c) not in positions]
    if missing:
        raise _Refused([RowError(None, None, "В файле нет обязательных столбцов: " + ", ".join(missing) + ".")])
    if normalise_header("План") not in positions and normalise_header("Факт") not in positions:
        raise _Refused([RowError(None, None, "В файле нет ни столбца «План», ни столбца «Факт».")])
    return table, positions


def _parse_rows(table, positions: dict[str, int], resolver: _Resolver) -> list[_ParsedRow]:
    """Every row resolved to an indicator, period and scope of the programme, with its numbers;
    refused with every bad or repeated row."""
    errors: list[RowError] = []
    parsed: list[_ParsedRow] = []
    seen: dict[tuple, int] = {}
    for row_number, values in table.rows:
        row, row_errors = _parse_row(row_number, _RowText(values, positions), resolver)
        if row is not None and row.key in seen:
            row_errors = [RowError(row_number, None, f"повторяет строку {seen[row.key]} (тот же показатель, период и объект).")]
        errors += row_errors
        if not row_errors:
            seen[row.key] = row_number
            parsed.append(row)
    if errors:
        raise _Refused(errors)
    return parsed


class _RowText:
    """The text of a row's cell by column name (None for an absent column or an empty cell)."""

    def __init__(self, values, positions: dict[str, int]):
        self.values, self.positions = values, positions

    def __call__(self, name: str) -> str | None:
        index = self.positions.get(normalise_header(name))
        return cell_to_text(self.values[index]) if index is not None and index < len(self.values) else None


def _parse_row(row_number: int, text: _RowText, resolver: _Resolver) -> tuple[_ParsedRow | None, list[RowError]]:
    errors = []
    indicator = resolver.indicators.get((text("Показатель") or "").casefold())
    if indicator is None:
        errors.append(RowError(row_number, "Показатель", f"нет показателя с кодом «{text('Показатель')}» в программе."))
    period = resolver.periods.get((text("Период") or "").casefold())
    if period is None:
        errors.append(RowError(row_number, "Период", f"нет периода «{text('Период')}» в программе."))
    numbers = {}
    for column in NUMBER_COLUMNS.values():
        raw = text(column)
        try:
            numbers[column] = parse_number(raw) if raw is not None else _Keep
        except ValueError as error:
            errors.append(RowError(row_number, column, str(error)))
    scope = None
    if period is not None:
        try:
            scope = resolver.scope(text("Объект") or "", period.year)
        except ValueError as error:
            errors.append(RowError(row_number, "Объект", str(error)))
    if errors:
        return None, errors
    return _ParsedRow(row_number, indicator, period, scope, numbers), []


def _cells_by_scope(programme: Programme, rows: list[_ParsedRow]) -> dict[str, tuple[Scope, list[tuple[int, CellInput]]]]:
    """The rows as the service's cells, grouped by scope (values_save saves one scope at a time).

    One query for the stored values the file touches: a column left out keeps their number.
    """
    stored = {
        (v.indicator_id, v.period_id, v.scope_key): v
        for v in Value.objects.filter(indicator__programme=programme, period__in={row.period for row in rows})
    }
    by_scope: dict[str, tuple[Scope, list[tuple[int, CellInput]]]] = {}
    for row in rows:
        cell = _cell_input(row.indicator, row.period, stored.get(row.key), row.numbers)
        by_scope.setdefault(row.scope.key, (row.scope, []))[1].append((row.number, cell))
    return by_scope


def _check_numbers(by_scope: dict[str, tuple[Scope, list[tuple[int, CellInput]]]]) -> None:
    """The grid's checks (unit range, typed fact of a computed indicator), reported by row and column."""
    errors = [
        RowError(row_number, NUMBER_COLUMNS[name], message)
        for _, rows in by_scope.values()
        for row_number, cell in rows
        for name, messages in services.cell_errors(cell).items()
        for message in messages
    ]
    if errors:
        raise _Refused(errors)


def _save(by_scope: dict[str, tuple[Scope, list[tuple[int, CellInput]]]], user) -> int:
    """All scopes in one transaction; a locked period refuses the whole file."""
    changed = 0
    try:
        with transaction.atomic():
            for scope, rows in by_scope.values():
                changed += services.values_save(
                    scope=scope, cells=[cell for _, cell in rows], user=user, reason="импорт XLSX",
                    check_versions=False,
                )
    except services.MonitoringError as error:
        raise _Refused([RowError(None, None, str(error))]) from None
    return changed


def _cell_input(indicator, period, current: Value | None, numbers: dict) -> CellInput:
    plan = numbers["План"] if numbers["План"] is not _Keep else (current.plan if current else None)
    fact = numbers["Факт"] if numbers["Факт"] is not _Keep else (current.fact if current else None)
    if indicator.is_computed and current is not None and fact == current.fact:
        fact = None  # an exported computed fact coming back unchanged is not a typed fact
    return CellInput(indicator, period, plan, fact, comment=current.comment if current else "")


def export_plan_fact(table: Table) -> bytes:
    """The table of one scope in the import template's columns (plus readable extras)."""
    columns = [
        XlsxColumn("Показатель", width=28, text=True), XlsxColumn("Период", width=12, text=True),
        XlsxColumn("Объект", width=24, text=True), XlsxColumn("План", width=10), XlsxColumn("Факт", width=10),
        XlsxColumn("Наименование показателя", width=60), XlsxColumn("Единица", width=12),
        XlsxColumn("Числитель", width=11), XlsxColumn("Знаменатель", width=12), XlsxColumn("Достижение", width=14),
    ]
    scope_text = scope_label_for_export(table.scope)
    rows = []
    for row in table.rows:
        for cell in row.cells:
            value = cell.value
            rows.append([
                row.indicator.code, cell.period.label, scope_text,
                _number(value.plan if value else None), _number(value.fact if value else None),
                row.indicator.name, row.indicator.get_unit_display(),
                _number(value.numerator if value else None), _number(value.denominator if value else None),
                Achievement.LABELS[achievement(value.plan if value else None, value.fact if value else None,
                                               row.indicator.direction, row.indicator.decimals)],
            ])
    return build_workbook(columns, rows, sheet_title="План-факт")


def _number(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def template_workbook() -> bytes:
    return build_workbook([XlsxColumn(name, width=20, text=name in ("Показатель", "Период", "Объект"))
                           for name in COLUMNS], sheet_title="План-факт")

