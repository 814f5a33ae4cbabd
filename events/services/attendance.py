"""Attendance of an event, marked by a methodist of the district at the venue: the checklist of the registered,
walk-ins (a registry teacher or an external person), the QR check-in of a ticket, the pupils count and the
«проведено» mark. An event that was cancelled or has not happened yet takes no attendance.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from clusters.models import Event, EventStatus, Teacher
from core import search
from core.errors import ClosedError, ForbiddenError, InvalidError
from core.permissions import can

from ..models import Attendance, CheckInMethod, Registration, RegistrationStatus
from . import registration as registrations

ATTENDANCE = "events.attendance"
SEARCH_LIMIT = 20
MAX_PUPILS = 100_000


def events_for_attendance(user):
    if not can(user, ATTENDANCE):
        return Event.objects.none()
    return Event.objects.select_related("district").filter(district_id=user.district_id)


def refusal(event: Event) -> str:
    if event.status == EventStatus.CANCELLED:
        return "Мероприятие отменено: присутствие не отмечается."
    if event.held_on > timezone.localdate():
        return (f"Мероприятие ещё не состоялось ({event.held_on:%d.%m.%Y}): присутствие отмечается в день "
                "проведения и позже.")
    return ""


def _check(user, event: Event) -> None:
    if not can(user, ATTENDANCE) or event.district_id != user.district_id:
        raise ForbiddenError("Отмечать присутствие может методист района, который проводит мероприятие.")
    if message := refusal(event):
        raise ClosedError(message)


@dataclass
class Row:
    registration: Registration
    attendance: Attendance | None


def checklist(event: Event) -> tuple[list[Row], list[Attendance]]:
    """The registered (with their attendance, if marked) and the walk-ins, in two queries."""
    attendances = list(event.attendances.select_related("teacher", "teacher__organisation", "registration"))
    by_registration = {a.registration_id: a for a in attendances if a.registration_id}
    registered = (event.registrations.select_related("teacher", "teacher__organisation")
                  .filter(Q(status=RegistrationStatus.REGISTERED) | Q(pk__in=list(by_registration)))
                  .order_by("full_name", "teacher__full_name"))
    rows = [Row(r, by_registration.get(r.pk)) for r in registered]
    rows.sort(key=lambda row: row.registration.person_name)
    walkins = [a for a in attendances if a.registration_id is None]
    return rows, walkins


def summary(event: Event) -> dict:
    """Teachers (registry) and external participants present, pupils — for the event page's panel."""
    row = Attendance.objects.filter(event=event).aggregate(
        teachers=Count("pk", filter=Q(teacher__isnull=False)), external=Count("pk", filter=Q(teacher__isnull=True)))
    return {**row, "pupils": event.pupils_count, "total": row["teachers"] + row["external"]}


def _attend(event: Event, registration: Registration, user, method: str) -> tuple[Attendance, bool]:
    existing = Attendance.objects.filter(registration=registration).first()
    if existing is not None:
        return existing, False
    if registration.teacher_id:
        # A teacher added as a walk-in before the ticket was scanned: link the registration, keep one row.
        existing = Attendance.objects.filter(event=event, teacher_id=registration.teacher_id).first()
        if existing is not None:
            existing.registration = registration
            existing.save(update_fields=["registration"])
            return existing, False
    attendance = Attendance.objects.create(
        event=event, registration=registration, teacher_id=registration.teacher_id,
        full_name="" if registration.teacher_id else registration.full_name,
        organisation_name="" if registration.teacher_id else registration.organisation_name,
        method=method, checked_by=user)
    return attendance, True


def _registration(event: Event, registration_id) -> Registration:
    registration = Registration.objects.select_related("teacher").filter(event=event, pk=registration_id).first()
    if registration is None:
        raise InvalidError("Участник не найден в списке регистраций этого мероприятия.")
    if registration.status == RegistrationStatus.CANCELLED:
        raise InvalidError(f"Регистрация участника {registration.person_name} отменена.")
    return registration


def set_present(*, user, event: Event, registration_id, present: bool) -> Registration:
    """Mark (or unmark) one registered person present — the per-person toggle of the checklist."""
    _check(user, event)
    with transaction.atomic():
        registration = _registration(event, registration_id)
        if present:
            _attend(event, registration, user, CheckInMethod.LIST)
        else:
            Attendance.objects.filter(event=event, registration=registration).delete()
    return registration


def save_checklist(*, user, event: Event, present_ids: set[int]) -> tuple[int, int]:
    """The whole checklist at once: the ticked registrations are present, the others not. Returns (added,
    removed)."""
    _check(user, event)
    with transaction.atomic():
        rows, _ = checklist(event)
        known = {row.registration.pk for row in rows}
        if present_ids - known:
            raise InvalidError("В списке отмечен участник, которого нет среди зарегистрированных.")
        added = removed = 0
        for row in rows:
            ticked = row.registration.pk in present_ids
            if ticked and row.attendance is None:
                added += _attend(event, row.registration, user, CheckInMethod.LIST)[1]
            elif not ticked and row.attendance is not None:
                row.attendance.delete()
                removed += 1
    return added, removed


