"""Attendance at the venue: the checklist (per person and the whole form), walk-ins, pupils, «проведено», the QR
check-in with allowed and refused personas, refusals of cancelled and future events; the day-before reminders."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.models import EventStatus
from core.models import OutgoingMail
from events.models import Attendance, Registration
from events.services import attendance as service
from events.services.registration import hash_ticket
from events.tasks import remind_due
from tests.events.factories import OpenEventFactory, RegistrationFactory, TodayEventFactory
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(district_a):
    return TodayEventFactory(district=district_a, capacity=None, title="Методический день")


@pytest.fixture
def registered(event, school_a):
    """Two registry teachers and an external person registered; the external one has the ticket «tk-ext»."""
    first = RegistrationFactory(event=event, teacher=TeacherFactory(organisation=school_a, full_name="Алексеева А. А."))
    second = RegistrationFactory(event=event, teacher=TeacherFactory(organisation=school_a, full_name="Борисова Б. Б."))
    external = RegistrationFactory(event=event, teacher=None, full_name="Волкова Вера Викторовна",
                                   organisation_name="Школа Тулуна", email="v@tulun.ru",
                                   ticket_hash=hash_ticket("tk-ext"))
    return first, second, external


def _url(event):
    return reverse("events:attendance", args=[event.pk])


def test_the_checklist_lists_the_registered(event, registered, methodist_client):
    page = methodist_client.get(_url(event))
    assert page.status_code == 200
    html = page.content.decode()
    assert all(name in html for name in ("Алексеева А. А.", "Борисова Б. Б.", "Волкова Вера Викторовна"))
    assert "Отмечено зарегистрированных: 0 из 3." in html


def test_attendance_refusals_by_persona(event, director_client, other_methodist_client, school_admin_client):
    assert director_client.get(_url(event)).status_code == 403
    assert school_admin_client.get(_url(event)).status_code == 403
    assert other_methodist_client.get(_url(event)).status_code == 404


def test_the_whole_form_marks_the_ticked_and_unmarks_the_others(event, registered, methodist_client):
    first, second, external = registered
    methodist_client.post(_url(event), {"action": "save", "present": [first.pk, external.pk]})
    assert set(Attendance.objects.values_list("registration_id", flat=True)) == {first.pk, external.pk}
    response = methodist_client.post(_url(event), {"action": "save", "present": [second.pk]}, follow=True)
    assert "Отметки сохранены: добавлено 1, снято 2." in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.teacher, attendance.method) == (second, second.teacher, "list")


def test_one_person_toggles_through_htmx(event, registered, methodist_client):
    first = registered[0]
    headers = {"HX-Request": "true"}
    response = methodist_client.post(_url(event), {"action": f"toggle:{first.pk}", "present": [first.pk]},
                                     headers=headers)
    assert response.status_code == 204
    assert Attendance.objects.filter(registration=first).exists()
    methodist_client.post(_url(event), {"action": f"toggle:{first.pk}"}, headers=headers)
    assert not Attendance.objects.exists()


def test_walkins_a_registry_teacher_found_by_name_and_an_external_person(event, school_b, school_other_district,
                                                                       methodist_client):
    teacher = TeacherFactory(organisation=school_b, full_name="Гончарова Галина Петровна")
    TeacherFactory(organisation=school_other_district, full_name="Гончарова Дина Сергеевна")
    page = methodist_client.get(_url(event), {"q": "гончарова"}).content.decode()
    assert "Гончарова Галина Петровна" in page and "Гончарова Дина" not in page  # only the event's district
    methodist_client.post(_url(event), {"action": "add_teacher", "teacher": teacher.pk})
    response = methodist_client.post(_url(event), {"action": "add_teacher", "teacher": teacher.pk}, follow=True)
    assert "уже отмечен" in response.content.decode()
    methodist_client.post(_url(event), {"action": "add_external", "full_name": "Дмитриева Дарья",
                                        "organisation_name": "ДДТ Тулуна"})
    response = methodist_client.post(_url(event), {"action": "add_external", "full_name": "Ж",
                                                   "organisation_name": ""}, follow=True)
    assert "Проверьте данные участника." in response.content.decode()
    # 1 registry teacher + 1 external person; pupils 0 yet.
    assert service.summary(event) == {"teachers": 1, "external": 1, "pupils": 0, "total": 2}


def test_pupils_count_and_held(event, methodist_client):
    methodist_client.post(_url(event), {"action": "pupils", "pupils_count": "180"})
    response = methodist_client.post(_url(event), {"action": "pupils", "pupils_count": "сто"}, follow=True)
    assert "целое число" in response.content.decode()
    methodist_client.post(_url(event), {"action": "held"})
    event.refresh_from_db()
    assert (event.pupils_count, event.status) == (180, EventStatus.HELD)


@pytest.mark.parametrize(("change", "message"), [
    ({"status": EventStatus.CANCELLED}, "Мероприятие отменено: присутствие не отмечается."),
    ({"held_on": "future"}, "Мероприятие ещё не состоялось"),
])
def test_a_cancelled_or_future_event_takes_no_attendance(event, registered, methodist_client, change, message):
    for name, value in change.items():
        setattr(event, name, timezone.localdate() + dt.timedelta(days=3) if value == "future" else value)
    event.save()
    page = methodist_client.get(_url(event)).content.decode()
    assert message in page and 'data-testid="attendance-checklist"' not in page
    response = methodist_client.post(_url(event), {"action": "save", "present": [registered[0].pk]}, follow=True)
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


# --- QR check-in -----------------------------------------------------------------------------------------------

def _checkin(token):
    return reverse("events:checkin", args=[token])


def test_checkin_marks_the_tickets_person_and_says_who(event, registered, methodist_client):
    response = methodist_client.get(_checkin("tk-ext"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Волкова Вера Викторовна" in html and "Школа Тулуна" in html and "присутствует" in html
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.method, attendance.full_name) == (
        registered[2], "qr", "Волкова Вера Викторовна")
    again = methodist_client.get(_checkin("tk-ext")).content.decode()
    assert "уже был(а) отмечен(а)" in again and Attendance.objects.count() == 1


def test_checkin_refusals(event, registered, other_methodist_client, director_client, methodist_client):
    assert director_client.get(_checkin("tk-ext")).status_code == 403
    foreign = other_methodist_client.get(_checkin("tk-ext"))
    assert foreign.status_code == 404 and "мероприятие другого района" in foreign.content.decode()
    unknown = methodist_client.get(_checkin("no-such-ticket"))
    assert unknown.status_code == 404 and "Билет не найден" in unknown.content.decode()
    Registration.objects.filter(pk=registered[2].pk).update(status="cancelled")
    cancelled = methodist_client.get(_checkin("tk-ext"))
    assert cancelled.status_code == 409 and "отменена" in cancelled.content.decode()
    assert not Attendance.objects.exists()


def test_checkin_of_a_future_event_is_refused(district_a, methodist_client):
    future = OpenEventFactory(district=district_a)
    RegistrationFactory(event=future, ticket_hash=hash_ticket("tk-future"))
    response = methodist_client.get(_checkin("tk-future"))
    assert response.status_code == 409 and "ещё не состоялось" in response.content.decode()


def test_a_walkin_teacher_then_scanned_keeps_one_attendance(event, registered, methodist):
    first = registered[0]
    service.add_teacher(user=methodist, event=event, teacher_id=first.teacher_id)
    Registration.objects.filter(pk=first.pk).update(ticket_hash=hash_ticket("tk-first"))
    result = service.check_in(user=methodist, token="tk-first")
    assert result.created is False
    assert Attendance.objects.get().registration == first


# --- reminders -------------------------------------------------------------------------------------------------

def test_reminders_go_once_the_day_before_to_the_registered_with_an_email(district_a, school_a):
    today = dt.date(2021, 3, 17)
    tomorrow = OpenEventFactory(district=district_a, held_on=dt.date(2021, 3, 18))
    later = OpenEventFactory(district=district_a, held_on=dt.date(2021, 3, 19))
    with_mail = RegistrationFactory(event=tomorrow, teacher=TeacherFactory(organisation=school_a, email="a@s.ru"))
    RegistrationFactory(event=tomorrow, teacher=TeacherFactory(organisation=school_a, email=""))  # no e-mail
    external = RegistrationFactory(event=tomorrow, teacher=None, full_name="Внешняя Участница", email="x@y.ru")
    RegistrationFactory(event=tomorrow, teacher=None, full_name="Ждущая Участница", email="w@y.ru",
                        status="waitlisted")
    RegistrationFactory(event=later, teacher=TeacherFactory(organisation=school_a, email="b@s.ru"))
    # Tomorrow's registered with an e-mail: the teacher and the external person — 2; then none again.
    assert remind_due(today) == 2
    assert remind_due(today) == 0
    assert sorted(r for mail in OutgoingMail.objects.all() for r in mail.recipients) == ["a@s.ru", "x@y.ru"]
    assert "завтра" in OutgoingMail.objects.first().body
    with_mail.refresh_from_db()
    external.refresh_from_db()
    assert with_mail.reminded_at is not None and external.reminded_at is not None


def test_a_cancelled_event_gets_no_reminders(district_a):
    tomorrow = OpenEventFactory(district=district_a, held_on=dt.date(2021, 3, 18), status=EventStatus.CANCELLED)
    RegistrationFactory(event=tomorrow, teacher=None, full_name="Внешняя Участница", email="x@y.ru")
    assert remind_due(dt.date(2021, 3, 17)) == 0


def test_the_task_is_registered_under_its_name():
    from celery import current_app

    import events.tasks  # noqa: F401

    assert "events.tasks.send_reminders" in current_app.tasks
