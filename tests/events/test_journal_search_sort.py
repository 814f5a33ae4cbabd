"""The consultations log and achievements (issue 14.2/14.3): ?sort= on whitelisted columns and search that finds.

Before: no column could be sorted, and the topic/title were matched with icontains — on SQLite
«журавлева» did not find «Журавлёва», «ментор» found nothing in «Наставничество: МЕНТОР» only on
PostgreSQL. Now the topic/consultant and the title/venue have a normalised search_text (core/search.py).
"""
import datetime

import pytest
from django.urls import reverse

from events.models import Achievement, Consultation
from tests.events.factories import AchievementFactory, ConsultationFactory
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def topics(response) -> list[str]:
    assert response.status_code == 200
    return [c.topic for c in response.context["object_list"]]


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [a.title for a in response.context["object_list"]]


@pytest.fixture
def consultations(district_a, district_b):
    return [
        ConsultationFactory(district=district_a, topic="Елочные игрушки на уроке труда", held_on=datetime.date(2021, 5, 1)),
        ConsultationFactory(district=district_a, topic="Журавлёва: рабочая программа", held_on=datetime.date(2021, 3, 1),
                            methodist_name="Абрамова Ирина"),
        ConsultationFactory(district=district_a, topic="Аттестация педагогов", held_on=datetime.date(2021, 4, 1)),
        ConsultationFactory(district=district_b, topic="Журавлёва в другом районе"),
    ]


@pytest.mark.parametrize("query, expected", [
    ("журавлева", ["Журавлёва: рабочая программа"]),
    ("ЖУРАВЛЁВА программа", ["Журавлёва: рабочая программа"]),
    ("программа журавл", ["Журавлёва: рабочая программа"]),
    ("ирина абрамова", ["Журавлёва: рабочая программа"]),  # the consultant, words in any order
    ("ЁЛОЧНЫЕ", ["Елочные игрушки на уроке труда"]),
])
def test_consultation_topic_search(methodist_client, consultations, query, expected):
    assert topics(methodist_client.get(reverse("events:consultations"), {"q": query})) == expected


def test_consultation_search_still_finds_a_teacher(methodist_client, consultations, school_a):
    consultations[2].teachers.set([TeacherFactory(organisation=school_a, full_name="Кузнецова Ольга Петровна")])
    assert topics(methodist_client.get(reverse("events:consultations"), {"q": "ольга кузнецова"})) == [
        "Аттестация педагогов"]


def test_search_text_is_kept_on_save_and_bulk_create(district_a):
    consultation = ConsultationFactory(district=district_a, topic="Работа с ЁЖИКОМ", methodist_name="")
    assert consultation.search_text == "работа с ежиком"
    Consultation.objects.filter(pk=consultation.pk).update(topic="Новая тема")
    consultation.refresh_from_db()
    assert consultation.search_text == "новая тема"


@pytest.mark.parametrize("sort, expected", [
    ("date", ["Журавлёва: рабочая программа", "Аттестация педагогов", "Елочные игрушки на уроке труда"]),
    ("-date", ["Елочные игрушки на уроке труда", "Аттестация педагогов", "Журавлёва: рабочая программа"]),
    ("topic", ["Аттестация педагогов", "Елочные игрушки на уроке труда", "Журавлёва: рабочая программа"]),
    ("-topic", ["Журавлёва: рабочая программа", "Елочные игрушки на уроке труда", "Аттестация педагогов"]),
    ("password", ["Елочные игрушки на уроке труда", "Аттестация педагогов", "Журавлёва: рабочая программа"]),
])
def test_consultations_sort(director_client, consultations, sort, expected):
    assert topics(director_client.get(reverse("events:consultations"), {"sort": sort})) == expected


def test_consultations_header_links_sort(director_client, consultations):
    page = director_client.get(reverse("events:consultations"), {"sort": "topic"}).content.decode()
    assert 'href="?sort=-topic"' in page and 'aria-sort="ascending"' in page


def test_observer_still_refused_the_log(observer_client, consultations):
    assert observer_client.get(reverse("events:consultations"), {"sort": "topic"}).status_code == 403


@pytest.fixture
def achievements(school_a, school_other_district):
    irina = TeacherFactory(organisation=school_a, full_name="Абрамова Ирина Сергеевна")
    boris = TeacherFactory(organisation=school_a, full_name="Борисов Олег Ильич")
    return [
        AchievementFactory(teacher=boris, title="Учитель года", year=2022, venue="Комитет по образованию"),
        AchievementFactory(teacher=irina, title="Педагогический дебют", year=2021, venue="ЛОИРО"),
        AchievementFactory(teacher=irina, kind="publication", result="", level="", title="Емкие задачи по физике",
                           year=2023, venue="Журнал «Физика в школе»"),
        AchievementFactory(teacher=TeacherFactory(organisation=school_other_district), title="Учитель года в другом районе"),
    ]


@pytest.mark.parametrize("query, expected", [
    ("ёмкие", ["Емкие задачи по физике"]),
    ("ФИЗИКА задачи", ["Емкие задачи по физике"]),
    ("физика в школе", ["Емкие задачи по физике"]),  # the venue
    ("ирина абрамова", ["Емкие задачи по физике", "Педагогический дебют"]),
    ("учитель года", ["Учитель года"]),
])
def test_achievement_title_search(methodist_client, achievements, query, expected):
    assert titles(methodist_client.get(reverse("events:achievements"), {"q": query})) == expected


@pytest.mark.parametrize("sort, expected", [
    ("year", ["Педагогический дебют", "Учитель года", "Емкие задачи по физике"]),
    ("-year", ["Емкие задачи по физике", "Учитель года", "Педагогический дебют"]),
    ("teacher", ["Емкие задачи по физике", "Педагогический дебют", "Учитель года"]),
    ("title", ["Емкие задачи по физике", "Педагогический дебют", "Учитель года"]),
])
def test_achievements_sort(methodist_client, achievements, sort, expected):
    assert titles(methodist_client.get(reverse("events:achievements"), {"sort": sort})) == expected


def test_school_admin_sorts_own_achievements_only(school_admin_client, other_school_admin_client, achievements):
    assert titles(school_admin_client.get(reverse("events:achievements"), {"sort": "-year"})) == [
        "Емкие задачи по физике", "Учитель года", "Педагогический дебют"]
    assert titles(other_school_admin_client.get(reverse("events:achievements"), {"sort": "-year"})) == []
    assert Achievement.objects.count() == 4
