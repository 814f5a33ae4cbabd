"""Events of the district: seminars, master classes, conferences, methodical landings …"""
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

from .. import panels, selectors
from ..filters import EventFilter
from ..forms import EventRecordForm
from .common import (
    DISTRICT_READ,
    DISTRICT_WRITE,
    EditCapabilityContextMixin,
    ListHeaderMixin,
    create_button,
    export_button,
)


class EventList(EditCapabilityContextMixin, ListHeaderMixin, ScopedListView):
    capability = DISTRICT_READ
    scope = staticmethod(selectors.events_for_user)
    filterset_class = EventFilter
    template_name = "clusters/event_list.html"
    list_title = "Мероприятия"
    sort_fields = {
        "date": ("held_on", *fixed(*natural_order("title"))),
        "title": natural_order("title"),
        "form": ("form", "custom_form__name", *fixed("-held_on")),
        "level": ("level", *fixed("-held_on")),
        "participants": ("participants_count", *fixed("-held_on")),
    }
    default_sort = "-date"
    header_buttons = (create_button("clusters:event_create"), export_button("clusters:event_export"))

    def get_queryset(self):
        return super().get_queryset().prefetch_related("organisers")


class EventDetail(ScopedDetailView):
    capability = DISTRICT_READ
    scope = staticmethod(selectors.events_for_user)
    template_name = "clusters/event_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("organisers")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can(self.request.user, DISTRICT_WRITE)
        context["panels"] = panels.panels_for("event", self.request, self.object)
        return context


class EventCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
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
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.events_for_user)
    form_class = EventRecordForm
    extra_context = {"title": "Изменение мероприятия"}


class EventDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.events_for_user)
    success_url = reverse_lazy("clusters:event_list")
