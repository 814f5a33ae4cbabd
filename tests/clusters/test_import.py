"""XLSX import of organisations, teachers and cluster memberships (docs/domain.md «Import templates»)."""
import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clusters import imports
from clusters.models import Cluster, ClusterMembership, Organisation, Teacher
from core import xlsx
from tests.factories import ClusterFactory, ClusterMembershipFactory, TeacherFactory

pytestmark = pytest.mark.django_db

ORG_HEADER = ["Код", "Краткое наименование", "Полное наименование", "Тип", "Район", "Адрес", "Email"]
TEACHER_HEADER = ["Табельный номер", "Код организации", "ФИО", "Должность", "Предметная область",
                  "Педагогический стаж", "Год рождения", "Квалификационная категория"]
MEMBERSHIP_HEADER = ["Год", "Кластер", "Код организации", "Методическая тема", "Уровень"]
DISTRICT_A = "Фрунзенский район"


def make_xlsx(rows, name="registry.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=xlsx.XLSX_CONTENT_TYPE)


def upload(client, kind, file):
    return client.post(reverse("clusters:import"), {"kind": kind, "file": file})


def error_texts(result) -> list[str]:
    return [str(error) for error in result.errors]


def organisation_snapshot():
    return sorted(Organisation.objects.values_list(
        "district_id", "code", "short_name", "full_name", "kind", "address", "email", "is_active"))


def teacher_snapshot():
    return sorted(Teacher.objects.values_list(
        "organisation_id", "personnel_number", "full_name", "position", "subject_area",
        "experience_years", "birth_year", "category"))


def membership_snapshot():
    return sorted(ClusterMembership.objects.values_list(
        "cluster__year", "cluster__name", "organisation__code", "theme", "tier", "project"))


# --- happy paths -------------------------------------------------------------------------------


def test_methodist_imports_organisations_with_tolerant_header(methodist_client, district_a):
    # Columns reordered, header in other case and spacing, an extra column that is ignored,
    # and a code that Excel stored as the number 101.0.
    file = make_xlsx([
        ["  КОД ", "Тип", "краткое   наименование", "Полное наименование", "район", "Примечание", "EMAIL", "Адрес"],
        [101.0, "ДОУ", "ГБДОУ № 101", "Детский сад № 101", DISTRICT_A, "не читается", "ds101@example.org",
         "ул. Турку, 1"],
        ["OU-77", "школа", "ГБОУ СОШ № 77", "Средняя школа № 77", "фрунзенский  район", "", None, None],
    ])

    response = upload(methodist_client, "organisations", file)

    assert response.status_code == 302
    assert response.url == reverse("clusters:organisation_list")
    kindergarten = Organisation.objects.get(district=district_a, code="101")
    assert (kindergarten.short_name, kindergarten.full_name, kindergarten.kind) == (
        "ГБДОУ № 101", "Детский сад № 101", "kindergarten")
    assert (kindergarten.address, kindergarten.email) == ("ул. Турку, 1", "ds101@example.org")
    school = Organisation.objects.get(district=district_a, code="OU-77")
    assert (school.kind, school.address, school.email, school.is_active) == ("school", "", "", True)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Импорт «Организации» выполнен: создано 2, изменено 0, без изменений 0."]


def test_changed_organisation_file_updates_by_code(methodist, school_a, school_b):
    file = make_xlsx([
        ORG_HEADER,
        ["OU-A", "ГБОУ СОШ № 1 (новое)", school_a.full_name, "школа", DISTRICT_A, school_a.address, school_a.email],
        ["OU-B", school_b.short_name, school_b.full_name, "школа", DISTRICT_A, school_b.address, school_b.email],
    ])

    result = imports.import_organisations(user=methodist, file=file)

    assert result.ok, error_texts(result)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    school_a.refresh_from_db()
    assert school_a.short_name == "ГБОУ СОШ № 1 (новое)"
    assert Organisation.objects.filter(district=school_a.district).count() == 2


def test_methodist_imports_teachers(methodist, school_a, school_b):
    existing = TeacherFactory(organisation=school_a, personnel_number="T-1", full_name="Старое ФИО",
                              experience_years=3, category="none")
    file = make_xlsx([
        TEACHER_HEADER,
        ["T-1", "OU-A", "Иванова Анна Петровна", "учитель", "математика", 12.0, "1985", "высшая"],
        [1002, "OU-B", "Петров Пётр Петрович", "педагог-психолог", None, None, None, None],
        ["T-3", "OU-A", "Сидорова Мария Ивановна", "учитель", "русский язык", 1, 1999, "Первая"],
    ])

    result = imports.import_teachers(user=methodist, file=file)

    assert result.ok, error_texts(result)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    existing.refresh_from_db()
    assert (existing.full_name, existing.experience_years, existing.birth_year, existing.category) == (
        "Иванова Анна Петровна", 12, 1985, "highest")
    petrov = Teacher.objects.get(organisation=school_b, personnel_number="1002")
    assert (petrov.subject_area, petrov.experience_years, petrov.birth_year, petrov.category) == (
        "", None, None, "none")
    assert Teacher.objects.get(organisation=school_a, personnel_number="T-3").category == "first"


def test_methodist_imports_memberships_and_new_cluster_is_created(methodist, district_a, school_a, school_b):
    cluster = ClusterFactory(district=district_a, year=2021, name="Функциональная грамотность")
    file = make_xlsx([
        MEMBERSHIP_HEADER,
        [2021, "Функциональная грамотность", "OU-A", "Читательская грамотность на уроках", "ТОП"],
        [2021, "Цифровая школа", "OU-B", "Цифровые сервисы в обучении", "отстающая"],
        ["2021", "цифровая  ШКОЛА", "OU-A", "Электронное портфолио", "синхронная"],
    ])

    result = imports.import_memberships(user=methodist, file=file)

    assert result.ok, error_texts(result)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.created_clusters == ["«Цифровая школа» (2021)"]
    assert "созданы новые кластеры: «Цифровая школа» (2021)" in result.summary
    new_cluster = Cluster.objects.get(district=district_a, year=2021, name="Цифровая школа")
    assert Cluster.objects.filter(district=district_a).count() == 2
    top = ClusterMembership.objects.get(cluster=cluster, organisation=school_a)
    assert (top.theme, top.tier) == ("Читательская грамотность на уроках", "top")
    assert ClusterMembership.objects.get(cluster=new_cluster, organisation=school_b).tier == "lagging"
    assert ClusterMembership.objects.get(cluster=new_cluster, organisation=school_a).tier == "synchronous"


def test_membership_import_via_view_tells_about_new_clusters(methodist_client, school_a):
    file = make_xlsx([MEMBERSHIP_HEADER, [2022, "Наставничество", "OU-A", "Школа молодого педагога", "ТОП"]])

    response = upload(methodist_client, "memberships", file)

    assert response.status_code == 302
    assert response.url == reverse("clusters:cluster_list")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Импорт «Участие в кластерах» выполнен: создано 1, изменено 0, без изменений 0; "
                        "созданы новые кластеры: «Наставничество» (2022)."]


