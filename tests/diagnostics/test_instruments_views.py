"""Instrument pages: list and page (read: methodist, director), copy and editing (methodist, own district only),
shipped instruments read-only, answered versions frozen. Each view: an allowed and a refused persona."""
import pytest
from django.urls import reverse

from diagnostics.instruments_shipped import create_shipped_instruments
from diagnostics.models import Answer, Instrument, Item
from diagnostics.services.instruments import FROZEN_MESSAGE
from tests.diagnostics.factories import (
    DiagnosticCampaignFactory,
    InstrumentFactory,
    InvitationFactory,
    ItemFactory,
)
from tests.diagnostics.factories import area as area_of


@pytest.fixture
def shipped(db):
    create_shipped_instruments()
    return {i.code: i for i in Instrument.objects.filter(district__isnull=True)}


@pytest.fixture
def own(district_a):
    instrument = InstrumentFactory(district=district_a, code="own", title="Наша самодиагностика")
    ItemFactory(instrument=instrument, area=area_of("subject"), text="Я знаю предмет.", position=1)
    ItemFactory(instrument=instrument, area=area_of("methodical"), text="Я умею планировать урок.", position=2,
                levels=["preschool"])
    return instrument


def _answer(instrument):
    invitation = InvitationFactory(campaign=DiagnosticCampaignFactory(district=instrument.district,
                                                                      instrument=instrument))
    Answer.objects.create(invitation=invitation, item=instrument.items.first(), choice=3, score="1.000")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- list and page ---------------------------------------------------------------------------------


def test_list_shows_shipped_and_own_with_counts(director_client, shipped, own):
    DiagnosticCampaignFactory(district=own.district, instrument=own)
    response = director_client.get(reverse("diagnostics:instruments"))
    assert response.status_code == 200
    rows = {i.code: (i.item_count, i.campaign_count) for i in response.context["instruments"]}
    assert rows == {"teacher-deficits": (27, 0), "head-deficits": (16, 0), "competencies": (40, 0),
                    "digital": (10, 0), "own": (2, 1)}


def test_list_refused_to_school_admin_and_other_district_sees_no_own(school_admin_client, other_methodist_client,
                                                                     shipped, own):
    assert school_admin_client.get(reverse("diagnostics:instruments")).status_code == 403
    response = other_methodist_client.get(reverse("diagnostics:instruments"))
    assert "own" not in {i.code for i in response.context["instruments"]}


def test_page_groups_items_by_area_with_variant_marks(methodist_client, own):
    response = methodist_client.get(reverse("diagnostics:instrument_detail", args=[own.pk]))
    assert response.status_code == 200
    groups = [(area.code, [(item.text, variant) for item, variant in items])
              for area, items in response.context["groups"]]
    assert groups == [("subject", [("Я знаю предмет.", "")]),
                      ("methodical", [("Я умею планировать урок.", "дошкольное образование")])]
    assert response.context["can_edit"] is True
    assert "только: дошкольное образование" in response.content.decode()


def test_page_of_another_district_is_404_and_observer_403(other_methodist_client, observer_client, own):
    url = reverse("diagnostics:instrument_detail", args=[own.pk])
    assert other_methodist_client.get(url).status_code == 404
    assert observer_client.get(url).status_code == 403


def test_shipped_page_is_read_only(methodist_client, shipped):
    response = methodist_client.get(reverse("diagnostics:instrument_detail", args=[shipped["digital"].pk]))
    assert response.context["can_edit"] is False
    assert reverse("diagnostics:item_create", args=[shipped["digital"].pk]) not in response.content.decode()


# --- copy ------------------------------------------------------------------------------------------


def test_copy_shipped_as_next_version_then_as_new_code(methodist_client, methodist, shipped):
    source = shipped["teacher-deficits"]
    url = reverse("diagnostics:instrument_copy", args=[source.pk])
    response = methodist_client.post(url, {"new_code": "", "title": ""})
    copy = Instrument.objects.get(district=methodist.district, code="teacher-deficits")
    assert response.status_code == 302 and response["Location"] == reverse("diagnostics:instrument_detail",
                                                                           args=[copy.pk])
    assert (copy.version, copy.title, copy.items.count()) == (2, source.title, 27)
    assert copy.items.filter(levels=["preschool"]).count() == 2
    assert copy.items.filter(professions=["psychologist"]).count() == 1
    # again: version 3
    methodist_client.post(url, {"new_code": ""})
    assert Instrument.objects.filter(district=methodist.district, code="teacher-deficits", version=3).exists()
    # as a new code
    methodist_client.post(url, {"new_code": "kirov-teachers", "title": "Дефициты педагогов Кировского района"})
    renamed = Instrument.objects.get(district=methodist.district, code="kirov-teachers")
    assert (renamed.version, renamed.items.count()) == (1, 27)
    # the same code again is refused, nothing created
    response = methodist_client.post(url, {"new_code": "kirov-teachers"}, follow=True)
    assert "уже есть" in " ".join(_messages(response))
    assert Instrument.objects.filter(district=methodist.district).count() == 3
    assert source.items.count() == 27


