"""Self-diagnostics in a real browser (issue 12, item 11).

1. A teacher opens the personal link on a phone (390 × 844), consents, answers part of the form, saves a
   draft, answers the rest, submits and sees the profile: an index and a level per group, the radar chart,
   no horizontal scroll; the PDF link answers with a PDF.
2. The school administrator finds the ИОМ proposed from the deficits in the routes list and approves it.
3. A methodist of the district opens the deficit map and sees the school's row; the school administrator is
   refused there, and a methodist of another district does not see the school.
No page of the journey makes Chromium refuse anything under the Content-Security-Policy, and the radar chart is a
whole circle (its spokes' angles π/2 − 2πi/n go negative; matplotlib then drew only half the polar frame).

The numbers, by hand. The campaign is the shipped teacher instrument for «основное общее», «учитель»: five
items in each of the four groups (the preschool, supplementary and specialist items are left out). Options of
the 4-level scale score 0, 1/3, 2/3, 1. The teacher chooses in every item of
    предметные                 option 0 → 5 × 0 / 5   = 0,000 → «дефицит»
    методические               option 1 → 5 × 1/3 / 5 = 0,333 → «дефицит»     (below 0,5)
    психолого-педагогические   option 2 → 5 × 2/3 / 5 = 0,667 → «достаточный» (0,5 ≤ x < 0,8)
    коммуникативные            option 3 → 5 × 1 / 5   = 1,000 → «высокий»     (from 0,8)
Deficit map, the school's row: one diagnosed teacher, with a deficit in the first two groups: 1 / 1 = 100,0 %,
then 0 / 1 = 0,0 % in the other two.
"""
from __future__ import annotations

import pytest
from django.urls import reverse

from clusters.models import IndividualRoute, RouteStatus
from diagnostics.instruments_shipped import create_shipped_instruments
from diagnostics.models import AreaScore, Instrument, Invitation, InvitationStatus
from diagnostics.services.campaigns import hash_token, new_token
from diagnostics.services.instruments import items_for
from tests.diagnostics.factories import DiagnosticCampaignFactory, InvitationFactory
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.factories import TeacherFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CHOICE = {"subject": 0, "methodical": 1, "psycho_pedagogical": 2, "communicative": 3}
EXPECTED = [  # (group, index as printed, level) in the profile's order
    ("предметные", "0,00", "дефицит"),
    ("методические", "0,33", "дефицит"),
    ("психолого-педагогические", "0,67", "достаточный"),
    ("коммуникативные", "1,00", "высокий"),
]
TEACHER_NAME = "Смирнова Ольга Викторовна"


