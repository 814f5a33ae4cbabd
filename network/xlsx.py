"""A fast reader of the first sheet of an uploaded XLSX, for city-scale results files (100,000 rows).

openpyxl's read-only mode spends about a second of CPU per 5,000 rows of nine cells (it first walks
the whole sheet to size it, then builds a cell object per value): a 100,000-row file of results took
over a minute. This reader streams the sheet's XML with the standard library's C parser and yields
only values, the same ones openpyxl gives with `data_only=True` (cached values, never formulas):
numbers as int or float, shared and inline strings, booleans, error codes as text. One addition: a
number in a cell formatted as a percentage comes as `Percent` (a float), so the share columns can
read Excel's 0.548 shown as «54,8 %» as 54,8.

It keeps core/xlsx.py's defences and answers: the upload's size and the ZIP's declared
uncompressed sizes are checked by core.xlsx before anything is parsed (zipfile never inflates a
member past its declared size), a document type declaration (where entity bombs live) is refused,
the row limit is enforced while streaming, and every failure is an XlsxReadError in Russian.
Returns a core.xlsx.Table, so the import engine does not know which reader ran.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from xml.etree import ElementTree

from core import xlsx
from core.xlsx import Table, XlsxReadError

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DAMAGED = "Файл повреждён или не является книгой Excel (XLSX): не удаётся прочитать его содержимое."
_PROLOG_BYTES = 4096

_ROW, _CELL, _VALUE, _TEXT, _INLINE = MAIN + "row", MAIN + "c", MAIN + "v", MAIN + "t", MAIN + "is"


class Percent(float):
    """A number from a cell formatted as a percentage: Excel stores 54,8 % as 0.548 (the import multiplies
    it back for the share columns; to everything else it is the plain float)."""

    __slots__ = ()


# Built-in number formats that are percentages (ECMA-376, 18.8.30): 9 «0%», 10 «0.00%».
_BUILTIN_PERCENT = frozenset({9, 10})


def read_table(file, *, max_bytes: int, max_uncompressed: int, row_limit: int) -> Table:
    """The first sheet's header (first non-blank row) and non-blank rows, as core.xlsx.read_table gives."""
    data = xlsx.read_limited(file, max_bytes)  # the same checks as every upload
    xlsx.check_zip(data, max_uncompressed)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet_path, strings_path, styles_path = _parts(archive)
            strings = _shared_strings(archive, strings_path) if strings_path else []
            percent_styles = _percent_styles(archive, styles_path) if styles_path else frozenset()
            table = _sheet_table(archive, sheet_path, strings, percent_styles, row_limit)
    except XlsxReadError:
        raise
    except Exception:  # any parser failure on untrusted input is the same answer to the user
        raise XlsxReadError(DAMAGED) from None
    if table is None:
        raise XlsxReadError("На первом листе нет ни заголовка, ни данных.")
    return table


def _parse(archive: zipfile.ZipFile, path: str, events=("end",)):
    """iterparse of one part, refusing a DTD (entity declarations) in its prolog."""
    with archive.open(path) as part:
        head = part.read(_PROLOG_BYTES)
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise XlsxReadError(DAMAGED)
    return ElementTree.iterparse(archive.open(path), events=events)


def _rels(archive: zipfile.ZipFile, path: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type tail, target) of a part's .rels file."""
    found = {}
    for _, element in _parse(archive, path):
        if element.tag == PACKAGE_REL + "Relationship":
            found[element.get("Id")] = (element.get("Type", "").rsplit("/", 1)[-1], element.get("Target", ""))
    return found


def _resolve(base_dir: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base_dir, target))


