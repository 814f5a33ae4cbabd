"""Forms of the tiers pages: the district's thresholds and the methodist's tier with its reason."""
from __future__ import annotations

from decimal import Decimal

from django import forms

from clusters.models import Tier
from core.forms import PortalForm

from .services.tiers import REASON_REQUIRED

THRESHOLDS_ORDER = "Порог отстающих должен быть ниже порога ТОП."


def _threshold(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, help_text=help_text, max_digits=4, decimal_places=2, localize=True,
                              min_value=Decimal("-10"), max_value=Decimal("10"),
                              error_messages={"required": "Укажите порог.", "invalid": "Введите число, например 0,5."})


class TierSettingsForm(PortalForm):
    top_threshold = _threshold("Порог ТОП", "ТОП — индекс результатов не ниже этого числа (по умолчанию 0,5).")
    lagging_threshold = _threshold("Порог отстающих",
                                   "Отстающая — индекс не выше этого числа (по умолчанию −0,5).")
    max_mentees = forms.IntegerField(label="Отстающих на одну ТОП-организацию", min_value=1, max_value=10,
                                     help_text="Сколько отстающих организаций может сопровождать одна ТОП-организация.")

    def clean(self):
        data = super().clean()
        top, lagging = data.get("top_threshold"), data.get("lagging_threshold")
        if top is not None and lagging is not None and lagging >= top:
            self.add_error("lagging_threshold", THRESHOLDS_ORDER)
        return data


class TierOverrideForm(PortalForm):
    tier = forms.ChoiceField(label="Уровень", choices=Tier.choices,
                             error_messages={"invalid_choice": "Выберите уровень из списка."})
    reason = forms.CharField(label="Основание", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             error_messages={"required": REASON_REQUIRED})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REASON_REQUIRED)
        return reason
