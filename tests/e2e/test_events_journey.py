"""An event from the plan to a verified certificate, in a real browser (issue 13, item 9).

1. A methodist (1366 px) opens the plan, adds a seminar for today through the form (a future event takes no
   attendance, by design) and sees it in the plan list and on its page.
2. The administrator of school A registers two of the school's teachers; a school administrator of another
   district cannot open the registration page.
3. The methodist, on a phone (390 × 844), marks both present with the big toggles (no horizontal scroll), sets
   the pupils count and marks the event «проведено».
4. The methodist issues the certificates, waits for their PDFs (Celery is eager in tests: the live server
   renders them after the issuing request's commit; the page polls as it does with a worker) and downloads one.
5. An anonymous visitor opens the certificate's page /v/<code>/, sees its facts, uploads the downloaded PDF and
   is told it matches.
No page of the journey makes Chromium refuse anything under the Content-Security-Policy.

The numbers, by hand. The district's certificate register for this year starts empty: the two attendees get
sequences 1 and 2 — «С-<year>/0001», «С-<year>/0002». The event has 4 hours, so both certificates are short
trainings of 4 h. Attendance: 2 registry teachers + 0 others = 2 present, 2 of the 2 registered marked; pupils 25.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.models import Event, EventStatus
from core.roles import Role
from events.models import Attendance, Certificate, Registration
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.factories import TEST_PASSWORD, TeacherFactory, UserFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TITLE = "Формирование функциональной грамотности на уроках математики"
PLACE = "ИМЦ, ул. Тверская, 12, актовый зал"
TEACHERS = ("Соколова Елена Викторовна", "Кузнецов Павел Андреевич")
PUPILS = 25


def csp_collector(page, seen: list[str]) -> None:
    """Chromium reports each refused script, handler or style as a console message (as in
    test_content_security_policy.py); they land in `seen`."""

    def collect(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            seen.append(f"{page.url}: {text}")

    page.on("console", collect)


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def log_in(page, user) -> None:
    """The real login form, on a page of any context."""
    page.goto(reverse("login"))
    page.locator("input[name=username]").fill(user.get_username())
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Войти").click()
    assert reverse("login") not in page.url, f"login as {user.get_username()!r} failed"


def flash(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


@pytest.fixture
def context_factory(browser, live_server):
    """new_context(**options) -> a page of a fresh context (phone, anonymous visitor); closed at the end."""
    contexts = []

    def new_page(**options):
        context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow",
                                      **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def journey_settings(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = live_server.url  # the QR code's verification link points at this server


@pytest.fixture
def teachers(school_a, school_b):
    """School A's two teachers, and one of school B that school A's administrator must not see."""
    TeacherFactory(organisation=school_b, full_name="Орлова Марина Сергеевна")
    return [TeacherFactory(organisation=school_a, full_name=name) for name in TEACHERS]


@pytest.fixture
def far_school_admin(school_other_district):
    return UserFactory(username="far_school_admin", role=Role.SCHOOL_ADMIN, organisation=school_other_district)


def methodist_plans_the_seminar(page, methodist, today) -> Event:
    page.get_by_role("button", name="Мероприятия").click()
    with page.expect_navigation():
        page.get_by_role("link", name="План мероприятий").click()
    assert page.url.endswith(reverse("events:plan")), page.url
    assert f"План мероприятий на {today.year} год" in page.locator("h1").inner_text()

    page.get_by_test_id("plan-create").click()
    page.wait_for_url(f"**{reverse('events:create')}")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_form_choice").select_option(label="семинар")
    page.locator("#id_held_on").fill(today.isoformat())
    page.locator("#id_starts_at").fill("10:00")
    page.locator("#id_ends_at").fill("14:00")
    page.locator("#id_place").fill(PLACE)
    page.locator("#id_capacity").fill("30")
    page.locator("#id_hours").fill("4")
    page.locator("#id_registration_open").check()
    with page.expect_navigation():
        page.get_by_test_id("event-form").get_by_role("button", name="Сохранить").click()

    event = Event.objects.get(title=TITLE)
    assert page.url.endswith(reverse("events:detail", args=[event.pk])), page.url
    assert f"Мероприятие «{TITLE}» добавлено в план." in flash(page)
    assert (event.form, event.held_on, event.capacity, event.hours, event.registration_open, event.status) == (
        "seminar", today, 30, 4, True, EventStatus.PLANNED)
    assert event.district_id == methodist.district_id

    # In the plan list, under this month, and back to its page from there.
    page.goto(f"{reverse('events:plan')}?year={today.year}")
    # the methodist's menu (seven groups and the user menu) wraps inside the bar instead of widening the page
    assert scroll_width(page) <= 1366, scroll_width(page)
    item = page.get_by_test_id(f"plan-month-{today.month}").get_by_test_id("plan-event").filter(has_text=TITLE)
    assert item.count() == 1
    text = item.inner_text()
    assert f"{today:%d.%m.%Y}, 10:00–14:00" in text and "семинар" in text and "мест: 30" in text, text
    with page.expect_navigation():
        item.get_by_role("link", name=TITLE).click()
    assert page.get_by_test_id("event-title").inner_text() == TITLE
    card = page.get_by_test_id("event-card").inner_text()
    assert PLACE in card and "4 ч" in card and "открыта" in card, card
    return event


def school_admin_registers_two(page, event, teachers) -> None:
    page.goto(reverse("events:detail", args=[event.pk]))
    panel = page.get_by_test_id("registrations-panel")
    with page.expect_navigation():
        panel.get_by_role("link", name="Зарегистрировать педагогов").click()
    assert page.url.endswith(reverse("events:register", args=[event.pk]))
    form = page.get_by_test_id("register-form")
    assert "Орлова" not in form.inner_text()  # school B's teacher is not this administrator's
    for name in TEACHERS:
        form.locator("label", has_text=name).locator("input[name=teacher]").check()
    with page.expect_navigation():
        form.get_by_role("button", name="Зарегистрировать отмеченных").click()
    assert "Зарегистрировано: 2." in flash(page)
    rows = page.get_by_test_id("registrations").locator("tbody tr")
    assert rows.count() == 2
    for name in TEACHERS:
        assert "зарегистрирован" in rows.filter(has_text=name).inner_text().lower()
    assert "Зарегистрировано: 2 из 30 мест" in page.get_by_test_id("registration-counts").inner_text()
    assert Registration.objects.filter(event=event, status="registered").count() == 2


def methodist_marks_attendance_on_a_phone(phone, event, methodist, screenshot) -> None:
    log_in(phone, methodist)
    phone.goto(reverse("events:detail", args=[event.pk]))
    assert scroll_width(phone) <= PHONE["width"], f"the event's page is {scroll_width(phone)} px wide"
    with phone.expect_navigation():
        phone.get_by_test_id("attendance-panel").get_by_role("link", name="Отметить присутствие").click()
    assert phone.url.endswith(reverse("events:attendance", args=[event.pk]))
    assert scroll_width(phone) <= PHONE["width"], f"the checklist is {scroll_width(phone)} px wide"

    checklist = phone.get_by_test_id("attendance-checklist")
    for name in TEACHERS:
        toggle = checklist.locator("label", has_text=name)
        box = toggle.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        # htmx posts the one toggle; the server answers 204 and the button stays pressed.
        with phone.expect_response(lambda r: r.request.method == "POST" and "/attendance/" in r.url) as answer:
            toggle.tap()
        assert answer.value.status == 204
        assert phone.locator(f"#{toggle.get_attribute('for')}").is_checked()
    assert Attendance.objects.filter(event=event).count() == 2

    phone.reload()
    screenshot(phone, "attendance")
    summary = " ".join(phone.get_by_test_id("attendance-summary").inner_text().split())
    assert "Присутствуют: 2 (педагогов реестра — 2, других участников — 0)" in summary, summary
    assert "Отмечено зарегистрированных: 2 из 2." in summary, summary

    phone.locator("input[name=pupils_count]").fill(str(PUPILS))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Сохранить", exact=True).click()
    assert f"Число обучающихся: {PUPILS}." in flash(phone)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Отметить «проведено»").click()
    assert "Мероприятие отмечено как проведённое." in flash(phone)
    summary = " ".join(phone.get_by_test_id("attendance-summary").inner_text().split())
    assert f"обучающихся — {PUPILS}" in summary, summary
    assert scroll_width(phone) <= PHONE["width"], f"the checklist is {scroll_width(phone)} px wide"
    event.refresh_from_db()
    assert (event.status, event.pupils_count) == (EventStatus.HELD, PUPILS)


def methodist_issues_and_downloads(page, event, year) -> tuple[Certificate, bytes]:
    page.goto(reverse("events:detail", args=[event.pk]))
    panel = page.get_by_test_id("certificates-panel")
    assert "краткосрочном повышении квалификации" in panel.inner_text() and "4 ч" in panel.inner_text()
    with page.expect_navigation():
        panel.get_by_role("button", name="Выдать сертификаты").click()
    assert page.url.endswith(reverse("events:certificates", args=[event.pk])), page.url

    # The page shows the rendering's status and polls it while the job is active (reloading itself when it is
    # done); the download links appear when the PDFs are made.
    downloads = page.get_by_test_id("certificates-table").locator("a[href$='/pdf/']")
    downloads.nth(1).wait_for(timeout=60_000)
    assert downloads.count() == 2, page.get_by_test_id("certificates-table").inner_text()
    status = " ".join(page.get_by_test_id("certificates-progress").inner_text().split())
    assert re.search(r"Готово: 2 сертификата|готовы: 2", status), status

    certificates = {c.recipient_name: c for c in Certificate.objects.filter(event=event)}
    assert sorted(c.number for c in certificates.values()) == [f"С-{year}/0001", f"С-{year}/0002"]
    assert {(c.kind, c.hours) for c in certificates.values()} == {("short_training", 4)}
    certificate = certificates[TEACHERS[0]]
    row = page.get_by_test_id("certificates-table").locator("tbody tr", has_text=TEACHERS[0])
    assert certificate.number in row.inner_text()
    with page.expect_download() as download_info:
        row.locator("a[href$='/pdf/']").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert certificate.number in text and TEACHERS[0] in text, text[:800]
    assert re.search(r"С-\d{4}/\d{4}", text)
    return certificate, content


def visitor_verifies(visitor, certificate, content, tmp_path) -> None:
    response = visitor.goto(reverse("report_public:verify", args=[certificate.verification_code]))
    assert response.status == 200
    assert f"№ {certificate.number}" in visitor.get_by_test_id("verify-number").inner_text()
    assert visitor.get_by_test_id("verify-recipient").inner_text().strip() == TEACHERS[0]
    assert visitor.get_by_test_id("verify-hours").inner_text().strip() == "4 ч"
    copy = tmp_path / "certificate.pdf"
    copy.write_bytes(content)
    visitor.locator("input[type=file]").set_input_files(str(copy))
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Проверить").click()
    assert "Файл совпадает с выданным сертификатом." in visitor.get_by_test_id("verify-match").inner_text()


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def test_plan_register_attend_certify_verify(
    journey_settings, methodist, school_admin, far_school_admin, teachers, login_as, context_factory, screenshot,
    tmp_path,
):
    refused: list[str] = []
    today = timezone.localdate()

    # 1. The methodist plans the seminar.
    page = login_as(methodist)
    csp_collector(page, refused)
    event = methodist_plans_the_seminar(page, methodist, today)

    # 2. School A's administrator registers two teachers …
    page = login_as(school_admin)
    school_admin_registers_two(page, event, teachers)

    # … a school administrator of another district cannot open the registration page.
    page = login_as(far_school_admin)
    response = page.goto(reverse("events:register", args=[event.pk]))
    assert response.status == 404
    assert page.get_by_test_id("register-form").count() == 0

    # 3. The methodist at the venue, on a phone.
    phone = context_factory(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
    csp_collector(phone, refused)
    methodist_marks_attendance_on_a_phone(phone, event, methodist, screenshot)

    # 4. Certificates, back at the desk.
    page = login_as(methodist)
    certificate, content = methodist_issues_and_downloads(page, event, today.year)
    screenshot(page, "certificates")

    # 5. Anyone checks the certificate.
    visitor = context_factory(viewport={"width": 1366, "height": 900})
    csp_collector(visitor, refused)
    visitor_verifies(visitor, certificate, content, tmp_path)

    assert refused == []
