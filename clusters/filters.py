"""List filters of the registry screens; the XLSX export of a list reuses the same filter."""
import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone

from core.search import matching
from core.widgets import TypeaheadSelect

from .models import (
    YOUNG_TEACHER_AGE,
    ActivityLevel,
    Cluster,
    ClusterMembership,
    Community,
    CommunityKind,
    Deficit,
    Event,
    IndividualRoute,
    InnovationProject,
    Mentorship,
    Organisation,
    OrganisationKind,
    RouteStatus,
    Teacher,
    Tier,
    TrainingCompletion,
    TrainingProgram,
)
from .models import EventForm as EventFormat
from .selectors import clusters_for_user, mentorships_of_organisation, organisations_for_user

ALL_CHOICE = "Все"  # choice filters get it from settings.FILTERS_EMPTY_CHOICE_LABEL


class PortalFilterSet(django_filters.FilterSet):
    """Yes/no filters read «Все» / «Да» / «Нет» instead of django-filter's «Неизвестно»."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_portal_labels", False):
            for field in form.fields.values():
                if isinstance(field, forms.NullBooleanField):
                    field.widget = forms.Select(choices=[("", ALL_CHOICE), ("true", "Да"), ("false", "Нет")])
            form._portal_labels = True
        return form


class SearchFilterMixin(PortalFilterSet):
    """A single «Поиск» box: every word typed, in any order and case, «ё» or «е», is found in one of the
    normalised `search_fields` (core/search.py)."""

    q = django_filters.CharFilter(label="Поиск", method="filter_search")
    search_fields: tuple[str, ...] = ("search_text",)

    def filter_search(self, queryset, name, value):
        return matching(queryset, value, self.search_fields)


class OrganisationFilter(SearchFilterMixin):
    kind = django_filters.ChoiceFilter(label="Тип", choices=OrganisationKind.choices, empty_label="Все типы")
    is_active = django_filters.BooleanFilter(label="Действующая")
    cluster_year = django_filters.NumberFilter(
        label="В кластере в году", field_name="cluster_memberships__cluster__year", distinct=True
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "is_active", "cluster_year"]


def organisation_filter_picker() -> TypeaheadSelect:
    """The «Организация» filter searches as the user types (clusters:typeahead): no list of the district's schools."""
    return TypeaheadSelect(source=reverse_lazy("clusters:typeahead", args=["organisations"]),
                           placeholder="Все организации")


class TeacherFilter(SearchFilterMixin):
    organisation = django_filters.ModelChoiceFilter(label="Организация", queryset=Organisation.objects.none(),
                                                    widget=organisation_filter_picker())
    category = django_filters.ChoiceFilter(label="Категория", choices=Teacher._meta.get_field("category").choices)
    is_active = django_filters.BooleanFilter(label="Работает")

    class Meta:
        model = Teacher
        fields = ["q", "organisation", "category", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.filters["organisation"].queryset = organisations_for_user(self.request.user)


class ClusterFilter(SearchFilterMixin):
    year = django_filters.NumberFilter(label="Год")

    class Meta:
        model = Cluster
        fields = ["q", "year"]


class MembershipFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label="Год", field_name="cluster__year")
    tier = django_filters.ChoiceFilter(label="Уровень", choices=Tier.choices)

    class Meta:
        model = ClusterMembership
        fields = ["year", "tier"]


# --- Communities, professional development, innovation, mentorship and events ---


