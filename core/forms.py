"""Form building blocks shared by every app: the portal's base forms, the date picker, forms scoped to the user.

Every form of the portal derives from PortalForm or PortalModelForm (tests/ui_text walks them all): once a
form is built — after the __init__ of its most derived class, when the querysets are scoped to the user —
a required choice with exactly one possible value is made, with no «---------» to pick first
(`preselect_single_choices`).

Nothing here knows a model of the portal: `DistrictOwnedForm` only relies on the instance having
a `district` and the user a `district` (the registry's convention for what a district owns).
"""
from __future__ import annotations

import functools

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates, typed 17.12.2021 is accepted as well."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _then_finish(init):
    """Wrap a form class's __init__ so that `finish_init` runs once, after the outermost __init__ returns."""

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        outermost = not self.__dict__.get("_building", False)
        self.__dict__["_building"] = True
        try:
            init(self, *args, **kwargs)
        finally:
            if outermost:
                self.__dict__["_building"] = False
        if outermost:
            self.finish_init()

    __init__.wraps_finish = True
    return __init__


class PortalFormMixin:
    """The portal's rules for every form, applied when the form is fully built (see the module's docstring)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "wraps_finish", False):
            cls.__init__ = _then_finish(init)

    @_then_finish
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def finish_init(self) -> None:
        preselect_single_choices(self)


class PortalForm(PortalFormMixin, forms.Form):
    """Base of every plain form of the portal."""


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """Base of every model form of the portal."""


class UserScopedForm(PortalModelForm):
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


def _real_choices(field: forms.ChoiceField) -> list:
    """The values a plain choice field offers, past the empty one and through optgroups."""
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            values += [v for v, _ in label if v not in ("", None)]
        elif value not in ("", None):
            values.append(value)
    return values


def preselect_single_choices(form: forms.BaseForm) -> None:
    """A required choice with exactly one possible value is that value: no «---------» to pick first.

    Portal forms run it once they are built (PortalFormMixin); a call from inside their __init__ waits for
    that. A model choice costs one query (LIMIT 2), not one per option; a plain choice field with one
    value besides the empty one loses the empty one. A field with a value keeps it; a disabled field (a
    school administrator's own organisation) loses the empty option only when it shows a value.
    """
    if form.__dict__.get("_building"):
        return
    for name, field in form.fields.items():
        if (not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField)
                or not field.required):
            continue
        if field.disabled and form.get_initial_for_field(field, name) in (None, ""):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.queryset is None:
                continue
            objects = list(field.queryset[:2])
            if len(objects) != 1:
                continue
            field.empty_label = None
            value = objects[0].pk
        else:
            values = _real_choices(field)
            if len(values) != 1 or not any(v in ("", None) for v, _ in field.choices):
                continue
            field.choices = [(v, label) for v, label in field.choices if v not in ("", None)]
            value = values[0]
        if form.initial.get(name) in (None, "") and field.initial in (None, ""):
            form.initial[name] = value
