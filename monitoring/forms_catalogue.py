"""Indicator catalogue forms: programmes, their periods and indicators, checked in Russian.

The district of a programme comes from the user (core's DistrictOwnedForm), the programme of a
period or an indicator from the view — neither is ever typed in. Two locks keep plan/fact
meaningful: a period with values cannot be deleted, an indicator with values cannot change its
unit or be deleted (`period_delete_refusal`, `indicator_delete_refusal`, IndicatorForm.clean_unit).

Parameters of a computed indicator are fields of its calculation (monitoring/forms_parameters.py),
checked by the calculation: the registry (monitoring/computations.py) holds each calculation's
parameter schema, the lists to pick from and the validator, so this form knows nothing of where a
calculation's data lives (surveys registers its own).
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from core.formatting import count_phrase
from core.forms import DateInput, DistrictOwnedForm, PortalModelForm

from .computations import parameter_problems, parameter_schemas, registered_calculations
from .forms_parameters import add_parameter_fields, assemble, field_name, parameter_groups
from .models import Indicator, Period, PeriodApproval, PeriodKind, Programme, Source, Value
from .units import STORED_DECIMALS

MONTHS = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)


def _values_phrase(count: int) -> str:
    return count_phrase(count, "значение", "значения", "значений")


# --- programmes ----------------------------------------------------------------------------------


class ProgrammeForm(DistrictOwnedForm):
    class Meta:
        model = Programme
        fields = ["code", "name", "period_kind", "description"]
        widgets = {"name": forms.TextInput, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": "Латинские буквы, цифры и дефис, например network. По коду программу находят импорт и отчёты.",
            "period_kind": "Какими периодами ведётся мониторинг: календарными годами (2021), учебными годами "
                           "(2019/20) или контрольными точками (Декабрь 2023).",
        }

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Programme.objects.filter(district=self.instance.district, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"В районе уже есть программа с кодом «{code}».")
        return code


# --- periods -------------------------------------------------------------------------------------


class ProgrammeChildForm(PortalModelForm):
    """A row of one programme; the view passes the programme, the form puts it on the instance."""

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme

    def _post_clean(self):
        # The model's clean() and its constraints repeat what clean() here already said in Russian
        # (a computed indicator's calculation, dates ordered); a field keeps the form's messages,
        # and a constraint's technical message («Нарушено ограничение …») goes when the form
        # explained the problem already.
        before = {name: list(errors) for name, errors in self._errors.items()}
        super()._post_clean()
        technical = {str(c.get_violation_error_message()) for c in self._meta.model._meta.constraints}
        for name in list(self._errors):
            if name in before and name != NON_FIELD_ERRORS:
                self._errors[name] = self.error_class(before[name], renderer=self.renderer)
            elif name == NON_FIELD_ERRORS and len(self._errors) > 1:
                kept = [e for e in self._errors[name] if e not in technical]
                if kept:
                    self._errors[name] = self.error_class(kept, error_class="nonfield", renderer=self.renderer)
                else:
                    del self._errors[name]


def active_period_approvals(period: Period):
    return PeriodApproval.objects.filter(period=period, revoked_at__isnull=True)


class PeriodForm(ProgrammeChildForm):
    class Meta:
        model = Period
        fields = ["label", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}
        help_texts = {"label": "Как период называется в таблицах и справках: 2021, 2019/20, Декабрь 2023."}

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        taken = Period.objects.filter(programme=self.programme, label=label).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"В программе уже есть период «{label}».")
        return label

    def clean(self):
        cleaned_data = super().clean()
        starts_on, ends_on = cleaned_data.get("starts_on"), cleaned_data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "Окончание периода раньше его начала.")
        elif self.instance.pk and starts_on and ends_on:
            moved = (starts_on, ends_on) != (self.initial.get("starts_on"), self.initial.get("ends_on"))
            if moved and active_period_approvals(self.instance).exists():
                # Facts of an approved period were computed over these dates; moving them would
                # change what a locked number means.
                self.add_error(None, "Период утверждён директором: его даты менять нельзя. "
                                     "Сначала директор снимает утверждение.")
        return cleaned_data


def period_delete_refusal(period: Period) -> str | None:
    """Why the period may not be deleted, or None. Values (and their history) would go with it."""
    count = Value.objects.filter(period=period).count()
    if count:
        return (
            f"Период «{period.label}» нельзя удалить: по нему уже есть {_values_phrase(count)} показателей "
            "с историей изменений, они были бы удалены вместе с ним. Если период назван неверно, "
            "исправьте его название или даты."
        )
    return None


@dataclass(frozen=True)
class PeriodProposal:
    label: str
    starts_on: dt.date
    ends_on: dt.date


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _academic_year(start_year: int) -> PeriodProposal:
    return PeriodProposal(f"{start_year}/{(start_year + 1) % 100:02d}", dt.date(start_year, 9, 1),
                          dt.date(start_year + 1, 8, 31))


def next_period_proposal(programme: Programme, today: dt.date | None = None) -> PeriodProposal:
    """The period after the programme's latest one, by its period kind («Добавить следующий период»).

    Calendar year: the next year. Academic year: 1 September – 31 August after the latest.
    Checkpoint: from the day after the latest one, as many months long (Июнь 2021 → Декабрь 2021,
    Декабрь 2022 → Декабрь 2023). With no periods yet: the current year, academic year or
    December of the current year.
    """
    today = today or timezone.localdate()
    last = programme.periods.order_by("-ends_on", "-pk").first()
    if programme.period_kind == PeriodKind.ACADEMIC_YEAR:
        if last is None:
            return _academic_year(today.year if today.month >= 9 else today.year - 1)
        return _academic_year(last.ends_on.year if last.ends_on.month < 9 else last.ends_on.year + 1)
    if programme.period_kind == PeriodKind.CHECKPOINT:
        if last is None:
            return PeriodProposal(f"Декабрь {today.year}", dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
        months = (last.ends_on.year - last.starts_on.year) * 12 + last.ends_on.month - last.starts_on.month + 1
        starts_on = last.ends_on + dt.timedelta(days=1)
        end_index = starts_on.year * 12 + starts_on.month - 1 + months - 1
        ends_on = _month_end(end_index // 12, end_index % 12 + 1)
        return PeriodProposal(f"{MONTHS[ends_on.month - 1]} {ends_on.year}", starts_on, ends_on)
    year = today.year if last is None else last.ends_on.year + 1
    return PeriodProposal(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))


# --- indicators ----------------------------------------------------------------------------------


def calculation_choices(current: str = "") -> list[tuple[str, str]]:
    registered = registered_calculations()
    choices = [("", "— не выбрана —")]
    choices += sorted(registered.items(), key=lambda item: item[1])
    if current and current not in registered:
        choices.append((current, f"{current} — функция не зарегистрирована"))
    return choices


class IndicatorForm(ProgrammeChildForm):
    calculation = forms.ChoiceField(
        label="Функция расчёта", required=False,
        help_text="Только для вычисляемых показателей: как факт считается по данным реестра или анкетирования.",
    )
    class Meta:
        model = Indicator
        fields = ["code", "name", "section", "unit", "direction", "decimals", "method", "source", "calculation"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2}), "method": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": "Латинские буквы, цифры, дефис и подчёркивание; по коду показатель находит импорт план/факт.",
            "method": "Как считается: числитель и знаменатель, источник данных. Видна в подсказке к показателю.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calculation"].choices = calculation_choices(self.instance.calculation)
        # Parameters are fields per calculation (forms_parameters), assembled into the dict in clean().
        self.schemas = parameter_schemas()
        add_parameter_fields(self, self.schemas, self.programme.district_id, self.instance.calculation,
                             self.instance.parameters or {})
        self.fields["decimals"].widget.attrs.update({"min": 0, "max": STORED_DECIMALS})
        self.value_count = Value.objects.filter(indicator=self.instance).count() if self.instance.pk else 0
        if self.value_count:
            self.fields["unit"].help_text = (
                f"У показателя уже есть {_values_phrase(self.value_count)}: единицу изменить нельзя."
            )

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = Indicator.objects.filter(programme=self.programme, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"В программе уже есть показатель с кодом «{code}».")
        return code

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if self.value_count and unit != self.instance.unit:
            raise forms.ValidationError(
                f"Единицу нельзя изменить: у показателя уже есть {_values_phrase(self.value_count)} "
                f"в единице «{self.instance.get_unit_display()}», они потеряли бы смысл. "
                "Заведите новый показатель с нужной единицей."
            )
        return unit

    def clean_decimals(self):
        decimals = self.cleaned_data["decimals"]
        if decimals is not None and decimals > STORED_DECIMALS:
            raise forms.ValidationError(f"Не больше {STORED_DECIMALS} знаков после запятой.")
        return decimals

    def clean(self):
        cleaned_data = super().clean()
        source, calculation = cleaned_data.get("source"), cleaned_data.get("calculation", "")
        if source == Source.COMPUTED:
            if not calculation:
                self.add_error("calculation", "Для вычисляемого показателя выберите функцию расчёта.")
            elif calculation not in registered_calculations():
                self.add_error("calculation", f"Функция расчёта «{calculation}» не зарегистрирована — выберите "
                                              "другую или сделайте показатель вводимым.")
            else:
                self._clean_parameters(calculation)
        elif source == Source.ENTERED:
            # A typed fact needs no calculation; keeping one would suggest it is computed.
            cleaned_data["calculation"] = ""
            self.instance.parameters = {}
        return cleaned_data

    def _clean_parameters(self, calculation: str) -> None:
        """Indicator.parameters from the chosen calculation's fields, checked by its schema and validator."""
        schema = self.schemas.get(calculation)
        if schema is None:  # reads no parameters
            self.instance.parameters = {}
            return
        parameters, problems = assemble(self, calculation, schema)
        for name, problem in problems.items():
            self.add_error(name, problem)
        if problems or any(field_name(calculation, p.name) in self.errors for p in schema.fields):
            return
        for parameter in schema.fields:  # a required one left empty: said on its field
            if parameter.required and parameters.get(parameter.name) in (None, "", []):
                self.add_error(field_name(calculation, parameter.name), "Обязательное поле.")
        if any(field_name(calculation, p.name) in self.errors for p in schema.fields):
            return
        for problem in parameter_problems(calculation, parameters, self.programme.district_id):
            self.add_error(None, problem)
        self.instance.parameters = parameters

    @property
    def parameter_groups(self):
        return parameter_groups(self, self.schemas, registered_calculations())

    @property
    def main_fields(self):
        return [self[name] for name in self._meta.fields if name in self.fields]


def indicator_delete_refusal(indicator: Indicator) -> str | None:
    count = Value.objects.filter(indicator=indicator).count()
    if count:
        return (
            f"Показатель «{indicator.code}» нельзя удалить: у него уже есть {_values_phrase(count)} план/факт "
            "с историей изменений, они были бы удалены вместе с ним."
        )
    return None
