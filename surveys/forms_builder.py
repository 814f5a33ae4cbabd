"""Forms of the questionnaire builder: input parsing and Russian messages; the rules live in builder.py.

Options and grid rows are typed as one textarea, one per line — the way a methodist copies them
from a Word questionnaire. Points for criteria sheets follow a vertical bar: «Наличие | 1».
List markers and numbering pasted with the lines («- », «• », «1. ») are dropped.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.validators import validate_slug

from clusters.filters import PortalFilterSet
from core import formatting
from core.forms import PortalForm, PortalModelForm

from . import builder
from .builder import ChoiceLine, QuestionData
from .models import Audience, Option, Question, QuestionKind, Questionnaire, Section

OPTION_MAX = Option._meta.get_field("text").max_length
ROW_MAX = 500
_MARKER = re.compile(r"^\s*(?:[-–—•*]\s+|\d{1,2}[.)]\s+)")


def _show_number(value: Decimal | None) -> str:
    return "" if value is None else formatting.exact(value)


def _lines(raw: str) -> list[tuple[int, str]]:
    """Non-empty lines with their 1-based numbers, list markers dropped."""
    result = []
    for number, line in enumerate(raw.splitlines(), start=1):
        text = _MARKER.sub("", line, count=1).strip()
        if text:
            result.append((number, text))
    return result


def _check_duplicates(items: list[tuple[int, str]], what: str) -> list[str]:
    seen: dict[str, int] = {}
    errors = []
    for number, text in items:
        key = text.casefold()
        if key in seen:
            errors.append(f"{what} «{text}» повторяется (строки {seen[key]} и {number}).")
        else:
            seen[key] = number
    return errors


def parse_options(raw: str) -> list[ChoiceLine]:
    """«текст» or «текст | баллы» per line → ChoiceLine; every problem named with its line number."""
    errors, lines, parsed = [], [], []
    for number, text in _lines(raw):
        points = None
        if "|" in text:
            text, _, tail = text.rpartition("|")
            text, tail = text.strip(), tail.strip().replace(" ", "").replace(",", ".")
            try:
                points = Decimal(tail)
                if not points.is_finite() or abs(points) >= Decimal("1000000"):
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(f"Строка {number}: после «|» пишутся баллы — число, например «Наличие | 1».")
                continue
            if points.as_tuple().exponent < -2:
                errors.append(f"Строка {number}: баллы — не больше двух знаков после запятой.")
                continue
            if not text:
                errors.append(f"Строка {number}: перед «|» нет текста варианта.")
                continue
        if len(text) > OPTION_MAX:
            errors.append(f"Строка {number}: вариант длиннее {OPTION_MAX} символов.")
            continue
        lines.append((number, text))
        parsed.append(ChoiceLine(text, points))
    errors += _check_duplicates(lines, "Вариант")
    if errors:
        raise forms.ValidationError(errors)
    return parsed


def parse_rows(raw: str) -> list[str]:
    lines = _lines(raw)
    errors = [f"Строка {n}: строка таблицы длиннее {ROW_MAX} символов." for n, t in lines if len(t) > ROW_MAX]
    errors += _check_duplicates(lines, "Строка")
    if errors:
        raise forms.ValidationError(errors)
    return [text for _, text in lines]


def options_as_text(question: Question) -> str:
    return "\n".join(
        f"{o.text} | {_show_number(o.points)}" if o.points is not None else o.text for o in question.options.all()
    )


class QuestionnaireForm(PortalModelForm):
    """Title, code, texts, audience. The code may be left empty on creation: it is made from the title."""

    class Meta:
        model = Questionnaire
        fields = ["title", "code", "audience", "intro", "outro"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "outro": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "code": "Латинские буквы, цифры и дефис, например dpo-listener. Одинаков у всех версий анкеты. "
                    "Можно оставить пустым — код составится из названия.",
            "intro": "Обращение, которое респондент видит перед вопросами.",
            "outro": "Что респондент видит после отправки ответов.",
        }
        error_messages = {"code": {"invalid": "Код — латинские буквы, цифры, дефис и подчёркивание, без пробелов."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = self.instance.pk is not None
        self.fields["code"].error_messages["required"] = "Код анкеты нельзя оставить пустым."
        self.fields["title"].error_messages["required"] = "Напишите название анкеты."

    def validate_unique(self):
        """The builder service checks codes with its own Russian message."""


class SectionForm(PortalModelForm):
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Напишите название раздела."


class QuestionForm(PortalForm):
    """A question with its options and grid rows; numbers accept the decimal comma."""

    text = forms.CharField(label="Вопрос", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Напишите текст вопроса."})
    kind = forms.ChoiceField(label="Тип вопроса", choices=QuestionKind.choices,
                             error_messages={"invalid_choice": "Выберите тип вопроса из списка."})
    section = forms.ModelChoiceField(label="Раздел", queryset=Section.objects.none(), required=False,
                                     empty_label="— без раздела —",
                                     error_messages={"invalid_choice": "Выберите раздел этой анкеты."})
    help_text = forms.CharField(label="Подсказка", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text="Показывается под вопросом, например «Отметьте все, что считаете нужным».")
    required = forms.BooleanField(label="Обязательный вопрос (отмечается «*»)", required=False, initial=True)
    options_text = forms.CharField(
        label="Варианты ответа / столбцы таблицы", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Каждый вариант — с новой строки. Баллы (для критериев) — после вертикальной черты: "
                  "«Наличие | 1». Для таблицы это столбцы — варианты оценки; у таблицы «да/нет» "
                  "пустое поле означает столбцы «Да» и «Нет». «Другое» сюда не пишите — для него флажок ниже.",
    )
    rows_text = forms.CharField(
        label="Строки таблицы", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Только для вопросов-таблиц: каждая строка — с новой строки.",
    )
    allow_other = forms.BooleanField(label="Вариант «Другое» со своим текстом", required=False)
    other_label = forms.CharField(label="Подпись варианта «Другое»", required=False, max_length=300,
                                  initial="Другое")
    min_value = forms.DecimalField(label="Минимум", required=False, localize=True, max_digits=12,
                                   decimal_places=2, help_text="Только для вопроса «число».")
    max_value = forms.DecimalField(label="Максимум", required=False, localize=True, max_digits=12,
                                   decimal_places=2)
    max_length = forms.IntegerField(label="Наибольшая длина ответа, символов", min_value=1, max_value=100000,
                                    initial=2000, help_text="Для свободного ответа и текста «Другое».")
    code = forms.CharField(label="Код вопроса", required=False, max_length=40, validators=[validate_slug],
                           help_text="Для выгрузок и показателей, например q5. Пусто — присвоится сам.")

    number_messages = {
        "invalid": "Введите число, например 12,5.",
        "max_digits": "Слишком длинное число.",
        "max_decimal_places": "Не больше двух знаков после запятой.",
        "max_whole_digits": "Слишком большое число.",
    }

    def __init__(self, *args, questionnaire: Questionnaire, question: Question | None = None, **kwargs):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(question)
        super().__init__(*args, **kwargs)
        self.questionnaire, self.question = questionnaire, question
        self.fields["section"].queryset = questionnaire.sections.order_by("position", "pk")
        for name in ("min_value", "max_value"):
            self.fields[name].error_messages.update(self.number_messages)
        self.fields["max_length"].error_messages.update({
            "invalid": "Введите целое число символов.",
            "min_value": "Хотя бы 1 символ.",
            "max_value": "Не больше 100 000 символов.",
            "required": "Укажите наибольшую длину ответа.",
        })
        self.fields["code"].error_messages["invalid"] = "Код — латинские буквы, цифры, дефис, без пробелов."

    @staticmethod
    def initial_for(question: Question) -> dict:
        return {
            "text": question.text, "kind": question.kind, "section": question.section_id,
            "help_text": question.help_text, "required": question.required,
            "options_text": options_as_text(question),
            "rows_text": "\n".join(r.text for r in question.rows.all()),
            "allow_other": question.allow_other, "other_label": question.other_label,
            "min_value": question.min_value, "max_value": question.max_value,
            "max_length": question.max_length, "code": question.code,
        }

    def clean_options_text(self) -> list[ChoiceLine]:
        return parse_options(self.cleaned_data.get("options_text", ""))

    def clean_rows_text(self) -> list[str]:
        return parse_rows(self.cleaned_data.get("rows_text", ""))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = self.question_data()
        if data.kind == QuestionKind.YES_NO_GRID and not data.options:
            data.options = [ChoiceLine(text) for text in builder.YES_NO_COLUMNS]
        for field, messages in builder.question_problems(data).items():
            for message in messages:
                self.add_error(field, message)
        return cleaned

    def question_data(self) -> QuestionData:
        c = self.cleaned_data
        return QuestionData(
            text=c["text"], kind=c["kind"], section=c.get("section"), code=c.get("code", ""),
            help_text=c.get("help_text", ""), required=c.get("required", False),
            allow_other=c.get("allow_other", False), other_label=c.get("other_label") or "Другое",
            min_value=c.get("min_value"), max_value=c.get("max_value"), max_length=c.get("max_length") or 2000,
            options=c.get("options_text") or [], rows=c.get("rows_text") or [],
        )


class QuestionnaireFilter(PortalFilterSet):
    # Bootstrap classes on the widgets: includes/filter_form.html's crispy_field only adds its own.
    q = django_filters.CharFilter(label="Поиск по названию", field_name="title", lookup_expr="icontains",
                                  widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}))
    audience = django_filters.ChoiceFilter(label="Кто заполняет", choices=Audience.choices, empty_label="Все",
                                           widget=forms.Select(attrs={"class": "form-select"}))

    class Meta:
        model = Questionnaire
        fields = ["q", "audience"]
