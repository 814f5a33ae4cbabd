"""A calculation's parameters as fields of the indicator form (issue 14, item 6): no JSON to type.

Each calculation that reads parameters (monitoring/computations.py, ParameterSchema) gets a group of
fields, one per parameter, named `parameter__<calculation>__<key>`: a list to pick from when the
parameter's app gives the district's values (a questionnaire, its question, the question's options),
a number field for a number, a text box otherwise. The form shows the group of the chosen calculation
(static/js/indicator_form.js; without the script every group shows, each under its calculation's
name) and assembles Indicator.parameters from that group only.

A dependent list (a question depends on the questionnaire) lists every value of the district, grouped
under its parent; each option carries `data-parent` (the parent's key) and `data-key`, and the script
narrows the list to the chosen parent. The server checks the same: a value whose parent is not the
chosen one is refused in Russian, and the calculation's validator has its say after that.

Values an existing indicator holds that are no longer among the district's (a questionnaire since
deleted) are listed too, marked, so an edit shows what is stored and the validator explains it.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms

from .computations import Choice, Parameter, ParameterSchema

PREFIX = "parameter"
MISSING = "нет в данных района"


def field_name(calculation: str, parameter: str) -> str:
    return f"{PREFIX}__{calculation}__{parameter}"


class _Value(str):
    """A choice value that remembers its parent's key and its own (read by the widgets)."""

    parent: str = ""
    key: str = ""


def _value(choice: Choice) -> _Value:
    value = _Value(choice.value)
    value.parent, value.key = choice.parent, choice.own_key
    return value


class _DependentOptions:
    """Options carry data-parent / data-key for the script that narrows a dependent list."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if isinstance(value, _Value):
            option["attrs"]["data-key"] = value.key
            if value.parent:
                option["attrs"]["data-parent"] = value.parent
        return option


class DependentSelect(_DependentOptions, forms.Select):
    pass


class DependentCheckboxes(_DependentOptions, forms.CheckboxSelectMultiple):
    pass


def _grouped(choices: list[Choice]) -> list:
    """Django's (value, label) choices, in optgroups where the provider named groups."""
    out: list = []
    groups: dict[tuple[str, str], list] = {}
    for choice in choices:
        item = (_value(choice), choice.label)
        if not choice.group:
            out.append(item)
            continue
        bucket = groups.get((choice.group, choice.parent))
        if bucket is None:
            bucket = groups[(choice.group, choice.parent)] = []
            out.append((choice.group, bucket))
        bucket.append(item)
    return out


@dataclass
class ParameterGroup:
    """The fields of one calculation, for the template."""

    code: str
    label: str
    fields: list  # BoundFields


def _stored_values(parameter: Parameter, stored) -> list[str]:
    if stored in (None, "", []):
        return []
    values = stored if isinstance(stored, list) else [stored]
    return [v for v in values if isinstance(v, str)]


def _field(parameter: Parameter, district_id: int, stored) -> forms.Field:
    common = {"label": parameter.title, "required": False, "help_text": parameter.help_text}
    if parameter.number:
        return forms.DecimalField(**common, localize=True)
    if parameter.choices is None:
        if parameter.many:
            help_text = parameter.help_text or "По одному на строке."
            return forms.CharField(**{**common, "help_text": help_text}, widget=forms.Textarea(attrs={"rows": 3}))
        return forms.CharField(**common)
    choices = list(parameter.choices(district_id))
    known = {c.value for c in choices}
    choices += [Choice(v, f"{v} — {MISSING}", group=MISSING) for v in _stored_values(parameter, stored)
                if v not in known]
    grouped = _grouped(choices)
    if parameter.many:
        return forms.MultipleChoiceField(**common, choices=grouped, widget=DependentCheckboxes)
    blank = parameter.blank_label or ("— выберите —" if parameter.required else "— не выбрано —")
    return forms.ChoiceField(**common, choices=[("", blank), *grouped], widget=DependentSelect)


def _initial(parameter: Parameter, stored):
    if stored in (None, ""):
        return None
    if parameter.number:
        return Decimal(str(stored)) if isinstance(stored, int | float) else stored
    if parameter.many and parameter.choices is None and isinstance(stored, list):
        return "\n".join(str(v) for v in stored)
    return stored


def add_parameter_fields(form: forms.BaseForm, schemas: dict[str, ParameterSchema], district_id: int,
                         current: str, stored: dict) -> None:
    """Add every calculation's parameter fields to the form; the current calculation's show the stored values."""
    for code, schema in schemas.items():
        for parameter in schema.fields:
            own = stored.get(parameter.name) if code == current else None
            name = field_name(code, parameter.name)
            form.fields[name] = field = _field(parameter, district_id, own)
            field.widget.attrs.update({"data-calculation": code, "data-parameter": parameter.name})
            if parameter.depends_on:
                field.widget.attrs["data-depends-on"] = field_name(code, parameter.depends_on)
            initial = _initial(parameter, own)
            if initial is not None:
                form.initial[name] = initial


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _chosen_key(field: forms.Field, value: str, parent_key: str | None) -> tuple[str, str] | None:
    """(parent, key) of a chosen value of a list field, or None for a value not listed.

    A value may be listed under several parents (question «q4» of two questionnaires, option «Да» of
    many questions): the one under the chosen parent is it.
    """
    found = []
    for choice_value, label in field.choices:
        options = label if isinstance(label, list | tuple) else [(choice_value, label)]
        for option_value, _ in options:
            if option_value == value and isinstance(option_value, _Value):
                found.append((option_value.parent, option_value.key))
    for parent, key in found:
        if parent_key is not None and parent == parent_key:
            return parent, key
    return found[0] if found else None


def assemble(form: forms.BaseForm, code: str, schema: ParameterSchema) -> tuple[dict, dict[str, str]]:
    """The parameters dict of the chosen calculation from its fields, and problems by field name.

    Empty fields are left out of the dict (a calculation reads a missing optional key as «all»).
    A dependent value whose parent is not the chosen one is a problem on its field.
    """
    parameters: dict = {}
    problems: dict[str, str] = {}
    keys: dict[str, str] = {}  # parameter name → the chosen value's key (for dependants)
    for parameter in schema.fields:
        name = field_name(code, parameter.name)
        field = form.fields[name]
        value = form.cleaned_data.get(name)
        if value in (None, "", []):
            continue
        if parameter.number:
            parameters[parameter.name] = _number(value)
            continue
        if parameter.choices is None:
            if parameter.many:
                value = [line.strip() for line in value.splitlines() if line.strip()]
            parameters[parameter.name] = list(dict.fromkeys(value)) if parameter.many else value.strip()
            continue
        values = list(dict.fromkeys(value)) if parameter.many else [value]
        parent_key = keys.get(parameter.depends_on) if parameter.depends_on else None
        for single in values:
            found = _chosen_key(field, single, parent_key)
            if found is None:
                continue
            parent, key = found
            keys.setdefault(parameter.name, key)
            if parameter.depends_on and parent_key is not None and parent and parent != parent_key:
                depends = next(p for p in schema.fields if p.name == parameter.depends_on)
                problems[name] = (f"«{single}» не относится к выбранному значению поля «{depends.title}». "
                                  f"Выберите из списка под ним.")
        parameters[parameter.name] = values if parameter.many else value
    return parameters, problems


def parameter_groups(form: forms.BaseForm, schemas: dict[str, ParameterSchema], labels: dict[str, str]):
    return [ParameterGroup(code, labels.get(code, code), [form[field_name(code, p.name)] for p in schema.fields])
            for code, schema in schemas.items()]
