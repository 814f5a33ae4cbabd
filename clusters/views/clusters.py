"""Yearly clusters and the memberships of organisations in them."""
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy

from core.lists import fixed, natural_order
from core.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.permissions import can

from .. import panels, selectors
from ..filters import ClusterFilter
from ..forms import ClusterForm, MembershipForm
from ..models import TIER_DESCRIPTIONS
from .common import (
    CLUSTERS_READ,
    DISTRICT_READ,
    DISTRICT_WRITE,
    OWN_WRITE,
    HeaderButton,
    ListHeaderMixin,
    create_button,
    export_button,
    import_button,
)


class ClusterList(ListHeaderMixin, ScopedListView):
    capability = CLUSTERS_READ
    scope = staticmethod(selectors.clusters_for_user)
    filterset_class = ClusterFilter
    template_name = "clusters/cluster_list.html"
    list_title = "Кластеры"
    sort_fields = {
        "year": ("year", *fixed(*natural_order("name"))),  # a year's clusters stay А→Я both ways
        "name": natural_order("name"),
        "size": ("size",),
        "curator": ("curator__last_name", "curator__first_name"),
    }
    default_sort = "-year"
    header_buttons = (
        create_button("clusters:cluster_create"),
        export_button("clusters:cluster_export"),
        # Memberships of the whole district (a year at most): not for a school administrator.
        HeaderButton("Участие в кластерах (XLSX)", "clusters:membership_export", "file-earmark-excel",
                     DISTRICT_READ, keep=("year",)),
        import_button("memberships"),
    )

    def get_queryset(self):
        return super().get_queryset().annotate(size=Count("memberships")).order_by("-year", "name")


class ClusterDetail(ScopedDetailView):
    """Seed 000's cluster table: organisations grouped by tier, with each tier's role."""

    capability = CLUSTERS_READ
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
        # A school administrator opens only their own organisation's page: the others are not links.
        members = [m.organisation_id for t in context["tiers"] for m in t["members"]]
        context["openable_organisation_ids"] = set(
            selectors.organisations_for_user(self.request.user).filter(pk__in=members).values_list("pk", flat=True)
        )
        context["can_edit"] = can(self.request.user, DISTRICT_WRITE)
        context["panels"] = panels.panels_for("cluster", self.request, self.object)
        return context


class ClusterCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.clusters_for_user)
    form_class = ClusterForm
    success_message = "Кластер «%(name)s» создан."
    extra_context = {"title": "Новый кластер"}


class ClusterUpdate(ScopedUpdateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.clusters_for_user)
    form_class = ClusterForm
    extra_context = {"title": "Изменение кластера"}


class ClusterDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.clusters_for_user)
    success_url = reverse_lazy("clusters:cluster_list")


class MembershipCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
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

    capability = (DISTRICT_WRITE, OWN_WRITE)
    scope = staticmethod(selectors.memberships_for_user)
    form_class = MembershipForm
    extra_context = {"title": "Участие организации в кластере"}

    def get_success_url(self):
        # A school administrator came from their organisation's page and goes back there.
        if can(self.request.user, OWN_WRITE):
            return reverse("clusters:organisation_detail", args=[self.object.organisation_id])
        return self.object.cluster.get_absolute_url()


class MembershipDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.memberships_for_user)
    success_message = "Организация исключена из кластера."

    def get_success_url(self):
        return self.object.cluster.get_absolute_url()
