"""Personal diagnostic campaigns: invitations per active teacher, hashed tokens, e-mails, progress, the
printable list of links (regenerated, logged), closing, reminders; each view with an allowed and a refused persona."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.models import ExportLog
from core.models import OutgoingMail
from diagnostics.models import DiagnosticCampaign, Invitation, InvitationStatus
from diagnostics.services.campaigns import create_campaign, hash_token
from diagnostics.tasks import remind_due
from tests.diagnostics.factories import (
    DiagnosticCampaignFactory,
    InstrumentFactory,
    InvitationFactory,
    ItemFactory,
)
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(school_a, school_b):
    """school A: 2 active teachers (one with e-mail) + 1 dismissed; school B: 1 active with e-mail."""
    return {
        "a_mail": TeacherFactory(organisation=school_a, full_name="Иванова Анна", email="ivanova@example.ru"),
        "a_plain": TeacherFactory(organisation=school_a, full_name="Петров Пётр", email=""),
        "a_gone": TeacherFactory(organisation=school_a, full_name="Сидоров Сидор", email="s@example.ru",
                                 is_active=False),
        "b_mail": TeacherFactory(organisation=school_b, full_name="Кузнецова Ольга", email="kuz@example.ru"),
    }


def _create(methodist, district, organisations, **extra):
    now = timezone.now()
    data = {"user": methodist, "district": district, "instrument": InstrumentFactory(district=district),
            "title": "Самодиагностика 2021", "year": 2021, "period_label": "2021/22", "level": "", "profession": "",
            "organisations": organisations, "opens_at": now - dt.timedelta(hours=1),
            "closes_at": now + dt.timedelta(days=10)}
    data.update(extra)
    return create_campaign(**data)


def test_one_invitation_per_active_teacher_tokens_hashed_mail_only_with_email(
        methodist, district_a, school_a, school_b, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        campaign = _create(methodist, district_a, [school_a, school_b])
    invitations = Invitation.objects.filter(campaign=campaign)
    # 2 active in A + 1 in B = 3; the dismissed teacher gets none
    assert invitations.count() == 3
    assert set(invitations.values_list("teacher__full_name", flat=True)) == {
        "Иванова Анна", "Петров Пётр", "Кузнецова Ольга"}
    mails = OutgoingMail.objects.filter(dedup_key__startswith="diagnostic-invitation:")
    assert sorted(r for m in mails for r in m.recipients) == ["ivanova@example.ru", "kuz@example.ru"]
    for mail in mails:
        token = re.search(r"/d/([A-Za-z0-9_-]+)/", mail.body).group(1)
        assert len(token) == 43
        invitation = Invitation.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
        assert invitation.emailed_at is not None
        assert not Invitation.objects.filter(token_hash=token).exists()  # the raw token is not stored
    assert all(len(h) == 64 for h in invitations.values_list("token_hash", flat=True))
    assert invitations.get(teacher=staff["a_plain"]).emailed_at is None


def test_organisation_of_another_district_refused(methodist, district_a, school_other_district):
    from core.errors import InvalidError
    with pytest.raises(InvalidError):
        _create(methodist, district_a, [school_other_district])
    assert not DiagnosticCampaign.objects.exists()


def test_create_view_methodist_allowed_director_refused(methodist_client, director_client, district_a, school_a,
                                                        staff):
    instrument = InstrumentFactory(district=district_a)
    url = reverse("diagnostics:campaign_create")
    assert director_client.get(url).status_code == 403
    data = {"instrument": instrument.pk, "title": "Кампания", "year": 2021, "period_label": "2021/22",
            "organisations": [school_a.pk], "opens_at": "2021-01-10T09:00", "closes_at": "2031-01-10T09:00"}
    assert director_client.post(url, data).status_code == 403
    response = methodist_client.post(url, data)
    campaign = DiagnosticCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.invitations.count() == 2


def test_create_view_bad_dates_message_nothing_created(methodist_client, district_a, school_a):
    instrument = InstrumentFactory(district=district_a)
    response = methodist_client.post(reverse("diagnostics:campaign_create"), {
        "instrument": instrument.pk, "title": "Кампания", "year": 2021, "organisations": [school_a.pk],
        "opens_at": "2021-02-10T09:00", "closes_at": "2021-01-10T09:00"})
    assert response.status_code == 200
    assert "Окончание должно быть позже начала." in response.content.decode()
    assert not DiagnosticCampaign.objects.exists()


def test_detail_progress_counts(methodist_client, other_methodist_client, district_a, school_a, school_b):
    campaign = DiagnosticCampaignFactory(district=district_a)
    campaign.organisations.set([school_a, school_b])
    for status in ["invited", "declined", "draft", "submitted", "submitted"]:
        InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a), status=status)
    InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_b))
    url = reverse("diagnostics:campaign_detail", args=[campaign.pk])
    assert other_methodist_client.get(url).status_code == 404
    response = methodist_client.get(url)
    rows = {row["organisation"]: row for row in response.context["rows"]}
    assert rows[school_a.short_name] == {"organisation_id": school_a.pk, "organisation": school_a.short_name,
                                         "total": 5, "declined": 1, "draft": 1, "submitted": 2}
    assert rows[school_b.short_name]["total"] == 1
    assert response.context["totals"] == {"total": 6, "declined": 1, "draft": 1, "submitted": 2}


def test_close_methodist_allowed_director_refused(methodist_client, director_client, district_a):
    campaign = DiagnosticCampaignFactory(district=district_a)
    url = reverse("diagnostics:campaign_close", args=[campaign.pk])
    assert director_client.post(url).status_code == 403
    assert methodist_client.post(url).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_at is not None


def test_list_director_allowed_observer_refused(director_client, observer_client, district_a):
    DiagnosticCampaignFactory(district=district_a, title="Осенняя диагностика")
    assert observer_client.get(reverse("diagnostics:campaigns")).status_code == 403
    response = director_client.get(reverse("diagnostics:campaigns"))
    assert "Осенняя диагностика" in response.content.decode()


def test_links_school_admin_regenerates_unsubmitted_of_own_school_and_logs(
        school_admin, school_admin_client, observer_client, district_a, school_a, school_b):
    campaign = DiagnosticCampaignFactory(district=district_a)
    campaign.organisations.set([school_a, school_b])
    invited = InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a, full_name="Аннова"))
    draft = InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a), status="draft")
    done = InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a), status="submitted")
    other = InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_b))
    before = {i.pk: i.token_hash for i in (invited, draft, done, other)}
    url = reverse("diagnostics:campaign_links", args=[campaign.pk])
    assert observer_client.get(url).status_code == 403
    assert school_admin_client.get(url).status_code == 200
    response = school_admin_client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('src="data:image/svg+xml;base64,') == 2 and "Аннова" in html
    tokens = re.findall(r"/d/([A-Za-z0-9_-]{43})/", html)
    assert len(set(tokens)) == 2
    after = {i.pk: Invitation.objects.get(pk=i.pk).token_hash for i in (invited, draft, done, other)}
    assert after[invited.pk] != before[invited.pk] and after[draft.pk] != before[draft.pk]
    assert after[done.pk] == before[done.pk] and after[other.pk] == before[other.pk]
    assert {hash_token(t) for t in set(tokens)} == {after[invited.pk], after[draft.pk]}
    log = ExportLog.objects.get()
    assert (log.user, log.list_name, log.row_count) == (school_admin, "diagnostic_links", 2)


def test_links_other_school_not_in_campaign_404(other_school_admin_client, district_a, school_a):
    campaign = DiagnosticCampaignFactory(district=district_a)
    campaign.organisations.set([school_a])
    assert other_school_admin_client.get(
        reverse("diagnostics:campaign_links", args=[campaign.pk])).status_code == 404


def test_links_methodist_picks_organisation(methodist_client, district_a, school_a, school_b):
    campaign = DiagnosticCampaignFactory(district=district_a)
    campaign.organisations.set([school_a])
    InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a))
    url = reverse("diagnostics:campaign_links", args=[campaign.pk])
    assert methodist_client.get(url, {"organisation": school_b.pk}).status_code == 404
    response = methodist_client.post(f"{url}?organisation={school_a.pk}")
    assert len(set(re.findall(r"/d/([A-Za-z0-9_-]{43})/", response.content.decode()))) == 1
    assert ExportLog.objects.get().row_count == 1


def test_reminders_once_only_open_within_three_days_with_email(district_a, school_a):
    now = timezone.now()
    soon = DiagnosticCampaignFactory(district=district_a, closes_at=now + dt.timedelta(days=2))
    later = DiagnosticCampaignFactory(district=district_a, closes_at=now + dt.timedelta(days=5))
    with_mail = TeacherFactory(organisation=school_a, email="a@example.ru")
    remind = [InvitationFactory(campaign=soon, teacher=with_mail),
              InvitationFactory(campaign=soon, teacher=TeacherFactory(organisation=school_a, email="b@example.ru"),
                                status="draft")]
    InvitationFactory(campaign=soon, teacher=TeacherFactory(organisation=school_a, email=""))
    InvitationFactory(campaign=soon, teacher=TeacherFactory(organisation=school_a, email="c@example.ru"),
                      status="submitted")
    InvitationFactory(campaign=later, teacher=with_mail)
    assert remind_due(now) == 2
    assert remind_due(now) == 0
    assert {i.pk for i in Invitation.objects.exclude(reminded_at=None)} == {i.pk for i in remind}
    assert OutgoingMail.objects.filter(dedup_key__startswith="diagnostic-reminder:").count() == 2


def test_reminder_carries_a_fresh_link_that_keeps_the_draft(client, district_a, school_a):
    """Only hashes are stored, so the reminder issues a new token: the old link stops working, the new one
    opens the same invitation with its saved answers."""
    from diagnostics.models import Answer
    now = timezone.now()
    campaign = DiagnosticCampaignFactory(district=district_a, closes_at=now + dt.timedelta(days=1))
    old_token = "old-token-" + "x" * 33
    invitation = InvitationFactory(campaign=campaign, status=InvitationStatus.DRAFT, consent_at=now,
                                   token_hash=hash_token(old_token),
                                   teacher=TeacherFactory(organisation=school_a, email="d@example.ru"))
    item = ItemFactory(instrument=campaign.instrument)
    Answer.objects.create(invitation=invitation, item=item, choice=1, score="0.333")
    assert remind_due(now) == 1
    body = OutgoingMail.objects.get(dedup_key=f"diagnostic-reminder:{invitation.pk}").body
    new_token = re.search(r"/d/([A-Za-z0-9_-]{43})/", body).group(1)
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(new_token) != hash_token(old_token)
    assert client.get(f"/d/{old_token}/").status_code == 404
    assert client.get(f"/d/{new_token}/").status_code in (200, 302)
    assert invitation.answers.count() == 1


def test_items_for_fallback_variant(district_a):
    from diagnostics.services.instruments import items_for
    instrument = InstrumentFactory(district=district_a)
    common = ItemFactory(instrument=instrument)
    school = ItemFactory(instrument=instrument, levels=["basic"])
    ItemFactory(instrument=instrument, levels=["preschool"])
    psych = ItemFactory(instrument=instrument, professions=["psychologist"])
    assert {i.pk for i in items_for(instrument, "basic", "teacher")} == {common.pk, school.pk}
    assert {i.pk for i in items_for(instrument, "basic", "psychologist")} == {common.pk, school.pk, psych.pk}


def test_reminders_task_scheduled_and_runs(settings, district_a, school_a):
    from diagnostics.tasks import send_reminders
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "diagnostics.tasks.send_reminders" in tasks
    campaign = DiagnosticCampaignFactory(district=district_a, closes_at=timezone.now() + dt.timedelta(days=1))
    InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a, email="r@example.ru"))
    assert send_reminders.apply().get() == 1


def test_school_admin_sees_own_campaigns_and_own_teachers_only(
        methodist, school_admin_client, other_school_admin_client, district_a, school_a, school_b, staff):
    campaign_a = _create(methodist, district_a, [school_a, school_b], title="Диагностика А и Б")
    campaign_b = _create(methodist, district_a, [school_b], title="Только школа Б")
    Invitation.objects.filter(campaign=campaign_a, teacher=staff["a_plain"]).update(status="submitted")

    listing = school_admin_client.get(reverse("diagnostics:campaigns")).content.decode()
    assert "Диагностика А и Б" in listing and "Только школа Б" not in listing
    page = school_admin_client.get(reverse("diagnostics:campaign_detail", args=[campaign_a.pk]))
    text = page.content.decode()
    # progress shows only school A: 2 invited, 1 passed; its teachers by name, never school B's
    assert [(r["organisation"], r["total"], r["submitted"]) for r in page.context["rows"]] == [("ГБОУ СОШ № 1", 2, 1)]
    assert "Иванова Анна" in text and "Петров Пётр" in text and "Кузнецова Ольга" not in text
    assert "Закрыть кампанию" not in text and "Ссылки для печати" in text
    # a campaign that does not reach school A is not found for its administrator; school B's admin sees it
    assert school_admin_client.get(reverse("diagnostics:campaign_detail", args=[campaign_b.pk])).status_code == 404
    assert other_school_admin_client.get(reverse("diagnostics:campaign_detail", args=[campaign_b.pk])).status_code == 200


@pytest.mark.parametrize(("position", "profession"), [
    ("учитель математики", "teacher"), ("Педагог-психолог", "psychologist"), ("учитель-логопед", "speech_therapist"),
    ("учитель-дефектолог", "speech_therapist"), ("Социальный педагог", "social_pedagogue"), ("тьютор", "tutor"),
    ("воспитатель", "educator"), ("", "teacher")])
def test_profession_of_position(position, profession):
    from diagnostics.services.instruments import profession_of
    assert profession_of(position) == profession


def test_campaign_for_every_profession_gives_each_teacher_their_projection(district_a, school_a):
    from diagnostics.services.answers import campaign_items
    campaign = DiagnosticCampaignFactory(district=district_a, profession="")
    common = ItemFactory(instrument=campaign.instrument)
    psych = ItemFactory(instrument=campaign.instrument, professions=["psychologist"])
    teacher = InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a, position="учитель"))
    psychologist = InvitationFactory(campaign=campaign,
                                     teacher=TeacherFactory(organisation=school_a, position="педагог-психолог"))
    assert [i.pk for i in campaign_items(teacher)] == [common.pk]
    assert {i.pk for i in campaign_items(psychologist)} == {common.pk, psych.pk}
    # a campaign for one profession asks everybody that projection
    campaign.profession = "psychologist"
    campaign.save()
    teacher.refresh_from_db()
    assert {i.pk for i in campaign_items(teacher)} == {common.pk, psych.pk}
