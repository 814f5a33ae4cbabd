"""Type-ahead pickers in a real browser (issue 14.2), at 1366 and 390 px: the mentorship form carries no list of
the district's teachers; typing «абрам» asks the search endpoint, which finds «Абрамова» whatever the case
(SQLite's LIKE folds only Latin letters — the endpoint matches the normalised search_text), offers the
district's teachers only, and the chosen teacher is saved. No CSP refusal (Tom Select is a static file)."""
from urllib.parse import quote

import pytest
from django.urls import reverse

from clusters.models import Mentorship, Teacher
from tests.factories import TeacherFactory

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def teachers(school_a, school_b, school_other_district):
    Teacher.objects.bulk_create([
        Teacher(organisation=school_a, personnel_number=f"F{i:04d}", full_name=f"Кузнецова Мария {i:04d}",
                position="учитель") for i in range(400)])
    return {
        "mentor": TeacherFactory(organisation=school_a, full_name="Петрова Ольга Ивановна", birth_year=1970),
        "irina": TeacherFactory(organisation=school_b, full_name="Абрамова Ирина Сергеевна", birth_year=1999),
        "olga": TeacherFactory(organisation=school_a, full_name="Абрамова Ольга Петровна"),
        "foreign": TeacherFactory(organisation=school_other_district, full_name="Абрамова Нина Ивановна"),
    }


def _pick(page, field: str, typed: str, choice: str) -> list[str]:
    """Types into the picker of `field`, waits for the endpoint's answer, clicks `choice`; returns the offered texts."""
    control = page.locator(f"#id_{field}-ts-control")
    control.click()
    # The answer to the whole word (the earlier keystrokes may have asked too).
    with page.expect_response(lambda r: "/registry/typeahead/teachers/" in r.url and f"q={quote(typed)}" in r.url):
        control.press_sequentially(typed, delay=40)
    dropdown = page.locator(f"#id_{field}-ts-dropdown")
    option = dropdown.locator(".option", has_text=choice)
    option.wait_for()
    offered = [t.strip() for t in dropdown.locator(".option").all_inner_texts()]
    option.click()
    return offered


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_methodist_picks_teachers_by_typing(login_as, methodist, teachers, school_a, school_b, viewport):
    refusals = []
    page = login_as(methodist)
    page.on("console", lambda message: refusals.append(message.text) if "Refused" in message.text else None)
    page.set_viewport_size(VIEWPORTS[viewport])
    response = page.goto(reverse("clusters:mentorship_create"))
    assert len(response.body()) < 100 * 1024
    assert page.locator("select#id_mentee option").count() <= 1  # no teacher rendered as an option

    offered = _pick(page, "mentor", "петрова", "Петрова Ольга Ивановна")
    assert offered == [f"Петрова Ольга Ивановна ({school_a.short_name})"]
    offered = _pick(page, "mentee", "абрам", "Абрамова Ирина Сергеевна")
    # Both of the district's Абрамовы, in either school; district B's is not offered.
    assert sorted(offered) == sorted([f"Абрамова Ирина Сергеевна ({school_b.short_name})",
                                      f"Абрамова Ольга Петровна ({school_a.short_name})"])
    if viewport == "phone":
        box = page.locator("#id_mentee-ts-control").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("input[name=starts_on]").fill("2021-09-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить").click()
    assert "/new/" not in page.url
    pair = Mentorship.objects.get()
    assert (pair.mentor, pair.mentee) == (teachers["mentor"], teachers["irina"])
    assert refusals == []


def test_scope_picker_searches_in_place(login_as, director, district_a, school_a):
    """The monitoring scope picker (the district, its clusters, ~140 organisations) is searchable: typing part of a
    name in any case narrows it, the choice submits the form (data-autosubmit) with the scope key."""
    from playwright.sync_api import expect

    from tests.factories import OrganisationFactory
    from tests.reports.workflow_support import make_programme

    for n in range(1, 61):
        OrganisationFactory(district=district_a, short_name=f"ГБОУ СОШ № {n + 100}")
    wanted = OrganisationFactory(district=district_a, short_name="ГБОУ Лицей № 244")
    programme, _ = make_programme(district_a)
    page = login_as(director)
    page.goto(reverse("monitoring:programme_detail", args=[programme.pk]))
    # With a choice shown, Tom Select keeps its input off-screen until the box is clicked.
    page.locator(".ts-wrapper:has(#scope-ts-control) .ts-control").click()
    page.locator("#scope-ts-control").press_sequentially("лицей", delay=30)
    options = page.locator("#scope-ts-dropdown .option")
    expect(options).to_have_count(1)  # of the district, its clusters and 62 organisations
    assert options.all_inner_texts() == ["ОУ: ГБОУ Лицей № 244"]
    with page.expect_navigation():
        options.first.click()
    assert f"scope=organisation%3A{wanted.pk}" in page.url or f"scope=organisation:{wanted.pk}" in page.url
