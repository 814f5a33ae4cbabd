"""XLSX import of consultations and achievements: all or nothing, grouped Russian errors, thematic rows grouped."""
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.journal_imports import AchievementImport, ConsultationImport
from events.models import Achievement, Consultation
from tests.events.factories import AchievementFactory
from tests.factories import TeacherFactory

CONSULTATION_HEADER = ["Дата", "Вид", "Тема", "Консультант", "Педагог (ФИО)", "Организация (код или краткое название)"]
ACHIEVEMENT_HEADER = ["ФИО педагога", "Организация", "Вид (публикация/конкурс)", "Название", "Где", "Год", "Уровень",
                      "Результат"]


def xlsx_file(header, rows, name="journal.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def staff(school_a, school_b):
    return {"anna": TeacherFactory(organisation=school_a, full_name="Алексеева Анна Борисовна"),
            "oleg": TeacherFactory(organisation=school_a, full_name="Борисов Олег Ильич"),
            "nina": TeacherFactory(organisation=school_b, full_name="Викторова Нина Юрьевна")}


def test_consultations_thematic_rows_become_one(methodist, staff):
    methodist.last_name, methodist.first_name, methodist.patronymic = "Соколова", "Елена", "Викторовна"
    methodist.save()
    rows = [
        [datetime.date(2021, 3, 10), "тематическая", "ФГОС СОО", "Соколова Е.В.", "Алексеева Анна Борисовна", "OU-A"],
        ["10.03.2021", "Тематическая", "ФГОС  СОО", "соколова е.в.", "Викторова Нина Юрьевна", "ГБОУ СОШ № 2"],
        ["11.03.2021", "индивидуальная", "Аттестация", "Петров П.П. (ЛОИРО)", "Борисов Олег Ильич", "ГБОУ СОШ № 1"],
    ]
    result = ConsultationImport(user=methodist).run(xlsx_file(CONSULTATION_HEADER, rows))
    assert result.ok, result.grouped_errors
    assert result.created == 2  # rows 2 and 3 are one thematic consultation; row 4 is an individual one
    thematic = Consultation.objects.get(kind="thematic")
    assert thematic.methodist == methodist and thematic.methodist_name == ""
    assert {t.full_name for t in thematic.teachers.all()} == {"Алексеева Анна Борисовна", "Викторова Нина Юрьевна"}
    assert thematic.organisation is None  # two schools
    individual = Consultation.objects.get(kind="individual")
    assert individual.methodist is None and individual.methodist_name == "Петров П.П. (ЛОИРО)"
    assert individual.organisation.code == "OU-A"
    # The same file again: every row is already in the log — refused, nothing added.
    again = ConsultationImport(user=methodist).run(xlsx_file(CONSULTATION_HEADER, rows))
    assert not again.ok and Consultation.objects.count() == 2
    assert again.grouped_errors[0] == ("столбец «Педагог (ФИО)»: эта консультация педагога уже есть в журнале "
                                       "— 3 строки: 2–4")


def test_consultation_errors_are_grouped_and_nothing_is_written(methodist, staff):
    rows = [
        ["10.03.2021", "тематическая", "ФГОС", "Соколова Е.В.", "Алексеева Анна Борисовна", "OU-A"],
        ["32.03.2021", "тематическая", "ФГОС", "Соколова Е.В.", "Борисов Олег Ильич", "OU-A"],
        ["10.03.2021", "семинар", "ФГОС", "Соколова Е.В.", "Иванов Иван", "OU-Z"],
        ["10.03.2021", "тематическая", "ФГОС", "Соколова Е.В.", "Иванов Иван", "OU-A"],
        ["10.03.2021", "тематическая", "ФГОС", "Соколова Е.В.", "Алексеева Анна Борисовна", "OU-A"],
        ["10.03.2021", "тематическая", "ФГОС", "Соколова Е.В.", "Петров Пётр", "OU-A"],
        ["10.03.2021", "тематическая", "ФГОС", "Соколова Е.В.", "Петров Пётр", "OU-A"],
    ]
    result = ConsultationImport(user=methodist).run(xlsx_file(CONSULTATION_HEADER, rows))
    assert not Consultation.objects.exists()
    assert result.grouped_errors == [
        "строка 3, столбец «Дата»: ожидается дата вида 17.12.2021, а не «32.03.2021»",
        "строка 4, столбец «Вид»: недопустимое значение «семинар»; допустимо: индивидуальная, тематическая",
        "строка 4, столбец «Организация (код или краткое название)»: организация «OU-Z» не найдена в вашем районе "
        "(укажите код или краткое название)",
        "строка 5, столбец «Педагог (ФИО)»: педагог «Иванов Иван» не найден в организации «ГБОУ СОШ № 1»",
        "строка 6, столбец «Педагог (ФИО)»: повтор: тот же педагог на той же консультации уже в строке 2",
        "столбец «Педагог (ФИО)»: педагог «Петров Пётр» не найден в организации «ГБОУ СОШ № 1» — 2 строки: 7–8",
    ]


def test_consultation_file_without_the_columns(methodist, staff):
    result = ConsultationImport(user=methodist).run(xlsx_file(["Что", "Когда"], [["a", "b"]]))
    assert not result.ok and "В файле нет обязательных столбцов" in result.grouped_errors[0]


def test_individual_and_thematic_import_on_the_page(methodist_client, staff):
    rows = [["11.03.2021", "индивидуальная", "Аттестация", "Петров П.П.", "Борисов Олег Ильич", "OU-A"]]
    response = methodist_client.post(reverse("events:consultations_import"),
                                     {"file": xlsx_file(CONSULTATION_HEADER, rows)})
    assert response.status_code == 302 and Consultation.objects.count() == 1
    bad = [["11.03.2021", "индивидуальная", "Аттестация", "Петров П.П.", "Нет Такого", "OU-A"]]
    page = methodist_client.post(reverse("events:consultations_import"),
                                 {"file": xlsx_file(CONSULTATION_HEADER, bad)}).content.decode()
    assert "Файл не загружен, ничего не изменено" in page and "педагог «Нет Такого» не найден" in page


def test_templates_download_with_the_headers(methodist_client, school_admin_client):
    for name, client, header in (("events:consultations_template", methodist_client, CONSULTATION_HEADER),
                                 ("events:achievements_template", school_admin_client, ACHIEVEMENT_HEADER)):
        response = client.get(reverse(name))
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in next(sheet.iter_rows(max_row=1))] == header


