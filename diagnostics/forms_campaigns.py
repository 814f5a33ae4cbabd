"""The campaign form of the methodist (diagnostics:campaign_create)."""
from __future__ import annotations

from django import forms
from django.db.models import Q

from clusters.models import Organisation
from core.forms import PortalForm

from .models import EducationLevel, Instrument, Profession

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y"]


class CampaignForm(PortalForm):
    instrument = forms.ModelChoiceField(label="Инструмент (версия)", queryset=Instrument.objects.none())
    title = forms.CharField(label="Название", max_length=300)
    year = forms.IntegerField(label="Год", min_value=2000, max_value=2100,
                              help_text="Год, к которому относятся результаты; для учебного года — год его окончания "
                                        "(2019/20 → 2020), как у периодов мониторинга.")
    period_label = forms.CharField(label="Период", max_length=20, required=False, help_text="Например, 2021/22")
    level = forms.ChoiceField(label="Уровень образования (вариант)", required=False,
                              choices=[("", "все уровни")] + list(EducationLevel.choices))
    profession = forms.ChoiceField(label="Профессия (вариант)", required=False,
                                   choices=[("", "по должности педагога")] + list(Profession.choices),
                                   help_text="Без выбора каждый педагог получает вариант своей должности из реестра "
                                             "(педагог-психолог — утверждения для психологов и т. д.).")
    organisations = forms.ModelMultipleChoiceField(label="Организации", queryset=Organisation.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple)
    opens_at = forms.DateTimeField(label="Начало", input_formats=DATETIME_FORMATS,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                              format="%Y-%m-%dT%H:%M"))
    closes_at = forms.DateTimeField(label="Окончание", input_formats=DATETIME_FORMATS,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(
            Q(district__isnull=True) | Q(district=district)).order_by("title", "-version")
        self.fields["organisations"].queryset = Organisation.objects.filter(district=district).order_by("short_name")

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Окончание должно быть позже начала.")
        return data
