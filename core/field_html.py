"""A list's filter field as crispy-forms' Bootstrap 5 field markup, built in Python (issue 15.3).

`{{ field|as_crispy_field }}` renders bootstrap5/field.html — about twenty nested templates, tags and
filters per field — which made the filter bar the most expensive part of a list page (~4 ms of its
CPU for four fields). The filter bars hold only text, number and date inputs and selects, so
`field_html` writes the same markup directly: the wrapper `div#div_id_x.mb-3`, the label, the widget
(Django renders it, with crispy's classes: «<widget name> form-control|form-select», «is-invalid»
with errors), the errors block and the help text. Any other widget (checkbox, radio, file, multi-
widget) still goes through crispy, so its markup stays crispy's own. tests/core/test_field_html.py
compares both renderings of every registry filter.
"""
from __future__ import annotations

from django import forms
from django.forms import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


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
