"""The personal link without an account: consent, refusal, drafts, submission with hand-worked area indices,
finished / closed / unknown links, rate limit."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Answer, AreaScore, Invitation, InvitationStatus, Scale
from diagnostics.services.campaigns import hash_token
from tests.diagnostics.factories import DiagnosticCampaignFactory, InvitationFactory, ItemFactory, area
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

TOKEN = "personal-test-token-0123456789abcdefghijklmn"


@pytest.fixture
def setup(district_a, school_a):
    """3 LIKERT4 items in «methodical», 1 YES_NO item in «subject», 1 item of another level (not asked)."""
    campaign = DiagnosticCampaignFactory(district=district_a, level="basic")
    campaign.organisations.set([school_a])
    methodical, subject = area("methodical"), area("subject")
    items = [ItemFactory(instrument=campaign.instrument, area=methodical, scale=Scale.LIKERT4) for _ in range(3)]
    items.append(ItemFactory(instrument=campaign.instrument, area=subject, scale=Scale.YES_NO))
    ItemFactory(instrument=campaign.instrument, area=subject, levels=["preschool"])
    invitation = InvitationFactory(campaign=campaign, teacher=TeacherFactory(organisation=school_a),
                                   token_hash=hash_token(TOKEN))
    return {"campaign": campaign, "items": items, "invitation": invitation, "methodical": methodical,
            "subject": subject}


def _start():
    return reverse("diagnostics_public:start", args=[TOKEN])


def _form():
    return reverse("diagnostics_public:form", args=[TOKEN])


def _options(response, item):
    """The rendered options of one item on the form page."""
    for _area, rows in response.context["areas"]:
        for row in rows:
            if row["item"].pk == item.pk:
                return row["options"]
    raise AssertionError(item)


def _answers(items, choices):
    return {f"item_{item.pk}": str(choice) for item, choice in zip(items, choices, strict=False) if choice is not None}


def test_consent_page_says_who_sees_results(anonymous, setup):
    html = anonymous.get(_start()).content.decode()
    assert "администратор вашей организации" in html and "методисты и директор" in html
    assert "152-ФЗ" in html and "Согласен, начать" in html and "Отказаться" in html
    assert anonymous.get(_form()).status_code == 302  # no form before consent


def test_decline_keeps_only_refusal_and_link_stops(anonymous, setup):
    response = anonymous.post(_start(), {"action": "decline"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(pk=setup["invitation"].pk)
    assert invitation.status == InvitationStatus.DECLINED and invitation.declined_at and invitation.consent_at is None
    assert not Answer.objects.exists()
    html = anonymous.get(_start()).content.decode()
    assert "ссылка больше не действует" in html
    assert anonymous.post(_form(), {"action": "submit"}).status_code == 200  # the refusal page, nothing stored
    assert not Answer.objects.exists()


def test_draft_then_missing_then_submit_hand_worked_indices(anonymous, setup):
    items = setup["items"]
    assert anonymous.post(_start(), {"action": "consent"})["Location"] == _form()
    page = anonymous.get(_form()).content.decode()
    assert page.count('type="radio"') == 3 * 4 + 2  # the preschool item is not asked
    # draft: two answers kept
    assert anonymous.post(_form(), {"action": "draft", **_answers(items, [0, 1])}).status_code == 302
    assert dict(Answer.objects.values_list("item_id", "choice")) == {items[0].pk: 0, items[1].pk: 1}
    assert _options(anonymous.get(_form()), items[1])[1]["checked"]
    # submit with one missing: Russian message, what was typed stays, nothing submitted
    response = anonymous.post(_form(), {"action": "submit", **_answers(items, [1, 2, 3, None])})
    assert response.status_code == 400
    assert "не отмечено 1" in response.content.decode()
    assert Invitation.objects.get().status == InvitationStatus.DRAFT and not AreaScore.objects.exists()
    assert _options(response, items[2])[3]["checked"]
    # submit: methodical answered 1, 2, 3 of 0…3 → (0,333 + 0,667 + 1,000) / 3 = 0,667; subject «да» → 1,000
    assert anonymous.post(_form(), {"action": "submit", **_answers(items, [1, 2, 3, 1])}).status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.SUBMITTED and invitation.submitted_at
    assert sorted(Answer.objects.values_list("score", flat=True)) == [
        Decimal("0.333"), Decimal("0.667"), Decimal("1.000"), Decimal("1.000")]
    scores = {s.area_id: (s.score, s.items) for s in AreaScore.objects.all()}
    assert scores == {setup["methodical"].pk: (Decimal("0.667"), 3), setup["subject"].pk: (Decimal("1.000"), 1)}
    # the link is spent
    html = anonymous.get(_start()).content.decode()
    assert "Диагностика пройдена" in html
    assert anonymous.post(_form(), {"action": "submit", **_answers(items, [0, 0, 0, 0])}).status_code == 200
    assert AreaScore.objects.get(area=setup["methodical"]).score == Decimal("0.667")


def test_out_of_scale_choice_counts_as_missing(anonymous, setup):
    items = setup["items"]
    anonymous.post(_start(), {"action": "consent"})
    response = anonymous.post(_form(), {"action": "submit", **_answers(items, [1, 2, 7, 1])})
    assert response.status_code == 400 and not AreaScore.objects.exists()


def test_closed_and_not_yet_open_campaign_refused(anonymous, setup):
    campaign = setup["campaign"]
    campaign.closed_at = timezone.now()
    campaign.save()
    html = anonymous.get(_start()).content.decode()
    assert "Самодиагностика завершена" in html
    anonymous.post(_start(), {"action": "consent"})
    assert Invitation.objects.get().consent_at is None
    campaign.closed_at = None
    campaign.opens_at = timezone.now() + dt.timedelta(days=1)
    campaign.closes_at = timezone.now() + dt.timedelta(days=2)
    campaign.save()
    assert "ещё не началась" in anonymous.get(_start()).content.decode()


def test_unknown_token_404(anonymous, setup):
    assert anonymous.get(reverse("diagnostics_public:start", args=["x" * 43])).status_code == 404
    assert anonymous.get("/d/short/").status_code == 404


def test_logged_in_user_sees_the_same_page(methodist_client, setup):
    assert methodist_client.get(_start()).status_code == 200


def test_rate_limited(anonymous, setup, settings):
    from django.core.cache import cache
    cache.clear()
    settings.SURVEY_SUBMIT_RATE_LIMIT = 1
    assert anonymous.post(_start(), {"action": "consent"}).status_code == 302
    assert anonymous.post(_form(), {"action": "draft"}).status_code == 429
    cache.clear()


def test_csrf_enforced_client(setup):
    client = Client(enforce_csrf_checks=True)
    assert client.post(_start(), {"action": "consent"}).status_code == 403


def test_probing_unknown_links_limited_per_address(anonymous, setup, settings):
    from django.core.cache import cache
    cache.clear()
    settings.SURVEY_SUBMIT_RATE_LIMIT = 1  # 10 requests per address and window
    url = reverse("diagnostics_public:start", args=["y" * 43])
    assert [anonymous.get(url).status_code for _ in range(11)] == [404] * 10 + [429]
    cache.clear()