def test_import_of_many_rows_uses_a_constant_number_of_queries(methodist, school_a, django_assert_max_num_queries):
    TeacherFactory.create_batch(20, organisation=school_a)
    rows = [TEACHER_HEADER] + [
        [f"N{i}", "OU-A", f"Педагог {i}", "учитель", "история", 5, 1990, "первая"] for i in range(60)
    ]
    file = make_xlsx(rows)

    # organisations, teachers, savepoint + release, one insert: 5 — nowhere near one per row.
    with django_assert_max_num_queries(6):
        result = imports.import_teachers(user=methodist, file=file)

    assert result.created == 60


# --- bad rows: nothing changes, every error listed -----------------------------------------------


def test_organisation_file_with_bad_rows_changes_nothing_and_lists_every_error(methodist_client, school_a):
    before = organisation_snapshot()
    file = make_xlsx([
        ORG_HEADER,
        ["A1", "ГБОУ № 10", "Школа № 10", "школа", DISTRICT_A, "", ""],  # valid, must not be saved
        ["A2", "", "Школа № 11", "школа", DISTRICT_A, "", ""],
        ["A3", "Гимназия № 12", "Гимназия № 12", "гимназия", DISTRICT_A, "", ""],
        ["A4", "Лицей № 13", "Лицей № 13", "школа", "Кировский район", "", ""],
        ["A5", "Школа № 14", "Школа № 14", "УДО", DISTRICT_A, "", "не-почта"],
        ["A1", "ГБОУ № 10 (дубль)", "Школа № 10", "школа", DISTRICT_A, "", ""],
        ["A7", "Ш" * 201, "", "школа", DISTRICT_A, "", ""],
    ])

    response = upload(methodist_client, "organisations", file)

    assert response.status_code == 200
    result = response.context["result"]
    assert error_texts(result) == [
        "строка 3, столбец «Краткое наименование»: не заполнено",
        "строка 4, столбец «Тип»: недопустимое значение «гимназия»; допустимо: школа, ДОУ, УДО, другое",
        "строка 5, столбец «Район»: «Кировский район» — не ваш район; импортировать можно только в "
        "«Фрунзенский район»",
        "строка 6, столбец «Email»: Введите правильный адрес электронной почты",
        "строка 7, столбец «Код»: повтор: та же запись (Код «A1») уже есть в строке 2",
        "строка 8, столбец «Краткое наименование»: Убедитесь, что это значение содержит не более 200 символов "
        "(сейчас 201)",
        "строка 8, столбец «Полное наименование»: не заполнено",
    ]
    assert organisation_snapshot() == before
    page = response.content.decode()
    assert "в реестре ничего не изменено" in page
    assert "строка 4, столбец «Тип»" in page


