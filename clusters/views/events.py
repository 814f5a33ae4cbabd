"""Events of the district: seminars, master classes, conferences, methodical landings …"""
from django.urls import reverse_lazy

from imc_portal.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)

from .. import selectors
from ..filters import EventFilter
from ..forms import EventRecordForm
from .common import EditRolesContextMixin


class EventList(EditRolesContextMixin, ScopedListView):
    allowed_roles = selectors.DISTRICT_READERS
    edit_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.events_for_user)
    filterset_class = EventFilter
    template_name = "clusters/event_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("organisers")


class EventDetail(ScopedDetailView):
    allowed_roles = selectors.DISTRICT_READERS
    scope = staticmethod(selectors.events_for_user)
    template_name = "clusters/event_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("organisers")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.is_methodist
        return context


class EventCreate(ScopedCreateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.events_for_user)
    form_class = EventRecordForm
    success_message = "Мероприятие «%(title)s» добавлено."
    extra_context = {"title": "Новое мероприятие"}

    def get_initial(self):
        # «Добавить мероприятие» on a cluster or community page; the choices stay scoped.
        initial = super().get_initial()
        for name in ("cluster", "community"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        return initial


class EventUpdate(ScopedUpdateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.events_for_user)
    form_class = EventRecordForm
    extra_context = {"title": "Изменение мероприятия"}


class EventDelete(ScopedDeleteView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.events_for_user)
    success_url = reverse_lazy("clusters:event_list")
