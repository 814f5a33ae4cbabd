"""Registration of registry teachers: capacity and the waiting list worked by hand, refusals, cancellation with
promotion, tickets, the screens with allowed and refused personas."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clusters.models import EventStatus
from core.errors import AppError, ClosedError, ForbiddenError, InvalidError
from core.models import OutgoingMail
from events.models import Registration
from events.services import registration as service
from tests.events.factories import OpenEventFactory, RegistrationFactory
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(district_a):
    return OpenEventFactory(district=district_a, capacity=2)


@pytest.fixture
def teachers(school_a):
    return [TeacherFactory(organisation=school_a, full_name=f"Учитель {i}", email=f"t{i}@school.ru")
            for i in range(1, 5)]


def _statuses(event):
    return [(r.teacher.full_name, r.status) for r in Registration.objects.filter(event=event).order_by("created_at",
                                                                                                      "pk")]


def test_beyond_the_capacity_registrations_go_to_the_waiting_list_in_order(event, teachers, school_admin):
    # capacity 2, four teachers in one go: places 1 and 2 registered, 3 and 4 waiting in that order.
    result = service.register_teachers(user=school_admin, event=event, teacher_ids=[t.pk for t in teachers])
    assert len(result.registered) == 2 and len(result.waitlisted) == 2
    assert _statuses(event) == [("Учитель 1", "registered"), ("Учитель 2", "registered"),
                                ("Учитель 3", "waitlisted"), ("Учитель 4", "waitlisted")]
    assert service.counts(event) == {"registered": 2, "waitlisted": 2, "capacity": 2, "free": 0}
    # Each gets a ticket: only its sha256 is stored.
    token = result.tickets[result.registered[0].pk]
    assert Registration.objects.get(pk=result.registered[0].pk).ticket_hash == service.hash_ticket(token)
    assert token not in {r.ticket_hash for r in Registration.objects.all()}


def test_a_cancellation_promotes_the_first_waiting_and_mails_them(event, teachers, school_admin):
    service.register_teachers(user=school_admin, event=event, teacher_ids=[t.pk for t in teachers])
    first = Registration.objects.get(event=event, teacher=teachers[0])
    promoted = service.cancel(user=school_admin, registration=first)
    # 2 places: Учитель 1 cancelled → Учитель 2 stays, Учитель 3 (first waiting) promoted, Учитель 4 still waits.
    assert promoted.teacher == teachers[2]
    assert _statuses(event) == [("Учитель 1", "cancelled"), ("Учитель 2", "registered"),
                                ("Учитель 3", "registered"), ("Учитель 4", "waitlisted")]
    mail = OutgoingMail.objects.get(dedup_key__startswith=f"event-promoted:{promoted.pk}:")
    assert mail.recipients == ["t3@school.ru"] and "подтверждена" in mail.body


def test_cancelling_a_waiting_one_promotes_nobody(event, teachers, school_admin):
    service.register_teachers(user=school_admin, event=event, teacher_ids=[t.pk for t in teachers[:3]])
    waiting = Registration.objects.get(event=event, teacher=teachers[2])
    assert service.cancel(user=school_admin, registration=waiting) is None
    assert service.counts(event)["registered"] == 2 and service.counts(event)["waitlisted"] == 0


def test_a_cancelled_teacher_registering_again_joins_the_end_of_the_list(event, teachers, school_admin):
    service.register_teachers(user=school_admin, event=event, teacher_ids=[t.pk for t in teachers[:3]])
    service.cancel(user=school_admin, registration=Registration.objects.get(event=event, teacher=teachers[0]))
    # Учитель 3 promoted (2 registered: 2 and 3); Учитель 1 again → no place → waitlisted, same row reused.
    again = service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[0].pk])
    assert [r.teacher for r in again.waitlisted] == [teachers[0]]
    assert Registration.objects.filter(event=event, teacher=teachers[0]).count() == 1


def test_unlimited_capacity_registers_everybody(district_a, teachers, school_admin):
    event = OpenEventFactory(district=district_a, capacity=None)
    result = service.register_teachers(user=school_admin, event=event, teacher_ids=[t.pk for t in teachers])
    assert len(result.registered) == 4 and not result.waitlisted


@pytest.mark.parametrize(("change", "message"), [
    ({"registration_open": False}, "Регистрация на мероприятие закрыта."),
    ({"status": EventStatus.CANCELLED}, "Мероприятие отменено: регистрация не проводится."),
    ({"status": EventStatus.HELD}, "Мероприятие уже проведено: регистрация закрыта."),
    ({"held_on": dt.date(2021, 3, 18)}, "Мероприятие уже прошло: регистрация закрыта."),
])
def test_an_event_not_taking_registrations_refuses_in_words(event, teachers, school_admin, change, message):
    for name, value in change.items():
        setattr(event, name, value)
    event.save()
    with pytest.raises(ClosedError, match=message):
        service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[0].pk])
    assert not Registration.objects.exists()


def test_a_teacher_of_another_organisation_is_refused(event, school_b, school_admin):
    foreign = TeacherFactory(organisation=school_b, full_name="Чужой Учитель")
    with pytest.raises(ForbiddenError, match="Чужой Учитель — педагог другой организации"):
        service.register_teachers(user=school_admin, event=event, teacher_ids=[foreign.pk])
    assert not Registration.objects.exists()


def test_the_same_teacher_twice_is_refused(event, teachers, school_admin):
    with pytest.raises(InvalidError, match="выбран дважды"):
        service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[0].pk, teachers[0].pk])
    service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[0].pk])
    with pytest.raises(InvalidError, match="Уже зарегистрированы на это мероприятие: Учитель 1."):
        service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[1].pk, teachers[0].pk])
    assert Registration.objects.count() == 1, "nothing of the refused batch is saved"


def test_an_inactive_teacher_is_refused(event, school_a, school_admin):
    gone = TeacherFactory(organisation=school_a, is_active=False)
    with pytest.raises(InvalidError, match="не работает"):
        service.register_teachers(user=school_admin, event=event, teacher_ids=[gone.pk])


def test_a_methodist_registers_any_teacher_of_the_district_not_of_another(event, school_b, school_other_district,
                                                                        methodist):
    ours = TeacherFactory(organisation=school_b)
    service.register_teachers(user=methodist, event=event, teacher_ids=[ours.pk])
    theirs = TeacherFactory(organisation=school_other_district, full_name="Учитель Другого Района")
    with pytest.raises(ForbiddenError, match="другого района"):
        service.register_teachers(user=methodist, event=event, teacher_ids=[theirs.pk])


def test_a_school_admin_cannot_cancel_another_schools_registration(event, school_b, school_admin):
    other = RegistrationFactory(event=event, teacher=TeacherFactory(organisation=school_b))
    with pytest.raises(ForbiddenError):
        service.cancel(user=school_admin, registration=other)


def test_registering_a_teacher_with_an_email_mails_the_ticket(event, teachers, school_admin):
    result = service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[0].pk])
    registration = result.registered[0]
    mail = OutgoingMail.objects.get(dedup_key__startswith=f"event-registration:{registration.pk}:")
    assert service.ticket_url(result.tickets[registration.pk]) in mail.body
    assert "/events/checkin/" in mail.body


# --- screens -------------------------------------------------------------------------------------------------

def test_school_admin_sees_own_teachers_and_registers_them(event, teachers, school_b, school_admin_client):
    TeacherFactory(organisation=school_b, full_name="Педагог Школы Б")
    url = reverse("events:register", args=[event.pk])
    page = school_admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Учитель 1" in html and "Педагог Школы Б" not in html
    response = school_admin_client.post(url, {"teacher": [teachers[0].pk, teachers[1].pk, teachers[2].pk]},
                                        follow=True)
    assert "Зарегистрировано: 2. Мест не хватило — в листе ожидания: 1." in response.content.decode()


def test_register_page_refusals(event, director_client, other_methodist_client, other_school_admin_client,
                                teachers):
    url = reverse("events:register", args=[event.pk])
    assert director_client.get(url).status_code == 403  # events.register / events.plan only
    assert other_methodist_client.get(url).status_code == 404  # another district's event
    # A school administrator posting a teacher of another school gets the refusal in words, nothing saved.
    response = other_school_admin_client.post(url, {"teacher": [teachers[0].pk]}, follow=True)
    assert "педагог другой организации" in response.content.decode()
    assert not Registration.objects.exists()


def test_bad_teacher_ids_are_a_message_not_a_500(event, school_admin_client):
    response = school_admin_client.post(reverse("events:register", args=[event.pk]), {"teacher": ["x"]}, follow=True)
    assert response.status_code == 200 and "передан неверно" in response.content.decode()


def test_cancel_screen(event, teachers, school_admin_client, other_school_admin_client, school_admin):
    service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[0].pk])
    registration = Registration.objects.get()
    url = reverse("events:registration_cancel", args=[registration.pk])
    assert other_school_admin_client.post(url).status_code == 404  # not their teacher
    response = school_admin_client.post(url, follow=True)
    assert "Регистрация участника Учитель 1 отменена." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_tickets_print_issues_fresh_tickets_of_own_teachers(event, teachers, school_b, school_admin,
                                                            school_admin_client, observer_client):
    service.register_teachers(user=school_admin, event=event, teacher_ids=[teachers[0].pk])
    RegistrationFactory(event=event, teacher=TeacherFactory(organisation=school_b, full_name="Педагог Школы Б"))
    url = reverse("events:tickets", args=[event.pk])
    assert observer_client.get(url).status_code == 403
    assert school_admin_client.get(url).status_code == 200
    old_hash = Registration.objects.get(teacher=teachers[0]).ticket_hash
    page = school_admin_client.post(url)
    html = page.content.decode()
    assert "Учитель 1" in html and "Педагог Школы Б" not in html
    assert html.count("data:image/svg+xml;base64,") == 1 and "/events/checkin/" in html
    assert Registration.objects.get(teacher=teachers[0]).ticket_hash != old_hash


def test_a_failing_registration_leaves_nothing(event, teachers, school_admin, monkeypatch):
    def boom(*args, **kwargs):
        raise AppError("mail down")

    monkeypatch.setattr(service, "_confirmation_mail", boom)
    with pytest.raises(AppError):
        service.register_teachers(user=school_admin, event=event, teacher_ids=[t.pk for t in teachers[:2]])
    assert not Registration.objects.exists()
