"""State of one question on the respondent form: which inputs are filled in and what went wrong.

Templates cannot look up `values["q12_r3"]`, so `{% survey_question question values errors as q %}`
resolves the names of the form-data contract (surveys/responses.py) once, in Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django import template

from core import formatting
from surveys.models import GRID_KINDS, QuestionKind
from surveys.responses import OTHER

register = template.Library()


@dataclass
class Choice:
    value: str
    label: str
    input_id: str
    checked: bool


@dataclass
class GridLine:
    text: str
    name: str
    legend_id: str
    choices: list[Choice] = field(default_factory=list)


@dataclass
class QuestionState:
    question: object
    name: str
    errors: list[str]
    value: str = ""  # text or number as typed
    choices: list[Choice] = field(default_factory=list)
    other: Choice | None = None
    other_text: str = ""
    lines: list[GridLine] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def described_by(self) -> str:
        """ids of the help text and the errors, for aria-describedby."""
        ids = [f"{self.name}-help"] if self.question.help_text or self.range_hint else []
        return " ".join(ids + ([f"{self.name}-errors"] if self.errors else []))

    @property
    def range_hint(self) -> str:
        low, high = self.question.min_value, self.question.max_value
        if self.question.kind != QuestionKind.NUMBER or (low is None and high is None):
            return ""
        if low is not None and high is not None:
            return f"Число от {_show(low)} до {_show(high)}."
        return f"Число не меньше {_show(low)}." if low is not None else f"Число не больше {_show(high)}."

    @property
    def input_type(self) -> str:
        return "checkbox" if self.question.kind == QuestionKind.MULTIPLE else "radio"

    @property
    def long_text(self) -> bool:
        return self.question.max_length > 300


def _show(value: Decimal) -> str:
    """12.50 → «12,5»: the Russian decimal comma, no trailing zeros."""
    return formatting.exact(value)


def _getlist(values, name: str) -> list[str]:
    if not values:
        return []
    if hasattr(values, "getlist"):
        raw = values.getlist(name)
    else:
        raw = values.get(name, [])
        raw = [raw] if isinstance(raw, str) else raw
    return [str(v) for v in raw if v is not None]


def _errors(errors, pk: int) -> list[str]:
    if not errors:
        return []
    found = errors.get(pk) or errors.get(str(pk)) or []
    return [found] if isinstance(found, str) else list(found)


@register.simple_tag
def survey_question(question, values=None, errors=None) -> QuestionState:
    """{% survey_question question values errors as q %} — values: name → list of strings."""
    name = f"q{question.pk}"
    state = QuestionState(question=question, name=name, errors=_errors(errors, question.pk))
    chosen = set(_getlist(values, name))
    if question.kind in GRID_KINDS:
        options = list(question.options.all())
        state.columns = [o.text for o in options]
        for row in question.rows.all():
            row_name = f"{name}_r{row.pk}"
            picked = set(_getlist(values, row_name))
            state.lines.append(GridLine(
                text=row.text, name=row_name, legend_id=f"id_{row_name}_legend",
                choices=[Choice(str(o.pk), o.text, f"id_{row_name}_{o.pk}", str(o.pk) in picked) for o in options],
            ))
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        state.choices = [
            Choice(str(o.pk), o.text, f"id_{name}_{o.pk}", str(o.pk) in chosen) for o in question.options.all()
        ]
        other_texts = _getlist(values, f"{name}_other")
        state.other_text = other_texts[0] if other_texts else ""
        if question.allow_other:
            state.other = Choice(OTHER, question.other_label or "Другое", f"id_{name}_other_choice",
                                 OTHER in chosen)
    else:
        typed = _getlist(values, name)
        state.value = typed[0] if typed else ""
    return state


@register.filter
def ru_number(value) -> str:
    """{{ option.points|ru_number }} → «0,5», «1»; nothing → «»."""
    if value in (None, ""):
        return ""
    return _show(Decimal(value))
