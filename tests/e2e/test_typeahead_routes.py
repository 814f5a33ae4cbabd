"""The ИОМ step's mentor picker in a real browser (issue 14.2), at 1366 and 390 px: the page carries no list of the
district's teachers; typing asks the route's own search (diagnostics:route_mentors), which offers teachers of the
whole district (another school's too, not the route's own teacher nor another district's), and the pick is
saved. No CSP refusal."""
from urllib.parse import quote

import pytest
from django.urls import reverse

from clusters.models import RouteStatus, Teacher
from diagnostics.models import RouteStep
from tests.factories import IndividualRouteFactory, TeacherFactory

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_school_admin_picks_another_schools_mentor(login_as, school_admin, school_a, school_b,
                                                   school_other_district, viewport):
    Teacher.objects.bulk_create([
        Teacher(organisation=school_b, personnel_number=f"R{i:04d}", full_name=f"Кузнецова Мария {i:04d}",
                position="учитель") for i in range(300)])
    route = IndividualRouteFactory(teacher=TeacherFactory(organisation=school_a, full_name="Абрамова Ольга Петровна"),
                                   status=RouteStatus.PLANNED)
    colleague = TeacherFactory(organisation=school_b, full_name="Абрамова Ирина Сергеевна")
    TeacherFactory(organisation=school_other_district, full_name="Абрамова Нина Ивановна")
    refusals = []
    page = login_as(school_admin)
    page.on("console", lambda message: refusals.append(message.text) if "Refused" in message.text else None)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(reverse("diagnostics:route_step_create", args=[route.pk]))
    assert page.locator("select#id_mentor option").count() <= 1

    control = page.locator("#id_mentor-ts-control")
    control.click()
    search = reverse("diagnostics:route_mentors", args=[route.pk])
    with page.expect_response(lambda r: search in r.url and f"q={quote('абрам')}" in r.url):
        control.press_sequentially("абрам", delay=40)
    dropdown = page.locator("#id_mentor-ts-dropdown")
    option = dropdown.locator(".option", has_text="Абрамова Ирина")
    option.wait_for()
    assert [t.strip() for t in dropdown.locator(".option").all_inner_texts()] == [
        f"Абрамова Ирина Сергеевна ({school_b.short_name})"]
    option.click()
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("select[name=kind]").select_option("mentor")
    page.locator("textarea[name=title]").fill("Занятия с наставником")
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить").click()
    assert RouteStep.objects.get(route=route).mentor == colleague
    assert refusals == []
