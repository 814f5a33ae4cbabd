"""Yearly clusters and the memberships of organisations in them."""
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy

from imc_portal.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)

from .. import selectors
from ..filters import ClusterFilter
from ..forms import ClusterForm, MembershipForm
from ..models import TIER_DESCRIPTIONS


class ClusterList(ScopedListView):
    allowed_roles = selectors.DISTRICT_READERS | selectors.ORGANISATION_ROLES
    scope = staticmethod(selectors.clusters_for_user)
    filterset_class = ClusterFilter
    template_name = "clusters/cluster_list.html"

    def get_queryset(self):
        from django.db.models import Count

        return super().get_queryset().annotate(size=Count("memberships")).order_by("-year", "name")


class ClusterDetail(ScopedDetailView):
    """Seed 000's cluster table: organisations grouped by tier, with each tier's role."""

    allowed_roles = selectors.DISTRICT_READERS | selectors.ORGANISATION_ROLES
    scope = staticmethod(selectors.clusters_for_user)
    template_name = "clusters/cluster_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tiers"] = [
            {"code": tier, "title": TIER_DESCRIPTIONS[tier][0], "who": TIER_DESCRIPTIONS[tier][1],
             "role": TIER_DESCRIPTIONS[tier][2], "members": members}
            for tier, members in selectors.cluster_members_by_tier(self.object)
        ]
        context["size"] = sum(len(t["members"]) for t in context["tiers"])
        context["can_edit"] = self.request.user.is_methodist
        return context


class ClusterCreate(ScopedCreateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.clusters_for_user)
    form_class = ClusterForm
    success_message = "Кластер «%(name)s» создан."
    extra_context = {"title": "Новый кластер"}


class ClusterUpdate(ScopedUpdateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.clusters_for_user)
    form_class = ClusterForm
    extra_context = {"title": "Изменение кластера"}


class ClusterDelete(ScopedDeleteView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.clusters_for_user)
    success_url = reverse_lazy("clusters:cluster_list")


class MembershipCreate(ScopedCreateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.memberships_for_user)
    form_class = MembershipForm
    success_message = "Организация добавлена в кластер."
    extra_context = {"title": "Участие организации в кластере"}

    def get_initial(self):
        initial = super().get_initial()
        if "cluster" in self.request.GET:
            cluster = get_object_or_404(selectors.clusters_for_user(self.request.user, write=True),
                                        pk=self.request.GET.get("cluster") or 0)
            initial["cluster"] = cluster.pk
        return initial

    def get_success_url(self):
        return self.object.cluster.get_absolute_url()


class MembershipUpdate(ScopedUpdateView):
    """Methodists edit any membership; a school administrator edits its own theme and project."""

    allowed_roles = selectors.REGISTRY_WRITERS | selectors.ORGANISATION_ROLES
    scope = staticmethod(selectors.memberships_for_user)
    form_class = MembershipForm
    extra_context = {"title": "Участие организации в кластере"}

    def get_success_url(self):
        if self.request.user.is_school_admin:
            return reverse("clusters:organisation_detail", args=[self.object.organisation_id])
        return self.object.cluster.get_absolute_url()


class MembershipDelete(ScopedDeleteView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.memberships_for_user)
    success_message = "Организация исключена из кластера."

    def get_success_url(self):
        return self.object.cluster.get_absolute_url()
