"""The district's level thresholds (issue 12: «дефицит» below 0,5, «высокий» from 0,8, configurable): the form
and the one write."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import InvalidError
from core.forms import PortalForm

from .models import LevelSettings

ORDER_MESSAGE = "Порог высокого уровня должен быть выше порога дефицита."


class LevelSettingsForm(PortalForm):
    deficit_below = forms.DecimalField(
        label="Дефицит — индекс ниже", min_value=Decimal("0.01"), max_value=Decimal("1"), max_digits=3,
        decimal_places=2, localize=True, help_text="Например, 0,5",
        error_messages={"invalid": "Введите число от 0 до 1, например 0,5."})
    high_from = forms.DecimalField(
        label="Высокий уровень — индекс от", min_value=Decimal("0.01"), max_value=Decimal("1"), max_digits=3,
        decimal_places=2, localize=True, help_text="Например, 0,8",
        error_messages={"invalid": "Введите число от 0 до 1, например 0,8."})

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("deficit_below"), cleaned.get("high_from")
        if low is not None and high is not None and low >= high:
            self.add_error("high_from", ORDER_MESSAGE)
        return cleaned


def save_level_settings(district, *, deficit_below: Decimal, high_from: Decimal) -> LevelSettings:
    """Create or change the district's thresholds; refused (nothing changes) unless deficit_below < high_from."""
    with transaction.atomic():
        row = LevelSettings.objects.select_for_update().filter(district=district).first() or LevelSettings(
            district=district)
        row.deficit_below, row.high_from = deficit_below, high_from
        try:
            row.full_clean()
        except ValidationError as error:
            raise InvalidError(ORDER_MESSAGE if "high_from" in error.message_dict else "Пороги не сохранены.",
                               field_errors=error.message_dict) from error
        row.save()
        return row
