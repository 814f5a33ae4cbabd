"""XLSX import of assessment results (docs/domain.md, «Импорт результатов оценочных процедур»),
with real workbooks built by openpyxl."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from clusters.imports import RowError, group_errors
from clusters.models import Tier, TierSource
from core import xlsx
from network import imports
from network.models import AssessmentResult
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory
from tests.network.factories import ProcedureFactory, procedure, result

pytestmark = pytest.mark.django_db

HEADER = ["Год", "Процедура", "Предмет", "Класс", "Код организации", "Участников", "Средний балл",
          "Доля не справившихся, %", "Доля «4» и «5», %"]


def make_xlsx(rows, name="results.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=xlsx.XLSX_CONTENT_TYPE)


def run(user, rows):
    return imports.import_results(user=user, file=make_xlsx(rows))


def snapshot():
    return sorted(AssessmentResult.objects.values_list(
        "organisation__code", "procedure__name", "subject", "grade", "year", "participants", "mean_score",
        "failed_share", "good_share"))


def texts(result):
    return [str(e) for e in result.errors]


GOOD = [
    HEADER,
    [2020, "ОГЭ", "Математика", 9, "OU-A", 50, 4.0, "2,0", "70,5 %"],
    [2020, "огэ", "русский  язык", 9, "OU-A", 48, "3,9", 0, 65],
    [2020, "ОГЭ", "Математика", 9, "OU-B", 60, 3.5, 5.5, "40"],
    [2020, "ЕГЭ", "Математика", 11, "OU-B", 20, 61.5, 5, None],
]


def test_headers_are_exactly_the_contract():
    assert [c.header for c in imports.ResultImport.columns] == HEADER
    workbook = load_workbook(io.BytesIO(imports.ResultImport.template_bytes_for(None)))
    assert [c.value for c in workbook.active[1]] == HEADER


def test_template_offers_the_districts_procedures_as_a_dropdown(district_a):
    ProcedureFactory(district=district_a, name="Диагностика района")
    workbook = load_workbook(io.BytesIO(imports.ResultImport.template_bytes_for(district_a)))
    formulas = [v.formula1 for v in workbook.active.data_validations.dataValidation]
    assert len(formulas) == 1
    assert "ОГЭ" in formulas[0] and "Диагностика района" in formulas[0]


def test_good_file_creates_every_row_with_normalised_values(methodist, school_a, school_b):
    outcome = run(methodist, GOOD)
    assert outcome.ok, texts(outcome)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (4, 0, 0)
    assert snapshot() == [
        ("OU-A", "ОГЭ", "Математика", 9, 2020, 50, Decimal("4.00"), Decimal("2.00"), Decimal("70.50")),
        # «огэ» is the shipped ОГЭ; «русский  язык» → «Русский язык».
        ("OU-A", "ОГЭ", "Русский язык", 9, 2020, 48, Decimal("3.90"), Decimal("0.00"), Decimal("65.00")),
        ("OU-B", "ЕГЭ", "Математика", 11, 2020, 20, Decimal("61.50"), Decimal("5.00"), None),
        ("OU-B", "ОГЭ", "Математика", 9, 2020, 60, Decimal("3.50"), Decimal("5.50"), Decimal("40.00")),
    ]


def test_reimport_is_unchanged_and_a_changed_row_is_updated(methodist, school_a, school_b):
    assert run(methodist, GOOD).ok
    again = run(methodist, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = [list(r) for r in GOOD]
    changed[3][6] = "3,6"  # OU-B ОГЭ Математика: 3,5 → 3,6
    changed[2][2] = "Русский язык"  # the same subject spelled normally: still the same row
    outcome = run(methodist, changed)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 3)
    assert AssessmentResult.objects.get(organisation=school_b, procedure__name="ОГЭ").mean_score == Decimal("3.60")


def test_a_districts_own_procedure_is_accepted_and_anothers_is_not(methodist, district_b, school_a):
    ProcedureFactory(district=methodist.district, name="Диагностика района")
    ProcedureFactory(district=district_b, name="Кировская диагностика")
    ok = run(methodist, [HEADER, [2021, "диагностика района", "Физика", 8, "OU-A", 25, 3.1, None, None]])
    assert ok.ok, texts(ok)
    refused = run(methodist, [HEADER, [2021, "Кировская диагностика", "Физика", 8, "OU-A", 25, 3.1, None, None]])
    assert texts(refused) == [
        "строка 2, столбец «Процедура»: процедура «Кировская диагностика» не найдена; допустимо: "
        "ВПР, Диагностика района, ЕГЭ, ОГЭ, РДР, Районная диагностика"
    ]


def test_bad_values_get_their_row_and_column_and_nothing_is_written(methodist, school_a, school_b):
    result(school_a, "Математика", 3.3, year=2019)
    before = snapshot()
    outcome = run(methodist, [
        HEADER,
        [2020, "ОГЭ", "Математика", 12, "OU-A", 0, -1, "101", "abc"],
        [1999, "ОКЭ", "Физика", 9, "OU-Z", "много", "3,8", "54,8 %", 40],
        [2020, "ОГЭ", "Физика", 9, "OU-B", 10, 3.8, None, None],
    ])
    assert texts(outcome) == [
        "строка 2, столбец «Класс»: число 12 вне допустимого диапазона 1–11",
        "строка 2, столбец «Участников»: участников должно быть не меньше 1, а не 0",
        "строка 2, столбец «Средний балл»: средний балл не может быть отрицательным (-1)",
        "строка 2, столбец «Доля не справившихся, %»: доля 101 % вне диапазона 0–100 %",
        "строка 2, столбец «Доля «4» и «5», %»: ожидается число, а не «abc»",
        "строка 3, столбец «Год»: число 1999 вне допустимого диапазона 2000–2100",
        "строка 3, столбец «Процедура»: процедура «ОКЭ» не найдена; допустимо: "
        "ВПР, ЕГЭ, ОГЭ, РДР, Районная диагностика",
        "строка 3, столбец «Код организации»: организация с кодом «OU-Z» не найдена в вашем районе",
        "строка 3, столбец «Участников»: ожидается целое число, а не «много»",
    ]
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 0)
    assert snapshot() == before


def test_wrong_header_and_missing_column_are_refused(methodist, school_a):
    wrong = run(methodist, [["Код", "Наименование"], ["OU-A", "Школа"]])
    assert len(wrong.errors) == 1
    assert str(wrong.errors[0]).startswith("В файле нет обязательных столбцов: «Год», «Процедура», «Предмет»")
    missing = run(methodist, [HEADER[:6] + HEADER[7:], [2020, "ОГЭ", "Математика", 9, "OU-A", 50, 2, 70]])
    assert texts(missing) == ["В файле нет обязательных столбцов: «Средний балл»."]
    assert AssessmentResult.objects.count() == 0


def test_optional_share_columns_may_be_left_out(methodist, school_a):
    outcome = run(methodist, [HEADER[:7], [2020, "ЕГЭ", "Химия", 11, "OU-A", 12, 55]])
    assert outcome.ok, texts(outcome)
    row = AssessmentResult.objects.get()
    assert (row.failed_share, row.good_share) == (None, None)


def test_a_duplicate_key_in_the_file_is_refused(methodist, school_a):
    outcome = run(methodist, [HEADER, [2020, "ОГЭ", "Математика", 9, "OU-A", 50, 4, None, None],
                              [2020, "огэ", "математика ", 9, "OU-A", 51, 4.1, None, None]])
    assert len(outcome.errors) == 1
    assert str(outcome.errors[0]).startswith("строка 3, столбец «Код организации»: повтор: та же запись")
    assert AssessmentResult.objects.count() == 0


def test_a_repeated_error_is_grouped(methodist, school_a):
    rows = [HEADER] + [[2020, "ОГЭ", f"Предмет {i}", 9, "OU-X", 10, 3, None, None] for i in range(42)]
    rows[6][4] = "OU-A"  # row 7 is fine: the gap splits the ranges
    outcome = run(methodist, rows)
    assert len(outcome.errors) == 41
    # Excel rows 2–43 minus row 7: 2–6 and 8–43, 41 rows in all.
    assert outcome.grouped_errors == [
        "столбец «Код организации»: организация с кодом «OU-X» не найдена в вашем районе — 41 строка: 2–6, 8–43"
    ]


def test_group_errors_keeps_single_and_file_errors_and_short_runs():
    errors = [RowError(None, None, "Файл пуст."), RowError(5, "Год", "не заполнено"),
              RowError(2, "Класс", "x"), RowError(3, "Класс", "x"), RowError(9, "Класс", "x"),
              RowError(4, None, "y"), RowError(6, None, "y"), RowError(7, None, "y")]
    assert group_errors(errors) == [
        "Файл пуст.",
        "столбец «Класс»: x — 3 строки: 2–3, 9",
        "y — 3 строки: 4, 6–7",
        "строка 5, столбец «Год»: не заполнено",
    ]


def test_export_escapes_formula_looking_text_and_reimports(methodist, school_a, client):
    dangerous = "=HYPERLINK(\"http://x\")"
    result(school_a, dangerous, 3.5, year=2020)
    client.force_login(methodist)
    response = client.get("/network/results/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    cell = sheet.cell(row=2, column=3)
    assert cell.value == dangerous and cell.data_type == "s" and cell.quotePrefix
    # The file re-imports unchanged (subject's first character «=» is not a letter: kept as is).
    outcome = imports.import_results(user=methodist, file=SimpleUploadedFile("e.xlsx", response.content))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1), texts(outcome)


def test_import_recomputes_next_years_tiers(methodist, district_a, school_a, school_b):
    school_c = OrganisationFactory(district=district_a, code="OU-C")
    cluster = ClusterFactory(district=district_a, year=2021)
    members = {o.code: ClusterMembershipFactory(cluster=cluster, organisation=o, tier=Tier.SYNCHRONOUS)
               for o in (school_a, school_b, school_c)}
    # One group (ОГЭ, Математика, 9, 2020): means 4,0 / 3,5 / 3,0, 50 participants each.
    # Group mean 3,5; σ = √((0,5² + 0 + 0,5²) / 3) = 0,408; z = +1,225 / 0 / −1,225;
    # thresholds ±0,5 → ТОП / синхронная / отстающая: two tiers change (A and C).
    outcome = run(methodist, [HEADER] + [[2020, "ОГЭ", "Математика", 9, code, 50, mean, None, None]
                                         for code, mean in (("OU-A", 4), ("OU-B", 3.5), ("OU-C", 3))])
    assert outcome.ok, texts(outcome)
    assert (outcome.tier_years, outcome.tiers_changed) == ([2021], 2)
    for membership in members.values():
        membership.refresh_from_db()
    assert [members[c].tier for c in ("OU-A", "OU-B", "OU-C")] == [Tier.TOP, Tier.SYNCHRONOUS, Tier.LAGGING]
    assert members["OU-A"].tier_source == TierSource.COMPUTED
    assert members["OU-A"].tier_index == Decimal("1.225")


def test_observer_cannot_import(observer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(observer, GOOD)


def test_a_shipped_procedure_exists_for_the_factories():
    assert procedure("ВПР").district is None


# --- the streaming reader (network/xlsx.py) gives what core/xlsx.py's openpyxl reader gives -------------


def _limits():
    return {"max_bytes": 10**7, "max_uncompressed": 10**8, "row_limit": 1000}


def _padded(rows, width=12):
    return [(n, tuple(list(v) + [None] * (width - len(v)))[:width]) for n, v in rows]


def test_streaming_reader_matches_openpyxl_on_every_kind_of_cell():
    from network import xlsx as fast

    rows = [[None], ["  ", None], HEADER, [2020, "ОГЭ", "Русский язык", 9, "0101", 50, 3.75, True, None],
            [None, None, None], [2021, "=1+1", "Физика", 9.0, 101, 12, 4, "54,8 %", -0.5],
            [None, None, None, None, None, None, None, None, None, "только лишний столбец"]]
    expected = xlsx.read_table(make_xlsx(rows), **_limits())
    got = fast.read_table(make_xlsx(rows), **_limits())
    assert (got.header_row, got.header[:9]) == (expected.header_row, expected.header[:9]) == (3, HEADER)
    assert _padded(got.rows) == _padded(expected.rows)


SHEET = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#N/A</v></c><c r="C3" t="str"><v>x</v></c></row>
<row><c t="n"><v>1.5E1</v></c><c><v>7</v></c></row>
</sheetData></worksheet>"""
STRINGS = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
<si><t>Год</t></si><si><r><t>Пред</t></r><r><t>мет</t></r><rPh><t>ふりがな</t></rPh></si></sst>"""
BOOK = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
BOOK_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
 Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
 Target="/xl/sharedStrings.xml"/></Relationships>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="xl/workbook.xml"/></Relationships>"""
TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""


def hand_made_xlsx(sheet: str = SHEET) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in (("[Content_Types].xml", TYPES), ("_rels/.rels", ROOT_RELS), ("xl/workbook.xml", BOOK),
                           ("xl/_rels/workbook.xml.rels", BOOK_RELS), ("xl/sharedStrings.xml", STRINGS),
                           ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, text.encode())
    return out.getvalue()


def test_streaming_reader_reads_shared_and_rich_text_booleans_errors_and_cells_without_references():
    from network import xlsx as fast

    table = fast.read_table(SimpleUploadedFile("h.xlsx", hand_made_xlsx()), **_limits())
    assert (table.header_row, table.header) == (1, ["Год", None, "Предмет"])  # the phonetic hint is not text
    # openpyxl's rules: «1.5E1» is a float, «7» an int; a row without r="…" follows the previous one.
    assert table.rows == [(3, (True, "#N/A", "x")), (4, (15.0, 7))]


def test_streaming_reader_refuses_a_document_type_declaration():
    from network import xlsx as fast

    bomb = SHEET.replace("<worksheet", '<!DOCTYPE lol [<!ENTITY a "aaaa">]><worksheet', 1)
    with pytest.raises(xlsx.XlsxReadError, match="Файл повреждён"):
        fast.read_table(SimpleUploadedFile("bomb.xlsx", hand_made_xlsx(bomb)), **_limits())


