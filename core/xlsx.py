"""The one place that talks to openpyxl: reading uploads within limits, writing safe workbooks.

Shared by every app that imports or exports tables (the registry, plan/fact, survey results,
reports); what a particular import means (its columns and keys) stays in that app.

Reading treats every upload as hostile. Before openpyxl sees a byte we check the size of the
upload, that it is a ZIP at all, and the uncompressed sizes declared in the ZIP's central
directory (Python's zipfile refuses to inflate a member past its declared size, so the declared
sizes are a real bound). openpyxl then parses with defusedxml (installed), in read-only mode with
cached values instead of formulas, and we stop after a fixed number of data rows.

Writing turns any text that a spreadsheet could take for a formula (`=`, `+`, `-`, `@`, tab, CR
at the start) into an explicit string cell with the quote prefix, so an exported name like
`=HYPERLINK(...)` is shown as text and never evaluated; the text itself is kept unchanged so an
export can be imported back.
"""
from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import formatting
from .errors import InvalidError
from .formatting import human_size

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Limits of one upload. The upload size itself is settings.IMPORT_MAX_UPLOAD_BYTES (5 MiB).
# A real 5 MiB workbook inflates to a few tens of MiB at most; 20,000 rows is several times the
# teachers of a large district.
DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
MAX_ZIP_MEMBERS = 1_000

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"


class XlsxReadError(InvalidError):
    """The upload cannot be read as a table; the message is shown to the user as is."""


@dataclass(frozen=True)
class RowError:
    """One problem of an imported file; `row` is the Excel row number, None for the whole file.

    Shown as «строка 5, столбец «Факт»: …», «строка 5: …» or the bare message.
    """

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return f"строка {self.row}, столбец «{self.column}»: {self.message}"
        return f"строка {self.row}: {self.message}"


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_BYTES


def max_uncompressed_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)



# --- reading -----------------------------------------------------------------------------------


@dataclass
class Table:
    """The first sheet: its header row and the non-empty rows after it, with Excel row numbers."""

    header: list[Any]
    header_row: int
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)


def normalise_header(value: Any) -> str:
    """«  Год   рождения » == «год рождения»; «ё» == «е»; a trailing «*» (required mark) is ignored."""
    text = cell_to_text(value).replace("ё", "е").replace("Ё", "Е").casefold()
    return " ".join(text.split()).rstrip("*").strip()


def cell_to_text(value: Any) -> str:
    """A cell as the text a person sees: 101.0 → "101", a date → "23.11.2026", None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        # is_integer() is False for nan/inf, which int() would choke on.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return formatting.date(value)
        return formatting.date_time(value)
    if isinstance(value, datetime.date):
        return formatting.date(value)
    return str(value).strip()


def read_limited(file, limit: int) -> bytes:
    """The upload's bytes, refused in Russian past `limit` (by its declared size, then by what is read)."""
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise XlsxReadError(
            f"Файл слишком большой ({human_size(size)}); допустимо не более {human_size(limit)}."
        )
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise XlsxReadError(f"Файл слишком большой; допустимо не более {human_size(limit)}.")
    return data


