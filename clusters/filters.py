"""List filters of the registry screens; the XLSX export of a list reuses the same filter."""
import django_filters
from django.db.models import Q

from .models import Cluster, ClusterMembership, Organisation, OrganisationKind, Teacher, Tier
from .selectors import organisations_for_user


class SearchFilterMixin(django_filters.FilterSet):
    """A single «Поиск» box over the fields named in `search_fields`."""

    q = django_filters.CharFilter(label="Поиск", method="filter_search")
    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class OrganisationFilter(SearchFilterMixin):
    search_fields = ("code", "short_name", "full_name", "address")
    kind = django_filters.ChoiceFilter(label="Тип", choices=OrganisationKind.choices, empty_label="Все типы")
    is_active = django_filters.BooleanFilter(label="Действующая")
    cluster_year = django_filters.NumberFilter(
        label="В кластере в году", field_name="cluster_memberships__cluster__year", distinct=True
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "is_active", "cluster_year"]


class TeacherFilter(SearchFilterMixin):
    search_fields = ("full_name", "personnel_number", "position", "subject_area")
    organisation = django_filters.ModelChoiceFilter(label="Организация", queryset=Organisation.objects.none())
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
    search_fields = ("name", "description")
    year = django_filters.NumberFilter(label="Год")

    class Meta:
        model = Cluster
        fields = ["q", "year"]


class MembershipFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="Год", field_name="cluster__year")
    tier = django_filters.ChoiceFilter(label="Уровень", choices=Tier.choices)

    class Meta:
        model = ClusterMembership
        fields = ["year", "tier"]