def test_streaming_reader_keeps_the_row_limit():
    from network import xlsx as fast

    with pytest.raises(xlsx.XlsxReadError, match="В файле больше 1 строк данных"):
        fast.read_table(make_xlsx(GOOD), max_bytes=10**7, max_uncompressed=10**8, row_limit=1)


def test_not_an_xlsx_is_refused_in_russian(methodist):
    outcome = imports.import_results(user=methodist, file=SimpleUploadedFile("x.xlsx", b"hello"))
    assert texts(outcome) == ["Файл не является книгой Excel в формате XLSX. Сохраните его как «Книга Excel (.xlsx)»."]


def test_percent_formatted_share_cells_are_read_as_excel_shows_them(methodist, school_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([2020, "ОГЭ", "Математика", 9, "OU-A", 50, 4.0, 0.025, 0.548])
    sheet.append([2020, "ОГЭ", "Физика", 9, "OU-A", 50, 4.0, 1, "54,8 %"])
    sheet["H2"].number_format = "0.0%"  # custom format → shown «2,5 %»
    sheet["I2"].number_format = "0%"  # built-in format 9 → shown «55 %», holds 0.548
    sheet["H3"].number_format = "0.00%"  # built-in format 10 → «100,00 %»
    sheet["G2"].number_format = "0.00"  # not a percentage: left as is
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = imports.import_results(user=methodist, file=SimpleUploadedFile("p.xlsx", buffer.getvalue()))
    assert outcome.ok, texts(outcome)
    shares = dict(AssessmentResult.objects.values_list("subject", "failed_share"))
    goods = dict(AssessmentResult.objects.values_list("subject", "good_share"))
    # 0.025 × 100 = 2.5; 0.548 × 100 = 54.8; 1 × 100 = 100; the text «54,8 %» is 54.8.
    assert (shares, goods) == ({"Математика": Decimal("2.50"), "Физика": Decimal("100.00")},
                               {"Математика": Decimal("54.80"), "Физика": Decimal("54.80")})
    assert AssessmentResult.objects.get(subject="Математика").mean_score == Decimal("4.00")
