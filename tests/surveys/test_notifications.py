"""E-mail of campaigns: the opening notice and the reminder, idempotent, run by Celery beat."""
from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from imc_portal.models import Role
from surveys import tasks
from surveys.models import Audience, Campaign
from surveys.notifications import campaign_notifications_send
from surveys.responses import organisation_response_save
from tests.factories import UserFactory

from .factories import all_kinds_questionnaire, as_post, make_campaign, valid_answers

BASE = "https://imc.example.ru"


@pytest.fixture(autouse=True)
def _portal_address(settings):
    settings.PORTAL_BASE_URL = BASE
    settings.SURVEY_REMINDER_DAYS = 3


@pytest.fixture
def admins(school_a, school_b, school_admin, other_school_admin):
    """School administrators with e-mail: two in school A, one in school B."""
    school_admin.email = "director@school1.example"
    school_admin.save()
    other_school_admin.email = "admin@school2.example"
    other_school_admin.save()
    deputy = UserFactory(username="deputy_a", role=Role.SCHOOL_ADMIN, organisation=school_a, email="deputy@school1.example")
    UserFactory(username="gone_a", role=Role.SCHOOL_ADMIN, organisation=school_a, email="gone@school1.example",
                is_active=False)
    return {"a": [school_admin, deputy], "b": [other_school_admin]}


def _by_recipient() -> dict[str, mail.EmailMessage]:
    return {tuple(sorted(m.to)): m for m in mail.outbox}


def test_teacher_campaign_opening_sends_each_school_its_own_public_link(admins, district_a, school_a, school_b):
    kinds = all_kinds_questionnaire(district_a)
    campaign = make_campaign(kinds.questionnaire, district_a, title="Анкета молодых педагогов 2021")

    report = campaign_notifications_send()

    assert report.opened == 1 and report.messages == 2
    messages = _by_recipient()
    assert set(messages) == {("deputy@school1.example", "director@school1.example"), ("admin@school2.example",)}
    to_a = messages[("deputy@school1.example", "director@school1.example")]
    assert to_a.subject.startswith("Анкетирование «Анкета молодых педагогов 2021»: приём ответов до")
    link_a = campaign.links.get(organisation=school_a).token
    link_b = campaign.links.get(organisation=school_b).token
    assert f"{BASE}/s/{link_a}/" in to_a.body and link_b not in to_a.body
    assert f"{BASE}/s/{link_b}/" in messages[("admin@school2.example",)].body
    assert "gone@school1.example" not in str([m.to for m in mail.outbox])
    campaign.refresh_from_db()
    assert campaign.opening_notified_at is not None

    campaign_notifications_send()
    assert len(mail.outbox) == 2


def test_organisation_campaign_opening_links_to_the_fill_page(admins, district_a, school_a):
    kinds = all_kinds_questionnaire(district_a, audience=Audience.ORGANISATION, code="criteria")
    campaign = make_campaign(kinds.questionnaire, district_a, organisations=[school_a], title="Критерии ОУ")

    campaign_notifications_send()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["deputy@school1.example", "director@school1.example"]
    assert f"{BASE}{reverse('surveys:organisation_fill', args=[campaign.pk])}" in message.body
    assert f"{timezone.localtime(campaign.closes_at):%d.%m.%Y %H:%M}" in message.body


def test_nothing_is_sent_before_a_campaign_opens_or_after_it_closed(admins, district_a):
    kinds = all_kinds_questionnaire(district_a)
    scheduled = make_campaign(kinds.questionnaire, district_a, state="scheduled")
    make_campaign(kinds.questionnaire, district_a, state="closed")

    campaign_notifications_send()
    assert mail.outbox == []

    campaign_notifications_send(now=scheduled.opens_at + dt.timedelta(minutes=5))
    assert len(mail.outbox) == 2  # schools A and B, for the scheduled one only
    assert Campaign.objects.filter(opening_notified_at__isnull=False).get() == scheduled


def test_a_school_without_administrator_e_mail_gets_it_at_its_own_address(district_a, school_a, school_admin):
    kinds = all_kinds_questionnaire(district_a)
    make_campaign(kinds.questionnaire, district_a, organisations=[school_a])
    campaign_notifications_send()
    assert [m.to for m in mail.outbox] == [[school_a.email]]


def _org_campaign(district, closes_in: dt.timedelta, *, opened_ago=dt.timedelta(days=10)) -> tuple:
    kinds = all_kinds_questionnaire(district, audience=Audience.ORGANISATION, code="criteria")
    now = timezone.now()
    campaign = make_campaign(kinds.questionnaire, district, title="Критерии ОУ",
                             opens_at=now - opened_ago, closes_at=now + closes_in)
    campaign.opening_notified_at = now - opened_ago
    campaign.save()
    return campaign, kinds


