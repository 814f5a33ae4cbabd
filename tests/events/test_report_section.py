"""The monitoring справка's section «Формы взаимодействия в <год> году» (events/report_sections.py) for a small
hand-built district: held events of the year of the report's last period by form, with counts worked out by hand."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

import events.report_sections as forms_section
from clusters.models import EventForm, EventStatus
from events.models import Attendance
from reports import rendering, sections, services
from tests.events.factories import DistrictEventFormFactory, EventFactory
from tests.factories import TeacherFactory
from tests.reports.test_rendering import contains, flat, pdf_pages
from tests.reports.workflow_support import make_programme

pytestmark = pytest.mark.django_db

# Held in 2021 (counted), in the order the paragraph lists them.
EXPECTED = (
    # 2 master-classes: 3 teachers + 1 external at the first, 2 teachers at the second → 3 + 1 + 2 = 6 present.
    # 1 event of the district's own form, nobody marked → no participants.
    # 1 video lesson, nobody marked → no participants.
    # 1 seminar: 1 teacher present + 20 pupils typed → 21 participants, 20 of them pupils.
    # 5 events in all = 2 + 1 + 1 + 1. Order: most events first, then by the form's name
    # («Педагогическая мастерская» — capital П — sorts before «видеоурок» and «семинар»).
    "В 2021 году ИМЦ провёл 5 мероприятий: мастер-классы — 2 (участников 6), Педагогическая мастерская — 1, "
    "видеоуроки — 1, семинары — 1 (участников 21, из них обучающихся 20).\n\n"
    "Мастер-классы: Мастер-класс «Смысловое чтение» (12.03.2021); Мастер-класс «Функциональная грамотность» "
    "(15.04.2021).\n\n"
    "Педагогическая мастерская: Мастерская молодого педагога (20.09.2021).\n\n"
    "Видеоуроки: Видеоурок «Дроби» (19.05.2021).\n\n"
    "Семинары: Семинар по подготовке к ОГЭ (10.11.2021)."
)


@pytest.fixture
def held_events(district_a, district_b, school_a):
    held = {"district": district_a, "status": EventStatus.HELD, "participants_count": 0}
    teachers = TeacherFactory.create_batch(5, organisation=school_a)
    first = EventFactory(title="Мастер-класс «Функциональная грамотность»", form=EventForm.MASTER_CLASS,
                         held_on=dt.date(2021, 4, 15), **held)
    second = EventFactory(title="Мастер-класс «Смысловое чтение»", form=EventForm.MASTER_CLASS,
                          held_on=dt.date(2021, 3, 12), **held)
    seminar = EventFactory(title="Семинар по подготовке к ОГЭ", form=EventForm.SEMINAR, held_on=dt.date(2021, 11, 10),
                           pupils_count=20, **held)
    EventFactory(title="Видеоурок «Дроби»", form=EventForm.VIDEO_LESSON, held_on=dt.date(2021, 5, 19), **held)
    workshop = DistrictEventFormFactory(district=district_a, name="Педагогическая мастерская")
    EventFactory(title="Мастерская молодого педагога", form=EventForm.OTHER, custom_form=workshop,
                 held_on=dt.date(2021, 9, 20), **held)
    Attendance.objects.bulk_create(
        [Attendance(event=first, teacher=t) for t in teachers[:3]]
        + [Attendance(event=first, full_name="Петрова Ольга Ивановна", organisation_name="МОУ СОШ № 2 г. Тулуна")]
        + [Attendance(event=second, teacher=t) for t in teachers[3:]]
        + [Attendance(event=seminar, teacher=teachers[0])])
    # Not counted: planned or cancelled in 2021, held in 2020, held by another district.
    EventFactory(title="Запланированный семинар", held_on=dt.date(2021, 12, 20), district=district_a,
                 status=EventStatus.PLANNED)
    EventFactory(title="Отменённый форум", form=EventForm.FORUM, held_on=dt.date(2021, 6, 1), district=district_a,
                 status=EventStatus.CANCELLED)
    EventFactory(title="Фестиваль 2020", form=EventForm.FESTIVAL, held_on=dt.date(2020, 4, 1), **held)
    EventFactory(title="Семинар Кировского района", held_on=dt.date(2021, 3, 1), district=district_b,
                 status=EventStatus.HELD)


def _report(methodist, district):
    programme, periods = make_programme(district)  # periods 2020 and 2021: the section speaks of 2021
    return services.report_create(user=methodist, kind="monitoring", programme=programme, periods=periods)


def test_the_text_counts_the_years_held_events_by_form(held_events, district_a, django_assert_num_queries):
    # One aggregate for the counts, one list of the titles.
    with django_assert_num_queries(2):
        text = forms_section.forms_text(district_a.pk, 2021)
    assert text == EXPECTED


def test_a_new_monitoring_spravka_gets_the_section(held_events, methodist, district_a):
    report = _report(methodist, district_a)
    report.refresh_from_db()
    assert report.section_texts[forms_section.KEY] == EXPECTED
    assert sections.label(report, forms_section.KEY) == "Формы взаимодействия в 2021 году"


def test_the_section_is_off_without_held_events(methodist, district_a):
    EventFactory(title="Запланированный семинар", held_on=dt.date(2021, 12, 20), district=district_a,
                 status=EventStatus.PLANNED)
    report = _report(methodist, district_a)
    report.refresh_from_db()
    assert forms_section.KEY not in report.section_texts
    assert "Формы взаимодействия" not in flat("\n".join(pdf_pages(rendering.render_report_pdf(report, final=False))))


def test_the_methodists_edit_is_kept_and_printed_under_the_heading(held_events, methodist, methodist_client,
                                                                    district_a, observer_client):
    report = _report(methodist, district_a)
    url = reverse("reports:report_edit", args=[report.pk])
    assert observer_client.get(url).status_code == 403  # a refused persona
    page = methodist_client.get(url).content.decode()
    assert "Формы взаимодействия в 2021 году" in page
    assert "ИМЦ провёл 5 мероприятий" in page

    edited = "В 2021 году освоены новые эффективные формы взаимодействия: мастер-классы и видеоуроки."
    response = methodist_client.post(url, {
        "title": report.title, "intro": "", "conclusion": "Показатели достигнуты.", "recommendations": "",
        "section_0": "", "section_1": edited,
    })
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.section_texts[forms_section.KEY] == edited

    text = "\n".join(pdf_pages(rendering.render_report_pdf(report, final=False)))
    assert contains(text, f"Формы взаимодействия в 2021 году {edited}")


def test_the_pdf_of_a_new_spravka_prints_the_heading_and_the_counts(held_events, methodist, district_a):
    report = _report(methodist, district_a)
    text = "\n".join(pdf_pages(rendering.render_report_pdf(report, final=False)))
    assert contains(text, "Формы взаимодействия в 2021 году")
    assert contains(text, "ИМЦ провёл 5 мероприятий: мастер-классы — 2 (участников 6)")