def check_zip(data: bytes, uncompressed_limit: int) -> None:
    """Refuse, before parsing, what is not an XLSX package or inflates past `uncompressed_limit` (zip bomb)."""
    if not data:
        raise XlsxReadError("Файл пуст.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise XlsxReadError(
            "Файл в старом формате Excel (XLS) или защищён паролем. "
            "Сохраните его как «Книга Excel (.xlsx)» без пароля и загрузите снова."
        )
    not_xlsx = "Файл не является книгой Excel в формате XLSX. Сохраните его как «Книга Excel (.xlsx)»."
    if not data.startswith(b"PK\x03\x04"):
        raise XlsxReadError(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise XlsxReadError("Файл повреждён: не удаётся открыть его как книгу Excel (XLSX).") from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise XlsxReadError(not_xlsx)
    if len(members) > MAX_ZIP_MEMBERS:
        raise XlsxReadError("Файл содержит слишком много частей; это не похоже на таблицу для импорта.")
    # Decide before decompressing anything: a few kilobytes can inflate to gigabytes (zip bomb).
    total = sum(member.file_size for member in members)
    if total > uncompressed_limit:
        raise XlsxReadError(
            f"Содержимое файла после распаковки слишком велико ({human_size(total)}; "
            f"допустимо не более {human_size(uncompressed_limit)}). Разделите таблицу на несколько файлов."
        )


def read_table(
    file,
    *,
    max_bytes: int | None = None,
    max_uncompressed: int | None = None,
    row_limit: int | None = None,
) -> Table:
    """Read the first sheet of an uploaded XLSX; every refusal is an XlsxReadError in Russian.

    The header is the first non-empty row; fully empty rows after it are skipped.
    """
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    max_uncompressed = max_uncompressed_bytes() if max_uncompressed is None else max_uncompressed
    row_limit = max_rows() if row_limit is None else row_limit

    data = read_limited(file, max_bytes)
    check_zip(data, max_uncompressed)
    damaged = "Файл повреждён или не является книгой Excel (XLSX): не удаётся прочитать его содержимое."
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any parser failure on untrusted input is the same answer to the user
        raise XlsxReadError(damaged) from None
    try:
        if not workbook.worksheets:
            raise XlsxReadError("В книге нет листов с данными.")
        table = _first_sheet_table(workbook.worksheets[0], row_limit)
    except XlsxReadError:
        raise
    except Exception:
        raise XlsxReadError(damaged) from None
    finally:
        workbook.close()
    if table is None:
        raise XlsxReadError("На первом листе нет ни заголовка, ни данных.")
    return table


def _blank(values: tuple[Any, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _first_sheet_table(sheet, row_limit: int) -> Table | None:
    """The header (first non-blank row) and the non-blank rows after it; None for a blank sheet."""
    # Some programs write a wrong <dimension>; read what is really there.
    sheet.reset_dimensions()
    table: Table | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = tuple(values)
        if _blank(values):
            continue
        if table is None:
            table = Table(header=list(values), header_row=number)
            continue
        if len(table.rows) >= row_limit:
            raise XlsxReadError(f"В файле больше {row_limit} строк данных. Разделите таблицу на несколько файлов.")
        table.rows.append((number, values))
    return table


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class XlsxColumn:
    """One column of an exported list or an import template.

    `value` is an attribute path ("organisation.code"; a callable at the end is called, so
    "get_kind_display" works) or a function of the object. `choices` become a dropdown list;
    `text` keeps typed values such as codes as text (no 0101 → 101).
    """

    header: str
    value: str | Callable[[Any], Any] | None = None
    width: int = 20
    choices: tuple[str, ...] = ()
    text: bool = False
    number_format: str = ""  # for numbers of this column, e.g. "0.0%" for shares stored as 0.548

    def value_of(self, obj: Any) -> Any:
        if self.value is None:
            return None
        if callable(self.value):
            return self.value(obj)
        result = obj
        for part in self.value.split("."):
            if result is None:
                return None
            result = getattr(result, part)
            if callable(result):
                result = result()
        return result


_PLAIN_TYPES = frozenset({int, float, Decimal, bool})


def needs_escape(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def _cell(sheet, value: Any, *, bold: bool = False) -> Any:
    """The value as written: a plain number, safe text or None as it is (the streaming writer reuses one
    cell for those, so a 200,000-row export does not make a cell object per value), else a styled cell."""
    if not bold and (value is None or type(value) in _PLAIN_TYPES or (type(value) is str and not needs_escape(value))):
        return value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and needs_escape(value):
        # openpyxl would store "=..." as a formula; an explicit string with the quote prefix is
        # shown as text and never evaluated, and the text stays exactly what it was.
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, datetime.datetime):
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, datetime.date):
        cell.number_format = "DD.MM.YYYY"
    if bold:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    return cell


def _dropdown(choices: Sequence[str], column_letter: str, last_row: int) -> DataValidation:
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Недопустимое значение",
        error="Выберите значение из списка: " + ", ".join(choices),
    )
    validation.add(f"{column_letter}2:{column_letter}{last_row}")
    return validation


def build_workbook(
    columns: Sequence[XlsxColumn],
    rows: Iterable[Sequence[Any]] = (),
    *,
    sheet_title: str = "Лист1",
    dropdown_rows: int = 5000,
) -> bytes:
    """A one-sheet workbook: bold header, column widths, frozen header, dropdowns, safe cells.

    Written in streaming mode, so a district-wide export does not hold every cell in memory.
    """
    workbook = Workbook(write_only=True)
    write_table(workbook, columns, rows, sheet_title=sheet_title, dropdown_rows=dropdown_rows)
    return _saved(workbook)


def write_table(
    workbook: Workbook,
    columns: Sequence[XlsxColumn],
    rows: Iterable[Sequence[Any]] = (),
    *,
    sheet_title: str = "Лист1",
    dropdown_rows: int = 5000,
) -> int:
    """build_workbook's sheet added to a streaming (write-only) `workbook`; returns the number of data rows.
    An export job (core/exports.py) writes into its own workbook saved to a file."""
    sheet = _sheet_with_header(workbook, sheet_title, columns)
    last_row = 1
    for values in rows:
        sheet.append([_cell(sheet, value) for value in values])
        last_row += 1
    # Written after the rows (the streaming writer emits validations in the sheet's tail).
    for index, column in enumerate(columns, start=1):
        if column.choices:
            last = max(last_row, dropdown_rows) + 1
            sheet.data_validations.append(_dropdown(column.choices, get_column_letter(index), last))
    return last_row - 1


def _sheet_with_header(workbook: Workbook, title: str, columns: Sequence[XlsxColumn]):
    """A new streaming sheet with the columns' widths and text formats and a bold, frozen header."""
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.text:
            dimension.number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, column.header, bold=True) for column in columns])
    return sheet


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_rows(columns: Sequence[XlsxColumn], objects: Iterable[Any]) -> Iterator[list[Any]]:
    for obj in objects:
        yield [column.value_of(obj) for column in columns]


