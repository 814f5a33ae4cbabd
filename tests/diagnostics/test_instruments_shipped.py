"""The shipped instruments: four instruments with the item counts per area written down by hand, created once by
the post_migrate loader, recreated after a flush, never changed once answered; variants select by hand-counted
items."""
from collections import Counter

import pytest
from django.core.management import call_command

from diagnostics.instruments_shipped import create_shipped_instruments
from diagnostics.models import Answer, Instrument, Item
from diagnostics.services.instruments import items_for
from tests.diagnostics.factories import DiagnosticCampaignFactory, InvitationFactory

# Hand-counted from diagnostics/instruments_shipped.py.
EXPECTED = {
    "teacher-deficits": ("likert4", "teacher", {"subject": 7, "methodical": 7, "psycho_pedagogical": 7,
                                                "communicative": 6}),
    "head-deficits": ("likert4", "head", {"managerial": 4, "informational": 4, "psycho_pedagogical": 4,
                                          "communicative": 4}),
    "competencies": ("likert5", "teacher", {code: 5 for code in (
        "comp-methodological", "comp-methodical", "comp-technological", "comp-evaluative", "comp-diagnostic",
        "comp-design", "comp-reflexive", "comp-inclusive")}),
    "digital": ("likert4", "teacher", {"digital-knowledge": 5, "digital-activity": 5}),
}


def _shape() -> dict:
    shape = {}
    for instrument in Instrument.objects.filter(district__isnull=True):
        items = list(instrument.items.select_related("area"))
        scales = {item.scale for item in items}
        shape[instrument.code] = (instrument.version, scales, instrument.audience,
                                  dict(Counter(item.area.code for item in items)))
    return shape


def _expected() -> dict:
    return {code: (1, {scale}, audience, counts) for code, (scale, audience, counts) in EXPECTED.items()}


@pytest.fixture
def shipped(db):
    create_shipped_instruments()
    return {i.code: i for i in Instrument.objects.filter(district__isnull=True)}


def test_the_loader_creates_four_instruments_with_their_items_per_area(shipped):
    assert _shape() == _expected()
    assert sum(shipped[code].items.count() for code in EXPECTED) == 27 + 16 + 40 + 10
    assert shipped["teacher-deficits"].title == "Самодиагностика профессиональных дефицитов педагога"


def test_the_loader_is_idempotent(shipped):
    create_shipped_instruments()
    create_shipped_instruments()
    assert Instrument.objects.filter(district__isnull=True).count() == 4
    assert Item.objects.filter(instrument__district__isnull=True).count() == 93


def test_an_answered_instrument_is_never_changed_by_the_loader(shipped):
    digital = shipped["digital"]
    item = digital.items.first()
    invitation = InvitationFactory(campaign=DiagnosticCampaignFactory(instrument=digital))
    Answer.objects.create(invitation=invitation, item=item, choice=1, score="0.333")
    digital.items.exclude(pk=item.pk).delete()
    create_shipped_instruments()
    assert list(Instrument.objects.get(pk=digital.pk).items.all()) == [item]


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_the_shipped_instruments():
    create_shipped_instruments()
    Instrument.objects.filter(district__isnull=True, code="digital").delete()
    call_command("flush", verbosity=0, interactive=False)
    assert _shape() == _expected()
    call_command("flush", verbosity=0, interactive=False)
    assert Instrument.objects.filter(district__isnull=True).count() == 4


@pytest.mark.parametrize(("level", "profession", "total", "per_area"), [
    # blank restricts nothing: all 27
    ("", "", 27, {"subject": 7, "methodical": 7, "psycho_pedagogical": 7, "communicative": 6}),
    # the 20 items for everybody
    ("basic", "teacher", 20, {"subject": 5, "methodical": 5, "psycho_pedagogical": 5, "communicative": 5}),
    # + the preschool subject and methodical items
    ("preschool", "teacher", 22, {"subject": 6, "methodical": 6, "psycho_pedagogical": 5, "communicative": 5}),
    # + the supplementary subject and methodical items + the psychologist's item
    ("supplementary", "psychologist", 23,
     {"subject": 6, "methodical": 6, "psycho_pedagogical": 6, "communicative": 5}),
    ("secondary", "speech_therapist", 21,
     {"subject": 5, "methodical": 5, "psycho_pedagogical": 6, "communicative": 5}),
    ("basic", "social_pedagogue", 21, {"subject": 5, "methodical": 5, "psycho_pedagogical": 5, "communicative": 6}),
])
def test_variants_select_the_hand_counted_items(shipped, level, profession, total, per_area):
    items = items_for(shipped["teacher-deficits"], level, profession)
    assert len(items) == total
    assert dict(Counter(item.area.code for item in items)) == per_area
    # ordered by area (subject first) and position
    assert items[0].area.code == "subject" and items[-1].area.code == "communicative"
