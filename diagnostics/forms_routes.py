"""Forms of the ИОМ pages: the list's filter and a route step."""
from __future__ import annotations

from django import forms
from django.urls import reverse

from clusters.forms import ORGANISATION_SEARCH
from clusters.models import Community, Organisation, RouteStatus, Teacher, TrainingProgram
from core.forms import PortalForm, PortalModelForm
from core.permissions import can
from core.widgets import TypeaheadSelect

from .models import Area, RouteStep


class RouteFilterForm(PortalForm):
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "все"), *RouteStatus.choices])
    # Type-ahead (core/widgets.py): the page carries the chosen organisation only, not the district's hundreds.
    organisation = forms.ModelChoiceField(label="Организация", required=False, queryset=Organisation.objects.none(),
                                          empty_label="все",
                                          widget=TypeaheadSelect(ORGANISATION_SEARCH, placeholder="Название или код"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if can(user, "diagnostics.view") and user.district_id:
            self.fields["organisation"].queryset = Organisation.objects.filter(district_id=user.district_id)
        else:  # a school administrator sees only their own organisation: no choice to offer
            del self.fields["organisation"]


def mentor_choices(route):
    """A step's mentor: any teacher of the route's district but the route's own teacher."""
    return (Teacher.objects.filter(organisation__district_id=route.teacher.organisation.district_id)
            .exclude(pk=route.teacher_id).select_related("organisation"))


def mentor_label(teacher) -> str:
    return f"{teacher.full_name} ({teacher.organisation.short_name})"


class RouteStepForm(PortalModelForm):
    class Meta:
        model = RouteStep
        fields = ["position", "kind", "area", "title", "training_program", "mentor", "community", "due_on", "status"]
        widgets = {"title": forms.Textarea(attrs={"rows": 3}), "due_on": forms.DateInput(attrs={"type": "date"},
                                                                                        format="%Y-%m-%d"),
                   "mentor": TypeaheadSelect("", placeholder="Фамилия, имя или табельный номер")}

    def __init__(self, *args, route, **kwargs):
        super().__init__(*args, **kwargs)
        district_id = route.teacher.organisation.district_id
        self.fields["area"].queryset = Area.objects.all()
        self.fields["training_program"].queryset = TrainingProgram.objects.filter(
            district_id=district_id) | TrainingProgram.objects.filter(district__isnull=True)
        self.fields["mentor"].queryset = mentor_choices(route)
        # The district's thousands of teachers are searched as the user types (the route's own search,
        # views/route_mentors.py: the same choices), never all rendered; the field checks the id against them.
        self.fields["mentor"].widget.source = reverse("diagnostics:route_mentors", args=[route.pk])
        self.fields["mentor"].label_from_instance = mentor_label
        self.fields["community"].queryset = Community.objects.filter(district_id=district_id)
