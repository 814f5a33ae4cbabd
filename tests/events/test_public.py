"""The public event page /e/<code>/: the card, the form with the 152-ФЗ consent, bad input refused in words,
the waiting list, closed events, the rate limit, CSRF, never another registrant's name."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from clusters.models import EventStatus
from core.models import OutgoingMail
from events.models import Registration
from events.services import registration as service
from events.views import public as public_views
from tests.events.factories import OpenEventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

GOOD = {"full_name": "Петрова Ольга Игоревна", "organisation_name": "МБОУ СОШ № 2 г. Тулун",
        "email": "Petrova@Tulun.ru", "consent": "on"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(district_a):
    return OpenEventFactory(district=district_a, capacity=1, public_code="seminar-sayansk",
                            title="Региональный семинар", description="Для учителей Саянска и Тулуна")


def _url(event):
    return reverse("events_public:event", args=[event.public_code])


def test_the_page_opens_without_login_with_the_card_and_the_consent(event, anonymous):
    page = anonymous.get(_url(event))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Региональный семинар" in html and "ИМЦ, ауд. 12" in html
    assert "152-ФЗ" in html and "с целью регистрации" in html and "в течение календарного года" in html
    assert "Свободных мест: <strong>1</strong>" in html
    assert "csrfmiddlewaretoken" in html


def test_a_registration_is_saved_with_consent_and_mailed_the_ticket(event, anonymous):
    response = anonymous.post(_url(event), GOOD)
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert (registration.teacher, registration.full_name, registration.email, registration.status) == (
        None, "Петрова Ольга Игоревна", "petrova@tulun.ru", "registered")
    assert registration.consent_at is not None
    html = response.content.decode()
    assert "вы зарегистрированы" in html and "data:image/svg+xml;base64," in html
    mail = OutgoingMail.objects.get()
    assert mail.recipients == ["petrova@tulun.ru"] and "/events/checkin/" in mail.body
    # The ticket in the mail is the one stored as a hash.
    token = mail.body.split("/events/checkin/")[1].split("/")[0]
    assert service.hash_ticket(token) == registration.ticket_hash


@pytest.mark.parametrize(("field", "value", "message"), [
    ("consent", None, "Без согласия на обработку персональных данных зарегистрироваться нельзя."),
    ("email", "petrova-at-tulun", "Укажите действующий адрес электронной почты"),
    ("full_name", "Петрова", "Укажите фамилию, имя и отчество"),
    ("organisation_name", "   ", "Укажите организацию"),
])
def test_bad_input_is_refused_in_words_and_nothing_saved(event, anonymous, field, value, message):
    data = dict(GOOD)
    if value is None:
        data.pop(field)
    else:
        data[field] = value
    response = anonymous.post(_url(event), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists() and not OutgoingMail.objects.exists()


def test_the_full_event_takes_the_next_one_to_the_waiting_list(event, anonymous):
    anonymous.post(_url(event), GOOD)
    # capacity 1: the first took the place, the second waits.
    response = anonymous.post(_url(event), {**GOOD, "full_name": "Сидоров Пётр Иванович", "email": "s@tulun.ru"})
    assert "вы в листе ожидания" in response.content.decode()
    assert list(Registration.objects.order_by("pk").values_list("status", flat=True)) == ["registered", "waitlisted"]
    assert "в листе ожидания" in OutgoingMail.objects.get(recipients=["s@tulun.ru"]).body
    page = anonymous.get(_url(event)).content.decode()
    assert "Все места заняты" in page


def test_the_same_email_twice_is_refused_in_words(event, anonymous):
    anonymous.post(_url(event), GOOD)
    response = anonymous.post(_url(event), {**GOOD, "email": "petrova@tulun.ru ", "full_name": "Другое Имя Человека"})
    assert response.status_code == 400
    assert "Этот адрес электронной почты уже зарегистрирован на мероприятие." in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"registration_open": False}, "Регистрация на мероприятие закрыта."),
    ({"status": EventStatus.CANCELLED}, "Мероприятие отменено"),
])
def test_a_closed_event_shows_why_and_takes_nothing(event, anonymous, change, message):
    for name, value in change.items():
        setattr(event, name, value)
    event.save()
    page = anonymous.get(_url(event)).content.decode()
    assert message in page and 'data-testid="public-form"' not in page
    response = anonymous.post(_url(event), GOOD)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_an_event_without_a_public_page_is_not_found(district_a, anonymous):
    hidden = OpenEventFactory(district=district_a, public_registration=False, public_code="hidden")
    assert anonymous.get(_url(hidden)).status_code == 404
    assert anonymous.get("/e/no-such-code/").status_code == 404


def test_registrants_are_never_shown(event, anonymous, school_a):
    RegistrationFactory(event=event, teacher=None, full_name="Секретова Анна Борисовна", email="a@b.ru")
    page = anonymous.get(_url(event)).content.decode()
    assert "Секретова" not in page
    response = anonymous.post(_url(event), GOOD).content.decode()
    assert "Секретова" not in response


def test_the_form_is_csrf_protected(event):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_url(event), GOOD).status_code == 403
    assert not Registration.objects.exists()


def test_posts_are_rate_limited_per_address(event, anonymous, monkeypatch):
    monkeypatch.setattr(public_views, "POST_LIMIT", 2)
    bad = {**GOOD, "consent": ""}
    statuses = [anonymous.post(_url(event), bad, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert "Слишком много запросов" in anonymous.post(_url(event), GOOD, REMOTE_ADDR="203.0.113.7").content.decode()
    # Another address is not affected.
    assert anonymous.post(_url(event), GOOD, REMOTE_ADDR="198.51.100.1").status_code == 200
