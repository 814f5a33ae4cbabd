"""Innovation projects (and innovation sites) of the district and the teachers taking part."""
from django.urls import reverse_lazy

from core.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.permissions import can

from .. import selectors
from ..filters import InnovationProjectFilter
from ..forms import InnovationParticipationForm, InnovationProjectForm
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


class InnovationList(EditCapabilityContextMixin, ListHeaderMixin, ScopedListView):
    capability = DISTRICT_READ
    scope = staticmethod(selectors.innovation_projects_for_user)
    filterset_class = InnovationProjectFilter
    template_name = "clusters/innovation_list.html"
    list_title = "Инновационные проекты и площадки"
    header_buttons = (create_button("clusters:innovation_create"), export_button("clusters:innovation_export"))

    def get_queryset(self):
        # Meta.ordering is not applied to a GROUP BY query, so the page order is spelled out.
        return selectors.innovation_projects_with_counts(super().get_queryset()).order_by("-starts_on", "title", "pk")


class InnovationDetail(ScopedDetailView):
    """The project and its participants (names only for staff readers, like community members)."""

    capability = DISTRICT_READ
    scope = staticmethod(selectors.innovation_projects_for_user)
    template_name = "clusters/innovation_detail.html"

    def get_queryset(self):
        return selectors.innovation_projects_with_counts(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_see_participants"] = can(user, PERSONAL_DATA_READ)
        context["participants"] = selectors.project_participants(user, self.object)
        context["can_edit"] = can(user, DISTRICT_WRITE)
        return context


class InnovationCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.innovation_projects_for_user)
    form_class = InnovationProjectForm
    success_message = "Проект «%(title)s» создан."
    extra_context = {"title": "Новый инновационный проект"}


class InnovationUpdate(ScopedUpdateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.innovation_projects_for_user)
    form_class = InnovationProjectForm
    extra_context = {"title": "Изменение проекта"}


class InnovationDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.innovation_projects_for_user)
    success_url = reverse_lazy("clusters:innovation_list")
    success_message = "Проект удалён вместе со списком участников."


class InnovationParticipantCreate(ParentObjectMixin, ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.innovation_participations_for_user)
    parent_scope = staticmethod(selectors.innovation_projects_for_user)
    parent_kwarg = "project_pk"
    parent_field = "project"
    form_class = InnovationParticipationForm
    success_message = "Педагог добавлен в проект."

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", f"Новый участник проекта «{self.parent}»")
        return super().get_context_data(**kwargs)


class InnovationParticipantUpdate(ScopedUpdateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.innovation_participations_for_user)
    form_class = InnovationParticipationForm
    extra_context = {"title": "Участие в проекте"}

    def get_success_url(self):
        return self.object.project.get_absolute_url()


class InnovationParticipantDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.innovation_participations_for_user)
    success_message = "Педагог исключён из проекта."

    def get_success_url(self):
        return self.object.project.get_absolute_url()
