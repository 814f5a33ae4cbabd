"""Forms of the instrument pages: title and description, a copy, an item."""
from __future__ import annotations

from django import forms

from core.forms import PortalForm, PortalModelForm

from .models import EducationLevel, Instrument, Item, Profession, Scale


class InstrumentForm(PortalModelForm):
    class Meta:
        model = Instrument
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CopyForm(PortalForm):
    new_code = forms.SlugField(
        label="Новый код", required=False, max_length=50,
        help_text="Пусто — копия станет новой версией того же инструмента; латиница, цифры и дефис — новый инструмент.",
    )
    title = forms.CharField(label="Название копии", required=False, max_length=300)


class ItemForm(PortalModelForm):
    levels = forms.MultipleChoiceField(
        label="Только для уровней", choices=EducationLevel.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Ничего не отмечено — для всех уровней образования.",
    )
    professions = forms.MultipleChoiceField(
        label="Только для профессий", choices=Profession.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Ничего не отмечено — для всех профессий.",
    )
    position = forms.IntegerField(label="Порядок", required=False, min_value=0, max_value=32000,
                                  help_text="Пусто — в конец.")

    class Meta:
        model = Item
        fields = ["area", "text", "scale", "levels", "professions", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas
        self.fields["scale"].choices = Scale.choices
