"""Writes of the setup wizard, each in one transaction, validated with full_clean(); refusals in Russian.

- `district_save`: the region, the district and its ИМЦ requisites together.
- `user_invite` / `invitation_send`: a first user without a password and the e-mail with the link
  to set one (core.outbox, so it leaves after the commit through Django's mail).
- `programme_from_library`: a monitoring programme with its indicators and periods from
  setup/library.py; choosing the same entry again adds the periods and indicators still missing.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clusters.models import District, MethodCentre, Organisation, Region
from core.errors import AppError
from core.outbox import mail_enqueue
from core.permissions import require, role_can
from core.roles import Role
from imc_portal.models import User
from monitoring.models import Indicator, Period, Programme, Source

from . import invitations
from .library import LIBRARY, MAX_YEARS

CENTRE_FIELDS = ("full_name", "short_name", "address", "phone", "email", "okpo", "ogrn", "inn", "kpp",
                 "director_name", "director_position", "outgoing_prefix")
INVITED_ROLES = (Role.METHODIST, Role.DIRECTOR, Role.SCHOOL_ADMIN, Role.OBSERVER)


class SetupError(AppError):
    """A wizard step refused: what was typed does not fit, nothing was saved."""


def _full_clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise SetupError("Проверьте данные: " + "; ".join(error.messages),
                         field_errors=getattr(error, "message_dict", {})) from None


@transaction.atomic
def district_save(*, user: User, district: District | None, region_name: str, name: str, code: str,
                  centre: dict) -> District:
    """Create or update the district and its ИМЦ requisites in one go (all or nothing)."""
    require(user, "setup.run")
    region_name = " ".join(region_name.split())
    if not region_name:
        raise SetupError("Укажите регион.", field_errors={"region_name": ["Укажите регион."]})
    region, _ = Region.objects.get_or_create(name=region_name)
    if district is None:
        district = District()
    district.region, district.name, district.code = region, " ".join(name.split()), code.strip()
    _full_clean(district)
    district.save()
    method_centre = MethodCentre.objects.filter(district=district).first() or MethodCentre(district=district)
    for field in CENTRE_FIELDS:
        setattr(method_centre, field, (centre.get(field) or "").strip())
    _full_clean(method_centre)
    method_centre.save()
    return district


@dataclass(frozen=True)
class Invitation:
    user: User
    url: str
    mailed: bool


def _invitation_mail(user: User, url: str, inviter: User) -> tuple[str, str]:
    centre = MethodCentre.objects.filter(district_id=user.district_id).first()
    context = {"user": user, "url": url, "centre": centre, "district": user.district,
               "inviter": inviter, "role": user.get_role_display()}
    subject = render_to_string("setup/invitation_subject.txt", context)
    return subject, render_to_string("setup/invitation_email.txt", context)


def invitation_send(*, user: User, invited: User, base_url: str = "") -> Invitation:
    """Queue the e-mail with a fresh link (after the commit, through Django's mail) and return the link."""
    require(user, "setup.run")
    if not invitations.is_pending(invited):
        raise SetupError(f"{invited.display_name} уже задал(а) пароль — приглашение не нужно.")
    url = invitations.invitation_url(invited, base=base_url)
    subject, body = _invitation_mail(invited, url, user)
    mail = mail_enqueue(subject=subject, body=body, to=[invited.email],
                        dedup_key=f"setup:invitation:{invited.pk}:{timezone.now().isoformat()}")
    return Invitation(invited, url, mail is not None)


@transaction.atomic
def user_invite(*, user: User, district: District, role: str, email: str, last_name: str, first_name: str,
                patronymic: str = "", position: str = "", organisation: Organisation | None = None,
                base_url: str = "") -> Invitation:
    """A new user of the district with no password yet; the invitation e-mail is queued."""
    require(user, "setup.run")
    if role not in INVITED_ROLES:
        raise SetupError("Выберите роль: методист, директор ИМЦ, администратор ОУ или наблюдатель.",
                         field_errors={"role": ["Такой роли в районе нет."]})
    email = email.strip().lower()
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise SetupError(f"Пользователь с адресом {email} уже есть.",
                         field_errors={"email": ["Этот адрес уже занят другим пользователем."]})
    if role_can(role, "account.works_in_organisation"):
        if organisation is None:
            raise SetupError("Администратору ОУ нужна организация.",
                             field_errors={"organisation": ["Выберите организацию района."]})
        if organisation.district_id != district.pk:
            raise SetupError("Организация другого района.", field_errors={"organisation": ["Не из этого района."]})
    else:
        organisation = None
    invited = User(username=email, email=email, role=role, last_name=last_name.strip(),
                   first_name=first_name.strip(), patronymic=patronymic.strip(), position=position.strip(),
                   district=district, organisation=organisation, is_active=True)
    invited.set_unusable_password()
    _full_clean(invited, exclude=["password"])
    invited.save()
    return invitation_send(user=user, invited=invited, base_url=base_url)


@dataclass(frozen=True)
class LibraryResult:
    programme: Programme
    created: bool
    periods_added: list[str]
    indicators_added: int


@transaction.atomic
def programme_from_library(*, user: User, district: District, key: str, first_year: int,
                           last_year: int) -> LibraryResult:
    """The library entry as the district's programme, with a period per chosen year."""
    require(user, "setup.run")
    entry = LIBRARY.get(key)
    if entry is None:
        raise SetupError("Выберите программу из библиотеки.", field_errors={"key": ["Такой программы нет."]})
    if last_year < first_year:
        raise SetupError("Последний год раньше первого.", field_errors={"last_year": ["Раньше первого года."]})
    if last_year - first_year + 1 > MAX_YEARS:
        raise SetupError(f"Не больше {MAX_YEARS} лет за один раз.",
                         field_errors={"last_year": [f"Не больше {MAX_YEARS} лет."]})
    programme = Programme.objects.select_for_update().filter(district=district, code=entry.key).first()
    created = programme is None
    if created:
        programme = Programme(district=district, code=entry.key, name=entry.name, period_kind=entry.period_kind,
                              description=entry.description)
        _full_clean(programme)
        programme.save()
    existing_periods = set(programme.periods.values_list("label", flat=True))
    added = []
    for label, starts_on, ends_on in entry.periods(first_year, last_year):
        if label in existing_periods:
            continue
        period = Period(programme=programme, label=label, starts_on=starts_on, ends_on=ends_on)
        _full_clean(period)
        period.save()
        added.append(label)
    existing_codes = set(programme.indicators.values_list("code", flat=True))
    start = programme.indicators.count()
    new_indicators = []
    for spec in entry.indicators:
        if spec.code in existing_codes:
            continue
        indicator = Indicator(
            programme=programme, code=spec.code, name=spec.name, section=spec.section, unit=spec.unit,
            direction=spec.direction, decimals=spec.decimals, method=spec.method,
            source=Source.COMPUTED if spec.calculation else Source.ENTERED, calculation=spec.calculation,
            position=start + len(new_indicators) + 1,
        )
        _full_clean(indicator)
        new_indicators.append(indicator)
    Indicator.objects.bulk_create(new_indicators)
    return LibraryResult(programme, created, added, len(new_indicators))
