"""Forms of the annual plan: an event of the plan (every plan field, the district's own forms next to the
shipped ones), a district's own form, the plan's filters, the XLSX upload."""
from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy

from clusters.forms import ORGANISATION_SEARCH
from clusters.models import DistrictEventForm, Event, EventForm, EventStatus
from clusters.selectors import clusters_for_user, communities_for_user, organisations_for_user
from core.forms import DateInput, DistrictOwnedForm, PortalForm, PortalModelForm
from core.widgets import TypeaheadSelectMultiple

from .selectors import CUSTOM_PREFIX, ORGANISER_KINDS, district_forms, form_choices


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class PlanEventForm(DistrictOwnedForm):
    """An event of the plan. The form is one choice: a shipped form, or "custom:<pk>" — a district's own
    form, stored as form «другое» + custom_form."""

    form_choice = forms.ChoiceField(label="Форма мероприятия")
    online_url = forms.URLField(label="Ссылка на онлайн-трансляцию", required=False, max_length=500,
                                assume_scheme="https", help_text="Только https://…; пусто — мероприятие очное.")

    class Meta:
        model = Event
        fields = [
            "title", "level", "held_on", "starts_at", "ends_at", "place", "online_url", "audience", "capacity",
            "organised_by_imc", "organisers", "cluster", "community", "hours", "registration_open",
            "public_registration", "description", "result",
        ]
        widgets = {
            "held_on": DateInput,
            "starts_at": TimeInput,
            "ends_at": TimeInput,
            "organisers": TypeaheadSelectMultiple(format_lazy("{}?mode=write", ORGANISATION_SEARCH),
                                                  placeholder="Название или код организации"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "capacity": "Пусто — без ограничения числа мест.",
            "hours": "От 1 до 72 ч; заполняется, если участникам выдаются сертификаты о краткосрочном "
                     "повышении квалификации.",
            "result": "Заполняется после проведения.",
        }

    field_order = ["title", "form_choice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_held_on = self.instance.held_on if self.instance.pk else None
        self.fields["form_choice"].choices = [("", "— выберите —"), *form_choices(self.user.district_id)]
        if self.instance.pk:
            self.fields["form_choice"].initial = (
                f"{CUSTOM_PREFIX}{self.instance.custom_form_id}" if self.instance.custom_form_id
                else self.instance.form)
        chosen = list(self.instance.organisers.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["organisers"].queryset = organisations_for_user(self.user, write=True).filter(
            Q(is_active=True) | Q(pk__in=chosen)).order_by("short_name")
        self.fields["organisers"].required = False
        self.fields["cluster"].queryset = clusters_for_user(self.user, write=True)
        self.fields["community"].queryset = communities_for_user(self.user, write=True)
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["hours"].widget.attrs.update(min=1, max=72)

    def clean_form_choice(self):
        value = self.cleaned_data["form_choice"]
        if value.startswith(CUSTOM_PREFIX):
            raw = value[len(CUSTOM_PREFIX):]
            custom = district_forms(self.user.district_id).filter(pk=int(raw)).first() if raw.isdigit() else None
            if custom is None:
                raise forms.ValidationError("Такой формы мероприятия в районе нет.")
            return (EventForm.OTHER, custom)
        if value not in EventForm.values:
            raise forms.ValidationError("Выберите форму мероприятия из списка.")
        return (value, None)

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError("Число мест — не меньше 1; оставьте поле пустым, если мест без ограничения.")
        return capacity

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if hours is not None and not 1 <= hours <= 72:
            raise forms.ValidationError("Объём — от 1 до 72 часов (или оставьте поле пустым).")
        return hours

    def clean_online_url(self):
        url = (self.cleaned_data.get("online_url") or "").strip()
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError("Ссылка должна начинаться с https:// (защищённое соединение).")
        return url

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if ends is not None and starts is None and "starts_at" not in self.errors:
            self.add_error("starts_at", "Укажите время начала, если указано время окончания.")
        elif starts is not None and ends is not None and ends <= starts:
            self.add_error("ends_at", "Время окончания должно быть позже времени начала.")
        held_on = cleaned.get("held_on")
        if (self.instance.pk and self.instance.status in (EventStatus.HELD, EventStatus.CANCELLED)
                and held_on and held_on != self.original_held_on and held_on > timezone.localdate()):
            status = "проведённого" if self.instance.status == EventStatus.HELD else "отменённого"
            self.add_error("held_on", f"Дату {status} мероприятия нельзя перенести в будущее. "
                                      "Сначала верните мероприятие в план.")
        return cleaned

    def apply_form_choice(self) -> None:
        form, custom = self.cleaned_data["form_choice"]
        self.instance.form = form
        self.instance.custom_form = custom


class DistrictEventFormForm(PortalModelForm):
    """A district's own form of event (add or rename). Its name may not repeat a shipped form's."""

    class Meta:
        model = DistrictEventForm
        fields = ["name"]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.instance.district = district

    def clean_name(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name:
            raise forms.ValidationError("Укажите название формы.")
        key = name.casefold().replace("ё", "е")
        if any(key == str(label).casefold().replace("ё", "е") for label in EventForm.labels):
            raise forms.ValidationError(f"Форма «{name}» уже есть среди форм портала — выберите её в списке.")
        # Compared in Python: SQLite's case-insensitive match knows only Latin letters.
        others = DistrictEventForm.objects.filter(district=self.district).exclude(pk=self.instance.pk)
        if any(key == other.casefold().replace("ё", "е") for other in others.values_list("name", flat=True)):
            raise forms.ValidationError(f"Форма «{name}» в районе уже есть.")
        return name


class PlanUploadForm(PortalForm):
    file = forms.FileField(label="Файл XLSX с планом мероприятий",
                           error_messages={"required": "Выберите файл XLSX с планом мероприятий."})


class PlanFilterForm(PortalForm):
    """The plan's filters as shown (the values are checked again by selectors.PlanFilters)."""

    form = forms.ChoiceField(label="Форма", required=False)
    status = forms.ChoiceField(label="Статус", required=False,
                               choices=[("", "Все статусы"), *EventStatus.choices])
    organiser = forms.ChoiceField(label="Организатор", required=False,
                                  choices=[("", "Все организаторы"), *ORGANISER_KINDS])

    def __init__(self, *args, district_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", "Все формы"), *form_choices(district_id)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
