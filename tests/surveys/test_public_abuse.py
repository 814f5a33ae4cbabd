"""The public survey link under abuse: server-issued signed keys, Back + resubmit counted once,
a per-address rate limit, numbers beyond the answer column, malformed tokens.

Each test stands for a «Why» bullet of issue 9 (the docstrings say which) and failed on the code
before it: keys were whatever the client sent, a foreign key was thanked, Back fetched a new key,
nothing limited a client, «89161234567» reached the database, `/s/%00/` queried it.
"""
from __future__ import annotations

import logging
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from core import ratelimit
from surveys import submission_keys
from surveys.models import Answer, Response
from surveys.views.respond import FOREIGN_KEY_MESSAGE

from .factories import all_kinds_questionnaire, make_campaign, valid_answers


@pytest.fixture
def campaign(kinds, district_a, school_a, school_b):
    return make_campaign(kinds.questionnaire, district_a, organisations=[school_a, school_b])


@pytest.fixture
def link(campaign, school_a):
    return campaign.links.get(organisation=school_a)


def url(link) -> str:
    return reverse("survey_public:respond", args=[link.token])


def form_key(page) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', page.content.decode()).group(1)


def open_form(client, link):
    page = client.get(url(link), follow=True)
    assert page.status_code == 200
    return page


def submit(client, link, kinds, **extra):
    key = form_key(open_form(client, link))
    return client.post(url(link), {**valid_answers(kinds), "submission_key": key, **extra})


# --- keys: issued by the server, signed, scoped ----------------------------------------------------


def test_the_link_redirects_to_a_form_whose_url_and_field_carry_one_signed_key(client, link):
    """Why: «the client may choose or omit submission_key» — now the server issues it."""
    first = client.get(url(link))
    assert first.status_code == 302
    key = parse_qs(urlparse(first["Location"]).query)["k"][0]
    page = client.get(first["Location"])
    assert form_key(page) == key
    assert submission_keys.nonce(link, key) is not None
    assert "sessionid" not in page.cookies  # the key is in the page, not in a session
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]  # never_cache stays


@pytest.mark.parametrize("key", ["", "k" * 32, "A" * 22 + ":" + "B" * 43])
def test_a_chosen_missing_or_forged_key_is_refused_in_russian_and_nothing_is_stored(client, link, kinds, key):
    """Why: «the client may choose or omit submission_key» (2,000 stored from one client)."""
    page = client.post(url(link), {**valid_answers(kinds), "submission_key": key})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Анкета не отправлена: форма устарела или открыта по другой ссылке." in html
    assert "Ваши ответы приняты" not in html
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert 'value="РГПУ им. А.И. Герцена"' in html  # what was typed stays on the page
    fresh = form_key(page)
    assert submission_keys.nonce(link, fresh) is not None  # …with a valid key to send it again
    assert client.post(url(link), {**valid_answers(kinds), "submission_key": fresh}).status_code == 302
    assert Response.objects.count() == 1


def test_a_key_from_another_campaign_is_refused_not_thanked(client, link, kinds, district_a, school_a):
    """Why: «a key from another campaign answers «спасибо» and stores nothing»."""
    other = make_campaign(all_kinds_questionnaire(district_a, code="other").questionnaire, district_a)
    foreign = form_key(open_form(client, other.links.get(organisation=school_a)))
    page = client.post(url(link), {**valid_answers(kinds), "submission_key": foreign})
    assert page.status_code == 400 and FOREIGN_KEY_MESSAGE in page.content.decode()
    assert not Response.objects.exists()


def test_a_key_of_another_organisations_link_is_refused(client, campaign, kinds, school_a, school_b):
    key_b = form_key(open_form(client, campaign.links.get(organisation=school_b)))
    page = client.post(url(campaign.links.get(organisation=school_a)), {**valid_answers(kinds), "submission_key": key_b})
    assert page.status_code == 400 and not Response.objects.exists()


