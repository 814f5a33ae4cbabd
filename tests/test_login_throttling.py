"""Login throttling, lockout, failed-login log and password reset (issue 9, «30 wrong passwords in a
row are all answered, then the right one logs in: no throttling, no lockout, no failed-login log,
no password reset»).

Through the real forms (the portal's /accounts/login/ and Django admin's /admin/login/), as a
browser posts them; django-axes counts per user name and per client address.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "не-тот-пароль"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """core.ratelimit counters live in the process-wide cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def post_login(client: Client, username: str, password: str, *, url: str | None = None, ip: str = "127.0.0.1"):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_times(client: Client, username: str, times: int, **kwargs) -> None:
    for _ in range(times):
        response = post_login(client, username, WRONG, **kwargs)
        assert response.status_code in (200, 429)


def test_the_right_password_logs_in_before_any_failure(methodist):
    client = Client()
    response = post_login(client, "methodist", TEST_PASSWORD)

    assert response.status_code == 302 and logged_in(client)


def test_four_failures_still_let_the_right_password_in(methodist):
    client = Client()
    fail_times(client, "methodist", 4)

    assert post_login(client, "methodist", TEST_PASSWORD).status_code == 302
    assert logged_in(client)


def test_five_wrong_passwords_then_the_right_one_is_refused_with_a_russian_page(methodist):
    client = Client()
    fail_times(client, "methodist", 5)

    response = post_login(client, "methodist", TEST_PASSWORD)

    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert "Вход временно заблокирован" in page
    assert "«methodist»" in page and "15 минут" in page
    assert reverse("password_reset") in page


def test_the_lockout_ends_after_the_cool_off(methodist):
    client = Client()
    fail_times(client, "methodist", 5)
    assert post_login(client, "methodist", TEST_PASSWORD).status_code == 429

    # 16 minutes later (the default cool-off is 15): axes compares the last attempt's time.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    assert post_login(client, "methodist", TEST_PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_limit_and_cool_off_come_from_settings(methodist, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=2)
    client = Client()
    fail_times(client, "methodist", 3)

    response = post_login(client, "methodist", TEST_PASSWORD)

    assert response.status_code == 429 and "2 минуты" in response.content.decode()
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=3))
    assert post_login(client, "methodist", TEST_PASSWORD).status_code == 302


def test_the_user_name_is_locked_from_every_address(methodist):
    fail_times(Client(), "methodist", 5, ip="203.0.113.7")

    response = post_login(Client(), "methodist", TEST_PASSWORD, ip="198.51.100.20")

    assert response.status_code == 429


def test_one_address_guessing_many_names_is_locked_out_but_others_are_not(methodist, director):
    for number in range(5):
        post_login(Client(), f"guess{number}", WRONG, ip="203.0.113.7")

    from_attacker = post_login(Client(), "director", TEST_PASSWORD, ip="203.0.113.7")
    elsewhere = Client()
    from_school = post_login(elsewhere, "director", TEST_PASSWORD, ip="198.51.100.20")

    assert from_attacker.status_code == 429
    assert from_school.status_code == 302 and logged_in(elsewhere)


def test_the_address_behind_the_proxy_is_the_forwarded_one(methodist, settings):
    """Behind the HTTPS proxy every request comes from the proxy: only X-Forwarded-For tells clients apart."""
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        Client().post(reverse("login"), {"username": f"guess{number}", "password": WRONG},
                      REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")

    other = Client()
    response = other.post(reverse("login"), {"username": "methodist", "password": TEST_PASSWORD},
                          REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert response.status_code == 302 and logged_in(other)


def test_admin_login_is_throttled_too(portal_admin):
    client = Client()
    admin_login = reverse("admin:login")
    fail_times(client, "portal_admin", 5, url=admin_login)

    response = post_login(client, "portal_admin", TEST_PASSWORD, url=admin_login)

    assert response.status_code == 429 and "Вход временно заблокирован" in response.content.decode()
    assert not logged_in(client)


def test_failures_on_the_portal_form_lock_the_admin_login_as_well(portal_admin):
    client = Client()
    fail_times(client, "portal_admin", 5)

    assert post_login(client, "portal_admin", TEST_PASSWORD, url=reverse("admin:login")).status_code == 429


def test_every_failed_login_is_logged_with_name_and_address_never_the_password(methodist, caplog):
    caplog.set_level(logging.WARNING, logger="imc_portal.auth")
    post_login(Client(), "methodist", "Секрет-12345", ip="203.0.113.7")

    lines = [record.getMessage() for record in caplog.records if record.name == "imc_portal.auth"]
    assert len(lines) == 1
    assert "'methodist'" in lines[0] and "203.0.113.7" in lines[0]
    assert "Секрет-12345" not in caplog.text
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "methodist" and attempt.ip_address == "203.0.113.7"
    assert "Секрет-12345" not in attempt.post_data


def test_the_lockout_is_logged(methodist, caplog):
    caplog.set_level(logging.WARNING, logger="imc_portal.auth")
    fail_times(Client(), "methodist", 5, ip="203.0.113.7")

    assert any("locked out" in record.getMessage() and "'methodist'" in record.getMessage()
               for record in caplog.records if record.name == "imc_portal.auth")


def test_a_success_clears_earlier_failures(methodist):
    client = Client()
    fail_times(client, "methodist", 4)
    assert post_login(client, "methodist", TEST_PASSWORD).status_code == 302

    fail_times(Client(), "methodist", 4)

    assert post_login(Client(), "methodist", TEST_PASSWORD).status_code == 302


# --- password reset by e-mail --------------------------------------------------------------------


def test_the_login_page_links_to_password_reset(anonymous):
    page = anonymous.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Забыли пароль?" in page


def test_password_reset_mails_a_russian_link_that_sets_a_new_password(methodist):
    methodist.email = "metodist@imc.example"
    methodist.first_name, methodist.patronymic = "Анна", "Петровна"
    methodist.save()
    client = Client()

    response = client.post(reverse("password_reset"), {"email": "metodist@imc.example"})

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert "Проверьте почту" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["metodist@imc.example"]
    assert message.subject == "Восстановление пароля на портале ИМЦ"
    assert "Здравствуйте, Анна Петровна!" in message.body and "«methodist»" in message.body
    assert "24 часа" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Новый пароль" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": "Весна-2025-отчёт", "new_password2": "Весна-2025-отчёт"})

    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert "Пароль изменён" in client.get(done["Location"]).content.decode()
    assert post_login(Client(), "methodist", "Весна-2025-отчёт").status_code == 302
    assert post_login(Client(), "methodist", TEST_PASSWORD).status_code == 200  # the old one no more


def test_a_used_reset_link_is_refused_in_russian(methodist):
    methodist.email = "metodist@imc.example"
    methodist.save()
    client = Client()
    client.post(reverse("password_reset"), {"email": "metodist@imc.example"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Весна-2025-отчёт", "new_password2": "Весна-2025-отчёт"})

    again = Client().get(link, follow=True).content.decode()

    assert "Ссылка недействительна" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(methodist):
    response = Client().post(reverse("password_reset"), {"email": "nobody@imc.example"})

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_one_address_cannot_flood_a_mailbox_with_reset_mails(methodist, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 3
    methodist.email = "metodist@imc.example"
    methodist.save()
    client = Client()
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": "metodist@imc.example"}).status_code == 302

    refused = client.post(reverse("password_reset"), {"email": "metodist@imc.example"})

    assert refused.status_code == 200
    assert "Слишком много запросов на восстановление пароля" in refused.content.decode()
    assert len(mail.outbox) == 3
