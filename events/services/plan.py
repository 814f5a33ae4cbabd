"""Write side of the annual plan: saving an event (with its public page code), status changes with their
refusals, the district's own forms, and the plan as XLSX and PDF."""
from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from clusters.models import DistrictEventForm, Event, EventStatus, MethodCentre
from core import formatting, xlsx
from core.errors import ConflictError, InvalidError

from .. import selectors

PUBLIC_CODE_BYTES = 16  # token_urlsafe(16) is 22 characters, within the field's 24


def new_public_code() -> str:
    """A fresh code for the public page /e/<code>/ that no other event holds."""
    while True:
        code = secrets.token_urlsafe(PUBLIC_CODE_BYTES)[:24]
        if not Event.objects.filter(public_code=code).exists():
            return code


def ensure_public_code(event: Event) -> None:
    """An event open to people outside the registry gets its public code once; the code is kept when the
    switch goes off, so a link already sent works again when it is switched back on."""
    if event.public_registration and not event.public_code:
        event.public_code = new_public_code()


@transaction.atomic
def save_event(form) -> Event:
    """Save a valid PlanEventForm: the form choice, the public code, the organisers."""
    form.apply_form_choice()
    event = form.save(commit=False)
    ensure_public_code(event)
    event.save()
    form.save_m2m()
    return event


# --- status ------------------------------------------------------------------------------------

ACTIONS = {
    "held": "провести",
    "cancel": "отменить",
    "plan": "вернуть в план",
}


def change_status(event: Event, action: str, *, today: datetime.date | None = None) -> str:
    """Apply a status action; returns the success message or raises an AppError saying why not."""
    today = today or timezone.localdate()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if action == "held":
            if event.status == EventStatus.HELD:
                raise ConflictError("Мероприятие уже отмечено как проведённое.")
            if event.status == EventStatus.CANCELLED:
                raise InvalidError("Отменённое мероприятие нельзя отметить проведённым: сначала верните его в план.")
            if event.held_on > today:
                raise InvalidError(f"Мероприятие назначено на {formatting.date(event.held_on)} — отметить его "
                                   "проведённым можно в день проведения или позже.")
            event.status = EventStatus.HELD
            message = "Мероприятие отмечено как проведённое."
        elif action == "cancel":
            if event.status == EventStatus.CANCELLED:
                raise ConflictError("Мероприятие уже отменено.")
            if event.status == EventStatus.HELD:
                raise InvalidError("Проведённое мероприятие нельзя отменить. Если отметка ошибочна, сначала "
                                   "верните его в план.")
            event.status = EventStatus.CANCELLED
            message = "Мероприятие отменено."
        elif action == "plan":
            if event.status == EventStatus.PLANNED:
                raise ConflictError("Мероприятие и так в плане.")
            if event.status == EventStatus.HELD:
                _refuse_unheld_with_records(event)
            event.status = EventStatus.PLANNED
            message = "Мероприятие возвращено в план."
        else:
            raise InvalidError("Неизвестное действие со статусом мероприятия.")
        event.save(update_fields=["status"])
    return message


def _refuse_unheld_with_records(event: Event) -> None:
    """A held event with attendance or certificates stays held: those records say it took place."""
    from ..models import Attendance, Certificate

    attended = Attendance.objects.filter(event=event).count()
    certificates = Certificate.objects.filter(event=event).count()
    if attended or certificates:
        parts = []
        if attended:
            parts.append(f"отмечено присутствие ({formatting.count_phrase(attended, 'участник', 'участника', 'участников')})")
        if certificates:
            parts.append(f"выданы сертификаты ({certificates})")
        raise InvalidError("Нельзя вернуть в план проведённое мероприятие: " + " и ".join(parts) + ".")


# --- the district's own forms ------------------------------------------------------------------


def delete_district_form(form: DistrictEventForm) -> None:
    """Delete a district's form no event uses; otherwise say which and how many."""
    with transaction.atomic():
        used = Event.objects.filter(custom_form=form)
        count = used.count()
        if count:
            titles = ", ".join(f"«{t}»" for t in used.order_by("-held_on").values_list("title", flat=True)[:3])
            more = " и другие" if count > 3 else ""
            raise InvalidError(
                f"Нельзя удалить форму «{form.name}»: её используют "
                f"{formatting.count_phrase(count, 'мероприятие', 'мероприятия', 'мероприятий')} ({titles}{more}). "
                "Сначала выберите этим мероприятиям другую форму.")
        form.delete()


# --- exports -----------------------------------------------------------------------------------


def time_text(value: datetime.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


# The export has the import's headers (events/imports.py) first, so an exported plan loads back unchanged;
# «Статус» and «Результат» follow (the import ignores columns it does not know).
def plan_columns() -> tuple[xlsx.XlsxColumn, ...]:
    return (
        xlsx.XlsxColumn("Дата", lambda e: e.held_on, width=12),
        xlsx.XlsxColumn("Время начала", lambda e: time_text(e.starts_at), width=10, text=True),
        xlsx.XlsxColumn("Время окончания", lambda e: time_text(e.ends_at), width=10, text=True),
        xlsx.XlsxColumn("Мероприятие", "title", width=48),
        xlsx.XlsxColumn("Форма", "form_label", width=24),
        xlsx.XlsxColumn("Уровень", "get_level_display", width=10),
        xlsx.XlsxColumn("Организатор", lambda e: "; ".join(selectors.organiser_names(e)), width=32),
        xlsx.XlsxColumn("Аудитория", "audience", width=28),
        xlsx.XlsxColumn("Место", "place", width=32),
        xlsx.XlsxColumn("Ссылка", "online_url", width=28),
        xlsx.XlsxColumn("Мест", "capacity", width=8),
        xlsx.XlsxColumn("Часов", "hours", width=8),
        xlsx.XlsxColumn("Статус", "get_status_display", width=14),
        xlsx.XlsxColumn("Результат", "result", width=40),
    )


def plan_xlsx(events: list[Event], year: int) -> bytes:
    columns = plan_columns()
    return xlsx.build_workbook(columns, xlsx.export_rows(columns, events), sheet_title=f"План {year}")


def plan_pdf_context(district, events: list[Event], year: int) -> dict:
    centre = MethodCentre.objects.filter(district=district).first()
    rows = []
    number = 0
    for month in selectors.by_month(events):
        rows.append({"month": month.name})
        for event in month.events:
            number += 1
            rows.append({"number": number, "event": event, "organisers": selectors.organiser_names(event),
                         "when": _when(event)})
    return {"year": year, "centre": centre, "district": district, "rows": rows, "count": number,
            "document_title": f"План мероприятий на {year} год"}


def _when(event: Event) -> str:
    text = formatting.date(event.held_on)
    if event.starts_at:
        text += f", {time_text(event.starts_at)}"
        if event.ends_at:
            text += f"–{time_text(event.ends_at)}"
    return text


def render_plan_pdf(district, events: list[Event], year: int) -> bytes:
    from reports.rendering import render_pdf

    return render_pdf("events/pdf/plan.html", plan_pdf_context(district, events, year))
