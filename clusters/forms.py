"""Registry forms: validation and choices scoped to the user; layout by crispy-bootstrap5."""
from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy

from core.forms import (
    DateInput,
    DistrictOwnedForm,
    PersonChoiceField,
    UserScopedForm,
    preselect_single_choices,
)
from core.permissions import can, roles_with
from core.widgets import TypeaheadSelect
from imc_portal.models import User

from .models import (
    Cluster,
    ClusterMembership,
    Community,
    CommunityMembership,
    Deficit,
    Event,
    IndividualRoute,
    InnovationParticipation,
    InnovationProject,
    Mentorship,
    Organisation,
    Teacher,
    TrainingCompletion,
    TrainingProgram,
)
from .selectors import (
    DISTRICT_WRITE,
    clusters_for_user,
    communities_for_user,
    organisations_for_user,
    teachers_for_user,
    training_programs_for_user,
)

# The pickers of the forms below search as the user types (core/widgets.py, views/typeahead.py): a
# district's thousands of teachers are never rendered as options. `mode=write`: the forms' choices.
TEACHER_SEARCH = reverse_lazy("clusters:typeahead", args=["teachers"])
ORGANISATION_SEARCH = reverse_lazy("clusters:typeahead", args=["organisations"])


def teacher_picker() -> TypeaheadSelect:
    return TypeaheadSelect(source=format_lazy("{}?mode=write", TEACHER_SEARCH), placeholder="Фамилия, имя или табельный номер")


def organisation_picker() -> TypeaheadSelect:
    return TypeaheadSelect(source=format_lazy("{}?mode=write", ORGANISATION_SEARCH), placeholder="Название или код организации")


