"""The campaign form: shape of the input only; the rules live in services.campaign_create/update."""
from __future__ import annotations

from django import forms
from django.utils import timezone

from clusters.models import Organisation
from core.forms import PortalForm

from .models import Campaign
from .selectors import questionnaires_for_user

# <input type="datetime-local"> sends 2021-12-17T09:00; people typing by hand write 17.12.2021 09:00.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATETIME_INPUT_FORMATS = [DATETIME_LOCAL, "%d.%m.%Y %H:%M", "%d.%m.%Y"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format=DATETIME_LOCAL)


class QuestionnaireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        whose = "общая" if obj.district_id is None else "района"
        return f"{obj} — {obj.get_audience_display()}, {whose}"


class CampaignForm(PortalForm):
    questionnaire = QuestionnaireChoiceField(label="Анкета", queryset=None, empty_label="— выберите анкету —")
    title = forms.CharField(label="Название кампании", max_length=300,
                            help_text="Например: «Анкета молодых педагогов, май 2021»")
    opens_at = forms.DateTimeField(label="Начало приёма ответов", widget=DateTimeLocalInput(),
                                   input_formats=DATETIME_INPUT_FORMATS)
    closes_at = forms.DateTimeField(label="Окончание приёма ответов", widget=DateTimeLocalInput(),
                                    input_formats=DATETIME_INPUT_FORMATS)
    all_organisations = forms.BooleanField(
        label="Все действующие организации района", required=False, initial=True,
        help_text="Снимите отметку и выберите организации ниже, чтобы адресовать анкету только им.",
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Организации", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, campaign: Campaign | None = None, **kwargs):
        if campaign is not None and not kwargs.get("initial"):
            chosen = list(campaign.organisations.all())
            kwargs["initial"] = {
                "questionnaire": campaign.questionnaire_id, "title": campaign.title,
                "opens_at": timezone.localtime(campaign.opens_at), "closes_at": timezone.localtime(campaign.closes_at),
                "all_organisations": not chosen, "organisations": chosen,
            }
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = questionnaires_for_user(user).order_by("title", "-version")
        self.fields["organisations"].queryset = Organisation.objects.filter(
            district_id=user.district_id, is_active=True
        ).order_by("short_name")

    def clean(self):
        data = super().clean()
        if not data.get("all_organisations") and not data.get("organisations"):
            self.add_error("organisations", "Выберите организации или отметьте «Все действующие организации района».")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "questionnaire": data.get("questionnaire"), "title": data.get("title", ""),
            "opens_at": data.get("opens_at"), "closes_at": data.get("closes_at"),
            "organisations": [] if data.get("all_organisations") else list(data.get("organisations") or []),
        }