def test_back_and_send_again_after_a_successful_submission_counts_once(client, link, kinds):
    """Why: «Browser Back + «Отправить» after a successful submission stores a second response».

    Back refetches the never-cached page at its URL, which carries the key: the page says the
    answers are in, and the same form posted again (a page restored from the browser's cache)
    stores nothing new.
    """
    form = open_form(client, link)
    form_url, key = form.redirect_chain[-1][0], form_key(form)
    data = {**valid_answers(kinds), "submission_key": key}
    assert client.post(form_url, data)["Location"] == reverse("survey_public:thanks", args=[link.token])
    back = client.get(form_url)
    assert back.status_code == 200 and "Ответы с этой страницы уже получены." in back.content.decode()
    again = client.post(form_url, data)
    assert again.status_code == 302 and again["Location"].endswith("/thanks/")
    assert Response.objects.count() == 1 and Answer.objects.count() == 8
    # The next teacher at the same computer starts a new form (a new key) from the link.
    assert form_key(open_form(client, link)) != key


# --- the rate limit ------------------------------------------------------------------------------


@pytest.fixture
def frozen_clock(monkeypatch):
    """One fixed moment: every hit falls in the same rate-limit window."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_700_000_000.0))


def test_a_computer_class_sends_30_in_ten_minutes_and_the_31st_gets_429(client, link, kinds, frozen_clock, campaign,
                                                                          school_b):
    """Why: «A public survey link takes unlimited submissions (2,000 from one client in 39 s)»."""
    for _ in range(30):
        assert submit(client, link, kinds).status_code == 302
    refused = submit(client, link, kinds)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Слишком много анкет отправлено с этого адреса" in html
    assert 'value="РГПУ им. А.И. Герцена"' in html
    assert Response.objects.count() == 30
    # Another school's link and another address are counted apart.
    assert submit(client, campaign.links.get(organisation=school_b), kinds).status_code == 302
    assert submit(Client(REMOTE_ADDR="10.0.0.8"), link, kinds).status_code == 302
    assert Response.objects.count() == 32


def test_the_limit_is_a_setting_and_refused_forms_do_not_count(client, link, kinds, settings, frozen_clock):
    settings.SURVEY_SUBMIT_RATE_LIMIT = 2
    for _ in range(3):  # three refused forms (a required answer missing) use none of the budget
        assert submit(client, link, kinds, **{f"q{kinds.text.pk}": ""}).status_code == 200
    assert [submit(client, link, kinds).status_code for _ in range(3)] == [302, 302, 429]
    assert Response.objects.count() == 2


def test_a_refused_submission_logs_no_token(client, link, kinds, settings, frozen_clock, caplog):
    settings.SURVEY_SUBMIT_RATE_LIMIT = 0
    with caplog.at_level(logging.INFO):
        assert submit(client, link, kinds).status_code == 429
    assert link.token not in caplog.text


# --- numbers and malformed input -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "message"), [
    ("89161234567", "Слишком большое число: не больше 10 цифр до запятой."),
    ("1e12", "Слишком большое число"),
    ("2020,123456", "Слишком много знаков после запятой: не больше 4."),
])
def test_a_number_beyond_the_answer_column_is_a_form_error(client, district_a, school_a, typed, message, caplog):
    """Why: «An 11-digit number (a phone number) in a number question → HTTP 500 … the SQL
    fragment with the answers goes to the log». A question without its own range."""
    kinds = all_kinds_questionnaire(district_a, code="phone")
    kinds.number.min_value = kinds.number.max_value = None
    kinds.number.save()
    link = make_campaign(kinds.questionnaire, district_a).links.get(organisation=None)
    with caplog.at_level(logging.DEBUG, logger="django"):
        page = submit(client, link, kinds, **{f"q{kinds.number.pk}": typed})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert "INSERT" not in caplog.text


def test_a_nul_character_in_a_text_answer_is_dropped_not_a_500(client, link, kinds):
    page = submit(client, link, kinds, **{f"q{kinds.text.pk}": "РГПУ\x00"})
    assert page.status_code == 302
    assert Answer.objects.get(question=kinds.text).text == "РГПУ"


@pytest.mark.parametrize("path", ["/s/%00/", "/s/%00/thanks/", "/s/short/", "/s/" + "a" * 41 + "/",
                                  "/s/abc%20def%20ghijklmnop/"])
def test_a_token_of_the_wrong_shape_is_404_before_any_query(db, client, path, django_assert_num_queries):
    """Why: «/s/%00/ → anonymous 500»."""
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 404
        assert client.post(path, {"submission_key": "x"}).status_code in (403, 404)
