"""Forms and list filters of the practice and mentor base; choices scoped to the user's district."""
from __future__ import annotations

import django_filters
from django import forms

from clusters.filters import PortalFilterSet
from clusters.forms import ORGANISATION_SEARCH
from core.forms import PortalForm, UserScopedForm
from core.permissions import can
from core.widgets import TypeaheadSelect

from .models import MentorProfile, Practice, PracticeForm
from .selectors_practices import (
    EDIT,
    district_clusters,
    district_clusters_all,
    district_events,
    district_organisations,
    district_pairs,
    district_tags,
    mentor_subjects,
    mentors_named,
    mentors_teaching,
    practice_subjects,
    practice_years,
    search_practices,
    teachers_for_mentoring,
)
from .services.practices import ALLOWED_LABEL, max_file_bytes, tags_text


def organisation_search() -> TypeaheadSelect:
    """The district's organisations searched as the user types (clusters:typeahead, read scope); the field's
    queryset below still decides what may be saved."""
    return TypeaheadSelect(ORGANISATION_SEARCH, placeholder="Название или код организации")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the service checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        cleaned, problems = [], []
        for item in items:
            try:
                cleaned.append(super().clean(item, initial))
            except forms.ValidationError as error:  # e.g. an empty file: say which one
                problems += [f"«{getattr(item, 'name', '')}»: {message}" for message in error.messages]
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class PracticeEditForm(UserScopedForm):
    tags_text = forms.CharField(label="Метки", required=False, max_length=1000,
                                help_text="Через запятую, например: формирующее оценивание, ОГЭ")
    files = MultipleFileField(label="Файлы", required=False)

    class Meta:
        model = Practice
        fields = ["title", "authors", "organisation", "cluster", "subject", "form", "year", "description",
                  "pairs", "event"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "pairs": forms.CheckboxSelectMultiple,
                   "organisation": organisation_search()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["files"].help_text = (f"Можно выбрать несколько. {ALLOWED_LABEL}; "
                                          f"не больше {max_file_bytes() // (1024 * 1024)} МБ каждый.")
        self.fields["tags_text"].initial = tags_text(self.instance)
        self.fields["cluster"].queryset = district_clusters(user).distinct()
        self.fields["pairs"].queryset = district_pairs(user)
        self.fields["event"].queryset = district_events(user)
        if can(user, EDIT):
            self.fields["organisation"].queryset = district_organisations(user)
        else:
            # A school contributes its own practices only: the organisation is theirs, not a choice.
            del self.fields["organisation"]
        if not self.fields["pairs"].queryset.exists():
            del self.fields["pairs"]


class PracticeFilter(PortalFilterSet):
    q = django_filters.CharFilter(label="Поиск", method="filter_search",
                                  help_text="Название, авторы, предмет, описание, метки")
    year = django_filters.TypedChoiceFilter(label="Год", coerce=int)
    form = django_filters.ChoiceFilter(label="Форма", choices=PracticeForm.choices)
    subject = django_filters.ChoiceFilter(label="Предмет")
    # A plain select: school administrators read the district's practices but search only their own organisation.
    organisation = django_filters.ModelChoiceFilter(label="Организация", queryset=None)
    cluster = django_filters.ModelChoiceFilter(label="Кластер", queryset=None)
    tag = django_filters.ModelChoiceFilter(label="Метка", field_name="tags", queryset=None)
    # Set by the «все» link of an event's panel; not a visible choice of the filter bar.
    event = django_filters.NumberFilter(field_name="event", widget=forms.HiddenInput)
    verified = django_filters.BooleanFilter(label="Проверено методистом", field_name="is_verified")

    class Meta:
        model = Practice
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        filters = self.filters
        filters["year"].extra["choices"] = [(y, y) for y in practice_years(user)]
        filters["subject"].extra["choices"] = [(s, s) for s in practice_subjects(user)]
        filters["organisation"].queryset = district_organisations(user)
        filters["cluster"].queryset = district_clusters_all(user)
        filters["tag"].queryset = district_tags(user)

    def filter_search(self, queryset, name, value):
        return search_practices(queryset, value)


# --- mentors ----------------------------------------------------------------------------------------


class MentorEditForm(UserScopedForm):
    """The teacher is chosen among one organisation's teachers (the district has thousands):
    the page first asks for the organisation, then lists its teachers."""

    class Meta:
        model = MentorProfile
        fields = ["teacher", "subjects", "competencies", "is_active"]
        widgets = {"competencies": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The profile stays the same person's; another teacher is another profile.
            self.fields["teacher"].queryset = type(self.instance.teacher).objects.filter(pk=self.instance.teacher_id)
            self.fields["teacher"].disabled = True
            self.fields["teacher"].empty_label = None  # one fixed choice: no «---------» above it
        else:
            self.fields["teacher"].queryset = teachers_for_mentoring(self.user, organisation_id).exclude(
                mentor_profile__isnull=False
            )
        self.fields["teacher"].label_from_instance = lambda t: f"{t.full_name} — {t.position}"
        self.fields["subjects"].help_text = "Через запятую, например: Математика, Физика"


class MentorOrganisationForm(PortalForm):
    """Step one of a new mentor: whose teachers to list."""

    organisation = forms.ModelChoiceField(label="Организация педагога", queryset=None, widget=organisation_search())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = district_organisations(user).filter(is_active=True)


class MentorFilter(PortalFilterSet):
    q = django_filters.CharFilter(label="ФИО", method="filter_name")
    subject = django_filters.ChoiceFilter(label="Предмет", method="filter_subject")
    organisation = django_filters.ModelChoiceFilter(label="Организация", field_name="teacher__organisation",
                                                    queryset=None, widget=organisation_search())
    is_active = django_filters.BooleanFilter(label="Готов наставлять")

    class Meta:
        model = MentorProfile
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["subject"].extra["choices"] = [(s, s) for s in mentor_subjects(user)]
        self.filters["organisation"].queryset = district_organisations(user)

    def filter_name(self, queryset, name, value):
        return mentors_named(queryset, value)

    def filter_subject(self, queryset, name, value):
        return mentors_teaching(queryset, value)
