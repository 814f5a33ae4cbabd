"""Form building blocks shared by every app: the date picker and forms scoped to the user.

Nothing here knows a model of the portal: `DistrictOwnedForm` only relies on the instance having
a `district` and the user a `district` (the registry's convention for what a district owns).
"""
from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates, typed 17.12.2021 is accepted as well."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class UserScopedForm(forms.ModelForm):
    """Model forms whose choices come from the user's scope; `user` is passed by the view."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class DistrictOwnedForm(UserScopedForm):
    """Objects owned by the user's district; the district is set here, never typed in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.district_id is None:
            self.instance.district = self.user.district

    def validate_unique(self):
        super().validate_unique()
        # Django skips constraints on fields outside the form; (district, code) must still be checked.
        model_fields = {f.name for f in self.instance._meta.fields}
        exclude = model_fields - set(self.fields) - {"district"}
        exclude |= set(self.errors)
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self.add_error(None, error)


class PersonChoiceField(forms.ModelChoiceField):
    """Portal users by name («Смирнова М.В.»), never by login: the user model's `display_name`."""

    def label_from_instance(self, obj) -> str:
        return getattr(obj, "display_name", "") or obj.get_username()


def preselect_single_choices(form: forms.BaseForm) -> None:
    """A required choice with exactly one possible object is that object: no «---------» to pick first.

    Call it at the end of a form's __init__, once the querysets are scoped to the user. One query per
    required model choice (LIMIT 2), not per option. Disabled fields and fields with a value are left alone.
    """
    for name, field in form.fields.items():
        if (not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField)
                or not field.required or field.disabled or field.queryset is None):
            continue
        objects = list(field.queryset[:2])
        if len(objects) != 1:
            continue
        field.empty_label = None
        if form.initial.get(name) in (None, "") and field.initial in (None, ""):
            form.initial[name] = objects[0].pk
