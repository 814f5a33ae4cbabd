"""Registrations on an event: a school's teachers (their school administrator or a methodist of the district)
and people outside the registry (the public page /e/<code>/), the capacity and the waiting list, tickets.

Every change runs in one transaction holding a row lock on the event (select_for_update), so two requests
for the last place are serialised: the second one sees the first one's registration and goes to the waiting
list. A cancellation promotes the first ones waiting (by registration time) while places are free.

Tickets: each registration gets a random token; only its sha256 is stored (ticket_hash), so a ticket is shown
once — in the confirmation mail or on the printable list, which issues fresh tokens (the old ones stop working).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from clusters.models import Event, EventStatus, Teacher
from core.errors import ClosedError, ForbiddenError, InvalidError
from core.links import absolute_url
from core.outbox import mail_enqueue
from core.permissions import can

from ..models import Registration, RegistrationStatus

REGISTERED, WAITLISTED, CANCELLED = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED,
                                     RegistrationStatus.CANCELLED)
SCHOOL, DISTRICT = "events.register", "events.plan"  # school administrators; methodists (any district teacher)

CONSENT_TEXT = (
    "Я даю согласие информационно-методическому центру района (оператор персональных данных) на обработку "
    "моих персональных данных — фамилии, имени, отчества, места работы и адреса электронной почты — в "
    "соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» с целью регистрации "
    "на мероприятие, учёта присутствия, направления мне подтверждения, напоминания и сертификата участника. "
    "Данные хранятся в течение календарного года, следующего за годом проведения мероприятия, и затем "
    "удаляются; они не передаются третьим лицам и не публикуются. Согласие можно отозвать, написав в ИМЦ.")


# --- tickets -------------------------------------------------------------------------------------------------

def new_ticket() -> str:
    return secrets.token_urlsafe(24)


def hash_ticket(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def ticket_url(token: str) -> str:
    return absolute_url(reverse("events:checkin", args=[token]))


def registration_by_ticket(token: str) -> Registration | None:
    return (Registration.objects.select_related("event", "event__district", "teacher", "teacher__organisation")
            .filter(ticket_hash=hash_ticket(token)).first())


# --- scope ---------------------------------------------------------------------------------------------------

def user_district_id(user) -> int | None:
    if getattr(user, "organisation_id", None):
        return user.organisation.district_id
    return getattr(user, "district_id", None)


def events_for_registration(user):
    """Events a school administrator or a methodist may register teachers on: those of their district."""
    if not (can(user, SCHOOL) or can(user, DISTRICT)):
        return Event.objects.none()
    return Event.objects.select_related("district").filter(district_id=user_district_id(user))


def registrations_visible_to(user, event: Event):
    """A school administrator sees only their own teachers; methodists, the director, observers — everybody."""
    qs = event.registrations.select_related("teacher", "teacher__organisation").exclude(status=CANCELLED)
    if can(user, SCHOOL):
        return qs.filter(teacher__organisation_id=user.organisation_id)
    return qs


def refusal(event: Event, *, public: bool = False) -> str:
    """Why the event takes no registrations now (Russian), or ''."""
    if event.status == EventStatus.CANCELLED:
        return "Мероприятие отменено: регистрация не проводится."
    if event.status == EventStatus.HELD:
        return "Мероприятие уже проведено: регистрация закрыта."
    if event.held_on < timezone.localdate():
        return "Мероприятие уже прошло: регистрация закрыта."
    if not event.registration_open or (public and not event.public_registration):
        return "Регистрация на мероприятие закрыта."
    return ""


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _registered_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=REGISTERED).count()


def _place_status(event: Event, registered: int) -> str:
    return REGISTERED if event.capacity is None or registered < event.capacity else WAITLISTED


def counts(event: Event) -> dict:
    """registered / waitlisted / capacity / free of one event, in one query."""
    row = Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=REGISTERED)), waitlisted=Count("pk", filter=Q(status=WAITLISTED)))
    free = None if event.capacity is None else max(event.capacity - row["registered"], 0)
    return {**row, "capacity": event.capacity, "free": free}


# --- registry teachers ---------------------------------------------------------------------------------------

@dataclass
class TeachersResult:
    registered: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)
    tickets: dict[int, str] = field(default_factory=dict)  # registration pk → ticket token


def _teachers_allowed(user, event: Event, teacher_ids: list[int]) -> list[Teacher]:
    if len(set(teacher_ids)) != len(teacher_ids):
        raise InvalidError("Один и тот же педагог выбран дважды.")
    teachers = {t.pk: t for t in Teacher.objects.select_related("organisation").filter(pk__in=teacher_ids)}
    if len(teachers) != len(teacher_ids):
        raise InvalidError("Педагог не найден в реестре.")
    result = []
    for pk in teacher_ids:
        teacher = teachers[pk]
        if can(user, SCHOOL):
            if teacher.organisation_id != user.organisation_id:
                raise ForbiddenError(f"{teacher.full_name} — педагог другой организации: регистрировать можно "
                                     "только педагогов своей организации.")
        elif teacher.organisation.district_id != event.district_id:
            raise ForbiddenError(f"{teacher.full_name} — педагог другого района.")
        if not teacher.is_active:
            raise InvalidError(f"{teacher.full_name} не работает в организации: регистрация невозможна.")
        result.append(teacher)
    return result


def register_teachers(*, user, event: Event, teacher_ids: list[int]) -> TeachersResult:
    """Register the teachers (in the order given); beyond the capacity they go to the waiting list."""
    if not teacher_ids:
        raise InvalidError("Отметьте педагогов, которых нужно зарегистрировать.")
    if event.district_id != user_district_id(user) or not (can(user, SCHOOL) or can(user, DISTRICT)):
        raise ForbiddenError("Регистрировать на мероприятия другого района нельзя.")
    result = TeachersResult()
    with transaction.atomic():
        event = _lock(event)
        if message := refusal(event):
            raise ClosedError(message)
        teachers = _teachers_allowed(user, event, teacher_ids)
        existing = {r.teacher_id: r for r in Registration.objects.filter(event=event, teacher__in=teachers)}
        taken = [existing[t.pk].teacher.full_name for t in teachers
                 if t.pk in existing and existing[t.pk].status != CANCELLED]
        if taken:
            raise InvalidError("Уже зарегистрированы на это мероприятие: " + ", ".join(taken) + ".")
        registered = _registered_count(event)
        now = timezone.now()
        for teacher in teachers:
            status = _place_status(event, registered)
            registered += status == REGISTERED
            token = new_ticket()
            registration = _save(existing.get(teacher.pk), event=event, teacher=teacher, status=status,
                                 registered_by=user, ticket_hash=hash_ticket(token), now=now)
            result.tickets[registration.pk] = token
            (result.registered if status == REGISTERED else result.waitlisted).append(registration)
            if teacher.email:
                _confirmation_mail(registration, token)
    return result


def _save(previous: Registration | None, *, now, **values) -> Registration:
    """A new registration, or a cancelled one of the same person taken up again (the unique constraints keep one
    row per person): its time is now, so it joins the end of the waiting list."""
    if previous is None:
        return Registration.objects.create(**values)
    for name, value in values.items():
        setattr(previous, name, value)
    previous.created_at = now
    previous.reminded_at = None
    previous.save()
    return previous


def cancel(*, user, registration: Registration) -> Registration | None:
    """Cancel a registration; returns the first promoted from the waiting list, if any."""
    if can(user, SCHOOL):
        if registration.teacher_id is None or registration.teacher.organisation_id != user.organisation_id:
            raise ForbiddenError("Отменить можно только регистрацию педагога своей организации.")
    elif not (can(user, DISTRICT) and registration.event.district_id == user_district_id(user)):
        raise ForbiddenError("Отменить эту регистрацию нельзя.")
    with transaction.atomic():
        event = _lock(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == CANCELLED:
            raise InvalidError("Регистрация уже отменена.")
        if event.status != EventStatus.PLANNED or event.held_on < timezone.localdate():
            raise ClosedError("Мероприятие уже проведено или отменено: регистрации не меняются.")
        registration.status = CANCELLED
        registration.save(update_fields=["status"])
        promoted = promote_waiting(event)
    return promoted[0] if promoted else None


def promote_waiting(event: Event) -> list[Registration]:
    """Move the first ones waiting (by registration time) into the free places; the caller holds the event's
    lock. Each promoted person with an e-mail is told."""
    if event.capacity is None:
        free = Registration.objects.filter(event=event, status=WAITLISTED).count()
    else:
        free = event.capacity - _registered_count(event)
    if free <= 0:
        return []
    waiting = list(Registration.objects.filter(event=event, status=WAITLISTED)
                   .select_related("teacher").order_by("created_at", "pk")[:free])
    Registration.objects.filter(pk__in=[r.pk for r in waiting]).update(status=REGISTERED)
    for registration in waiting:
        registration.status = REGISTERED
        email = registration.teacher.email if registration.teacher_id else registration.email
        if email:
            mail_enqueue(subject=f"Место подтверждено: {event.title}", body=_promoted_body(event, registration),
                         to=[email], dedup_key=f"event-promoted:{registration.pk}:{registration.created_at.timestamp():.0f}")
    return waiting


# --- the public page -----------------------------------------------------------------------------------------

def public_event(code: str) -> Event | None:
    return (Event.objects.select_related("district", "custom_form")
            .filter(public_code=code, public_registration=True).first())


def register_external(*, event: Event, full_name: str, organisation_name: str, email: str,
                      consent: bool) -> tuple[Registration, str]:
    """A person outside the registry registers on the public page; returns the registration and its ticket."""
    full_name, organisation_name = " ".join(full_name.split()), " ".join(organisation_name.split())
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    if len(full_name) < 5 or len(full_name.split()) < 2:
        errors["full_name"] = ["Укажите фамилию, имя и отчество (не меньше двух слов)."]
    if not organisation_name:
        errors["organisation_name"] = ["Укажите организацию, в которой вы работаете."]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Укажите действующий адрес электронной почты, например ivanova@school.ru."]
    if not consent:
        errors["consent"] = ["Без согласия на обработку персональных данных зарегистрироваться нельзя."]
    if errors:
        raise InvalidError("Проверьте заполнение формы.", field_errors=errors)
    with transaction.atomic():
        event = _lock(event)
        if message := refusal(event, public=True):
            raise ClosedError(message)
        previous = Registration.objects.filter(event=event, teacher__isnull=True, email=email).first()
        if previous is not None and previous.status != CANCELLED:
            raise InvalidError("Этот адрес электронной почты уже зарегистрирован на мероприятие. Письмо с "
                               "подтверждением отправлено на него при регистрации.",
                               field_errors={"email": ["Этот адрес уже зарегистрирован на мероприятие."]})
        now = timezone.now()
        status = _place_status(event, _registered_count(event))
        token = new_ticket()
        registration = _save(previous, event=event, teacher=None, full_name=full_name,
                             organisation_name=organisation_name, email=email, status=status, registered_by=None,
                             consent_at=now, ticket_hash=hash_ticket(token), now=now)
        _confirmation_mail(registration, token)
    return registration, token


# --- mails ---------------------------------------------------------------------------------------------------

def event_when_where(event: Event) -> str:
    when = f"{event.held_on:%d.%m.%Y}"
    if event.starts_at:
        when += f", {event.starts_at:%H:%M}"
        if event.ends_at:
            when += f"–{event.ends_at:%H:%M}"
    where = event.place or ""
    if event.online_url:
        where = f"{where}; онлайн: {event.online_url}" if where else f"онлайн: {event.online_url}"
    return f"Когда: {when}\n" + (f"Где: {where}\n" if where else "")


def _confirmation_mail(registration: Registration, token: str) -> None:
    event = registration.event
    name = registration.person_name
    if registration.status == REGISTERED:
        state = "Вы зарегистрированы на мероприятие"
    else:
        state = ("Все места заняты: вы в листе ожидания на мероприятие. Если место освободится, мы сообщим "
                 "об этом письмом")
    keep = ("Сохраните это письмо: покажите ссылку или её QR-код методисту при входе.\n"
            if registration.status == REGISTERED else "Билет начнёт действовать, когда место будет подтверждено.\n")
    body = (f"Здравствуйте, {name}!\n\n{state} «{event.title}».\n{event_when_where(event)}\n"
            f"Ваш билет (QR-код для отметки на входе): {ticket_url(token)}\n{keep}")
    email = registration.teacher.email if registration.teacher_id else registration.email
    mail_enqueue(subject=f"Регистрация: {event.title}", body=body, to=[email],
                 dedup_key=f"event-registration:{registration.pk}:{registration.ticket_hash[:16]}")


def _promoted_body(event: Event, registration: Registration) -> str:
    return (f"Здравствуйте, {registration.person_name}!\n\nОсвободилось место: ваша регистрация на мероприятие "
            f"«{event.title}» подтверждена.\n{event_when_where(event)}\n"
            "Билет для отметки на входе — в письме о регистрации (или у администратора вашей организации).\n")


# --- printable tickets ---------------------------------------------------------------------------------------

def reissue_tickets(*, user, event: Event) -> list[tuple[Registration, str]]:
    """Fresh tickets for the registered teachers the user may print (a school administrator: their own);
    the old tickets of these registrations stop working."""
    rows = []
    with transaction.atomic():
        registrations = (registrations_visible_to(user, event).filter(status=REGISTERED, teacher__isnull=False)
                         .select_for_update(of=("self",)).order_by("teacher__full_name"))
        for registration in registrations:
            token = new_ticket()
            registration.ticket_hash = hash_ticket(token)
            registration.save(update_fields=["ticket_hash"])
            rows.append((registration, token))
    return rows
