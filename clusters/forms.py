"""Registry forms: validation and choices scoped to the user; layout by crispy-bootstrap5."""
from __future__ import annotations

from django import forms
from django.db.models import Q

from .models import Cluster, ClusterMembership, Organisation, Teacher
from .selectors import clusters_for_user, organisations_for_user


class UserScopedForm(forms.ModelForm):
    """Model forms whose choices come from the user's scope; `user` is passed by the view."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class DistrictOwnedForm(UserScopedForm):
    """Objects owned by the user's district; the district is set here, never typed in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.district_id is None:
            self.instance.district = self.user.district

    def validate_unique(self):
        super().validate_unique()
        # Django skips constraints on fields outside the form; (district, code) must still be checked.
        model_fields = {f.name for f in self.instance._meta.fields}
        exclude = model_fields - set(self.fields) - {"district"}
        exclude |= set(self.errors)
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self.add_error(None, error)


class OrganisationForm(DistrictOwnedForm):
    class Meta:
        model = Organisation
        fields = ["code", "short_name", "full_name", "kind", "address", "email", "is_active"]
        widgets = {"full_name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user.is_school_admin:
            # The code is the import key and the district's business; a school may not change it.
            for name in ("code", "is_active"):
                self.fields[name].disabled = True



class TeacherForm(UserScopedForm):
    class Meta:
        model = Teacher
        fields = [
            "organisation",
            "personnel_number",
            "full_name",
            "position",
            "subject_area",
            "experience_years",
            "birth_year",
            "category",
            "education",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed organisations take no new teachers, but a teacher already there keeps theirs.
        self.fields["organisation"].queryset = organisations_for_user(self.user, write=True).filter(
            Q(is_active=True) | Q(pk=self.instance.organisation_id)
        )
        if self.user.is_school_admin:
            self.fields["organisation"].initial = self.user.organisation_id
            self.fields["organisation"].disabled = True


class ClusterForm(DistrictOwnedForm):
    class Meta:
        model = Cluster
        fields = ["year", "name", "description", "curator"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from imc_portal.models import Role, User

        self.fields["curator"].queryset = User.objects.filter(district=self.user.district, role=Role.METHODIST)


class MembershipForm(UserScopedForm):
    class Meta:
        model = ClusterMembership
        fields = ["cluster", "organisation", "tier", "theme", "project"]
        widgets = {"theme": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters_for_user(self.user, write=True)
        self.fields["organisation"].queryset = organisations_for_user(self.user, write=True)
        if self.user.is_school_admin:
            # A school keeps its own theme and project; the district decides cluster and tier.
            for name in ("cluster", "organisation", "tier"):
                self.fields[name].disabled = True
            self.fields["cluster"].queryset = clusters_for_user(self.user)
