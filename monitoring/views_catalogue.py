"""The indicator catalogue screens: programmes, their periods and indicators.

Who may do what (capabilities of core/permissions.py, the district from monitoring/selectors.py):
* «monitoring.edit» (methodists) creates and changes programmes of the district, periods and indicators;
* «monitoring.view» (also directors and observers) opens the catalogue page read-only; write screens are 403;
* other roles are refused (403); another district's programme is a 404.

A period with values and an indicator with values are not deleted (the screen says why), and an
indicator with values keeps its unit (IndicatorForm).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import ordering
from core.permissions import can, require

from . import selectors
from .forms_catalogue import (
    IndicatorForm,
    PeriodForm,
    ProgrammeForm,
    indicator_delete_refusal,
    next_period_proposal,
    period_delete_refusal,
)
from .models import Indicator, Period, PeriodApproval, Programme


def _data(request):
    """The posted data, or None for GET (an empty POST is still a bound, invalid form)."""
    return request.POST if request.method == "POST" else None


def _catalogue_url(programme: Programme, anchor: str = "") -> str:
    return reverse("monitoring:catalogue", args=[programme.pk]) + (f"#{anchor}" if anchor else "")


def _programme(request, pk: int, *, write: bool) -> Programme:
    require(request.user, "monitoring.edit" if write else "monitoring.view")
    return selectors.programme_get_for_user(user=request.user, pk=pk)


def _period(request, pk: int, period_pk: int) -> Period:
    programme = _programme(request, pk, write=True)
    return get_object_or_404(programme.periods.select_related("programme__district"), pk=period_pk)


def _indicator(request, pk: int, indicator_pk: int) -> Indicator:
    programme = _programme(request, pk, write=True)
    return get_object_or_404(programme.indicators.select_related("programme__district"), pk=indicator_pk)


# --- the catalogue page --------------------------------------------------------------------------


def catalogue(request, pk: int):
    """Periods and indicators of one programme, with how many values each holds."""
    programme = _programme(request, pk, write=False)
    approved = PeriodApproval.objects.filter(period=OuterRef("pk"), revoked_at__isnull=True)
    periods = programme.periods.annotate(value_count=Count("values"), approved=Exists(approved)).order_by("ends_on")
    indicators = list(programme.indicators.annotate(value_count=Count("values")).order_by("position", "pk"))
    can_edit = can(request.user, "monitoring.edit")
    return render(request, "monitoring/catalogue/catalogue.html", {
        "programme": programme, "periods": periods, "indicators": indicators, "can_edit": can_edit,
        "proposal": next_period_proposal(programme) if can_edit else None,
    })


# --- programmes ----------------------------------------------------------------------------------


def programme_create(request):
    require(request.user, "monitoring.edit")
    if not request.user.district_id:
        raise PermissionDenied("Учётная запись не привязана к району — программу создать нельзя.")
    return _programme_form(request, Programme())


def programme_update(request, pk: int):
    return _programme_form(request, _programme(request, pk, write=True))


def _programme_form(request, programme: Programme):
    creating = programme.pk is None
    form = ProgrammeForm(_data(request), instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        messages.success(request, f"Программа «{programme.name}» {'создана' if creating else 'сохранена'}."
                         + (" Добавьте её периоды и показатели." if creating else ""))
        return redirect(_catalogue_url(programme))
    cancel = reverse("monitoring:programme_list") if creating else _catalogue_url(programme)
    return render(request, "monitoring/catalogue/form.html", {
        "form": form, "programme": None if creating else programme, "cancel_url": cancel,
        "title": "Новая программа мониторинга" if creating else "Изменение программы",
    })


# --- periods -------------------------------------------------------------------------------------


def period_create(request, pk: int):
    """A new period; `?next=1` (the «Добавить следующий период» button) proposes the one after the last."""
    programme = _programme(request, pk, write=True)
    initial = {}
    if request.GET.get("next"):
        proposal = next_period_proposal(programme)
        initial = {"label": proposal.label, "starts_on": proposal.starts_on, "ends_on": proposal.ends_on}
    return _period_form(request, programme, Period(), initial)


def period_update(request, pk: int, period_pk: int):
    period = _period(request, pk, period_pk)
    return _period_form(request, period.programme, period, {})


def _period_form(request, programme: Programme, period: Period, initial: dict):
    creating = period.pk is None
    form = PeriodForm(_data(request), instance=period, initial=initial, programme=programme)
    if request.method == "POST" and form.is_valid():
        period = form.save()
        messages.success(request, f"Период «{period.label}» {'добавлен' if creating else 'сохранён'}.")
        return redirect(_catalogue_url(programme, "periods"))
    return render(request, "monitoring/catalogue/form.html", {
        "form": form, "programme": programme, "cancel_url": _catalogue_url(programme, "periods"),
        "title": "Новый период" if creating else f"Изменение периода «{period.label}»",
        "proposed": bool(initial),
    })


def period_delete(request, pk: int, period_pk: int):
    period = _period(request, pk, period_pk)
    return _delete(request, period, period.programme, period_delete_refusal, "periods",
                   f"Период «{period.label}» удалён.", f"период «{period.label}»")


# --- indicators ----------------------------------------------------------------------------------


def indicator_create(request, pk: int):
    programme = _programme(request, pk, write=True)
    return _indicator_form(request, programme, Indicator())


def indicator_update(request, pk: int, indicator_pk: int):
    indicator = _indicator(request, pk, indicator_pk)
    return _indicator_form(request, indicator.programme, indicator)


def _indicator_form(request, programme: Programme, indicator: Indicator):
    creating = indicator.pk is None
    form = IndicatorForm(_data(request), instance=indicator, programme=programme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            indicator = form.save(commit=False)
            if creating:
                # A new indicator goes last; positions may have gaps (demo data uses 10, 20 …).
                last = programme.indicators.aggregate(last=Max("position"))["last"]
                indicator.position = 0 if last is None else last + 1
            indicator.save()
        messages.success(request, f"Показатель «{indicator.code}» {'добавлен' if creating else 'сохранён'}.")
        return redirect(_catalogue_url(programme, f"indicator-{indicator.pk}"))
    return render(request, "monitoring/catalogue/indicator_form.html", {
        "form": form, "programme": programme, "indicator": None if creating else indicator,
        "cancel_url": _catalogue_url(programme, "indicators"),
        "title": "Новый показатель" if creating else f"Изменение показателя «{indicator.code}»",
    })


def indicator_delete(request, pk: int, indicator_pk: int):
    indicator = _indicator(request, pk, indicator_pk)
    return _delete(request, indicator, indicator.programme, indicator_delete_refusal, "indicators",
                   f"Показатель «{indicator.code}» удалён.", f"показатель «{indicator.code}»")


@require_POST
def indicator_move(request, pk: int, indicator_pk: int):
    """One step up or down in the programme's order (tables, справки, the plan/fact grid)."""
    indicator = _indicator(request, pk, indicator_pk)
    programme = indicator.programme
    try:
        ordering.move(programme.indicators.all(), indicator, request.POST.get("direction", ""),
                      first="Показатель уже первый.", last="Показатель уже последний.",
                      unknown="Неизвестное направление перемещения.")
    except ordering.MoveError as error:
        messages.error(request, str(error))
    return redirect(_catalogue_url(programme, f"indicator-{indicator.pk}"))


# --- deleting ------------------------------------------------------------------------------------


def _delete(request, obj, programme: Programme, refusal, anchor: str, done: str, what: str):
    """GET: the confirmation, or why it is refused. POST: delete unless refused (checked under a lock)."""
    if request.method == "POST":
        with transaction.atomic():
            # The row lock makes a value saved meanwhile wait (its foreign key check) or be seen.
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
            reason = refusal(locked)
            if reason is None:
                locked.delete()
        if reason:
            messages.error(request, reason)
        else:
            messages.success(request, done)
        return redirect(_catalogue_url(programme, anchor))
    return render(request, "monitoring/catalogue/confirm_delete.html", {
        "programme": programme, "object": obj, "what": what, "refusal": refusal(obj),
        "cancel_url": _catalogue_url(programme, anchor),
    })
