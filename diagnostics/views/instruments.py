"""Diagnostic instruments: list, page (items by area), copy, title form, item forms, item delete.

Who may do what: methodists and directors read (diagnostics.view) the shipped instruments and their district's
own; methodists (diagnostics.build) copy any of them into the district and edit the district's own; another
district's instrument is a 404. Shipped and answered instruments go back to their page with the reason.
"""
from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import apply_to_form
from core.permissions import can, require

from ..forms_instruments import CopyForm, InstrumentForm, ItemForm
from ..models import EducationLevel, Instrument, Item, Profession
from ..services import instruments as service
from ..services.instruments import BUILD, VIEW, InstrumentError, ItemData

LEVELS = dict(EducationLevel.choices)
PROFESSIONS = dict(Profession.choices)


def _instrument(request, pk: int, *, write: bool = False) -> Instrument:
    """Readable: shipped or own; writable: own only (a shipped one is readable, so it answers with its page)."""
    require(request.user, BUILD if write else VIEW)
    return get_object_or_404(service.instruments_for_user(request.user).select_related("district"), pk=pk)


def _item(request, pk: int) -> Item:
    require(request.user, BUILD)
    return get_object_or_404(Item.objects.select_related("instrument", "area"), pk=pk,
                             instrument__in=service.instruments_for_user(request.user))


def _detail_url(instrument: Instrument) -> str:
    return reverse("diagnostics:instrument_detail", args=[instrument.pk])


def _refusal(request, instrument: Instrument) -> HttpResponseRedirect | None:
    try:
        service.ensure_editable(instrument)
    except InstrumentError as error:
        messages.error(request, str(error))
        return redirect(_detail_url(instrument))
    return None


def instrument_list(request):
    require(request.user, VIEW)
    instruments = service.with_counts(service.instruments_for_user(request.user)).order_by(
        "district_id", "family", "code", "-version")
    return render(request, "diagnostics/instrument_list.html", {
        "instruments": instruments, "can_build": can(request.user, BUILD),
    })


def _variant(item: Item) -> str:
    parts = [LEVELS.get(v, v) for v in item.levels] + [PROFESSIONS.get(v, v) for v in item.professions]
    return ", ".join(parts)


def instrument_detail(request, pk: int):
    instrument = _instrument(request, pk)
    items = list(instrument.items.select_related("area").order_by("area__position", "position", "pk"))
    groups = [(area, [(item, _variant(item)) for item in area_items])
              for area, area_items in groupby(items, key=lambda item: item.area)]
    answered = service.is_answered(instrument)
    can_build = can(request.user, BUILD)
    return render(request, "diagnostics/instrument_detail.html", {
        "instrument": instrument, "groups": groups, "item_count": len(items), "answered": answered,
        "can_build": can_build, "can_edit": can_build and instrument.district_id is not None and not answered,
        "copy_form": CopyForm(), "frozen_message": service.FROZEN_MESSAGE,
        "campaign_count": instrument.campaigns.count(),
    })


@require_POST
def instrument_copy(request, pk: int):
    instrument = _instrument(request, pk, write=True)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            copy = service.instrument_copy(instrument=instrument, user=request.user, **form.cleaned_data)
        except InstrumentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Создана копия: {copy}. Её можно менять.")
            return redirect(_detail_url(copy))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(_detail_url(instrument))


def instrument_update(request, pk: int):
    instrument = _instrument(request, pk, write=True)
    if refusal := _refusal(request, instrument):
        return refusal
    form = InstrumentForm(request.POST or None, instance=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            service.instrument_update(instrument=instrument, **form.cleaned_data)
        except InstrumentError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(_detail_url(instrument))
    return render(request, "diagnostics/instrument_form.html", {
        "form": form, "title": "Инструмент: название и описание", "instrument": instrument,
        "cancel_url": _detail_url(instrument),
    })


def _item_form(request, instrument: Instrument, item: Item | None):
    if refusal := _refusal(request, instrument):
        return refusal
    form = ItemForm(request.POST or None, instance=item, areas=service.areas_for(instrument))
    if request.method == "POST" and form.is_valid():
        data = ItemData(**form.cleaned_data)
        try:
            service.item_save(instrument=instrument, data=data, item=item)
        except InstrumentError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, "Утверждение сохранено.")
            return redirect(_detail_url(instrument))
    return render(request, "diagnostics/instrument_form.html", {
        "form": form, "title": "Новое утверждение" if item is None else "Утверждение", "instrument": instrument,
        "cancel_url": _detail_url(instrument),
    })


def item_create(request, pk: int):
    return _item_form(request, _instrument(request, pk, write=True), None)


def item_update(request, pk: int):
    item = _item(request, pk)
    return _item_form(request, item.instrument, item)


def item_delete(request, pk: int):
    item = _item(request, pk)
    instrument = item.instrument
    if refusal := _refusal(request, instrument):
        return refusal
    if request.method == "POST":
        try:
            service.item_delete(item=item)
        except InstrumentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Утверждение удалено.")
        return redirect(_detail_url(instrument))
    return render(request, "diagnostics/instrument_item_delete.html", {
        "item": item, "instrument": instrument, "cancel_url": _detail_url(instrument),
    })
