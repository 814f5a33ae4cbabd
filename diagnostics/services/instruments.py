"""Diagnostic instruments: scoping, variants, copies and the editing of a district's own instruments.

Shipped instruments (no district) are read-only: a methodist copies one into the district — as a new code or a
new version — and edits the copy. Once anybody has answered a version (an Answer exists for one of its items),
its items are frozen, like a questionnaire with responses: changes go into a new version.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from core.errors import AppError, InvalidError
from core.permissions import can

from ..models import Answer, Area, Family, Instrument, Item, Profession

VIEW = "diagnostics.view"
BUILD = "diagnostics.build"

FROZEN_MESSAGE = "На эту версию уже отвечали: изменения сделайте в новой версии."
SHIPPED_MESSAGE = ("Это инструмент, поставляемый с порталом, — его нельзя менять. Скопируйте его в свой район "
                   "и меняйте копию.")
CODE_TAKEN_MESSAGE = "Инструмент с таким кодом уже есть в районе — выберите другой код или создайте новую версию."

# The areas an instrument's items may belong to, per family (seed 004: a head's deficits include the
# psycho-pedagogical and communicative groups shared with teachers).
EXTRA_AREAS = {Family.HEAD_DEFICITS: ("psycho_pedagogical", "communicative")}


class InstrumentError(AppError):
    """A refused change of an instrument."""


class InstrumentInvalidError(InstrumentError, InvalidError):
    """What was typed does not fit."""


# --- reads -------------------------------------------------------------------------------------------


def instruments_for_user(user, *, write: bool = False) -> QuerySet[Instrument]:
    """Shipped instruments and the district's own (read); only the district's own (write)."""
    if not can(user, BUILD if write else VIEW) or not getattr(user, "district_id", None):
        return Instrument.objects.none()
    own = Q(district_id=user.district_id)
    return Instrument.objects.filter(own if write else own | Q(district__isnull=True))


def with_counts(queryset: QuerySet[Instrument]) -> QuerySet[Instrument]:
    return queryset.annotate(item_count=Count("items", distinct=True),
                             campaign_count=Count("campaigns", distinct=True))


def is_answered(instrument: Instrument) -> bool:
    return Answer.objects.filter(item__instrument=instrument).exists()


def items_for(instrument: Instrument, level: str = "", profession: str = "") -> list[Item]:
    """The items of a variant (seed 004's «проекции»): those whose levels / professions are empty or contain the
    chosen value; a blank choice restricts nothing. Ordered by area, then position."""
    items = instrument.items.select_related("area").order_by("area__position", "position", "pk")
    return [item for item in items
            if (not level or not item.levels or level in item.levels)
            and (not profession or not item.professions or profession in item.professions)]


# Words of a registry position (Teacher.position) that name a profession «проекция»; the first match wins,
# a position naming none (e.g. «учитель математики») is a teacher's.
PROFESSION_WORDS = (
    ("психолог", Profession.PSYCHOLOGIST),
    ("логопед", Profession.SPEECH_THERAPIST),
    ("дефектолог", Profession.SPEECH_THERAPIST),
    ("социальный педагог", Profession.SOCIAL_PEDAGOGUE),
    ("тьютор", Profession.TUTOR),
    ("воспитатель", Profession.EDUCATOR),
)


def profession_of(position: str) -> str:
    text = (position or "").lower().replace("ё", "е")
    return next((profession for word, profession in PROFESSION_WORDS if word in text), Profession.TEACHER)


def areas_for(instrument: Instrument) -> QuerySet[Area]:
    return Area.objects.filter(Q(family=instrument.family) | Q(code__in=EXTRA_AREAS.get(instrument.family, ())))


# --- guards ------------------------------------------------------------------------------------------


def ensure_editable(instrument: Instrument) -> None:
    if instrument.district_id is None:
        raise InstrumentError(SHIPPED_MESSAGE)
    if is_answered(instrument):
        raise InstrumentError(FROZEN_MESSAGE, code="frozen")


def _locked(instrument: Instrument) -> Instrument:
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    ensure_editable(locked)
    return locked


def _clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise InstrumentInvalidError("Проверьте поля формы.", field_errors=error.message_dict) from error


# --- writes ------------------------------------------------------------------------------------------


@transaction.atomic
def instrument_copy(*, instrument: Instrument, user, new_code: str = "", title: str = "") -> Instrument:
    """A copy in the user's district: with `new_code` as version 1 of that code, otherwise as the next version
    of the same code (after the source's and the district's versions)."""
    district_id = user.district_id
    if new_code:
        if Instrument.objects.filter(district_id=district_id, code=new_code).exists():
            raise InstrumentInvalidError(CODE_TAKEN_MESSAGE, field_errors={"new_code": [CODE_TAKEN_MESSAGE]})
        code, version = new_code, 1
    else:
        code = instrument.code
        latest = Instrument.objects.filter(district_id=district_id, code=code).aggregate(v=Max("version"))["v"]
        version = max(instrument.version, latest or 0) + 1
    copy = Instrument(district_id=district_id, code=code, version=version, title=title or instrument.title,
                      family=instrument.family, audience=instrument.audience, description=instrument.description)
    _clean(copy)
    copy.save()
    Item.objects.bulk_create([
        Item(instrument=copy, area_id=item.area_id, position=item.position, text=item.text, scale=item.scale,
             levels=list(item.levels), professions=list(item.professions))
        for item in instrument.items.order_by("position", "pk")
    ])
    return copy


@transaction.atomic
def instrument_update(*, instrument: Instrument, title: str, description: str = "") -> Instrument:
    instrument = _locked(instrument)
    instrument.title, instrument.description = title, description
    _clean(instrument)
    instrument.save(update_fields=["title", "description"])
    return instrument


@dataclass
class ItemData:
    area: Area
    text: str
    scale: str
    levels: list
    professions: list
    position: int | None = None


@transaction.atomic
def item_save(*, instrument: Instrument, data: ItemData, item: Item | None = None) -> Item:
    """Create (item None) or change an item of a district's own, unanswered instrument."""
    instrument = _locked(instrument)
    if not areas_for(instrument).filter(pk=data.area.pk).exists():
        message = "Эта группа не относится к инструменту — выберите группу из списка."
        raise InstrumentInvalidError(message, field_errors={"area": [message]})
    if item is None:
        item = Item(instrument=instrument)
    if data.position is None:
        data.position = item.position or (instrument.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item.area, item.text, item.scale = data.area, data.text.strip(), data.scale
    item.levels, item.professions, item.position = list(data.levels), list(data.professions), data.position
    _clean(item)
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: Item) -> None:
    _locked(item.instrument)
    item.delete()
