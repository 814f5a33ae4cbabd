"""The consultations log and achievements pages: forms' rules, scopes, the teacher page's panel (access per persona:
the access matrix, tests/events/access_rows_journal.py)."""
import datetime

import pytest
from django.urls import reverse

import events.teacher_panel  # noqa: F401 - registers the panel (the app's ready() does it at start-up)
from events.models import Achievement, Attendance, Consultation
from tests.events.factories import AchievementFactory, ConsultationFactory
from tests.factories import EventFactory, TeacherFactory


@pytest.fixture
def teachers(school_a, school_b):
    return (TeacherFactory(organisation=school_a, full_name="Алексеева Анна Борисовна"),
            TeacherFactory(organisation=school_a, full_name="Борисов Олег Ильич"),
            TeacherFactory(organisation=school_b, full_name="Викторова Нина Юрьевна"))


def _consultation_data(**overrides):
    data = {"held_on": "2021-03-10", "kind": "individual", "topic": "Рабочая программа", "methodist": "",
            "methodist_name": "Соколова Е.В.", "organisation": "", "notes": "", "teacher_organisation": "",
            "teacher_search": ""}
    data.update(overrides)
    return data


def test_methodist_creates_an_individual_consultation(methodist_client, methodist, teachers, district_a):
    a1 = teachers[0]
    response = methodist_client.post(reverse("events:consultation_create"), _consultation_data(teachers=[a1.pk]))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.district == district_a
    assert list(consultation.teachers.all()) == [a1]
    assert consultation.organisation == a1.organisation  # one teacher's consultation belongs to their school


def test_consultation_rules_in_russian(methodist_client, teachers):
    url = reverse("events:consultation_create")
    two = [teachers[0].pk, teachers[2].pk]
    page = methodist_client.post(url, _consultation_data(teachers=two)).content.decode()
    assert "ровно один педагог" in page
    page = methodist_client.post(url, _consultation_data(kind="thematic")).content.decode()
    assert "хотя бы одного педагога" in page
    page = methodist_client.post(url, _consultation_data(methodist_name="", teachers=[teachers[0].pk])).content.decode()
    assert "Выберите методиста или впишите ФИО консультанта" in page
    assert not Consultation.objects.exists()


def test_consultation_refuses_a_teacher_of_another_district(methodist_client, school_other_district):
    foreign = TeacherFactory(organisation=school_other_district)
    response = methodist_client.post(reverse("events:consultation_create"), _consultation_data(teachers=[foreign.pk]))
    assert response.status_code == 200 and not Consultation.objects.exists()


