"""A list's filter field as crispy-forms' Bootstrap 5 field markup, built in Python (issue 15.3).

`{{ field|as_crispy_field }}` renders bootstrap5/field.html — about twenty nested templates, tags and
filters per field — which made the filter bar the most expensive part of a list page (~4 ms of its
CPU for four fields). The filter bars hold only text, number and date inputs and selects, so
`field_html` writes the same markup directly: the wrapper `div#div_id_x.mb-3`, the label, the widget
(Django renders it, with crispy's classes: «<widget name> form-control|form-select», «is-invalid»
with errors), the errors block and the help text. Any other widget (checkbox, radio, file, multi-
widget) still goes through crispy, so its markup stays crispy's own. tests/core/test_field_html.py
compares both renderings of every registry filter.

`filter_bar(filterset)` writes the whole bar's fields and keeps the result per process, keyed by
everything it is made of — the FilterSet class, the language, each field's name, label, widget, choices
and submitted values — so the same bar (no filter, or the same search) is a dict lookup. A bar with a
field whose HTML reads the database (a select of rows, a type-ahead showing a chosen row's name) is
not kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from django import forms
from django.forms import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def _plain(widget: forms.Widget) -> bool:
    """Widgets whose crispy markup field_html reproduces: one input or one select."""
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.FileInput, forms.MultiWidget)):
        return False
    return isinstance(widget, (forms.Select, Input, forms.Textarea)) and not hasattr(widget, "widget")


def _widget_class(field: BoundField, widget: forms.Widget) -> str:
    """The class crispy's {% crispy_field %} gives the widget (CRISPY_CLASS_CONVERTERS are not used here)."""
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif name not in css:
        css = f"{css} {name}"
    extra = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        extra.append("is-invalid")
    present = css.split()
    return " ".join([css, *(c for c in extra if c not in present)])


def field_html(field: BoundField) -> SafeString:
    """The field as crispy's bootstrap5 `as_crispy_field` shows it (for the widgets of `_plain`)."""
    widget = field.field.widget
    if field.is_hidden:
        return mark_safe(str(field))
    if not _plain(widget):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    required = field.field.required
    parts = [format_html('<div id="div_{}" class="mb-3{}">', field.auto_id,
                         f" {field.css_classes()}" if field.css_classes() else "")]
    if field.label:
        label_for = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        parts.append(format_html('<label{} class="form-label{}">{}{}</label>', label_for,
                                 " requiredField" if required else "", field.label,
                                 mark_safe('<span class="asteriskField">*</span>') if required else ""))
    parts.append(str(field.as_widget(attrs={"class": _widget_class(field, widget)})))
    if field.errors:
        errors = "".join(
            format_html('<p id="error_{}_{}"><strong>{}</strong></p>', number, field.auto_id, error)
            for number, error in enumerate(field.errors, start=1)
        )
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.errors.field_id,
                                 mark_safe(errors)))
    if field.help_text:
        parts.append(format_html('<div {}class="form-text">{}</div>',
                                 format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
                                 mark_safe(field.help_text)))
    parts.append("</div>")
    return mark_safe("".join(parts))  # every part above is escaped by format_html or is Django's widget HTML


BAR_CACHE_SIZE = 512
_bars: OrderedDict[tuple, SafeString] = OrderedDict()
_bars_lock = threading.Lock()
_COLUMN = '<div class="col-sm-6 col-md-3 col-xl-2">{}</div>'


def _bar_key(filterset) -> tuple | None:
    """What the bar's HTML is made of, or None if some field's HTML reads the database."""
    form = filterset.form
    data = filterset.data if filterset.is_bound else {}
    parts = [type(filterset), get_language(), filterset.is_bound]
    for name, field in form.fields.items():
        values = tuple(data.getlist(name)) if hasattr(data, "getlist") else (data.get(name),)
        if isinstance(field, forms.ModelChoiceField):
            # A type-ahead with nothing chosen shows only its empty option; anything else lists or names rows.
            if not hasattr(field.widget, "selected_choices") or any(v not in (None, "") for v in values):
                return None
            choices = (field.empty_label,)
        else:
            choices = tuple(map(tuple, field.choices)) if isinstance(field, forms.ChoiceField) else ()
        parts.append((name, str(field.label), type(field), type(field.widget), tuple(sorted(field.widget.attrs.items())),
                      field.required, str(field.help_text), choices, values))
    return tuple(parts)


def filter_bar(filterset) -> SafeString:
    """The filter bar's fields, each in its grid column (includes/filter_form.html), cached when it may be."""
    try:
        key = _bar_key(filterset)
        hash(key)
    except TypeError:  # an unhashable choice or attribute: render, do not keep
        key = None
    if key is not None:
        with _bars_lock:
            html = _bars.get(key)
            if html is not None:
                _bars.move_to_end(key)
                return html
    html = mark_safe("".join(format_html(_COLUMN, field_html(field)) for field in filterset.form))
    if key is not None:
        with _bars_lock:
            _bars[key] = html
            while len(_bars) > BAR_CACHE_SIZE:
                _bars.popitem(last=False)
    return html
