"""Forms of the ИОМ pages: the list's filter and a route step."""
from __future__ import annotations

from django import forms

from clusters.models import Community, Organisation, RouteStatus, Teacher, TrainingProgram
from core.forms import PortalForm, PortalModelForm
from core.permissions import can

from .models import Area, RouteStep


class RouteFilterForm(PortalForm):
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "все"), *RouteStatus.choices])
    organisation = forms.ModelChoiceField(label="Организация", required=False, queryset=Organisation.objects.none(),
                                          empty_label="все")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if can(user, "diagnostics.view") and user.district_id:
            self.fields["organisation"].queryset = Organisation.objects.filter(district_id=user.district_id)
        else:  # a school administrator sees only their own organisation: no choice to offer
            del self.fields["organisation"]


class RouteStepForm(PortalModelForm):
    class Meta:
        model = RouteStep
        fields = ["position", "kind", "area", "title", "training_program", "mentor", "community", "due_on", "status"]
        widgets = {"title": forms.Textarea(attrs={"rows": 3}), "due_on": forms.DateInput(attrs={"type": "date"},
                                                                                        format="%Y-%m-%d")}

    def __init__(self, *args, route, **kwargs):
        super().__init__(*args, **kwargs)
        district_id = route.teacher.organisation.district_id
        self.fields["area"].queryset = Area.objects.all()
        self.fields["training_program"].queryset = TrainingProgram.objects.filter(
            district_id=district_id) | TrainingProgram.objects.filter(district__isnull=True)
        self.fields["mentor"].queryset = (Teacher.objects.filter(organisation__district_id=district_id)
                                          .exclude(pk=route.teacher_id).select_related("organisation"))
        self.fields["community"].queryset = Community.objects.filter(district_id=district_id)