def test_achievements_import(methodist, staff):
    rows = [
        ["Алексеева Анна Борисовна", "OU-A", "конкурс", "Учитель года", "ИМЦ", 2021, "район", "победитель"],
        ["Викторова Нина Юрьевна", "ГБОУ СОШ № 2", "публикация", "Статья о ФГОС", "журнал «Методист»", 2021, "", ""],
    ]
    result = AchievementImport(user=methodist).run(xlsx_file(ACHIEVEMENT_HEADER, rows))
    assert result.ok, result.grouped_errors
    assert result.created == 2
    competition = Achievement.objects.get(kind="competition")
    assert (competition.teacher, competition.level, competition.result) == (staff["anna"], "district", "winner")


def test_achievement_errors(methodist, staff):
    AchievementFactory(teacher=staff["oleg"], title="Педагогический дебют", year=2021)
    rows = [
        ["Алексеева Анна Борисовна", "OU-A", "конкурс", "Учитель года", "", 2021, "район", ""],
        ["Алексеева Анна Борисовна", "OU-A", "публикация", "Статья", "", 2021, "", "призёр"],
        ["Борисов Олег Ильич", "OU-A", "конкурс", "педагогический  дебют", "", 2021, "район", "участник"],
        ["Борисов Олег Ильич", "OU-A", "конкурс", "Конкурс", "", 1812, "галактика", "участник"],
    ]
    result = AchievementImport(user=methodist).run(xlsx_file(ACHIEVEMENT_HEADER, rows))
    assert Achievement.objects.count() == 1
    assert result.grouped_errors == [
        "строка 2, столбец «Результат»: у конкурса укажите результат: участник, призёр или победитель",
        "строка 3, столбец «Результат»: у публикации результата нет — оставьте ячейку пустой",
        "строка 4, столбец «Название»: это достижение педагога уже есть в журнале",
        "строка 5, столбец «Год»: число 1812 вне допустимого диапазона 1990–2100",
        "строка 5, столбец «Уровень»: недопустимое значение «галактика»; допустимо: ОУ, район, город, регион, РФ",
    ]


def test_school_admin_imports_own_teachers_only(school_admin, staff):
    rows = [
        ["Алексеева Анна Борисовна", "OU-A", "конкурс", "Учитель года", "", 2021, "район", "участник"],
        ["Викторова Нина Юрьевна", "OU-B", "конкурс", "Учитель года", "", 2021, "район", "участник"],
    ]
    result = AchievementImport(user=school_admin).run(xlsx_file(ACHIEVEMENT_HEADER, rows))
    assert not Achievement.objects.exists()
    assert result.grouped_errors == ["строка 3, столбец «Организация»: можно вносить достижения только педагогов "
                                     "своей организации"]


def test_observer_cannot_import(observer_client, staff):
    rows = [["Алексеева Анна Борисовна", "OU-A", "конкурс", "Учитель года", "", 2021, "район", "участник"]]
    response = observer_client.post(reverse("events:achievements_import"), {"file": xlsx_file(ACHIEVEMENT_HEADER, rows)})
    assert response.status_code == 403 and not Achievement.objects.exists()
