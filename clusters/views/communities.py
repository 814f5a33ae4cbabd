"""Professional communities of teachers (РМО, ГППО, network communities …) and their members."""
from django.urls import reverse_lazy

from core.lists import fixed, natural_order
from core.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.permissions import can

from .. import selectors
from ..filters import CommunityFilter
from ..forms import CommunityForm, CommunityMembershipForm
from .common import (
    DISTRICT_READ,
    DISTRICT_WRITE,
    PERSONAL_DATA_READ,
    EditCapabilityContextMixin,
    ListHeaderMixin,
    ParentObjectMixin,
    create_button,
    export_button,
)


class CommunityList(EditCapabilityContextMixin, ListHeaderMixin, ScopedListView):
    capability = DISTRICT_READ
    scope = staticmethod(selectors.communities_for_user)
    filterset_class = CommunityFilter
    template_name = "clusters/community_list.html"
    list_title = "Профессиональные сообщества"
    sort_fields = {
        "kind": ("kind", *fixed(*natural_order("name"))),
        "name": natural_order("name"),
        "topic": ("topic",),
        "leader": ("leader__full_name",),
        "curator": ("curator__last_name", "curator__first_name"),
        "members": ("member_count",),
        "period": ("started_on", "ended_on"),
    }
    default_sort = "kind"
    header_buttons = (create_button("clusters:community_create"), export_button("clusters:community_export"))

    def get_queryset(self):
        # Meta.ordering is not applied to a GROUP BY query, so the page order is spelled out.
        return selectors.communities_with_member_counts(super().get_queryset()).order_by("kind", "name", "pk")


class CommunityDetail(ScopedDetailView):
    """Topic, leader, curator, dates and the members table (names only for staff readers)."""

    capability = DISTRICT_READ
    scope = staticmethod(selectors.communities_for_user)
    template_name = "clusters/community_detail.html"

    def get_queryset(self):
        return selectors.communities_with_member_counts(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_see_members"] = can(user, PERSONAL_DATA_READ)
        context["members"] = selectors.community_members(user, self.object)
        context["events"] = selectors.events_for_user(user).filter(community=self.object)
        context["can_edit"] = can(user, DISTRICT_WRITE)
        return context


class CommunityCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.communities_for_user)
    form_class = CommunityForm
    success_message = "Сообщество «%(name)s» создано."
    extra_context = {"title": "Новое профессиональное сообщество"}


class CommunityUpdate(ScopedUpdateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.communities_for_user)
    form_class = CommunityForm
    extra_context = {"title": "Изменение сообщества"}


class CommunityDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.communities_for_user)
    success_url = reverse_lazy("clusters:community_list")
    success_message = "Сообщество удалено вместе со списком участников."


class CommunityMemberCreate(ParentObjectMixin, ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.community_memberships_for_user)
    parent_scope = staticmethod(selectors.communities_for_user)
    parent_kwarg = "community_pk"
    parent_field = "community"
    form_class = CommunityMembershipForm
    success_message = "Педагог добавлен в сообщество."

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", f"Новый участник: {self.parent}")
        return super().get_context_data(**kwargs)


class CommunityMemberUpdate(ScopedUpdateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.community_memberships_for_user)
    form_class = CommunityMembershipForm
    extra_context = {"title": "Участие в сообществе"}

    def get_success_url(self):
        return self.object.community.get_absolute_url()


class CommunityMemberDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.community_memberships_for_user)
    success_message = "Педагог исключён из сообщества."

    def get_success_url(self):
        return self.object.community.get_absolute_url()
