"""Forms of the pairs pages: the list filter, the methodist's decisions, the plan of activities.

Input validation and choices only; the writes and their refusals are in network/services/pairs.py.
"""
from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from clusters.models import Cluster, Organisation
from clusters.selectors import clusters_for_user
from core.forms import DateInput, PortalForm, PortalModelForm

from .forms_practices import organisation_search
from .models import OrganisationPair, PairActivity, PairStatus
from .selectors import pair_teacher_choices


class PairFilter(django_filters.FilterSet):
    """Year, cluster, status and organisation (as mentor or mentee); choices from the user's pairs."""

    year = django_filters.NumberFilter(field_name="cluster__year", label="Год")
    cluster = django_filters.ModelChoiceFilter(queryset=None, label="Кластер")
    status = django_filters.ChoiceFilter(choices=PairStatus.choices, label="Статус")
    organisation = django_filters.ModelChoiceFilter(queryset=None, label="Организация", method="filter_organisation")

    class Meta:
        model = OrganisationPair
        fields = ["year", "cluster", "status", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = self.queryset  # already the user's scope
        # Every cluster the user reads (not only those with pairs): after «Предложить пары» the list opens
        # filtered by the cluster even when no pair could be made there.
        user = getattr(self.request, "user", None)
        self.filters["cluster"].queryset = (
            clusters_for_user(user).order_by("-year", "name") if user is not None else Cluster.objects.none()
        )
        self.filters["organisation"].queryset = Organisation.objects.filter(
            Q(pk__in=base.values("mentor_organisation_id")) | Q(pk__in=base.values("mentee_organisation_id"))
        ).order_by("short_name")

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(Q(mentor_organisation=value) | Q(mentee_organisation=value))


class PairConfirmForm(PortalForm):
    # Required here too (the service also refuses), so the labels carry the asterisk before the first submit.
    goal = forms.CharField(label="Цель пары", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Укажите цель пары."})
    starts_on = forms.DateField(label="Начало работы", widget=DateInput(),
                                error_messages={"required": "Укажите дату начала работы пары."})
    ends_on = forms.DateField(label="Окончание (план)", widget=DateInput(), required=False)


class PairRejectForm(PortalForm):
    reason = forms.CharField(label="Причина отклонения", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Укажите причину отклонения."})


class PairCompleteForm(PortalForm):
    ends_on = forms.DateField(label="Дата окончания", widget=DateInput(), required=False,
                              help_text="Пусто — сегодня (или плановая дата окончания, если она указана)")


class PairForm(PortalForm):
    """The methodist's edit of a proposed or active pair. The mentor is any member of the pair's cluster;
    mentor teachers come from the two organisations of the pair only (a select of two schools)."""

    mentor_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="ТОП-организация (наставник)",
        help_text="Любая другая организация кластера", widget=organisation_search(),
    )
    subject = forms.CharField(label="Предмет", max_length=100, required=False)
    goal = forms.CharField(label="Цель", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = forms.DateField(label="Начало", widget=DateInput(), required=False)
    ends_on = forms.DateField(label="Окончание", widget=DateInput(), required=False)
    mentor_teachers = forms.ModelMultipleChoiceField(
        queryset=None, label="Педагоги-наставники", required=False,
        help_text="Из базы наставников и реестра наставничества обеих организаций пары; "
                  "после смены ТОП-организации сохраните, чтобы выбрать её педагогов",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, pair: OrganisationPair, **kwargs):
        self.pair = pair
        # FormView always passes `initial` (empty): the pair's current values go under it, not instead of it.
        kwargs["initial"] = {
            "mentor_organisation": pair.mentor_organisation_id, "subject": pair.subject, "goal": pair.goal,
            "starts_on": pair.starts_on, "ends_on": pair.ends_on,
            "mentor_teachers": list(pair.mentor_teachers.values_list("pk", flat=True)),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        members = Organisation.objects.filter(cluster_memberships__cluster=pair.cluster).exclude(
            pk=pair.mentee_organisation_id).order_by("short_name")
        self.fields["mentor_organisation"].queryset = members
        mentor_id = self._posted_mentor_id(members)
        self.fields["mentor_teachers"].queryset = pair_teacher_choices(pair, mentor_id)
        self.fields["mentor_teachers"].label_from_instance = lambda t: f"{t.full_name} — {t.organisation.short_name}"

    def _posted_mentor_id(self, members) -> int | None:
        # A mentor organisation chosen in the same POST: its teachers become choosable at once.
        raw = self.data.get(self.add_prefix("mentor_organisation")) if self.is_bound else None
        if raw and str(raw).isdigit() and members.filter(pk=int(raw)).exists():
            return int(raw)
        return None

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "Дата окончания раньше даты начала.")
        return cleaned


class ActivityForm(PortalModelForm):
    class Meta:
        model = PairActivity
        fields = ["form", "topic", "held_on", "responsible", "status", "result"]
        widgets = {"held_on": DateInput(), "result": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"result": "Обязателен для проведённого мероприятия"}
