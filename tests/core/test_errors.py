"""core/errors.py: one error base with structured field errors, put onto a form without parsing."""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from core.errors import (
    AppError,
    ClosedError,
    ConflictError,
    ForbiddenError,
    InvalidError,
    LockedError,
    apply_to_form,
)


class PeriodForm(forms.Form):
    plan = forms.CharField(required=False)
    fact = forms.CharField(required=False)


def _bound() -> PeriodForm:
    form = PeriodForm({"plan": "40", "fact": "45,5"})
    assert form.is_valid()
    return form


def test_message_code_and_field_errors():
    error = InvalidError("Исправьте отмеченные значения.", field_errors={"fact": ("не больше 100",)})
    assert str(error) == "Исправьте отмеченные значения."
    assert error.code == "invalid"
    assert error.field_errors == {"fact": ["не больше 100"]}
    assert AppError("x", code="custom").code == "custom"
    assert AppError("x").field_errors == {}


def test_refusals_are_told_apart_by_class_and_code():
    errors = [ForbiddenError("f"), LockedError("l"), ClosedError("c"), InvalidError("i"), ConflictError("k")]
    assert [e.code for e in errors] == ["forbidden", "locked", "closed", "invalid", "conflict"]
    assert all(isinstance(e, AppError) for e in errors)
    assert not isinstance(LockedError("l"), InvalidError)


def test_app_subclass_keeps_its_own_constructor():
    class CampaignInvalidError(AppError):
        def __init__(self, errors):
            self.errors = errors
            super().__init__("Кампания не сохранена.", field_errors=errors)

    error = CampaignInvalidError({"title": ["Обязательное поле."]})
    assert str(error) == "Кампания не сохранена."
    assert error.field_errors == error.errors == {"title": ["Обязательное поле."]}


def test_apply_to_form_puts_errors_on_their_fields():
    form = _bound()
    apply_to_form(form, InvalidError("Не сохранено.", field_errors={
        "fact": ["Доля не больше 100 %."], "plan": ["Ожидается число."], "scope": ["Нет такого объекта."],
    }))
    assert form.errors["fact"] == ["Доля не больше 100 %."]
    assert form.errors["plan"] == ["Ожидается число."]
    assert form.errors[NON_FIELD_ERRORS] == ["Нет такого объекта."]  # no such field: the form's own
    assert "fact" not in form.cleaned_data


def test_apply_to_form_without_field_errors_adds_the_message():
    form = _bound()
    apply_to_form(form, LockedError("Период утверждён — изменения запрещены."))
    assert form.non_field_errors() == ["Период утверждён — изменения запрещены."]
    quiet = _bound()
    apply_to_form(quiet, LockedError("Период утверждён."), message_if_no_fields=False)
    assert quiet.errors == {}