def test_reminder_goes_to_organisations_that_have_not_submitted(admins, district_a, school_a, school_b):
    campaign, kinds = _org_campaign(district_a, dt.timedelta(days=2))
    school_admin, _ = admins["a"]
    organisation_response_save(campaign=campaign, user=school_admin, data=as_post(valid_answers(kinds)), submit=True)
    organisation_response_save(campaign=campaign, user=admins["b"][0], data=as_post({}), submit=False)

    report = campaign_notifications_send()

    assert report.reminded == 1 and len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == ["admin@school2.example"]
    assert reminder.subject.startswith("Напоминание: анкета «Критерии ОУ» — приём ответов до")
    assert "сохранена черновиком, но ещё не отправлена" in reminder.body
    assert f"{BASE}{reverse('surveys:organisation_fill', args=[campaign.pk])}" in reminder.body
    campaign.refresh_from_db()
    assert campaign.reminder_sent_at is not None

    campaign_notifications_send()
    assert len(mail.outbox) == 1


def test_no_reminder_before_the_window(admins, district_a):
    _org_campaign(district_a, dt.timedelta(days=5))
    assert campaign_notifications_send().reminded == 0
    assert mail.outbox == []


def test_the_window_follows_the_setting(admins, district_a, settings):
    settings.SURVEY_REMINDER_DAYS = 7
    _org_campaign(district_a, dt.timedelta(days=5))
    assert campaign_notifications_send().reminded == 1
    assert len(mail.outbox) == 2


def test_no_reminder_for_teacher_campaigns(admins, district_a):
    kinds = all_kinds_questionnaire(district_a)
    now = timezone.now()
    make_campaign(kinds.questionnaire, district_a, opens_at=now - dt.timedelta(days=10),
                  closes_at=now + dt.timedelta(days=1), opening_notified_at=now - dt.timedelta(days=10))
    assert campaign_notifications_send().reminded == 0 and mail.outbox == []


def test_a_short_campaign_gets_the_opening_notice_only(admins, district_a):
    """Opening inside the reminder window: the notice already names the close date."""
    campaign, _ = _org_campaign(district_a, dt.timedelta(days=2), opened_ago=dt.timedelta(hours=1))
    Campaign.objects.filter(pk=campaign.pk).update(opening_notified_at=None)
    campaign_notifications_send()
    campaign_notifications_send()
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Анкетирование «Критерии ОУ»"] * 2


def test_moving_the_close_date_resets_the_reminder(methodist, admins, district_a):
    from surveys.services import campaign_update

    campaign, kinds = _org_campaign(district_a, dt.timedelta(days=2))
    campaign_notifications_send()
    assert len(mail.outbox) == 2
    campaign_update(campaign=campaign, user=methodist, questionnaire=kinds.questionnaire, title=campaign.title,
                    opens_at=campaign.opens_at, closes_at=campaign.closes_at + dt.timedelta(days=1))
    campaign.refresh_from_db()
    assert campaign.reminder_sent_at is None
    campaign_notifications_send()
    assert len(mail.outbox) == 4


def test_organisations_added_after_the_opening_get_the_notice(
    methodist, admins, district_a, school_a, school_b, django_capture_on_commit_callbacks
):
    from surveys.services import campaign_update

    kinds = all_kinds_questionnaire(district_a)
    campaign = make_campaign(kinds.questionnaire, district_a, organisations=[school_a])
    campaign_notifications_send()
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        campaign_update(campaign=campaign, user=methodist, questionnaire=kinds.questionnaire, title=campaign.title,
                        opens_at=campaign.opens_at, closes_at=campaign.closes_at, organisations=[school_a, school_b])
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["admin@school2.example"]
    assert campaign.links.get(organisation=school_b).token in mail.outbox[1].body


def test_a_refusing_mail_server_keeps_the_notices_in_the_outbox_until_the_sweeper_sends_them(admins, district_a):
    """Issue 10: the notices are outbox rows; a mail server that is down delays them, the sweeper
    sends each once when it is back, and the hourly run queues nothing twice."""
    from core.models import MailStatus, OutgoingMail
    from core.outbox import sweep

    kinds = all_kinds_questionnaire(district_a)
    campaign = make_campaign(kinds.questionnaire, district_a)
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("SMTP down")):
        report = campaign_notifications_send()
    assert report.messages == 2 and not mail.outbox
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.PENDING}
    assert "SMTP down" in OutgoingMail.objects.first().last_error
    campaign.refresh_from_db()
    assert campaign.opening_notified_at is not None
    assert campaign_notifications_send().messages == 0
    sweep()
    assert len(mail.outbox) == 2
    sweep()
    assert len(mail.outbox) == 2
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}


