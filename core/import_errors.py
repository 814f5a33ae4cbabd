"""Import errors as people read them: one line per cause, with its count and compact row ranges.

Every XLSX import (registry, plan/fact, assessment results, events plan and journals) collects a
`RowError` per bad cell (core/xlsx.py). A file of 3,000 teachers whose organisations are not
loaded yet has 3,000 of them, all saying the same thing about five codes; listing each one made a
327 KB alert. Here errors that share a cause — the same column and the same message, which
carries the offending value («организация с кодом «NEV-S300» не найдена») — become one line:

    столбец «Код организации»: организация с кодом «NEV-S300» не найдена в вашем районе — 61 строка: 2–62

The alert shows the first `MAX_GROUPS` causes and «и ещё N причин»; a cause's row list is cut
after `MAX_RANGE_PARTS` pieces (its count is exact), so an alert stays a few kilobytes whatever
the file. The individual `RowError`s stay on the result for code and tests that need them.

`organisations_first()` is the one sentence an import that refers to organisations by code adds
when the district has none (or most codes are unknown): what to load first, and the order.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .formatting import count_phrase, integer, plural
from .xlsx import RowError

MAX_GROUPS = 20  # causes shown in an alert
MAX_RANGE_PARTS = 12  # pieces of one cause's row list («2–62», «70», …) before «…»

# What a new district loads, in this order (each refers to what comes before it).
IMPORT_ORDER = ("организации", "педагоги", "участие в кластерах", "план/факт")


def compact_ranges(numbers: Iterable[int], *, limit: int | None = None) -> str:
    """Row numbers as a reader wants them: [9, 2, 3, 4, 5, 14, 15, 2] → «2–5, 9, 14–15».

    Sorted, duplicates dropped, every run of consecutive numbers (two or more) written as
    «first–last». With `limit`, at most that many pieces, then «…». Empty input gives «».
    """
    ordered = sorted(set(numbers))
    pieces: list[str] = []
    index = 0
    while index < len(ordered):
        start = end = ordered[index]
        while index + 1 < len(ordered) and ordered[index + 1] == end + 1:
            index += 1
            end = ordered[index]
        pieces.append(str(start) if start == end else f"{start}–{end}")
        index += 1
    if limit is not None and len(pieces) > limit:
        pieces = [*pieces[:limit], "…"]
    return ", ".join(pieces)


def rows_phrase(count: int) -> str:
    """«1 строка», «61 строка», «3 строки», «3 394 строки»."""
    return f"{integer(count)} {plural(count, 'строка', 'строки', 'строк')}"


@dataclass(frozen=True)
class ErrorGroup:
    """Errors sharing one cause: the column (None: no single column), the message, their rows.

    No rows: an error of the whole file («В файле нет обязательных столбцов …»).
    """

    column: str | None
    message: str
    rows: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def ranges(self) -> str:
        return compact_ranges(self.rows, limit=MAX_RANGE_PARTS)

    def __str__(self) -> str:
        if not self.rows:
            return self.message
        if len(self.rows) == 1:
            return str(RowError(self.rows[0], self.column, self.message))
        cause = f"столбец «{self.column}»: {self.message}" if self.column else self.message
        return f"{cause.rstrip('.')} — {rows_phrase(len(self.rows))}: {self.ranges}"


def group_errors(errors: Iterable[RowError]) -> list[ErrorGroup]:
    """One group per (column, message), in the order of its first row; errors of the whole file
    first (they say why nothing else could be checked), each on its own."""
    whole_file: list[ErrorGroup] = []
    rows: dict[tuple[str | None, str], set[int]] = {}
    for error in errors:
        if error.row is None:
            whole_file.append(ErrorGroup(error.column, error.message))
        else:
            rows.setdefault((error.column, error.message), set()).add(error.row)
    groups = [ErrorGroup(column, message, tuple(sorted(numbers))) for (column, message), numbers in rows.items()]
    groups.sort(key=lambda group: group.rows[0])
    return whole_file + groups


def grouped_lines(errors: Iterable[RowError]) -> list[str]:
    """The groups as text, every one of them (for messages outside a page, tests, demo loaders)."""
    return [str(group) for group in group_errors(errors)]


@dataclass
class ErrorReport:
    """What an import page's alert shows: the first causes, how many more, and a hint (or «»)."""

    groups: list[ErrorGroup]
    total: int  # individual errors
    hint: str = ""
    limit: int = MAX_GROUPS

    @property
    def shown(self) -> list[ErrorGroup]:
        return self.groups[: self.limit]

    @property
    def hidden(self) -> int:
        return max(0, len(self.groups) - self.limit)

    @property
    def hidden_text(self) -> str:
        """«и ещё 7 причин (240 строк)» — what the alert leaves out."""
        if not self.hidden:
            return ""
        rest = self.groups[self.limit:]
        rows = sum(group.count for group in rest)
        text = "и ещё " + count_phrase(self.hidden, "причина", "причины", "причин")
        return text + (f" ({rows_phrase(rows)})" if rows else "")

    @property
    def total_text(self) -> str:
        """«Найдено ошибок: 3 394 (причин: 5).» or «» for a single error."""
        if self.total <= 1:
            return ""
        text = f"Найдено ошибок: {integer(self.total)}"
        if len(self.groups) < self.total:
            text += f" (причин: {integer(len(self.groups))})"
        return text + "."


def error_report(errors: Sequence[RowError], *, hint: str = "", limit: int = MAX_GROUPS) -> ErrorReport:
    return ErrorReport(groups=group_errors(errors), total=len(errors), hint=hint, limit=limit)


class GroupedErrorsMixin:
    """For an import's result with `errors: list[RowError]` and `hint: str` (what to load first,
    or «»): the grouped view of the errors the page shows."""

    errors: list[RowError]
    hint: str

    @property
    def grouped_errors(self) -> list[str]:
        return grouped_lines(self.errors)

    @property
    def error_report(self) -> ErrorReport:
        return error_report(self.errors, hint=self.hint)


def organisations_first(*, district: str, known: int, unknown: int, referenced: int, step: str) -> str:
    """The hint an import referring to organisations by code gives when they are not loaded yet.

    `known` — organisations the district has; `unknown` of `referenced` distinct codes of the file
    were not found; `step` — this import in IMPORT_ORDER («педагоги», «план/факт» …). «» when most
    codes were found (then the row errors say enough).
    """
    if unknown == 0 or (known and unknown * 2 <= referenced):
        return ""
    if known == 0:
        why = f"в районе «{district}» ещё нет ни одной организации, поэтому коды организаций из файла не находятся."
    else:
        why = (f"из организаций, названных в файле, не найдено {integer(unknown)} из {integer(referenced)} — "
               f"похоже, организации района «{district}» загружены не все.")
    return (f"Сначала загрузите организации района: {why} "
            f"Порядок загрузки: {order_text(step)}.")


def order_text(step: str = "") -> str:
    """«организации → педагоги → участие в кластерах → план/факт», the current step marked «(этот файл)»."""
    return " → ".join(f"{name} (этот файл)" if name == step else name for name in IMPORT_ORDER)