@dataclass(frozen=True)
class XlsxSheet:
    """One sheet of a multi-sheet workbook: its title, columns and rows (an iterable, streamed)."""

    title: str
    columns: Sequence[XlsxColumn]
    rows: Iterable[Sequence[Any]] = ()


def build_workbook_sheets(sheets: Sequence[XlsxSheet]) -> bytes:
    """A workbook of several sheets, each like build_workbook's: bold frozen header, widths, safe
    cells (formula-like text stays text), and each column's `number_format` on its numbers."""
    workbook = Workbook(write_only=True)
    write_sheets(workbook, sheets)
    return _saved(workbook)


def write_sheets(workbook: Workbook, sheets: Sequence[XlsxSheet]) -> None:
    """build_workbook_sheets' sheets added to a streaming (write-only) `workbook`."""
    for spec in sheets:
        sheet = _sheet_with_header(workbook, spec.title, spec.columns)
        formats = [column.number_format for column in spec.columns]
        if not any(formats):
            for values in spec.rows:
                sheet.append([_cell(sheet, value) for value in values])
            continue
        for values in spec.rows:
            sheet.append([_formatted_cell(sheet, value, number_format)
                          for value, number_format in zip(values, formats, strict=False)])


def _formatted_cell(sheet, value: Any, number_format: str) -> Any:
    if number_format and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return _cell(sheet, value)


def save_to(workbook: Workbook, path) -> None:
    """Write a streaming workbook to a file (an export job's), never holding its bytes in memory."""
    workbook.save(path)


# --- download ----------------------------------------------------------------------------------


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a file download (Content-Disposition: attachment; a Cyrillic name is encoded)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