def test_the_hourly_celery_task_runs_the_service(admins, district_a):
    kinds = all_kinds_questionnaire(district_a)
    make_campaign(kinds.questionnaire, district_a)
    result = tasks.campaign_notifications_hourly.delay()
    assert "2 e-mails" in result.get()
    assert len(mail.outbox) == 2


def test_beat_runs_the_task_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["surveys-campaign-notifications-hourly"]
    assert entry["task"] == "surveys.tasks.campaign_notifications_hourly"
    assert entry["schedule"].hour == set(range(24)) and len(entry["schedule"].minute) == 1


# --- one failure never stops the others (issue 9) --------------------------------------------------


def test_a_title_with_a_newline_gives_one_line_subjects_and_stops_nobody(admins, district_a):
    """Why: «One campaign title with a newline (crafted POST) raises BadHeaderError in the hourly
    notifier and stops opening notices and all reminders for every district»."""
    kinds = all_kinds_questionnaire(district_a)
    crafted = make_campaign(kinds.questionnaire, district_a, title="Анкета\nBcc: all@example.org")
    other = make_campaign(kinds.questionnaire, district_a, title="Другая анкета")
    report = campaign_notifications_send()
    assert report.opened == 2 and report.failed == 0 and len(mail.outbox) == 4
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
    assert any(m.subject.startswith("Анкетирование «Анкета Bcc: all@example.org»") for m in mail.outbox)
    for campaign in (crafted, other):
        campaign.refresh_from_db()
        assert campaign.opening_notified_at is not None


def test_the_campaign_form_stores_a_title_on_one_line(methodist, district_a):
    from surveys.services import campaign_create

    kinds = all_kinds_questionnaire(district_a)
    now = timezone.now()
    campaign = campaign_create(user=methodist, questionnaire=kinds.questionnaire, title=" Анкета\r\nмай \n 2021 ",
                               opens_at=now, closes_at=now + dt.timedelta(days=5), organisations=[])
    assert campaign.title == "Анкета май 2021"


def test_a_failing_campaign_does_not_stop_the_others_and_is_tried_next_hour(admins, district_a, caplog):
    kinds = all_kinds_questionnaire(district_a)
    broken = make_campaign(kinds.questionnaire, district_a, title="Сломанная")
    fine = make_campaign(kinds.questionnaire, district_a, title="Исправная")
    from surveys import notifications

    real = notifications._opening_messages

    def fails_for_broken(campaign, organisations):
        if campaign.pk == broken.pk:
            raise RuntimeError("template error")
        return real(campaign, organisations)

    with mock.patch.object(notifications, "_opening_messages", side_effect=fails_for_broken):
        report = campaign_notifications_send()
    assert report.opened == 1 and report.failed == 1
    assert {m.subject.split("»")[0] for m in mail.outbox} == {"Анкетирование «Исправная"}
    assert f"Campaign {broken.pk}: notices failed" in caplog.text
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.opening_notified_at is None and fine.opening_notified_at is not None
    report = campaign_notifications_send()  # next hour
    assert report.opened == 1 and report.failed == 0 and len(mail.outbox) == 4


def test_a_refused_recipient_is_retried_without_sending_the_others_twice(admins, district_a, school_a, school_b):
    """School B's mail server refuses: A gets its notice once, B when the sweeper retries."""
    from django.core.mail.backends.locmem import EmailBackend

    from core.outbox import sweep
    from surveys.models import CampaignNotice

    kinds = all_kinds_questionnaire(district_a)
    make_campaign(kinds.questionnaire, district_a)
    real = EmailBackend.send_messages

    def refuses_school_b(self, messages):
        if any("admin@school2.example" in m.to for m in messages):
            raise OSError("550 mailbox unavailable")
        return real(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", refuses_school_b):
        report = campaign_notifications_send()
        sweep()
    assert report.messages == 2
    assert [m.to for m in mail.outbox] == [["director@school1.example", "deputy@school1.example"]]
    assert set(CampaignNotice.objects.values_list("organisation_id", flat=True)) == {school_a.pk, school_b.pk}
    sweep()
    assert [m.to for m in mail.outbox[1:]] == [["admin@school2.example"]]
    sweep()
    assert campaign_notifications_send().messages == 0
    assert len(mail.outbox) == 2
