"""Generated sections of a справка (reports/sections.py): a section another app registers for a kind is written
into the new draft's section_texts when its build returns text, is edited on the report's page under its label and
is printed in the monitoring PDF under that label; a build that returns None leaves the section off."""
from __future__ import annotations

import pytest
from django.urls import reverse

from reports import rendering, sections, services
from reports.forms import ReportTextsForm
from reports.kinds import monitoring as monitoring_kind
from tests.reports.test_rendering import flat, pdf_pages

pytestmark = pytest.mark.django_db

KEY = "test_generated"
TEXT = "В 2021 году проведено 2 мероприятия: семинары — 2."


@pytest.fixture
def section():
    """A monitoring section that says something only for districts named in `speaks_for`."""
    speaks_for = set()

    def label(report):
        return f"Сгенерированный раздел {report.periods.order_by('ends_on').last().label}"

    def build(report):
        return TEXT if report.district_id in speaks_for else None

    sections.register(monitoring_kind.CODE, KEY, label, build)
    yield speaks_for
    sections.unregister(monitoring_kind.CODE, KEY)


def _create(methodist, programme):
    prog, periods = programme
    return services.report_create(user=methodist, kind="monitoring", programme=prog, periods=periods)


def test_a_section_whose_build_has_text_is_written_on_creation(section, methodist, programme, district_a):
    section.add(district_a.pk)
    report = _create(methodist, programme)
    report.refresh_from_db()
    # The kind's own empty «Вывод» about the clusters stays; the generated text is added beside it.
    assert report.section_texts == {monitoring_kind.SECTION_CLUSTERS_CONCLUSION: "", KEY: TEXT}
    assert sections.label(report, KEY) == "Сгенерированный раздел 2021"
    assert sections.printed(report) == [("Сгенерированный раздел 2021", TEXT)]


def test_a_section_whose_build_returns_none_is_off(section, methodist, programme):
    report = _create(methodist, programme)
    report.refresh_from_db()
    assert KEY not in report.section_texts
    assert sections.printed(report) == []
    form = ReportTextsForm(report=report)
    assert [form.fields[f"section_{i}"].label for i in range(len(form.section_keys))] == [
        "Вывод по кластерам и уровням организаций"]


def test_a_failing_build_does_not_stop_the_report(methodist, programme):
    def build(report):
        raise RuntimeError("boom")

    sections.register(monitoring_kind.CODE, "broken", "Сломанный раздел", build)
    try:
        report = _create(methodist, programme)
    finally:
        sections.unregister(monitoring_kind.CODE, "broken")
    assert "broken" not in report.section_texts


def test_registering_another_build_under_a_taken_key_is_refused(section):
    with pytest.raises(sections.SectionError):
        sections.register(monitoring_kind.CODE, KEY, "Другой", lambda report: None)
    with pytest.raises(sections.SectionError):
        sections.register(monitoring_kind.CODE, "", "Без ключа", lambda report: None)


def test_the_methodist_edits_the_generated_text_and_the_pdf_prints_the_edit(
        section, methodist, methodist_client, programme, district_a, director_client):
    section.add(district_a.pk)
    report = _create(methodist, programme)
    url = reverse("reports:report_edit", args=[report.pk])
    page = methodist_client.get(url)
    assert page.status_code == 200
    assert "Сгенерированный раздел 2021" in page.content.decode()  # the editor's label
    # A refused persona: the director does not edit texts.
    assert director_client.get(url).status_code == 403

    response = methodist_client.post(url, {
        "title": report.title, "intro": "", "conclusion": "Все показатели достигнуты.", "recommendations": "",
        "section_0": "Кластерный подход работает.", "section_1": "Текст, исправленный методистом.",
    })
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.section_texts[KEY] == "Текст, исправленный методистом."

    text = flat("\n".join(pdf_pages(rendering.render_report_pdf(report, final=False))))
    assert "Сгенерированный раздел 2021 Текст, исправленный методистом." in text
    assert TEXT not in text


def test_a_cleared_text_is_not_printed(section, methodist, programme, district_a):
    section.add(district_a.pk)
    report = _create(methodist, programme)
    services.report_update(report=report, user=methodist, section_texts={KEY: "  "})
    report.refresh_from_db()
    assert sections.printed(report) == []
    context = monitoring_kind.build_context(report)
    assert context["generated_sections"] == []