def test_teacher_file_with_bad_rows_changes_nothing(methodist, school_a):
    TeacherFactory(organisation=school_a, personnel_number="T-1", full_name="Как было")
    before = teacher_snapshot()
    file = make_xlsx([
        TEACHER_HEADER,
        ["T-1", "OU-A", "Новое ФИО", "учитель", "", 5, 1980, "первая"],  # valid update, must not happen
        ["T-2", "NO-SUCH", "Орлова Ольга", "учитель", "", 5, 1980, "нет"],
        ["T-3", "OU-A", "Лебедев Лев", "учитель", "", "десять", 1900, "вторая"],
        ["T-4", "OU-A", "Зайцев Захар", "", "", 71, 1990.5, ""],
        ["T-1", "OU-A", "Дубль", "учитель", "", 5, 1980, "первая"],
    ])

    result = imports.import_teachers(user=methodist, file=file)

    assert error_texts(result) == [
        "строка 3, столбец «Код организации»: организация с кодом «NO-SUCH» не найдена в вашем районе",
        "строка 4, столбец «Педагогический стаж»: ожидается целое число, а не «десять»",
        "строка 4, столбец «Год рождения»: Убедитесь, что это значение больше либо равно 1930",
        "строка 4, столбец «Квалификационная категория»: недопустимое значение «вторая»; допустимо: высшая, первая, нет",
        "строка 5, столбец «Должность»: не заполнено",
        "строка 5, столбец «Педагогический стаж»: Убедитесь, что это значение меньше либо равно 70",
        "строка 5, столбец «Год рождения»: ожидается целое число, а не 1990.5",
        "строка 6, столбец «Табельный номер»: повтор: та же запись (Код организации «OU-A», Табельный номер «T-1») "
        "уже есть в строке 2",
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert teacher_snapshot() == before


def test_membership_file_with_bad_rows_creates_no_cluster(methodist, district_a, school_a):
    file = make_xlsx([
        MEMBERSHIP_HEADER,
        [2021, "Новый кластер", "OU-A", "Тема", "ТОП"],  # valid, but the file is refused as a whole
        [1999, "Старый кластер", "OU-A", "Тема", "ТОП"],
        [2021, "Новый кластер", "OU-Z", "", "средняя"],
        [2021, "Кластер-" + "к" * 300, "OU-A", "Тема", "ТОП"],
    ])

    result = imports.import_memberships(user=methodist, file=file)

    assert error_texts(result) == [
        "строка 3, столбец «Год»: число 1999 вне допустимого диапазона 2000–2100",
        "строка 4, столбец «Код организации»: организация с кодом «OU-Z» не найдена в вашем районе",
        "строка 4, столбец «Методическая тема»: не заполнено",
        "строка 4, столбец «Уровень»: недопустимое значение «средняя»; допустимо: ТОП, синхронная, отстающая",
        "строка 5, столбец «Кластер»: кластер: Убедитесь, что это значение содержит не более 300 символов "
        "(сейчас 308)",
    ]
    assert result.created_clusters == []
    assert Cluster.objects.count() == 0
    assert ClusterMembership.objects.count() == 0


def test_concurrent_insert_of_the_same_key_is_refused_without_a_500(methodist_client, district_a):
    from django.db import IntegrityError

    file = make_xlsx([ORG_HEADER, ["C1", "Школа", "Школа", "школа", DISTRICT_A, "", ""]])

    with mock.patch("django.db.models.query.QuerySet.bulk_create", side_effect=IntegrityError("duplicate key")):
        response = upload(methodist_client, "organisations", file)

    assert response.status_code == 200
    errors = error_texts(response.context["result"])
    assert len(errors) == 1
    assert errors[0].startswith("Данные изменились во время импорта")
    assert Organisation.objects.count() == 0


# --- idempotence -------------------------------------------------------------------------------


def test_reimporting_the_same_organisation_file_changes_nothing(methodist_client, district_a):
    rows = [
        ORG_HEADER,
        ["OU-1", "ГБОУ СОШ № 1", "Средняя школа № 1", "школа", DISTRICT_A, "ул. Салова, 1", "s1@example.org"],
        ["OU-2", "ГБДОУ № 2", "Детский сад № 2", "ДОУ", DISTRICT_A, "", ""],
    ]
    assert upload(methodist_client, "organisations", make_xlsx(rows)).status_code == 302
    before = organisation_snapshot()
    ids = sorted(Organisation.objects.values_list("pk", flat=True))

    response = upload(methodist_client, "organisations", make_xlsx(rows))

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == "Импорт «Организации» выполнен: создано 0, изменено 0, без изменений 2."
    assert organisation_snapshot() == before
    assert sorted(Organisation.objects.values_list("pk", flat=True)) == ids


def test_reimporting_teachers_and_memberships_changes_nothing(methodist, school_a, school_b):
    teachers = make_xlsx([
        TEACHER_HEADER,
        ["T-1", "OU-A", "Иванова Анна", "учитель", "химия", 7, 1991, "первая"],
        ["T-2", "OU-B", "Орлов Олег", "учитель", "", None, None, ""],
    ])
    memberships = make_xlsx([
        MEMBERSHIP_HEADER,
        [2021, "Кластер А", "OU-A", "Тема А", "ТОП"],
        [2021, "Кластер А", "OU-B", "Тема Б", "отстающая"],
    ])
    assert imports.import_teachers(user=methodist, file=teachers).created == 2
    assert imports.import_memberships(user=methodist, file=memberships).created == 2
    before = (teacher_snapshot(), membership_snapshot(), Cluster.objects.count())

    again_teachers = imports.import_teachers(user=methodist, file=teachers)
    again_memberships = imports.import_memberships(user=methodist, file=memberships)

    assert again_teachers.summary == "создано 0, изменено 0, без изменений 2"
    assert again_memberships.summary == "создано 0, изменено 0, без изменений 2"
    assert (teacher_snapshot(), membership_snapshot(), Cluster.objects.count()) == before


def test_changed_membership_file_updates_theme_and_tier_but_keeps_project(methodist, district_a, school_a):
    membership = ClusterMembershipFactory(
        cluster__district=district_a, cluster__year=2021, cluster__name="Кластер А",
        organisation=school_a, theme="Старая тема", tier="synchronous", project="Проект школы",
    )
    file = make_xlsx([MEMBERSHIP_HEADER, [2021, "Кластер А", "OU-A", "Новая тема", "ТОП"]])

    result = imports.import_memberships(user=methodist, file=file)

    assert result.summary == "создано 0, изменено 1, без изменений 0"
    membership.refresh_from_db()
    assert (membership.theme, membership.tier, membership.project) == ("Новая тема", "top", "Проект школы")


# --- refused files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Код;Краткое наименование\n101;Школа\n".encode("cp1251"), "не является книгой Excel в формате XLSX"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "не является книгой Excel в формате XLSX"),
        (b"PK\x03\x04" + b"\x00garbage" * 20, "Файл повреждён"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "старом формате Excel (XLS)"),
        (b"", "Файл пуст."),
    ],
    ids=["csv", "png", "corrupt-zip", "xls", "empty-file"],
)
def test_files_that_are_not_xlsx_are_refused_clearly(methodist_client, school_a, content, expected):
    before = organisation_snapshot()

    response = upload(methodist_client, "organisations", SimpleUploadedFile("registry.xlsx", content))

    assert response.status_code == 200
    errors = error_texts(response.context["result"])
    assert len(errors) == 1
    assert expected in errors[0]
    assert expected in response.content.decode()
    assert organisation_snapshot() == before