def csp_collector(page, seen: list[str]) -> None:
    """Chromium reports each refused script, handler or style as a console message (as in
    test_content_security_policy.py); they land in `seen`."""

    def collect(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            seen.append(f"{page.url}: {text}")

    page.on("console", collect)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="ru-RU", timezone_id="Europe/Moscow", viewport=PHONE,
        is_mobile=True, has_touch=True, device_scale_factor=1,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def diagnosis(district_a, school_a, settings, tmp_path):
    """The shipped teacher instrument (the live server's flush removed it, post_migrate recreated it; the call
    below is idempotent and makes the test independent of that), a campaign for school_a, one invitation."""
    settings.MEDIA_ROOT = tmp_path / "media"
    create_shipped_instruments()
    instrument = Instrument.objects.get(code="teacher-deficits", district__isnull=True, version=1)
    campaign = DiagnosticCampaignFactory(district=district_a, instrument=instrument, level="basic",
                                         profession="teacher", title="Самодиагностика педагогов")
    campaign.organisations.set([school_a])
    teacher = TeacherFactory(organisation=school_a, full_name=TEACHER_NAME)
    token = new_token()
    invitation = InvitationFactory(campaign=campaign, teacher=teacher, token_hash=hash_token(token))
    items = items_for(instrument, campaign.level, campaign.profession)
    return {"campaign": campaign, "invitation": invitation, "token": token, "items": items}


def radar_frame(page) -> dict:
    """The box of the radar's polar frame (matplotlib's axes patch, `patch_2`): a full circle is as high as
    it is wide."""
    return page.get_by_test_id("profile-radar").locator("g[id=patch_2] path").bounding_box()


def teacher_answers_on_a_phone(page, diagnosis, screenshot) -> dict:
    """The journey of step 1; returns the radar's frame box, checked at the end of the test."""
    token, items = diagnosis["token"], diagnosis["items"]
    assert sorted(item.area.code for item in items).count("subject") == 5 and len(items) == 20

    page.goto(reverse("diagnostics_public:start", args=[token]))
    consent = page.get_by_test_id("diagnostic-consent")
    assert "152-ФЗ" in consent.inner_text() and "администратор вашей организации" in consent.inner_text()
    assert no_horizontal_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Согласен, начать").click()
    assert page.url.endswith(reverse("diagnostics_public:form", args=[token]))
    assert no_horizontal_scroll(page)
    screenshot(page, "form")

    def choose(item) -> None:
        page.locator(f"#item-{item.pk}-{CHOICE[item.area.code]}").check()

    first_half, second_half = items[:10], items[10:]
    for item in first_half:
        choose(item)
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить черновик").click()
    assert "Черновик сохранён." in page.get_by_role("status").inner_text()
    invitation = Invitation.objects.get(pk=diagnosis["invitation"].pk)
    assert invitation.status == InvitationStatus.DRAFT and invitation.answers.count() == 10
    # The draft comes back checked.
    for item in first_half:
        assert page.locator(f"#item-{item.pk}-{CHOICE[item.area.code]}").is_checked()

    for item in second_half:
        choose(item)
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить").click()
    assert "Диагностика пройдена" in page.get_by_test_id("diagnostic-done").inner_text()
    assert no_horizontal_scroll(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Мой профиль").click()
    assert page.url.endswith(reverse("diagnostics_public:profile", args=[token]))
    rows = page.get_by_test_id("profile-areas").locator("tbody tr")
    assert rows.count() == len(EXPECTED)
    for i, (group, index, level) in enumerate(EXPECTED):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        assert cells == [group, index, level], cells
    radar = page.get_by_test_id("profile-radar").locator("svg")
    assert radar.count() == 1 and radar.is_visible()
    box = radar.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    frame = radar_frame(page)
    recommendations = page.get_by_test_id("profile-recommendations").inner_text()
    assert "предметные — 0,00" in recommendations and "методические — 0,33" in recommendations
    assert "коммуникативные" not in recommendations
    assert no_horizontal_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "profile")

    pdf_link = page.get_by_test_id("profile-pdf")
    assert pdf_link.get_attribute("href") == reverse("diagnostics_public:profile_pdf", args=[token])
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    return frame


def test_teacher_diagnosis_to_approved_route_to_deficit_map(
    diagnosis, phone, login_as, browser_page, school_a, school_admin, methodist, other_methodist, screenshot,
):
    refused: list[str] = []
    csp_collector(phone, refused)
    csp_collector(browser_page, refused)

    # 1. The teacher, on a phone, without an account.
    radar = teacher_answers_on_a_phone(phone, diagnosis, screenshot)
    invitation = Invitation.objects.get(pk=diagnosis["invitation"].pk)
    scores = {s.area.code: str(s.score) for s in AreaScore.objects.filter(invitation=invitation).select_related("area")}
    assert scores == {"subject": "0.000", "methodical": "0.333", "psycho_pedagogical": "0.667",
                      "communicative": "1.000"}

    # 2. The school administrator approves the proposed ИОМ.
    route = IndividualRoute.objects.get(teacher=invitation.teacher)
    assert route.status == RouteStatus.PLANNED and route.deficits == ["subject", "methodical"]
    page = login_as(school_admin)
    page.goto(reverse("diagnostics:routes"))
    row = page.locator("tr", has_text=TEACHER_NAME)
    assert "запланирован" in row.inner_text() and "предметные, методические" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name=TEACHER_NAME).click()
    assert page.url.endswith(reverse("diagnostics:route_detail", args=[route.pk]))
    assert page.get_by_test_id("route-status").inner_text() == "запланирован"
    assert "Не утверждён." in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_test_id("route-approve").click()
    assert page.get_by_test_id("route-status").inner_text() == "реализуется"
    assert page.get_by_test_id("route-approve").count() == 0
    route.refresh_from_db()
    assert route.status == RouteStatus.ACTIVE and route.origin.approved_by == school_admin
    page.goto(reverse("diagnostics:routes"))
    assert "реализуется" in page.locator("tr", has_text=TEACHER_NAME).inner_text()

    # 3. The deficit map: refused to the school administrator …
    response = page.goto(reverse("diagnostics:deficit_map"))
    assert response.status == 403
    assert page.get_by_test_id("deficit-map").count() == 0

    # … shown to the district's methodist with the school's shares …
    page = login_as(methodist)
    response = page.goto(reverse("diagnostics:deficit_map"))
    assert response.status == 200
    headers = [h.strip() for h in page.get_by_test_id("deficit-map").locator("thead th").all_inner_texts()]
    assert headers == ["Организация", *(group for group, _, _ in EXPECTED)]
    school_row = page.get_by_test_id("deficit-map").locator("tbody tr", has_text=school_a.short_name)
    cells = [" ".join(c.split()) for c in school_row.locator("td[data-testid=cell]").all_inner_texts()]
    assert cells == ["100,0 % (1)", "100,0 % (1)", "0,0 % (1)", "0,0 % (1)"], cells
    screenshot(page, "deficit-map")

    # … and a methodist of another district sees nothing of this school.
    page = login_as(other_methodist)
    page.goto(reverse("diagnostics:deficit_map"))
    assert school_a.short_name not in page.locator("main").inner_text()
    assert page.get_by_test_id("deficit-map").count() == 0

    assert refused == []
    # The radar is a whole circle (four spokes at 90°, 0°, −90°, −180°): checked last so that a broken chart
    # does not hide the rest of the journey.
    assert abs(radar["height"] - radar["width"]) < 2, f"the radar's frame is not a circle: {radar}"