class OrganisationForm(DistrictOwnedForm):
    class Meta:
        model = Organisation
        fields = ["code", "short_name", "full_name", "kind", "address", "email", "is_active"]
        widgets = {"full_name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not can(self.user, DISTRICT_WRITE):
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
        widgets = {"organisation": organisation_picker()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed organisations take no new teachers, but a teacher already there keeps theirs.
        self.fields["organisation"].queryset = organisations_for_user(self.user, write=True).filter(
            Q(is_active=True) | Q(pk=self.instance.organisation_id)
        )
        if not can(self.user, DISTRICT_WRITE):
            # Whoever keeps only their own organisation's teachers (a school administrator) adds them there.
            self.fields["organisation"].initial = self.user.organisation_id
            self.fields["organisation"].disabled = True
        preselect_single_choices(self)


class ClusterForm(DistrictOwnedForm):
    class Meta:
        model = Cluster
        fields = ["year", "name", "description", "curator"]
        field_classes = {"curator": PersonChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = district_methodists(self.user)


class MembershipForm(UserScopedForm):
    class Meta:
        model = ClusterMembership
        fields = ["cluster", "organisation", "tier", "theme", "project"]
        widgets = {"theme": forms.Textarea(attrs={"rows": 2}), "organisation": organisation_picker()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters_for_user(self.user, write=True)
        self.fields["organisation"].queryset = organisations_for_user(self.user, write=True)
        if not can(self.user, DISTRICT_WRITE):
            # A school keeps its own theme and project; the district decides cluster and tier.
            for name in ("cluster", "organisation", "tier"):
                self.fields[name].disabled = True
            self.fields["cluster"].queryset = clusters_for_user(self.user)
        preselect_single_choices(self)


# --- Communities, professional development, innovation, mentorship and events ---


class TeacherChoiceField(forms.ModelChoiceField):
    """Teachers by name with their organisation: namesakes are common in a district."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", teacher_picker())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Teacher) -> str:
        return f"{obj.full_name} ({obj.organisation.short_name})"


class MenteeChoiceField(TeacherChoiceField):
    def label_from_instance(self, obj: Teacher) -> str:
        label = super().label_from_instance(obj)
        return f"{label} — молодой педагог" if obj.is_young else label


def scoped_teachers(user, *keep_ids):
    """Working teachers the user may edit, plus those already chosen (a teacher who left keeps their records)."""
    return teachers_for_user(user, write=True).filter(Q(is_active=True) | Q(pk__in=[pk for pk in keep_ids if pk]))


def district_methodists(user):
    """Who may be named curator of a cluster or a community: the district's methodists."""
    if not user.district_id:
        return User.objects.none()
    return User.objects.filter(district=user.district, role__in=roles_with("registry.curate")).order_by(
        "last_name", "first_name", "username")


class ConstraintMessagesMixin:
    """Shows a violated check constraint as the rule it guards, in Russian.

    Django reports it as «Нарушено ограничение "mentorship_not_self"», which tells a methodist
    nothing; when the model's clean() already explained the same problem the two messages become
    one. `constraint_messages` maps a constraint name to its message.
    """

    constraint_messages: dict[str, str] = {}

    def _post_clean(self):
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS)
        if not errors:
            return
        readable = {
            str(constraint.get_violation_error_message()): self.constraint_messages[constraint.name]
            for constraint in self._meta.model._meta.constraints
            if constraint.name in self.constraint_messages
        }
        messages: list[str] = []
        for text in errors:
            text = readable.get(text, text)
            if text not in messages:
                messages.append(text)
        self._errors[NON_FIELD_ERRORS] = self.error_class(messages, error_class="nonfield", renderer=self.renderer)


def check_period(form: forms.Form, start: str, end: str, message: str) -> None:
    """An end date before the start date is an error on the end field."""
    starts, ends = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if starts and ends and ends < starts:
        form.add_error(end, message)


class CommunityForm(ConstraintMessagesMixin, DistrictOwnedForm):
    constraint_messages = {"community_dates_ordered": "Окончание работы сообщества раньше его начала."}

    class Meta:
        model = Community
        fields = ["kind", "name", "topic", "leader", "curator", "started_on", "ended_on"]
        field_classes = {"leader": TeacherChoiceField, "curator": PersonChoiceField}
        widgets = {"topic": forms.Textarea(attrs={"rows": 3}), "started_on": DateInput, "ended_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = scoped_teachers(self.user, self.instance.leader_id)
        self.fields["curator"].queryset = district_methodists(self.user)

    def clean(self):
        cleaned_data = super().clean()
        check_period(self, "started_on", "ended_on", "Окончание работы сообщества раньше его начала.")
        return cleaned_data


class CommunityMembershipForm(ConstraintMessagesMixin, UserScopedForm):
    """A member of one community; the view puts the community on the instance."""

    constraint_messages = {"community_membership_dates_ordered": "Дата выхода раньше даты вступления."}

    class Meta:
        model = CommunityMembership
        fields = ["teacher", "role", "joined_on", "left_on"]
        field_classes = {"teacher": TeacherChoiceField}
        widgets = {"joined_on": DateInput, "left_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = scoped_teachers(self.user, self.instance.teacher_id)
        preselect_single_choices(self)

    def clean(self):
        cleaned_data = super().clean()
        teacher, joined_on, left_on = (cleaned_data.get(k) for k in ("teacher", "joined_on", "left_on"))
        if teacher and joined_on and (left_on is None or left_on >= joined_on):
            # One teacher is in a community once at a time; a second row for the same period double-counts.
            overlapping = (
                CommunityMembership.objects.filter(community_id=self.instance.community_id, teacher=teacher)
                .exclude(pk=self.instance.pk)
                .filter(Q(left_on__isnull=True) | Q(left_on__gte=joined_on))
            )
            if left_on:
                overlapping = overlapping.filter(joined_on__lte=left_on)
            other = overlapping.order_by("joined_on").first()
            if other:
                period = f"с {other.joined_on:%d.%m.%Y}" + (f" по {other.left_on:%d.%m.%Y}" if other.left_on else "")
                self.add_error("teacher", f"Педагог уже состоит в этом сообществе в этот период ({period}).")
        return cleaned_data


class TrainingProgramForm(DistrictOwnedForm):
    class Meta:
        model = TrainingProgram
        fields = ["title", "hours", "provider"]


class TrainingCompletionForm(UserScopedForm):
    """A school administrator records courses of their own teachers only (the choices say so)."""

    class Meta:
        model = TrainingCompletion
        fields = ["teacher", "program", "completed_on", "based_on_diagnostics", "certificate_number"]
        field_classes = {"teacher": TeacherChoiceField}
        widgets = {"completed_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = scoped_teachers(self.user, self.instance.teacher_id)
        self.fields["program"].queryset = training_programs_for_user(self.user)
        preselect_single_choices(self)

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > timezone.localdate():
            raise forms.ValidationError("Дата окончания курса ещё не наступила.")
        return completed_on


class IndividualRouteForm(ConstraintMessagesMixin, UserScopedForm):
    constraint_messages = {"route_dates_ordered": "Окончание раньше начала."}

    deficits = forms.MultipleChoiceField(
        label="Устраняемые дефициты",
        choices=Deficit.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = IndividualRoute
        fields = ["teacher", "starts_on", "ends_on", "status", "deficits", "goals"]
        field_classes = {"teacher": TeacherChoiceField}
        widgets = {"starts_on": DateInput, "ends_on": DateInput, "goals": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = scoped_teachers(self.user, self.instance.teacher_id)
        preselect_single_choices(self)


class InnovationProjectForm(ConstraintMessagesMixin, DistrictOwnedForm):
    constraint_messages = {"innovation_dates_ordered": "Окончание проекта раньше его начала."}

    class Meta:
        model = InnovationProject
        fields = ["title", "lead_organisation", "level", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput, "lead_organisation": organisation_picker()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations_for_user(self.user, write=True).filter(
            Q(is_active=True) | Q(pk=self.instance.lead_organisation_id)
        )
        preselect_single_choices(self)

    def clean(self):
        cleaned_data = super().clean()
        check_period(self, "starts_on", "ends_on", "Окончание проекта раньше его начала.")
        return cleaned_data


class InnovationParticipationForm(UserScopedForm):
    """A participant of one project; the view puts the project on the instance."""

    class Meta:
        model = InnovationParticipation
        fields = ["teacher", "role"]
        field_classes = {"teacher": TeacherChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = scoped_teachers(self.user, self.instance.teacher_id)
        preselect_single_choices(self)

    def clean_teacher(self):
        teacher = self.cleaned_data["teacher"]
        taken = InnovationParticipation.objects.filter(project_id=self.instance.project_id, teacher=teacher)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Педагог уже участвует в этом проекте.")
        return teacher


class MentorshipForm(ConstraintMessagesMixin, UserScopedForm):
    # The model's clean() explains a self-pair; its constraint's technical message is folded into that.
    constraint_messages = {
        "mentorship_not_self": "Наставник и наставляемый должны быть разными педагогами.",
        "mentorship_dates_ordered": "Окончание наставничества раньше его начала.",
    }

    class Meta:
        model = Mentorship
        fields = ["mentor", "mentee", "starts_on", "ends_on", "notes"]
        field_classes = {"mentor": TeacherChoiceField, "mentee": MenteeChoiceField}
        widgets = {"starts_on": DateInput, "ends_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teachers = scoped_teachers(self.user, self.instance.mentor_id, self.instance.mentee_id)
        self.fields["mentor"].queryset = teachers
        self.fields["mentee"].queryset = teachers

    def clean(self):
        cleaned_data = super().clean()
        check_period(self, "starts_on", "ends_on", "Окончание наставничества раньше его начала.")
        return cleaned_data


class EventRecordForm(DistrictOwnedForm):
    """An event of the district (named so as not to clash with the EventForm choices of the model)."""

    class Meta:
        model = Event
        fields = [
            "title", "form", "level", "held_on", "organisers", "cluster", "community",
            "participants_count", "description",
        ]
        widgets = {
            "held_on": DateInput,
            "organisers": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = list(self.instance.organisers.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["organisers"].queryset = organisations_for_user(self.user, write=True).filter(
            Q(is_active=True) | Q(pk__in=chosen)
        )
        self.fields["cluster"].queryset = clusters_for_user(self.user, write=True)
        self.fields["community"].queryset = communities_for_user(self.user, write=True)
