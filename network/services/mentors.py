"""Writes of the district's base of mentors (a methodist's work; mentors are personal data)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import ForbiddenError, InvalidError
from core.permissions import require

from ..models import MentorProfile
from ..selectors_practices import EDIT, fold, mentors_for_user


def normalise_subjects(text: str) -> str:
    """«математика,  Физика, Математика» → «математика, Физика» (repeats dropped, ё = е)."""
    seen: dict[str, str] = {}
    for raw in (text or "").split(","):
        subject = " ".join(raw.split())
        if subject:
            seen.setdefault(fold(subject), subject)
    return ", ".join(seen.values())


@transaction.atomic
def save_mentor(user, profile: MentorProfile) -> MentorProfile:
    require(user, EDIT)
    if profile.pk and not mentors_for_user(user, write=True).filter(pk=profile.pk).exists():
        raise ForbiddenError("Этого наставника вы изменить не можете.")
    teacher = profile.teacher if profile.teacher_id else None
    if teacher is None or teacher.organisation.district_id != user.district_id:
        raise InvalidError("Выберите педагога своего района.", field_errors={"teacher": ["Выберите педагога своего района."]})
    profile.subjects = normalise_subjects(profile.subjects)
    if not profile.subjects:
        raise InvalidError("Укажите хотя бы один предмет.", field_errors={"subjects": ["Укажите хотя бы один предмет."]})
    duplicate = MentorProfile.objects.filter(teacher=teacher).exclude(pk=profile.pk).exists()
    if duplicate:
        message = f"{teacher.full_name} уже в базе наставников."
        raise InvalidError(message, field_errors={"teacher": [message]})
    try:
        profile.full_clean()
    except ValidationError as error:
        raise InvalidError("Проверьте поля наставника.", field_errors=error.message_dict) from None
    profile.save()
    return profile


@transaction.atomic
def delete_mentor(user, profile: MentorProfile) -> None:
    require(user, EDIT)
    if not mentors_for_user(user, write=True).filter(pk=profile.pk).exists():
        raise ForbiddenError("Этого наставника вы удалить не можете.")
    profile.delete()