def search_teachers(event: Event, text: str):
    """Active teachers of the event's district whose search text holds every word typed (core/search.py: any
    case, «ё» = «е», any order)."""
    if not search.words(text):
        return Teacher.objects.none()
    qs = Teacher.objects.select_related("organisation").filter(organisation__district_id=event.district_id,
                                                              is_active=True)
    return search.matching(qs, text).order_by("full_name")[:SEARCH_LIMIT]


def add_teacher(*, user, event: Event, teacher_id) -> Attendance:
    """A registry teacher who came without registration (or whose registration is linked now)."""
    _check(user, event)
    teacher = Teacher.objects.filter(pk=teacher_id, organisation__district_id=event.district_id).first()
    if teacher is None:
        raise InvalidError("Педагог не найден среди педагогов района.")
    with transaction.atomic():
        registration = event.registrations.filter(teacher=teacher).exclude(
            status=RegistrationStatus.CANCELLED).first()
        if Attendance.objects.filter(event=event, teacher=teacher).exists():
            raise InvalidError(f"{teacher.full_name} уже отмечен(а) как присутствующий(ая).")
        if registration is not None:
            return _attend(event, registration, user, CheckInMethod.LIST)[0]
        return Attendance.objects.create(event=event, teacher=teacher, method=CheckInMethod.LIST, checked_by=user)


def add_external(*, user, event: Event, full_name: str, organisation_name: str) -> Attendance:
    _check(user, event)
    full_name, organisation_name = " ".join(full_name.split()), " ".join(organisation_name.split())
    errors = {}
    if len(full_name.split()) < 2:
        errors["full_name"] = ["Укажите фамилию и имя участника (не меньше двух слов)."]
    if not organisation_name:
        errors["organisation_name"] = ["Укажите организацию участника."]
    if errors:
        raise InvalidError("Проверьте данные участника.", field_errors=errors)
    if len(full_name) > 300 or len(organisation_name) > 500:
        raise InvalidError("Слишком длинное ФИО или название организации.")
    try:
        with transaction.atomic():
            return Attendance.objects.create(event=event, full_name=full_name, organisation_name=organisation_name,
                                             method=CheckInMethod.LIST, checked_by=user)
    except IntegrityError:
        raise InvalidError("Участника не удалось добавить.") from None


def remove_walkin(*, user, event: Event, attendance_id) -> None:
    _check(user, event)
    deleted, _ = Attendance.objects.filter(event=event, pk=attendance_id, registration__isnull=True).delete()
    if not deleted:
        raise InvalidError("Участник не найден среди пришедших без регистрации.")


def set_pupils(*, user, event: Event, value: str) -> int:
    _check(user, event)
    try:
        count = int(str(value).strip())
    except ValueError:
        raise InvalidError("Число обучающихся — целое число, например 180.") from None
    if not 0 <= count <= MAX_PUPILS:
        raise InvalidError(f"Число обучающихся — от 0 до {MAX_PUPILS}.")
    Event.objects.filter(pk=event.pk).update(pupils_count=count)
    event.pupils_count = count
    return count


def mark_held(*, user, event: Event) -> None:
    _check(user, event)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD)
    event.status = EventStatus.HELD


class TicketNotFound(InvalidError):
    code = "not_found"


@dataclass
class CheckIn:
    registration: Registration
    created: bool


def check_in(*, user, token: str) -> CheckIn:
    """The QR at the venue: the ticket's person is marked present (method qr). Refused: an unknown ticket, a
    ticket of another district's event, a cancelled or waiting registration, an event that takes no attendance."""
    registration = registrations.registration_by_ticket(token)
    if registration is None:
        raise TicketNotFound("Билет не найден: он недействителен или был заменён новым. Отметьте участника по списку.")
    event = registration.event
    if event.district_id != user.district_id:
        raise ForbiddenError("Это билет на мероприятие другого района: отметить участника может методист того района.")
    if registration.status == RegistrationStatus.CANCELLED:
        raise InvalidError(f"Регистрация участника {registration.person_name} отменена.")
    if registration.status == RegistrationStatus.WAITLISTED:
        raise InvalidError(f"{registration.person_name} в листе ожидания: места не было. Если место есть, добавьте "
                           "участника на странице присутствия.")
    _check(user, event)
    with transaction.atomic():
        _, created = _attend(event, registration, user, CheckInMethod.QR)
    return CheckIn(registration, created)