def test_show_teachers_keeps_what_was_typed_and_ticked(methodist_client, teachers, school_b):
    # Ticked A1, then asked for school B's teachers: nothing saved, A1 still ticked, school B's listed.
    data = _consultation_data(kind="thematic", topic="ФГОС", teachers=[teachers[0].pk],
                              teacher_organisation=school_b.pk, _filter="1")
    response = methodist_client.post(reverse("events:consultation_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Consultation.objects.exists()
    assert 'value="ФГОС"' in page
    assert f'value="{teachers[0].pk}" id="teacher-{teachers[0].pk}" checked' in page
    assert f'value="{teachers[2].pk}" id="teacher-{teachers[2].pk}">' in page
    assert "Борисов Олег" not in page  # school A's other teacher is not in school B's list
    assert "is-invalid" not in page


def test_methodist_picks_a_district_methodist(methodist_client, methodist, teachers):
    data = _consultation_data(methodist=methodist.pk, methodist_name="", teachers=[teachers[1].pk])
    assert methodist_client.post(reverse("events:consultation_create"), data).status_code == 302
    assert Consultation.objects.get().methodist == methodist


def test_director_reads_the_log_observer_does_not(director_client, observer_client, teachers, district_a):
    ConsultationFactory(district=district_a, topic="Наставничество", teachers=[teachers[0]])
    page = director_client.get(reverse("events:consultations")).content.decode()
    assert "Наставничество" in page and "Алексеева" in page
    assert reverse("events:consultation_create") not in page  # no dead «Добавить» for a reader
    assert observer_client.get(reverse("events:consultations")).status_code == 403


def test_consultation_filters(methodist_client, district_a, teachers):
    ConsultationFactory(district=district_a, topic="Тема 2020", held_on=datetime.date(2020, 5, 1))
    ConsultationFactory(district=district_a, topic="Тема 2021", kind="individual", teachers=[teachers[0]])
    page = methodist_client.get(reverse("events:consultations") + "?year=2021").content.decode()
    assert "Тема 2021" in page and "Тема 2020" not in page
    page = methodist_client.get(reverse("events:consultations") + "?kind=thematic").content.decode()
    assert "Тема 2020" in page and "Тема 2021" not in page


def test_consultation_list_queries_do_not_grow_per_row(methodist_client, district_a, teachers,
                                                       django_assert_max_num_queries):
    for _ in range(10):
        ConsultationFactory(district=district_a, teachers=list(teachers))
    with django_assert_max_num_queries(12):
        assert methodist_client.get(reverse("events:consultations")).status_code == 200


# --- achievements ---


def _achievement_data(teacher, **overrides):
    data = {"teacher": teacher.pk, "kind": "competition", "title": "Учитель года", "venue": "", "year": 2021,
            "level": "district", "result": "prize"}
    data.update(overrides)
    return data


def test_school_admin_adds_an_achievement_of_own_teacher_only(school_admin_client, teachers):
    own, foreign = teachers[0], teachers[2]
    url = reverse("events:achievement_create")
    assert school_admin_client.post(url, _achievement_data(own)).status_code == 302
    response = school_admin_client.post(url, _achievement_data(foreign, title="Чужой"))
    assert response.status_code == 200 and list(Achievement.objects.values_list("title", flat=True)) == ["Учитель года"]


def test_competition_needs_a_result_publication_has_none(methodist_client, teachers):
    url = reverse("events:achievement_create")
    page = methodist_client.post(url, _achievement_data(teachers[0], result="")).content.decode()
    assert "Укажите результат конкурса" in page
    page = methodist_client.post(url, _achievement_data(teachers[0], kind="publication")).content.decode()
    assert "У публикации нет результата" in page
    assert methodist_client.post(url, _achievement_data(teachers[0], kind="publication", result="",
                                                        venue="журнал «Методист»")).status_code == 302


def test_achievement_filters_and_scope(director_client, other_school_admin_client, teachers):
    AchievementFactory(teacher=teachers[0], title="Конкурс А", result="winner")
    AchievementFactory(teacher=teachers[2], title="Конкурс Б", result="participant", level="region")
    page = director_client.get(reverse("events:achievements") + "?result=winner").content.decode()
    assert "Конкурс А" in page and "Конкурс Б" not in page
    page = director_client.get(reverse("events:achievements") + "?level=region").content.decode()
    assert "Конкурс Б" in page and "Конкурс А" not in page
    page = other_school_admin_client.get(reverse("events:achievements")).content.decode()
    assert "Конкурс Б" in page and "Конкурс А" not in page  # school B's administrator: own teachers only


def test_achievement_create_preselects_the_teacher(methodist_client, teachers):
    page = methodist_client.get(reverse("events:achievement_create") + f"?teacher={teachers[1].pk}").content.decode()
    assert f'value="{teachers[1].pk}" selected' in page


# --- the teacher page's panel ---


def test_teacher_panel_shows_events_consultations_achievements(methodist_client, director_client, school_admin_client,
                                                               other_school_admin_client, district_a, teachers):
    teacher = teachers[0]
    event = EventFactory(district=district_a, title="Семинар наставников", status="held")
    Attendance.objects.create(event=event, teacher=teacher)
    ConsultationFactory(district=district_a, topic="Аттестация", teachers=[teacher])
    AchievementFactory(teacher=teacher, title="Педагогический дебют", result="winner")
    url = teacher.get_absolute_url()
    page = methodist_client.get(url).content.decode()
    assert "Мероприятия и достижения" in page
    assert "Семинар наставников" in page and "Аттестация" in page and "Педагогический дебют" in page
    assert "Добавить достижение" in page
    page = director_client.get(url).content.decode()
    assert "Аттестация" in page and "Добавить достижение" not in page  # the director reads
    page = school_admin_client.get(url).content.decode()
    assert "Педагогический дебют" in page and "Аттестация" not in page  # the log is not the school's
    assert other_school_admin_client.get(url).status_code == 404


def test_delete_removes_the_consultation(methodist_client, district_a, teachers):
    consultation = ConsultationFactory(district=district_a, teachers=[teachers[0]])
    assert methodist_client.post(reverse("events:consultation_delete", args=[consultation.pk])).status_code == 302
    assert not Consultation.objects.exists()


def test_other_district_methodist_cannot_delete(other_methodist, login, district_a):
    consultation = ConsultationFactory(district=district_a)
    client = login(other_methodist)
    assert client.post(reverse("events:consultation_delete", args=[consultation.pk])).status_code == 404
    assert Consultation.objects.exists()
