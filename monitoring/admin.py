"""Django admin of monitoring, for the portal administrator.

Programmes, periods and indicators are edited as in the methodists' catalogue screens (the same
calculation choices and parameter checks). Values are not created here — they come from the
grid, the import and recompute — and a correction of plan/fact goes through the same service as
the grid: unit range checks, the director's approval lock, and a line in the value's history.
Provenance (numerator, denominator, who, when), the history itself, approvals and recompute jobs
are read-only.
"""
from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.db import models

from . import services
from .computations import parameter_problems
from .forms_catalogue import calculation_choices
from .models import Indicator, Period, PeriodApproval, Programme, RecomputeJob, Source, Value, ValueChange

ADMIN_REASON = "Исправлено в администрировании портала"


class ReadOnlyAdminMixin:
    """Rows that record what happened: visible, never added or changed here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class NoDeleteWithValuesMixin:
    """The catalogue's locks hold here too: nothing whose deletion would take values with it.

    The bulk «delete selected» action is removed, since it asks permission without the objects.
    """

    def has_values(self, obj) -> bool:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.has_values(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0
    can_delete = False  # on the period's own page, where the values lock is checked
    fields = ("label", "starts_on", "ends_on")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("position", "code", "name", "unit", "source", "calculation")
    show_change_link = True
    can_delete = False
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 50})}}
    ordering = ("position", "pk")


@admin.register(Programme)
class ProgrammeAdmin(NoDeleteWithValuesMixin, admin.ModelAdmin):
    list_display = ("name", "code", "district", "period_kind", "indicator_count")
    list_filter = ("district", "period_kind")
    search_fields = ("name", "code")
    inlines = [PeriodInline, IndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("district").annotate(
            _indicator_count=models.Count("indicators", distinct=True)
        )

    @admin.display(description="показателей", ordering="_indicator_count")
    def indicator_count(self, obj):
        return obj._indicator_count

    def has_values(self, obj) -> bool:
        return Value.objects.filter(indicator__programme=obj).exists()


@admin.register(Period)
class PeriodAdmin(NoDeleteWithValuesMixin, admin.ModelAdmin):
    list_display = ("label", "programme", "starts_on", "ends_on")
    list_filter = ("programme__district", "programme")
    search_fields = ("label", "programme__name")
    list_select_related = ("programme",)

    def has_values(self, obj) -> bool:
        return obj.values.exists()


class ParametersField(forms.CharField):
    """The parameters as a record typed in a textarea (the portal administrator's raw view); empty means {}.

    Methodists never see it: the catalogue's indicator form has a field per parameter (forms_parameters).
    """

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "font-monospace"})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, indent=2) if value else ""
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return {}
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"Параметры расчёта записаны с ошибкой: строка {error.lineno}, символ {error.colno}. "
                'Проверьте кавычки (только прямые двойные "…"), запятые и скобки.'
            ) from None
        if not isinstance(parsed, dict):
            raise forms.ValidationError(
                'Параметры расчёта — пары «ключ: значение» в фигурных скобках, например {"area": "methodical"}.'
            )
        return parsed


class IndicatorAdminForm(forms.ModelForm):
    calculation = forms.ChoiceField(label="функция расчёта", required=False)
    parameters = ParametersField(
        label="параметры расчёта", required=False,
        help_text="Запись вида {\"ключ\": \"значение\"}. Удобнее задавать их в форме показателя в каталоге "
                  "программы: там анкета, вопрос и варианты выбираются из списков.",
    )

    class Meta:
        model = Indicator
        fields = ("programme", "code", "name", "section", "unit", "direction", "decimals", "method", "source",
                  "calculation", "parameters", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calculation"].choices = calculation_choices(self.instance.calculation)

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if self.instance.pk and unit != self.instance.unit and self.instance.values.exists():
            raise forms.ValidationError("Единицу нельзя изменить: у показателя уже есть значения.")
        return unit

    def clean(self):
        cleaned_data = super().clean()
        programme, calculation = cleaned_data.get("programme"), cleaned_data.get("calculation", "")
        if cleaned_data.get("source") == Source.COMPUTED and programme and "parameters" in cleaned_data:
            for problem in parameter_problems(calculation, cleaned_data["parameters"], programme.district_id):
                self.add_error("parameters", problem)
        return cleaned_data


@admin.register(Indicator)
class IndicatorAdmin(NoDeleteWithValuesMixin, admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = ("code", "short_name", "programme", "unit", "source", "calculation", "position")
    list_filter = ("programme__district", "programme", "source", "unit", "calculation")
    search_fields = ("code", "name", "section")
    list_select_related = ("programme",)

    @admin.display(description="название")
    def short_name(self, obj):
        return obj.name if len(obj.name) <= 80 else obj.name[:79] + "…"

    def has_values(self, obj) -> bool:
        return obj.values.exists()


class ValueChangeInline(admin.TabularInline):
    model = ValueChange
    extra = 0
    fields = ("changed_at", "field", "old", "new", "changed_by", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ValueAdminForm(forms.ModelForm):
    """Plan, fact and comment; checked like a grid cell (unit range, lock) before it is saved."""

    class Meta:
        model = Value
        fields = ("plan", "fact", "comment")

    def clean(self):
        cleaned_data = super().clean()
        value = self.instance
        cell = services.CellInput(value.indicator, value.period, cleaned_data.get("plan"), cleaned_data.get("fact"))
        for name, problems in services.cell_errors(cell, historical=True).items():
            for message in problems:
                self.add_error(name, message)
        changed = any(cleaned_data.get(name) != getattr(value, name) for name in ("plan", "fact", "comment"))
        if changed:
            try:
                services.ensure_unlocked(value.period, value.scope_key)
            except services.PeriodLockedError as error:
                self.add_error(None, str(error))
        return cleaned_data


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    form = ValueAdminForm
    list_display = ("indicator_code", "period", "scope_key", "plan", "fact", "fact_source", "updated_by", "updated_at")
    list_filter = ("fact_source", "scope_kind", "indicator__programme__district", "indicator__programme", "period__label")
    search_fields = ("indicator__code", "indicator__name", "scope_key", "comment")
    list_select_related = ("indicator", "period", "updated_by")
    date_hierarchy = "updated_at"
    readonly_fields = (
        "indicator", "period", "district", "scope_kind", "cluster", "organisation", "scope_key",
        "numerator", "denominator", "fact_source", "updated_by", "updated_at", "computed_at", "version",
    )
    fieldsets = (
        (None, {"fields": ("indicator", "period", "district", "scope_kind", "cluster", "organisation", "scope_key")}),
        ("План и факт", {"fields": ("plan", "fact", "comment")}),
        ("Происхождение факта", {"fields": ("fact_source", "numerator", "denominator", "computed_at", "updated_by",
                                            "updated_at", "version")}),
    )
    inlines = [ValueChangeInline]

    @admin.display(description="показатель", ordering="indicator__code")
    def indicator_code(self, obj):
        return obj.indicator.code

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A value of an approved period is locked for everybody, the portal administrator too.
        if obj is not None and services.active_approvals([obj.period], [obj.scope_key]):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would not see the approval locks
        return actions

    def save_model(self, request, obj, form, change):
        """Through services.values_save, so the change is checked and lands in the history."""
        scope = obj.scope
        cell = services.CellInput(obj.indicator, obj.period, form.cleaned_data["plan"], form.cleaned_data["fact"],
                                  comment=form.cleaned_data["comment"], seen_version=obj.version)
        try:
            services.values_save(scope=scope, cells=[cell], user=request.user, reason=ADMIN_REASON, historical=True)
        except services.MonitoringError as error:
            messages.error(request, f"Не сохранено: {error}")
        obj.refresh_from_db()


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("changed_at", "value", "field", "old", "new", "changed_by", "reason")
    list_filter = ("field", "value__indicator__programme__district", "value__indicator__programme")
    search_fields = ("value__indicator__code", "reason")
    list_select_related = ("value__indicator", "value__period", "changed_by")
    date_hierarchy = "changed_at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodApproval)
class PeriodApprovalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Approving and unlocking are the director's acts on the programme page, not the admin's."""

    list_display = ("period", "programme", "scope_key", "approved_by", "approved_at", "revoked_by", "revoked_at")
    list_filter = ("period__programme__district", "period__programme", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("period__label", "period__programme__name", "scope_key")
    list_select_related = ("period__programme", "approved_by", "revoked_by")

    @admin.display(description="программа", ordering="period__programme__name")
    def programme(self, obj):
        return obj.period.programme

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecomputeJob)
class RecomputeJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "programme", "period", "status", "progress", "requested_by", "finished_at")
    list_filter = ("status", "programme__district", "programme")
    search_fields = ("programme__name", "message")
    list_select_related = ("programme", "period", "requested_by")
    date_hierarchy = "created_at"