def test_copy_refused_to_director_and_bad_code(director_client, methodist_client, shipped):
    url = reverse("diagnostics:instrument_copy", args=[shipped["digital"].pk])
    assert director_client.post(url, {"new_code": ""}).status_code == 403
    response = methodist_client.post(url, {"new_code": "цифра"}, follow=True)
    assert "Новый код:" in " ".join(_messages(response))
    response = methodist_client.post(url, {"new_code": "", "title": "Я" * 301}, follow=True)
    assert "Название копии:" in " ".join(_messages(response))
    assert Instrument.objects.filter(district__isnull=False).count() == 0


# --- editing ---------------------------------------------------------------------------------------


def test_item_create_update_delete(methodist_client, own):
    response = methodist_client.post(reverse("diagnostics:item_create", args=[own.pk]), {
        "area": area_of("communicative").pk, "text": "Я умею работать с родителями.", "scale": "likert4",
        "professions": ["social_pedagogue"], "position": ""})
    assert response.status_code == 302
    item = own.items.get(text="Я умею работать с родителями.")
    assert (item.position, item.professions, item.levels) == (3, ["social_pedagogue"], [])
    methodist_client.post(reverse("diagnostics:item_update", args=[item.pk]), {
        "area": area_of("communicative").pk, "text": "Я умею выстраивать диалог с родителями.", "scale": "yes_no",
        "position": "3"})
    item.refresh_from_db()
    assert (item.text, item.scale, item.professions) == ("Я умею выстраивать диалог с родителями.", "yes_no", [])
    methodist_client.post(reverse("diagnostics:item_delete", args=[item.pk]))
    assert own.items.count() == 2


def test_item_of_a_foreign_area_is_refused(methodist_client, own):
    response = methodist_client.post(reverse("diagnostics:item_create", args=[own.pk]), {
        "area": area_of("comp-inclusive").pk, "text": "Чужая группа.", "scale": "likert4"})
    assert response.status_code == 200
    assert response.context["form"].errors["area"]
    assert own.items.count() == 2


def test_instrument_update(methodist_client, own):
    response = methodist_client.post(reverse("diagnostics:instrument_update", args=[own.pk]),
                                     {"title": "Самодиагностика 2022", "description": "Весна"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.title, own.description) == ("Самодиагностика 2022", "Весна")


@pytest.mark.parametrize("name", ["instrument_update", "item_create"])
def test_write_pages_refused(director_client, other_methodist_client, own, name):
    url = reverse(f"diagnostics:{name}", args=[own.pk])
    assert director_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404


def test_item_pages_refused(director_client, other_methodist_client, own):
    item = own.items.first()
    for name in ("item_update", "item_delete"):
        url = reverse(f"diagnostics:{name}", args=[item.pk])
        assert director_client.get(url).status_code == 403
        assert other_methodist_client.post(url).status_code == 404
    assert own.items.count() == 2


def test_shipped_is_not_edited(methodist_client, shipped):
    digital = shipped["digital"]
    response = methodist_client.post(reverse("diagnostics:item_create", args=[digital.pk]), {
        "area": area_of("digital-activity").pk, "text": "Новое.", "scale": "likert4"}, follow=True)
    assert "Скопируйте" in " ".join(_messages(response))
    response = methodist_client.post(reverse("diagnostics:item_delete", args=[digital.items.first().pk]))
    assert digital.items.count() == 10


# --- freeze ----------------------------------------------------------------------------------------


def test_answered_version_is_frozen(methodist_client, own):
    _answer(own)
    item = own.items.get(position=2)
    before = list(Item.objects.filter(instrument=own).values_list("pk", "text", "scale", "position"))
    attempts = [
        (reverse("diagnostics:instrument_update", args=[own.pk]), {"title": "Другое"}),
        (reverse("diagnostics:item_create", args=[own.pk]),
         {"area": area_of("subject").pk, "text": "Новое.", "scale": "likert4"}),
        (reverse("diagnostics:item_update", args=[item.pk]),
         {"area": area_of("subject").pk, "text": "Изменено.", "scale": "likert4"}),
        (reverse("diagnostics:item_delete", args=[item.pk]), {}),
    ]
    for url, data in attempts:
        response = methodist_client.post(url, data, follow=True)
        assert FROZEN_MESSAGE in _messages(response), url
    assert FROZEN_MESSAGE == "На эту версию уже отвечали: изменения сделайте в новой версии."
    own.refresh_from_db()
    assert own.title == "Наша самодиагностика"
    assert list(Item.objects.filter(instrument=own).values_list("pk", "text", "scale", "position")) == before
    # a new version is editable
    methodist_client.post(reverse("diagnostics:instrument_copy", args=[own.pk]), {"new_code": ""})
    new = Instrument.objects.get(district=own.district, code="own", version=2)
    detail = methodist_client.get(reverse("diagnostics:instrument_detail", args=[new.pk]))
    assert detail.context["can_edit"] is True and new.items.count() == 2
