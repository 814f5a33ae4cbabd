"""The results pages' filters (the list and its XLSX export use the same ones); the scoping reads
(`results_for_user`, `procedures_for_user`) are in network/selectors.py.

Scope: a methodist, a director or an observer (network.view) reads the results of their district's
organisations; a school administrator (network.view_own) reads only their own organisation's;
anybody else reads nothing.
"""
from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from clusters.filters import PortalFilterSet
from clusters.models import Cluster, Organisation
from clusters.selectors import clusters_for_user
from core.permissions import can
from imc_portal.models import User

from .models import MAX_GRADE, AssessmentResult, Procedure
from .selectors import procedures_for_user, results_for_user

VIEW, VIEW_OWN, EDIT = "network.view", "network.view_own", "network.edit"


def organisations_with_results_for_user(user: User) -> QuerySet[Organisation]:
    """The organisations the user may see results of (the list's organisation filter)."""
    if can(user, VIEW):
        return Organisation.objects.filter(district_id=user.district_id) if user.district_id \
            else Organisation.objects.none()
    if can(user, VIEW_OWN) and user.organisation_id:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def may_see_results_of(user: User, organisation: Organisation) -> bool:
    if can(user, VIEW):
        return bool(user.district_id) and organisation.district_id == user.district_id
    return can(user, VIEW_OWN) and organisation.pk == user.organisation_id


class ResultFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label="Год")
    procedure = django_filters.ModelChoiceFilter(label="Процедура", queryset=Procedure.objects.none(),
                                                 empty_label="Все процедуры")
    subject = django_filters.ChoiceFilter(label="Предмет", choices=(), empty_label="Все предметы")
    grade = django_filters.ChoiceFilter(label="Класс", choices=[(g, str(g)) for g in range(1, MAX_GRADE + 1)],
                                        empty_label="Все классы")
    organisation = django_filters.ModelChoiceFilter(label="Организация", queryset=Organisation.objects.none(),
                                                    empty_label="Все организации")
    cluster = django_filters.ModelChoiceFilter(label="Кластер", queryset=Cluster.objects.none(),
                                               method="filter_cluster", empty_label="Все кластеры")

    class Meta:
        model = AssessmentResult
        fields = ["year", "procedure", "subject", "grade", "organisation", "cluster"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is None:
            return
        user = self.request.user
        self.filters["procedure"].queryset = procedures_for_user(user)
        if can(user, VIEW):
            self.filters["organisation"].queryset = organisations_with_results_for_user(user).order_by("code")
        else:
            del self.filters["organisation"]  # a school sees its own results only: nothing to choose
        self.filters["cluster"].queryset = clusters_for_user(user).order_by("-year", "name")
        subjects = results_for_user(user).order_by("subject").values_list("subject", flat=True).distinct()
        self.filters["subject"].extra["choices"] = [(s, s) for s in subjects]

    def filter_cluster(self, queryset, name, value):
        # The members of the cluster (of its year): their results of any year, the year filter narrows.
        return queryset.filter(organisation__cluster_memberships__cluster=value)