def _parts(archive: zipfile.ZipFile) -> tuple[str, str | None, str | None]:
    """Paths of the first worksheet, the shared strings and the styles, from the package's relationships."""
    book = next((_resolve("", t) for kind, t in _rels(archive, "_rels/.rels").values() if kind == "officeDocument"),
                "xl/workbook.xml")
    book_dir = posixpath.dirname(book)
    rels = _rels(archive, posixpath.join(book_dir, "_rels", posixpath.basename(book) + ".rels"))
    sheets = []
    for _, element in _parse(archive, book):
        if element.tag == MAIN + "sheet":
            kind, target = rels.get(element.get(OFFICE_REL + "id"), ("", ""))
            if kind == "worksheet":
                sheets.append(_resolve(book_dir, target))
    if not sheets:
        raise XlsxReadError("В книге нет листов с данными.")
    strings = next((_resolve(book_dir, t) for kind, t in rels.values() if kind == "sharedStrings"), None)
    styles = next((_resolve(book_dir, t) for kind, t in rels.values() if kind == "styles"), None)
    return sheets[0], strings, styles


def _percent_styles(archive: zipfile.ZipFile, path: str) -> frozenset[str]:
    """The cell style indexes (a cell's s="…") whose number format shows a percentage."""
    custom: dict[int, str] = {}
    formats: list[int] = []
    in_cell_xfs = False
    for event, element in _parse(archive, path, events=("start", "end")):
        if element.tag == MAIN + "cellXfs":
            in_cell_xfs = event == "start"
        elif event == "end" and element.tag == MAIN + "numFmt":
            custom[int(element.get("numFmtId", -1))] = element.get("formatCode", "")
        elif event == "end" and in_cell_xfs and element.tag == MAIN + "xf":
            formats.append(int(element.get("numFmtId", 0)))
    percent = {i for i, code in custom.items() if "%" in code} | _BUILTIN_PERCENT
    return frozenset(str(index) for index, fmt in enumerate(formats) if fmt in percent)


def _shared_strings(archive: zipfile.ZipFile, path: str) -> list[str]:
    strings = []
    for _, element in _parse(archive, path):
        if element.tag == MAIN + "si":
            strings.append(_string_item(element))
            element.clear()
    return strings


def _string_item(item) -> str:
    """Plain text (<t>) or rich text runs (<r><t>) joined; phonetic hints (<rPh>) are not the value."""
    parts = []
    for child in item:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == MAIN + "r":
            parts.extend(t.text or "" for t in child.iter(_TEXT))
    return "".join(parts)


_COLUMNS: dict[str, int] = {}


def _column_index(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for letter in letters:
            index = index * 26 + ord(letter) - 64
        _COLUMNS[letters] = index - 1
        index -= 1
    return index


def _number(text: str) -> int | float:
    # As openpyxl: a point or an exponent makes a float.
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


def _cell_value(cell, strings: list[str], percent_styles: frozenset[str]):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        return None if inline is None else "".join(t.text or "" for t in inline.iter(_TEXT))
    value = cell.find(_VALUE)
    if value is None or value.text is None:
        return None
    text = value.text
    if kind == "n":
        number = _number(text)
        return Percent(number) if percent_styles and cell.get("s") in percent_styles else number
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return text.strip() in ("1", "true")
    return text  # "str" (a formula's text), "e" (an error code such as #N/A), "d" (an ISO date)


def _blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _sheet_table(archive: zipfile.ZipFile, path: str, strings: list[str], percent_styles: frozenset[str],
                 row_limit: int) -> Table | None:
    table: Table | None = None
    number = 0
    for _, row in _parse(archive, path):
        if row.tag != _ROW:
            continue
        number = int(row.get("r") or number + 1)
        values: list = []
        for cell in row.iter(_CELL):
            reference = cell.get("r")
            index = _column_index(reference) if reference else len(values)
            if index >= len(values):
                values.extend([None] * (index - len(values) + 1))
            values[index] = _cell_value(cell, strings, percent_styles)
        row.clear()
        if _blank(values):
            continue
        if table is None:
            table = Table(header=values, header_row=number)
            continue
        if len(table.rows) >= row_limit:
            raise XlsxReadError(f"В файле больше {row_limit} строк данных. Разделите таблицу на несколько файлов.")
        table.rows.append((number, tuple(values)))
    return table
