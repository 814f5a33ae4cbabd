"""Type-ahead pickers: a <select> that carries only its chosen option(s), filled as the user types.

A district has thousands of teachers; a plain ModelChoiceField renders every one of them as an
<option> (the mentorship form's two teacher selects were 453 KB). `TypeaheadSelect` renders only
the selected value(s) — looked up in the field's own queryset, so nothing outside the user's scope
is ever shown — and names a JSON search endpoint in `data-typeahead`; static/js/typeahead.js turns
it into a Tom Select box that asks the endpoint (`?q=`) as the user types. Validation is the
field's: ModelChoiceField checks the submitted id against its (scoped) queryset, so an id typed
into the request by hand outside the scope is refused like any invalid choice.

The endpoint answers `{"results": [{"id": …, "text": …}], "more": bool}`.
"""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

TYPEAHEAD_MIN_CHARS = 2


class TypeaheadSelect(forms.Select):
    """A Select rendering only the selected option(s); `source` is the search endpoint's URL."""

    allow_multiple_selected = False

    def __init__(self, source, attrs=None, *, min_chars: int = TYPEAHEAD_MIN_CHARS, placeholder: str = "Начните вводить…"):
        super().__init__(attrs)
        self.source = source
        self.min_chars = min_chars
        self.placeholder = placeholder

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.source, copy.min_chars, copy.placeholder = self.source, self.min_chars, self.placeholder
        return copy

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-typeahead"] = str(self.source)
        widget_attrs["data-typeahead-min"] = str(self.min_chars)
        widget_attrs["data-placeholder"] = self.placeholder
        return context

    def selected_choices(self, values: set[str]):
        """(value, label) of the empty choice and of the selected objects only — never the whole queryset."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return [(v, label) for v, label in choices if str(v) in values or v in ("", None)]
        field = choices.field
        result = []
        if field.empty_label is not None:
            result.append(("", field.empty_label))
        key = field.to_field_name or "pk"
        try:
            chosen = list(field.queryset.filter(**{f"{key}__in": sorted(v for v in values if v)})) if values else []
        except (ValueError, TypeError, ValidationError):
            chosen = []  # a malformed id: shown as nothing, refused by the field
        result.extend(choices.choice(obj) for obj in chosen)
        return result

    def optgroups(self, name, value, attrs=None):
        values = {str(v) for v in value if v not in (None, "")}
        groups = []
        for index, (option_value, label) in enumerate(self.selected_choices(values)):
            option_value = "" if option_value is None else option_value
            selected = str(option_value) in values
            groups.append((None, [self.create_option(name, option_value, label, selected, index, attrs=attrs)], index))
        return groups


class TypeaheadSelectMultiple(TypeaheadSelect, forms.SelectMultiple):
    allow_multiple_selected = True

    def selected_choices(self, values: set[str]):
        return [choice for choice in super().selected_choices(values) if choice[0] != ""]
