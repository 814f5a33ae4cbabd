"""The plan as files: XLSX export read back with openpyxl, the printed PDF read with pypdf, the XLSX import
(one row, an error file with grouped messages, all or nothing, re-import of an export changes nothing)."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.models import ActivityLevel, Event, EventForm, EventStatus
from tests.events.factories import DistrictEventFormFactory, PlannedEventFactory
from tests.factories import ClusterFactory, CommunityFactory

pytestmark = pytest.mark.django_db

HEADER = ["Дата", "Время начала", "Время окончания", "Мероприятие", "Форма", "Уровень", "Организатор", "Аудитория",
          "Место", "Ссылка", "Мест", "Часов"]


def _xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue())


def _read(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def events(district_a, district_b, school_a):
    community = CommunityFactory(district=district_a, name="МО учителей математики")
    first = PlannedEventFactory(district=district_a, title="Семинар по ФГОС", held_on=dt.date(2021, 3, 18),
                                starts_at=dt.time(15), ends_at=dt.time(17), capacity=30, hours=4,
                                audience="учителя", place="ГБОУ СОШ № 1")
    second = PlannedEventFactory(district=district_a, title="Методический день", form=EventForm.METHODICAL_DAY,
                                 held_on=dt.date(2021, 11, 3), starts_at=None, ends_at=None, capacity=None,
                                 community=community, status=EventStatus.HELD, result="Проведено, 42 участника")
    second.organisers.set([school_a])
    PlannedEventFactory(district=district_b, title="Чужой семинар", held_on=dt.date(2021, 3, 5))
    PlannedEventFactory(district=district_a, title="Семинар 2022 года", held_on=dt.date(2022, 1, 20))
    return first, second


# --- export ----------------------------------------------------------------------------------------


def test_xlsx_export_read_back(methodist_client, events):
    response = methodist_client.get(reverse("events:plan_xlsx"), {"year": 2021})
    assert response.status_code == 200
    assert "plan_2021.xlsx" in response["Content-Disposition"]
    rows = _read(response.content)
    assert list(rows[0][:12]) == HEADER and rows[0][12:] == ("Статус", "Результат")
    assert len(rows) == 3  # header + the two 2021 events of district A (not B's, not 2022's)
    first, second = rows[1], rows[2]
    assert first[0] == dt.datetime(2021, 3, 18)  # a real date cell (openpyxl reads it as a datetime)
    assert first[1:5] == ("15:00", "17:00", "Семинар по ФГОС", "семинар")
    assert first[6] == "ИМЦ" and first[10] == 30 and first[11] == 4 and first[12] == "запланировано"
    assert second[4] == "методический день"
    assert second[6] == "ИМЦ; МО учителей математики; ГБОУ СОШ № 1"
    assert second[10] is None and second[12] == "проведено" and second[13] == "Проведено, 42 участника"


def test_xlsx_export_keeps_filters_and_refuses_portal_admin(methodist_client, portal_admin_client, events):
    rows = _read(methodist_client.get(reverse("events:plan_xlsx"), {"year": 2021, "status": "held"}).content)
    assert [r[3] for r in rows[1:]] == ["Методический день"]
    assert portal_admin_client.get(reverse("events:plan_xlsx")).status_code == 403


def test_export_reimports_unchanged(methodist, events):
    from events.imports import import_plan
    from events.services.plan import plan_xlsx

    first, second = events
    content = plan_xlsx([first, second], 2021)
    result = import_plan(user=methodist, file=SimpleUploadedFile("plan.xlsx", content))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


# --- print -----------------------------------------------------------------------------------------


def test_pdf_plan_text(director_client, events):
    response = director_client.get(reverse("events:plan_pdf"), {"year": 2021})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "План мероприятий на 2021 год" in text
    for expected in ("№ п/п", "Мероприятие", "Форма", "Аудитория", "Семинар по ФГОС", "Методический день",
                     "Март", "Ноябрь", "18.03.2021, 15:00–17:00", "УТВЕРЖДАЮ", "Всего мероприятий: 2"):
        assert expected in text, expected
    assert "Чужой семинар" not in text and "Семинар 2022 года" not in text


def test_pdf_refused_to_portal_admin(portal_admin_client):
    assert portal_admin_client.get(reverse("events:plan_pdf")).status_code == 403


def test_pdf_template_has_no_inline_styles():
    from pathlib import Path

    from django.conf import settings

    html = (Path(settings.BASE_DIR) / "templates/events/pdf/plan.html").read_text()
    assert "style=" not in html and "<style" not in html


# --- import ----------------------------------------------------------------------------------------


def test_import_one_row(methodist_client, district_a, school_a):
    own = DistrictEventFormFactory(district=district_a, name="Педагогический квест")
    ClusterFactory(district=district_a, year=2021, name="Кластер «Читательская грамотность»")
    file = _xlsx([[dt.date(2021, 4, 14), "15:00", "16.30", "Квест для молодых педагогов", "педагогический КВЕСТ",
                   "", "ГБОУ СОШ № 1; Кластер «Читательская грамотность»", "молодые педагоги", "ИМЦ",
                   "https://meet.example.ru/q", 20, 2]])
    response = methodist_client.post(reverse("events:plan_import"), {"file": file})
    assert response.status_code == 302 and response.url.endswith("?year=2021")
    event = Event.objects.get(district=district_a)
    assert event.title == "Квест для молодых педагогов" and event.custom_form == own and event.form == EventForm.OTHER
    assert (event.starts_at, event.ends_at) == (dt.time(15), dt.time(16, 30))
    assert event.level == ActivityLevel.DISTRICT and event.status == EventStatus.PLANNED
    assert event.organised_by_imc is False and list(event.organisers.all()) == [school_a]
    assert event.cluster.name == "Кластер «Читательская грамотность»"
    assert (event.capacity, event.hours, event.online_url) == (20, 2, "https://meet.example.ru/q")


def test_import_error_file_groups_errors_and_saves_nothing(methodist_client, district_a):
    rows = [[dt.date(2021, 4, n), "", "", f"Мероприятие {n}", "танцы", "", "", "", "", "", "", ""] for n in (1, 2, 3)]
    rows.append(["31.02.2021", "17:00", "16:00", "Плохая строка", "семинар", "область", "ИМЦ; Школа № 999", "",
                 "", "http://x.ru", 0, 73])
    rows.append([dt.date(2021, 4, 1), "", "", "мероприятие 1", "семинар", "", "", "", "", "", "", ""])
    response = methodist_client.post(reverse("events:plan_import"), {"file": _xlsx(rows)})
    assert response.status_code == 200
    errors = response.context["result"].grouped_errors
    assert errors[0].startswith("столбец «Форма»: форма «танцы» не найдена; допустимо: семинар")
    assert errors[0].endswith(" — 3 строки: 2–4")
    bad_row = [e for e in errors if e.startswith("строка 5")]
    assert [e.split("»:")[0] for e in bad_row] == [
        "строка 5, столбец «Дата", "строка 5, столбец «Время окончания", "строка 5, столбец «Уровень",
        "строка 5, столбец «Организатор", "строка 5, столбец «Ссылка", "строка 5, столбец «Мест",
        "строка 5, столбец «Часов"]
    assert any("такой даты нет" in e for e in bad_row)
    assert any("организатор «Школа № 999» не найден" in e for e in bad_row)
    assert any(e.startswith("строка 6") and "повтор" in e and "строке 2" in e for e in errors)
    assert "Файл не загружен, ничего не изменено" in response.content.decode()
    assert not Event.objects.exists()


def test_import_refuses_missing_columns_and_non_xlsx(methodist_client, district_a):
    response = methodist_client.post(reverse("events:plan_import"),
                                     {"file": _xlsx([["x"]], header=["Дата", "Мероприятие"])})
    assert "нет обязательных столбцов: «Форма»" in " ".join(response.context["result"].grouped_errors)
    response = methodist_client.post(reverse("events:plan_import"),
                                     {"file": SimpleUploadedFile("plan.xlsx", b"not a workbook")})
    assert "не является книгой Excel" in " ".join(response.context["result"].grouped_errors)
    assert methodist_client.post(reverse("events:plan_import"), {}).context["form"].errors["file"]
    assert not Event.objects.exists()


def test_import_updates_by_date_and_title(methodist, events):
    from events.imports import import_plan

    first, _ = events
    file = _xlsx([[dt.date(2021, 3, 18), "15:00", "18:00", "семинар по фгос", "семинар", "район", "ИМЦ",
                   "учителя", "ГБОУ СОШ № 1", "", 30, 4]])
    result = import_plan(user=methodist, file=file)
    assert (result.created, result.updated) == (0, 1), result.errors
    first.refresh_from_db()
    assert first.ends_at == dt.time(18) and first.status == EventStatus.PLANNED


def test_import_and_template_refused_to_director(director_client, methodist_client, district_a):
    assert director_client.get(reverse("events:plan_import")).status_code == 403
    assert director_client.post(reverse("events:plan_import"), {"file": _xlsx([])}).status_code == 403
    assert director_client.get(reverse("events:plan_import_template")).status_code == 403
    response = methodist_client.get(reverse("events:plan_import_template"))
    assert response.status_code == 200 and list(_read(response.content)[0]) == HEADER
