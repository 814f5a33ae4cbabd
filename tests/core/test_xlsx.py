"""core/xlsx.py: hostile uploads are refused in Russian, formula-like text stays text, error shapes."""
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core import xlsx
from core.errors import InvalidError
from core.xlsx import RowError, XlsxColumn, XlsxReadError, XlsxSheet


def _upload(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("t.xlsx", buffer.getvalue())


def test_row_error_names_row_and_column():
    assert str(RowError(5, "Факт", "ожидается число")) == "строка 5, столбец «Факт»: ожидается число"
    assert str(RowError(7, None, "повторяет строку 3.")) == "строка 7: повторяет строку 3."
    assert str(RowError(None, None, "Файл пуст.")) == "Файл пуст."


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "да"), (101.0, "101"), (2.5, "2.5"), (Decimal("7.00"), "7"), (Decimal("7.25"), "7.25"),
    (datetime.datetime(2026, 11, 23), "23.11.2026"), (datetime.datetime(2026, 11, 23, 9, 30), "23.11.2026 09:30"),
    (datetime.date(2021, 12, 17), "17.12.2021"), ("  СОШ № 1 ", "СОШ № 1"),
])
def test_cell_to_text(value, expected):
    assert xlsx.cell_to_text(value) == expected


def test_normalise_header_ignores_case_spaces_yo_and_required_mark():
    assert xlsx.normalise_header("  Год   рождения* ") == "год рождения"
    assert xlsx.normalise_header("Ёмкость") == xlsx.normalise_header("емкость")


def test_read_table_skips_empty_rows_and_keeps_excel_row_numbers():
    table = xlsx.read_table(_upload([[None], ["Код", "Имя"], ["a", 1], [None, None], ["b", 2]]))
    assert table.header == ["Код", "Имя"]
    assert table.header_row == 2
    assert table.rows == [(3, ("a", 1)), (5, ("b", 2))]


def test_read_table_refuses_what_is_not_a_workbook():
    with pytest.raises(XlsxReadError, match="Файл пуст"):
        xlsx.read_table(SimpleUploadedFile("e.xlsx", b""))
    with pytest.raises(XlsxReadError, match="старом формате"):
        xlsx.read_table(SimpleUploadedFile("o.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100))
    with pytest.raises(XlsxReadError, match="не является книгой Excel"):
        xlsx.read_table(SimpleUploadedFile("t.xlsx", "Код;Имя".encode()))


def test_read_table_refuses_a_zip_that_inflates_too_far_before_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "0" * 200_000)
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    assert upload.size < 10_000
    with pytest.raises(XlsxReadError, match="после распаковки слишком велико"):
        xlsx.read_table(upload, max_uncompressed=100_000)


def test_read_table_limits_size_and_rows():
    upload = _upload([["Код"], ["a"], ["b"], ["c"]])
    with pytest.raises(XlsxReadError, match="больше 2 строк"):
        xlsx.read_table(upload, row_limit=2)
    with pytest.raises(XlsxReadError, match="Файл слишком большой"):
        xlsx.read_table(upload, max_bytes=1000)


def test_formula_like_text_is_written_as_text_and_read_back_unchanged():
    columns = [XlsxColumn("Название", width=30), XlsxColumn("Код", text=True)]
    content = xlsx.build_workbook(columns, [["=HYPERLINK(\"http://x\")", "0101"], ["-5", "+7"]], sheet_title="Лист")
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == "=HYPERLINK(\"http://x\")"
    assert sheet["B2"].value == "0101"
    assert sheet["A3"].value == "-5" and sheet["A3"].quotePrefix
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"


def test_several_sheets_with_number_formats():
    sheets = [XlsxSheet("Доли", [XlsxColumn("Доля", number_format="0.0%")], [[0.548], ["нет"]]),
              XlsxSheet("Даты", [XlsxColumn("Дата")], [[datetime.date(2021, 12, 17)]])]
    workbook = load_workbook(io.BytesIO(xlsx.build_workbook_sheets(sheets)))
    assert workbook.sheetnames == ["Доли", "Даты"]
    assert workbook["Доли"]["A2"].number_format == "0.0%"
    assert workbook["Доли"]["A3"].number_format == "General"
    assert workbook["Даты"]["A2"].number_format == "DD.MM.YYYY"


def test_column_value_follows_attribute_paths_and_calls_methods():
    class Org:
        code = "OU-1"

        def get_kind_display(self):
            return "школа"

    class Teacher:
        organisation = Org()

    assert XlsxColumn("Код", "organisation.code").value_of(Teacher()) == "OU-1"
    assert XlsxColumn("Тип", "organisation.get_kind_display").value_of(Teacher()) == "школа"
    assert XlsxColumn("Пусто", "missing.code").value_of(type("T", (), {"missing": None})()) is None
    assert XlsxColumn("Длина", lambda t: 3).value_of(Teacher()) == 3


def test_xlsx_response_is_an_attachment_with_an_encoded_russian_name():
    response = xlsx.xlsx_response(b"PK", "Педагоги_2026-11-23.xlsx")
    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%D0%9F%D0%B5" in response["Content-Disposition"]  # «Пе» percent-encoded
    assert response.content == b"PK"


def test_an_unreadable_file_is_an_invalid_input_error():
    with pytest.raises(InvalidError) as caught:
        xlsx.read_table(SimpleUploadedFile("e.xlsx", b""))
    assert caught.value.code == "invalid"
