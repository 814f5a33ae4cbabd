"""Professional development of teachers: courses (ПК) and their completions, ИОМ, mentorships.

A school administrator reads and keeps the completions and routes of their own organisation's
teachers; mentorships and the course catalogue are kept by methodists.
"""
from django.urls import reverse_lazy

from imc_portal.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
)

from .. import selectors
from ..filters import IndividualRouteFilter, MentorshipFilter, TrainingCompletionFilter, TrainingProgramFilter
from ..forms import IndividualRouteForm, MentorshipForm, TrainingCompletionForm, TrainingProgramForm
from .common import EditRolesContextMixin, TeacherInitialMixin

# Records hanging off one teacher: staff of the district read them, the school administrator keeps
# their own teachers' (the selectors scope both).
TEACHER_RECORD_READERS = selectors.STAFF_READERS | selectors.ORGANISATION_ROLES
TEACHER_RECORD_WRITERS = selectors.REGISTRY_WRITERS | selectors.ORGANISATION_ROLES


# --- completions of courses («Повышение квалификации») ---


class TrainingList(EditRolesContextMixin, ScopedListView):
    edit_roles = TEACHER_RECORD_WRITERS
    allowed_roles = TEACHER_RECORD_READERS
    scope = staticmethod(selectors.training_completions_for_user)
    filterset_class = TrainingCompletionFilter
    template_name = "clusters/training_list.html"


class TrainingCreate(TeacherInitialMixin, ScopedCreateView):
    allowed_roles = TEACHER_RECORD_WRITERS
    scope = staticmethod(selectors.training_completions_for_user)
    form_class = TrainingCompletionForm
    success_url = reverse_lazy("clusters:training_list")
    success_message = "Повышение квалификации записано."
    extra_context = {"title": "Повышение квалификации педагога"}


class TrainingUpdate(ScopedUpdateView):
    allowed_roles = TEACHER_RECORD_WRITERS
    scope = staticmethod(selectors.training_completions_for_user)
    form_class = TrainingCompletionForm
    success_url = reverse_lazy("clusters:training_list")
    extra_context = {"title": "Повышение квалификации педагога"}


class TrainingDelete(ScopedDeleteView):
    allowed_roles = TEACHER_RECORD_WRITERS
    scope = staticmethod(selectors.training_completions_for_user)
    success_url = reverse_lazy("clusters:training_list")


# --- the course catalogue (shared by all districts) ---


class TrainingProgramList(EditRolesContextMixin, ScopedListView):
    edit_roles = selectors.REGISTRY_WRITERS
    allowed_roles = TEACHER_RECORD_READERS
    filterset_class = TrainingProgramFilter
    template_name = "clusters/training_program_list.html"

    def get_queryset(self):
        # Meta.ordering is not applied to a GROUP BY query, so the page order is spelled out.
        return selectors.training_programs_with_usage(self.request.user).order_by("title", "hours", "pk")


class TrainingProgramCreate(ScopedCreateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.training_programs_for_user)
    form_class = TrainingProgramForm
    success_url = reverse_lazy("clusters:training_program_list")
    success_message = "Программа «%(title)s» добавлена в каталог."
    extra_context = {"title": "Новая программа повышения квалификации"}


class TrainingProgramUpdate(ScopedUpdateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.training_programs_for_user)
    form_class = TrainingProgramForm
    success_url = reverse_lazy("clusters:training_program_list")
    extra_context = {"title": "Изменение программы"}


class TrainingProgramDelete(ScopedDeleteView):
    """A programme somebody completed is kept (PROTECT): ScopedDeleteView says so."""

    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.training_programs_for_user)
    success_url = reverse_lazy("clusters:training_program_list")


# --- ИОМ ---


class RouteList(EditRolesContextMixin, ScopedListView):
    edit_roles = TEACHER_RECORD_WRITERS
    allowed_roles = TEACHER_RECORD_READERS
    scope = staticmethod(selectors.routes_for_user)
    filterset_class = IndividualRouteFilter
    template_name = "clusters/route_list.html"


class RouteCreate(TeacherInitialMixin, ScopedCreateView):
    allowed_roles = TEACHER_RECORD_WRITERS
    scope = staticmethod(selectors.routes_for_user)
    form_class = IndividualRouteForm
    success_url = reverse_lazy("clusters:route_list")
    success_message = "ИОМ сохранён."
    extra_context = {"title": "Новый ИОМ"}


class RouteUpdate(ScopedUpdateView):
    allowed_roles = TEACHER_RECORD_WRITERS
    scope = staticmethod(selectors.routes_for_user)
    form_class = IndividualRouteForm
    success_url = reverse_lazy("clusters:route_list")
    extra_context = {"title": "Изменение ИОМ"}


class RouteDelete(ScopedDeleteView):
    allowed_roles = TEACHER_RECORD_WRITERS
    scope = staticmethod(selectors.routes_for_user)
    success_url = reverse_lazy("clusters:route_list")


# --- mentorships ---


class MentorshipList(EditRolesContextMixin, ScopedListView):
    edit_roles = selectors.REGISTRY_WRITERS
    allowed_roles = TEACHER_RECORD_READERS
    scope = staticmethod(selectors.mentorships_for_user)
    filterset_class = MentorshipFilter
    template_name = "clusters/mentorship_list.html"


class MentorshipCreate(ScopedCreateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.mentorships_for_user)
    form_class = MentorshipForm
    success_url = reverse_lazy("clusters:mentorship_list")
    success_message = "Наставническая пара создана."
    extra_context = {"title": "Новая наставническая пара"}


class MentorshipUpdate(ScopedUpdateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.mentorships_for_user)
    form_class = MentorshipForm
    success_url = reverse_lazy("clusters:mentorship_list")
    extra_context = {"title": "Изменение наставнической пары"}


class MentorshipDelete(ScopedDeleteView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.mentorships_for_user)
    success_url = reverse_lazy("clusters:mentorship_list")