def test_a_zip_that_is_not_a_workbook_is_refused(methodist):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "просто архив")

    result = imports.import_organisations(user=methodist, file=io.BytesIO(buffer.getvalue()))

    assert error_texts(result) == [
        "Файл не является книгой Excel в формате XLSX. Сохраните его как «Книга Excel (.xlsx)»."
    ]


@override_settings(IMPORT_MAX_UPLOAD_BYTES=2000)
def test_oversized_upload_is_refused(methodist_client, district_a):
    rows = [ORG_HEADER] + [[f"C{i}", f"Школа {i}", f"Школа {i}", "школа", DISTRICT_A, "", ""] for i in range(50)]
    file = make_xlsx(rows)
    assert file.size > 2000

    response = upload(methodist_client, "organisations", file)

    errors = error_texts(response.context["result"])
    assert len(errors) == 1
    assert errors[0].startswith("Файл слишком большой")
    assert Organisation.objects.count() == 0


def _zip_bomb(uncompressed_mib: int) -> bytes:
    """A well-formed XLSX whose sheet XML inflates from ~100 KB to `uncompressed_mib` MiB."""
    source = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(ORG_HEADER)
    workbook.save(source)
    bomb = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                continue
            archive.writestr(item, original.read(item.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = b" " * (1024 * 1024)
            for _ in range(uncompressed_mib):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return bomb.getvalue()


def test_zip_bomb_is_refused_before_openpyxl_opens_it(methodist):
    content = _zip_bomb(uncompressed_mib=200)
    assert len(content) < 1024 * 1024  # tiny upload, 200 MiB inside, limit 64 MiB

    with mock.patch("core.xlsx.load_workbook", side_effect=AssertionError("openpyxl must not run")):
        result = imports.import_organisations(user=methodist, file=io.BytesIO(content))

    errors = error_texts(result)
    assert len(errors) == 1
    assert errors[0].startswith("Содержимое файла после распаковки слишком велико (200")
    assert "допустимо не более 64 МБ" in errors[0]


@override_settings(IMPORT_MAX_ROWS=5)
def test_rows_beyond_the_cap_are_refused(methodist, district_a):
    rows = [ORG_HEADER] + [[f"C{i}", f"Школа {i}", f"Школа {i}", "школа", DISTRICT_A, "", ""] for i in range(6)]

    result = imports.import_organisations(user=methodist, file=make_xlsx(rows))

    assert error_texts(result) == ["В файле больше 5 строк данных. Разделите таблицу на несколько файлов."]
    assert Organisation.objects.count() == 0


def test_missing_required_columns_are_named(methodist, district_a):
    file = make_xlsx([
        ["Код", "Краткое наименование", "Полное наименование", "Адрес"],
        ["C1", "Школа", "Школа", ""],
    ])

    result = imports.import_organisations(user=methodist, file=file)

    assert error_texts(result) == ["В файле нет обязательных столбцов: «Тип», «Район»."]
    assert Organisation.objects.count() == 0


def test_wrong_kind_of_file_hints_at_the_kind(methodist, school_a):
    result = imports.import_organisations(user=methodist, file=make_xlsx([MEMBERSHIP_HEADER[:2], [2021, "X"]]))

    assert len(result.errors) == 1
    assert "тот ли вид данных выбран" in str(result.errors[0])


def test_optional_column_left_out_is_not_touched(methodist, school_a):
    file = make_xlsx([
        ["Код", "Краткое наименование", "Полное наименование", "Тип", "Район"],
        ["OU-A", school_a.short_name, school_a.full_name, "школа", DISTRICT_A],
    ])

    result = imports.import_organisations(user=methodist, file=file)

    assert result.summary == "создано 0, изменено 0, без изменений 1"
    school_a.refresh_from_db()
    assert school_a.email != ""


def test_empty_workbook_and_header_only_workbook_are_refused(methodist, district_a):
    empty = imports.import_organisations(user=methodist, file=make_xlsx([]))
    header_only = imports.import_organisations(user=methodist, file=make_xlsx([ORG_HEADER, [None, None], []]))

    assert error_texts(empty) == ["На первом листе нет ни заголовка, ни данных."]
    assert error_texts(header_only) == ["В файле нет строк с данными: под строкой заголовков пусто."]


def test_empty_rows_are_skipped_and_row_numbers_stay_excel_numbers(methodist, district_a):
    file = make_xlsx([
        ORG_HEADER,
        ["C1", "Школа 1", "Школа 1", "школа", DISTRICT_A, "", ""],
        [],
        [None, None, None, None, None, None, None, "только примечание"],
        ["C2", "Школа 2", "Школа 2", "лицей", DISTRICT_A, "", ""],
    ])

    result = imports.import_organisations(user=methodist, file=file)

    assert error_texts(result) == [
        "строка 5, столбец «Тип»: недопустимое значение «лицей»; допустимо: школа, ДОУ, УДО, другое"
    ]


def test_header_matching_ignores_yo_case_and_spaces():
    assert xlsx.normalise_header("  Ёлка   ЗЕЛЁНАЯ ") == "елка зеленая"
    assert xlsx.normalise_header("Квалификационная\u00a0категория*") == "квалификационная категория"


# --- who may import where ----------------------------------------------------------------------


def test_methodist_of_another_district_cannot_import_into_this_one(other_methodist, school_a):
    before = (organisation_snapshot(), teacher_snapshot())
    organisations = make_xlsx([ORG_HEADER, ["OU-A", "Захват", "Захват", "школа", DISTRICT_A, "", ""]])
    teachers = make_xlsx([TEACHER_HEADER, ["T-9", "OU-A", "Чужой Педагог", "учитель", "", 1, 1990, "нет"]])

    org_result = imports.import_organisations(user=other_methodist, file=organisations)
    teacher_result = imports.import_teachers(user=other_methodist, file=teachers)

    assert error_texts(org_result) == [
        "строка 2, столбец «Район»: «Фрунзенский район» — не ваш район; импортировать можно только в "
        "«Кировский район»"
    ]
    assert error_texts(teacher_result) == [
        "строка 2, столбец «Код организации»: организация с кодом «OU-A» не найдена в вашем районе"
    ]
    assert (organisation_snapshot(), teacher_snapshot()) == before


def test_same_code_in_another_district_is_a_separate_organisation(other_methodist, school_a, district_b):
    file = make_xlsx([ORG_HEADER, ["OU-A", "Школа Кировского", "Школа", "школа", "Кировский район", "", ""]])

    result = imports.import_organisations(user=other_methodist, file=file)

    assert result.summary == "создано 1, изменено 0, без изменений 0"
    school_a.refresh_from_db()
    assert school_a.short_name == "ГБОУ СОШ № 1"
    assert Organisation.objects.get(district=district_b, code="OU-A").short_name == "Школа Кировского"


@pytest.mark.parametrize("persona", ["school_admin_client", "director_client", "observer_client"])
def test_an_upload_by_anybody_but_a_methodist_changes_nothing(request, persona, school_a):
    client = request.getfixturevalue(persona)
    file = make_xlsx([ORG_HEADER, ["NEW", "Школа", "Школа", "школа", DISTRICT_A, "", ""]])

    assert upload(client, "organisations", file).status_code == 403
    assert not Organisation.objects.filter(code="NEW").exists()


def test_service_refuses_a_school_admin_too(school_admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.import_organisations(user=school_admin, file=make_xlsx([ORG_HEADER]))


# --- the page and the templates ----------------------------------------------------------------


def test_import_page_offers_a_template_of_each_kind(methodist_client):
    response = methodist_client.get(reverse("clusters:import"))

    assert response.status_code == 200
    page = response.content.decode()
    for kind in ("organisations", "teachers", "memberships"):
        assert reverse("clusters:import_template", args=[kind]) in page


@pytest.mark.parametrize(
    ("kind", "header", "dropdowns", "width_of_a"),
    [
        ("organisations", ORG_HEADER, {"D": '"школа,ДОУ,УДО,другое"'}, 12),
        ("teachers", TEACHER_HEADER, {"H": '"высшая,первая,нет"'}, 16),
        ("memberships", MEMBERSHIP_HEADER, {"E": '"ТОП,синхронная,отстающая"'}, 8),
    ],
)
def test_template_is_a_real_xlsx_with_header_and_dropdowns(methodist_client, kind, header, dropdowns, width_of_a):
    response = methodist_client.get(reverse("clusters:import_template", args=[kind]))

    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    assert f'filename="template_{kind}.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == header
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.max_row == 1
    assert sheet.column_dimensions["A"].width == width_of_a
    found = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert found == dropdowns


def test_template_of_an_unknown_kind_is_404(methodist_client):
    assert methodist_client.get(reverse("clusters:import_template", args=["events"])).status_code == 404


def test_the_empty_template_imports_as_no_data(methodist, district_a):
    template = io.BytesIO(imports.TeacherImport.template_bytes())

    result = imports.import_teachers(user=methodist, file=template)

    assert error_texts(result) == ["В файле нет строк с данными: под строкой заголовков пусто."]
