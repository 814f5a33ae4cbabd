"""A new district is onboarded from an empty portal to a rendered справка without /admin/ (issue 14, item 5).

The portal holds one portal admin and nothing else. In a real browser, at 1366 and at 390 px:
the admin runs the setup wizard — district and ИМЦ requisites, a methodist invited, the Kirovsky criteria
from the library with the year 2024; the methodist sets a password through the invitation link, imports the
organisations (an XLSX in the import template's format) and the plan/fact of the programme, creates a
справка and renders its PDF. No request ever goes to /admin/.
"""
from __future__ import annotations

import io
from urllib.parse import urlparse

import openpyxl
import pytest
from django.core import mail

from clusters.models import District, Organisation
from core.roles import Role
from monitoring.models import Programme, Value
from reports.models import FileRole, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "Nevsky-Metodist-2026"


def _xlsx(header: list[str], rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page, content: bytes, name: str) -> None:
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": content})


def _fits(page, width: int) -> None:
    if width < 500:  # a phone: nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.fixture
def onboarding_settings(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = live_server.url


@pytest.mark.parametrize("width", [1366, 390])
def test_new_district_from_an_empty_portal_to_a_rendered_spravka(onboarding_settings, browser_page, width,
                                                                   screenshot):
    admin = UserFactory(username="it_admin", role=Role.PORTAL_ADMIN, is_staff=True, is_superuser=True,
                        district=None)
    assert not District.objects.exists()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    visited: list[str] = []
    page.on("request", lambda request: visited.append(urlparse(request.url).path))

    # --- the portal admin: straight to the wizard (the login form brings them back to it)
    page.goto("/setup/")
    page.locator("input[name=username]").fill("it_admin")
    page.locator("input[name=password]").fill("test-pass-123")
    page.get_by_role("button", name="Войти").click()
    page.get_by_test_id("setup-new-district").click()
    _fits(page, width)

    # step 1: a wrong ИНН first — refused in Russian, nothing saved
    form = page.get_by_test_id("setup-district-form")
    for name, value in {
        "region_name": "Санкт-Петербург", "name": "Невский район", "code": "nevsky",
        "full_name": "ГБУ ДППО ЦПКС «Информационно-методический центр» Невского района Санкт-Петербурга",
        "short_name": "ГБУ ИМЦ Невского района", "address": "192131, Санкт-Петербург, ул. Бабушкина, д. 42",
        "phone": "(812) 000-00-00", "email": "imc@nevsky.example", "inn": "7816157264",
        "director_name": "А.Б. Васильева",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button").click()
    assert "ИНН не проходит проверку контрольной цифры" in page.get_by_test_id("setup-district-form").inner_text()
    assert not District.objects.exists()
    page.get_by_test_id("setup-district-form").locator("[name=inn]").fill("7816157263")
    page.get_by_test_id("setup-district-form").get_by_role("button").click()

    # step 2: the methodist is invited; the page shows the link to hand over
    page.get_by_test_id("setup-invite-form").wait_for()
    district = District.objects.get(code="nevsky")
    assert page.get_by_test_id("step-district").get_attribute("data-done") == "yes"
    invite = page.get_by_test_id("setup-invite-form")
    invite.locator("[name=role]").select_option(Role.METHODIST)
    for name, value in {"last_name": "Смирнова", "first_name": "Мария", "patronymic": "Викторовна",
                        "email": "smirnova@nevsky.example", "position": "методист"}.items():
        invite.locator(f"[name={name}]").fill(value)
    invite.get_by_role("button", name="Пригласить").click()
    link = page.get_by_test_id("setup-user-smirnova@nevsky.example").get_by_test_id("invitation-link")
    invitation = link.get_attribute("href")
    assert any("/invite/" in message.body and message.to == ["smirnova@nevsky.example"] for message in mail.outbox)
    assert page.get_by_test_id("step-users").get_attribute("data-done") == "yes"
    _fits(page, width)

    # step 3: the Kirovsky criteria from the library, for 2024
    page.get_by_test_id("step-programme").get_by_role("link").click()
    library = page.get_by_test_id("setup-programme-form")
    library.get_by_label("Критерии научно-методического сопровождения педагогических работников").check()
    library.locator("[name=first_year]").fill("2024")
    library.locator("[name=last_year]").fill("2024")
    library.get_by_role("button", name="Создать программу").click()
    page.get_by_test_id("setup-programmes").wait_for()
    programme = Programme.objects.get(district=district)
    assert [p.label for p in programme.periods.all()] == ["2024"]

    # step 4: the checklist — nothing imported yet, organisations first
    page.get_by_test_id("step-checklist").get_by_role("link").click()
    assert page.get_by_test_id("checklist-organisations").get_attribute("data-done") == "no"
    checklist = page.get_by_test_id("setup-checklist").inner_text()
    assert checklist.index("Организации") < checklist.index("Педагоги") < checklist.index("План и факт")
    _fits(page, width)
    screenshot(page, f"checklist-{width}")

    # --- the methodist: sets a password through the invitation, nobody else knows it
    page.context.clear_cookies()
    page.goto(invitation)
    page.get_by_test_id("invitation-form").locator("[name=new_password1]").fill(PASSWORD)
    page.get_by_test_id("invitation-form").locator("[name=new_password2]").fill(PASSWORD)
    page.get_by_test_id("invitation-form").get_by_role("button").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    assert "Пароль задан" in page.content()

    # organisations from a file in the import template's format
    page.goto("/registry/import/?kind=organisations")
    _upload(page, _xlsx(
        ["Код", "Краткое наименование", "Полное наименование", "Тип", "Район", "Адрес", "Email"],
        [["NEV-001", "ГБОУ СОШ № 1", "ГБОУ средняя общеобразовательная школа № 1 Невского района", "школа",
          "Невский район", "ул. Бабушкина, д. 1", "sch1@nevsky.example"],
         ["NEV-002", "ГБДОУ № 2", "ГБДОУ детский сад № 2 Невского района", "ДОУ", "Невский район", "", ""]],
    ), "organisations.xlsx")
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_url("**/registry/organisations/**")
    assert Organisation.objects.filter(district=district).count() == 2

    # plan/fact of 2024 for the district and for one organisation by its code
    page.goto(f"/monitoring/{programme.pk}/import/")
    _upload(page, _xlsx(
        ["Показатель", "Период", "Объект", "План", "Факт"],
        [["support_3", "2024", "район", 10, 12.5], ["young_1", "2024", "район", 1, 1],
         ["support_4", "2024", "NEV-001", 50, 55]],
    ), "plan_fact.xlsx")
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_url(f"**/monitoring/{programme.pk}/")
    assert Value.objects.filter(indicator__programme=programme).count() == 3

    # the справка: created (the requisites are there) and its PDF rendered
    page.goto("/reports/new/")
    page.get_by_label("Аналитическая справка по результатам мониторинга").check()
    page.get_by_role("button", name="Далее").click()
    page.get_by_label("Программа мониторинга").select_option(label=programme.name)
    page.get_by_label(f"{programme.name}: 2024").check()
    page.get_by_test_id("report-create-submit").click()
    page.get_by_test_id("render-draft").click()
    page.locator("[data-testid=render-status][data-status=succeeded]").wait_for(timeout=90_000)
    report = Report.objects.get(district=district)
    pdf = report.files.get(role=FileRole.DRAFT_PDF)
    with pdf.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    page.reload()
    page.get_by_test_id(f"download-{FileRole.DRAFT_PDF}").wait_for()
    _fits(page, width)
    screenshot(page, f"spravka-{width}")

    assert not [path for path in visited if path.startswith("/admin")], visited
    assert admin.pk and District.objects.count() == 1