class ScopedOrganisationFilterMixin(PortalFilterSet):
    """An «Организация» choice limited to the organisations the user may see."""

    organisation_filters: tuple[str, ...] = ("organisation",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            for name in self.organisation_filters:
                self.filters[name].queryset = organisations_for_user(self.request.user)


class CommunityFilter(SearchFilterMixin):
    search_fields = ("search_text", "leader__search_text")
    kind = django_filters.ChoiceFilter(label="Вид", choices=CommunityKind.choices, empty_label="Все виды")
    has_leader = django_filters.BooleanFilter(label="Есть руководитель", method="filter_has_leader")

    class Meta:
        model = Community
        fields = ["q", "kind", "has_leader"]

    def filter_has_leader(self, queryset, name, value):
        return queryset.filter(leader__isnull=not value)


class TrainingProgramFilter(SearchFilterMixin):
    hours = django_filters.NumberFilter(label="Объём, ч")

    class Meta:
        model = TrainingProgram
        fields = ["q", "hours"]


class TrainingCompletionFilter(ScopedOrganisationFilterMixin, SearchFilterMixin):
    search_fields = ("teacher__search_text", "program__search_text", "search_text")
    organisation = django_filters.ModelChoiceFilter(
        label="Организация", field_name="teacher__organisation", queryset=Organisation.objects.none(),
        widget=organisation_filter_picker(),
        empty_label="Все организации",
    )
    year = django_filters.NumberFilter(label="Год", field_name="completed_on", lookup_expr="year")
    based_on_diagnostics = django_filters.BooleanFilter(label="По диагностике дефицитов")

    class Meta:
        model = TrainingCompletion
        fields = ["q", "organisation", "year", "based_on_diagnostics"]


class IndividualRouteFilter(ScopedOrganisationFilterMixin, SearchFilterMixin):
    search_fields = ("teacher__search_text", "search_text")
    status = django_filters.ChoiceFilter(label="Статус", choices=RouteStatus.choices, empty_label="Все статусы")
    deficit = django_filters.ChoiceFilter(
        label="Дефицит", choices=Deficit.choices, empty_label="Все дефициты", method="filter_deficit"
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Организация", field_name="teacher__organisation", queryset=Organisation.objects.none(),
        widget=organisation_filter_picker(),
        empty_label="Все организации",
    )

    class Meta:
        model = IndividualRoute
        fields = ["q", "status", "deficit", "organisation"]

    def filter_deficit(self, queryset, name, value):
        # `deficits` is a JSON list; the quoted code matches one whole element on SQLite and PostgreSQL
        # alike (no code is a part of another once quoted), where `contains` works on PostgreSQL only.
        return queryset.filter(deficits__icontains=f'"{value}"')


class InnovationProjectFilter(ScopedOrganisationFilterMixin, SearchFilterMixin):
    organisation_filters = ("lead_organisation",)
    search_fields = ("search_text", "lead_organisation__search_text")
    level = django_filters.ChoiceFilter(label="Уровень", choices=ActivityLevel.choices, empty_label="Все уровни")
    year = django_filters.NumberFilter(label="Реализуется в году", method="filter_year")
    lead_organisation = django_filters.ModelChoiceFilter(
        label="Ведущая организация", queryset=Organisation.objects.none(),
        widget=organisation_filter_picker(), empty_label="Все организации"
    )

    class Meta:
        model = InnovationProject
        fields = ["q", "level", "year", "lead_organisation"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(starts_on__year__lte=year).filter(Q(ends_on__isnull=True) | Q(ends_on__year__gte=year))


class MentorshipFilter(ScopedOrganisationFilterMixin, SearchFilterMixin):
    search_fields = ("mentor__search_text", "mentee__search_text", "search_text")
    organisation = django_filters.ModelChoiceFilter(
        label="Организация", queryset=Organisation.objects.none(),
        widget=organisation_filter_picker(), method="filter_organisation",
        empty_label="Все организации",
    )
    current = django_filters.BooleanFilter(label="Действует", method="filter_current")
    young_mentee = django_filters.BooleanFilter(label="Наставляемый — молодой педагог", method="filter_young_mentee")

    class Meta:
        model = Mentorship
        fields = ["q", "organisation", "current", "young_mentee"]

    def filter_organisation(self, queryset, name, value):
        return mentorships_of_organisation(queryset, value.pk)

    def filter_current(self, queryset, name, value):
        current = Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
        return queryset.filter(current) if value else queryset.exclude(current)

    def filter_young_mentee(self, queryset, name, value):
        # Teacher.is_young in the database: born less than YOUNG_TEACHER_AGE years before this year.
        young = Q(mentee__birth_year__gt=timezone.localdate().year - YOUNG_TEACHER_AGE)
        return queryset.filter(young) if value else queryset.exclude(young)


class EventFilter(ScopedOrganisationFilterMixin, SearchFilterMixin):
    organisation_filters = ("organiser",)
    # Not called `form`: a FilterSet already has a `form` attribute.
    event_form = django_filters.ChoiceFilter(
        label="Форма", field_name="form", choices=EventFormat.choices, empty_label="Все формы"
    )
    level = django_filters.ChoiceFilter(label="Уровень", choices=ActivityLevel.choices, empty_label="Все уровни")
    year = django_filters.NumberFilter(label="Год", field_name="held_on", lookup_expr="year")
    cluster = django_filters.ModelChoiceFilter(
        label="Кластер", queryset=Cluster.objects.none(), empty_label="Все кластеры"
    )
    organiser = django_filters.ModelChoiceFilter(
        label="Организатор", field_name="organisers", queryset=Organisation.objects.none(),
        widget=organisation_filter_picker(),
        empty_label="Все организации",
    )

    class Meta:
        model = Event
        fields = ["q", "event_form", "level", "year", "cluster", "organiser"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.filters["cluster"].queryset = clusters_for_user(self.request.user)
