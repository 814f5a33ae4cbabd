"""Plan/fact in XLSX (DOMAIN.md template): Показатель, Период, Объект, План, Факт.

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
from .models import Programme, Value
from .selectors import Table
from .services import CellInput

COLUMNS = ("Показатель", "Период", "Объект", "План", "Факт")
REQUIRED = ("Показатель", "Период", "Объект")
DISTRICT_WORDS = {"район", "district"}


@dataclass
class PlanFactImportResult:
    changed: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

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

    def scope(self, text: str, year: int) -> Scope:
        key = " ".join(text.casefold().split())
        district = self.programme.district
        if key in self.district_names:
            return Scope.of_district(district)
        organisation = self.organisations.get(key)
        cluster = self.clusters.get((year, key))
        if organisation and cluster:
            raise ValueError(f"«{text}» — и код организации, и название кластера; уточните.")
        if organisation:
            return Scope.of_organisation(organisation)
        if cluster:
            return Scope.of_cluster(cluster)
        raise ValueError(f"«{text}» — нет такой организации (по коду) или кластера {year} года в районе.")


def import_plan_fact(*, programme: Programme, user, file) -> PlanFactImportResult:
    result = PlanFactImportResult()
    try:
        table = read_table(file)
    except XlsxReadError as error:
        result.errors.append(RowError(None, None, str(error)))
        return result
    positions = {normalise_header(h): i for i, h in enumerate(table.header) if h is not None}
    missing = [c for c in REQUIRED if normalise_header(c) not in positions]
    if missing:
        result.errors.append(RowError(None, None, "В файле нет обязательных столбцов: " + ", ".join(missing) + "."))
        return result
    if normalise_header("План") not in positions and normalise_header("Факт") not in positions:
        result.errors.append(RowError(None, None, "В файле нет ни столбца «План», ни столбца «Факт»."))
        return result

    resolver = _Resolver(programme)
    by_scope: dict[str, tuple[Scope, list[tuple[int, CellInput]]]] = {}
    seen: dict[tuple, int] = {}
    parsed = []
    for row_number, values in table.rows:
        def cell(name, values=values):
            index = positions.get(normalise_header(name))
            return cell_to_text(values[index]) if index is not None and index < len(values) else None

        row_errors = []
        indicator = resolver.indicators.get((cell("Показатель") or "").casefold())
        if indicator is None:
            row_errors.append(RowError(row_number, "Показатель", f"нет показателя с кодом «{cell('Показатель')}» в программе."))
        period = resolver.periods.get((cell("Период") or "").casefold())
        if period is None:
            row_errors.append(RowError(row_number, "Период", f"нет периода «{cell('Период')}» в программе."))
        numbers = {}
        for column in ("План", "Факт"):
            try:
                raw = cell(column)
                numbers[column] = parse_number(raw) if raw is not None else _Keep
            except ValueError as error:
                row_errors.append(RowError(row_number, column, str(error)))
        scope = None
        if period is not None:
            try:
                scope = resolver.scope(cell("Объект") or "", period.year)
            except ValueError as error:
                row_errors.append(RowError(row_number, "Объект", str(error)))
        if row_errors:
            result.errors += row_errors
            continue
        key = (indicator.pk, period.pk, scope.key)
        if key in seen:
            result.errors.append(RowError(row_number, None, f"повторяет строку {seen[key]} (тот же показатель, период и объект)."))
            continue
        seen[key] = row_number
        parsed.append((row_number, indicator, period, scope, numbers))
    if result.errors:
        return result
    # One query for the stored values the file touches (columns left out keep them).
    stored = {
        (v.indicator_id, v.period_id, v.scope_key): v
        for v in Value.objects.filter(indicator__programme=programme, period__in={p[2] for p in parsed})
    }
    for row_number, indicator, period, scope, numbers in parsed:
        current = stored.get((indicator.pk, period.pk, scope.key))
        by_scope.setdefault(scope.key, (scope, []))[1].append(
            (row_number, _cell_input(indicator, period, current, numbers))
        )
    result.rows = len(seen)
    for _, rows in by_scope.values():
        for row_number, cell_input in rows:
            for message in services.cell_errors(cell_input):
                column, _, text = message.partition(": ")
                result.errors.append(RowError(row_number, column, text))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for scope, rows in by_scope.values():
                result.changed += services.values_save(
                    scope=scope, cells=[c for _, c in rows], user=user, reason="импорт XLSX", check_versions=False
                )
    except services.MonitoringError as error:  # a locked period
        result.errors.append(RowError(None, None, str(error)))
    result.errors.sort(key=lambda e: (e.row or 0))
    if result.errors:
        result.changed = 0
    return result


class _Keep:
    """Marker: the column is absent from the file, keep the stored number."""


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

