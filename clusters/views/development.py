"""Professional development of teachers: courses (ПК) and their completions, ИОМ, mentorships.

A school administrator reads and keeps the completions and routes of their own organisation's
teachers; mentorships and the course catalogue are kept by methodists.
"""
from django.db.models import F
from django.urls import reverse_lazy

from core.lists import Fixed, fixed, natural_order
from core.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
)

from .. import selectors
from ..filters import IndividualRouteFilter, MentorshipFilter, TrainingCompletionFilter, TrainingProgramFilter
from ..forms import IndividualRouteForm, MentorshipForm, TrainingCompletionForm, TrainingProgramForm
from .common import (
    DISTRICT_WRITE,
    TEACHER_RECORDS_READ,
    TEACHER_RECORDS_WRITE,
    EditCapabilityContextMixin,
    HeaderButton,
    ListHeaderMixin,
    TeacherInitialMixin,
    create_button,
    export_button,
)

# Records hanging off one teacher: staff of the district read them, the school administrator keeps
# their own teachers' (the selectors scope both). Mentorships and the catalogue are methodists' to keep.


# --- completions of courses («Повышение квалификации») ---


class TrainingList(EditCapabilityContextMixin, ListHeaderMixin, ScopedListView):
    edit_capability = TEACHER_RECORDS_WRITE
    capability = TEACHER_RECORDS_READ
    scope = staticmethod(selectors.training_completions_for_user)
    filterset_class = TrainingCompletionFilter
    template_name = "clusters/training_list.html"
    list_title = "Повышение квалификации педагогов"
    sort_fields = {
        "teacher": ("teacher__full_name", Fixed("-completed_on")),
        "organisation": (*natural_order("teacher__organisation__short_name"), *fixed("teacher__full_name")),
        "program": ("program__title",),
        "hours": ("program__hours",),
        "provider": ("program__provider",),
        "completed": ("completed_on", *fixed("teacher__full_name")),
        "certificate": ("certificate_number",),
    }
    default_sort = "-completed"
    header_buttons = (
        create_button("clusters:training_create", TEACHER_RECORDS_WRITE),
        HeaderButton("Каталог программ", "clusters:training_program_list", "journal-text"),
        export_button("clusters:training_export"),
    )


class TrainingCreate(TeacherInitialMixin, ScopedCreateView):
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.training_completions_for_user)
    form_class = TrainingCompletionForm
    success_url = reverse_lazy("clusters:training_list")
    success_message = "Повышение квалификации записано."
    extra_context = {"title": "Повышение квалификации педагога"}


class TrainingUpdate(ScopedUpdateView):
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.training_completions_for_user)
    form_class = TrainingCompletionForm
    success_url = reverse_lazy("clusters:training_list")
    extra_context = {"title": "Повышение квалификации педагога"}


class TrainingDelete(ScopedDeleteView):
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.training_completions_for_user)
    success_url = reverse_lazy("clusters:training_list")


# --- the course catalogue (shared by all districts) ---


class TrainingProgramList(EditCapabilityContextMixin, ListHeaderMixin, ScopedListView):
    capability = TEACHER_RECORDS_READ
    filterset_class = TrainingProgramFilter
    template_name = "clusters/training_program_list.html"
    list_title = "Программы повышения квалификации"
    header_buttons = (
        create_button("clusters:training_program_create"),
        HeaderButton("Кто прошёл обучение", "clusters:training_list", "mortarboard"),
        export_button("clusters:training_program_export"),
    )

    def get_queryset(self):
        # Meta.ordering is not applied to a GROUP BY query, so the page order is spelled out.
        return selectors.training_programs_with_usage(self.request.user).order_by("title", "hours", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The shared catalogue's entries are nobody's to change: only the district's own get links.
        shown = [program.pk for program in context["object_list"]]
        editable = selectors.training_programs_for_user(self.request.user, write=True).filter(pk__in=shown)
        context["editable_program_ids"] = set(editable.values_list("pk", flat=True)) if context["can_edit"] else set()
        return context


class TrainingProgramCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.training_programs_for_user)
    form_class = TrainingProgramForm
    success_url = reverse_lazy("clusters:training_program_list")
    success_message = "Программа «%(title)s» добавлена в каталог."
    extra_context = {"title": "Новая программа повышения квалификации"}


class TrainingProgramUpdate(ScopedUpdateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.training_programs_for_user)
    form_class = TrainingProgramForm
    success_url = reverse_lazy("clusters:training_program_list")
    extra_context = {"title": "Изменение программы"}


class TrainingProgramDelete(ScopedDeleteView):
    """A programme somebody completed is kept (PROTECT): ScopedDeleteView says so."""

    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.training_programs_for_user)
    success_url = reverse_lazy("clusters:training_program_list")


# --- ИОМ ---


class RouteList(EditCapabilityContextMixin, ListHeaderMixin, ScopedListView):
    edit_capability = TEACHER_RECORDS_WRITE
    capability = TEACHER_RECORDS_READ
    scope = staticmethod(selectors.routes_for_user)
    filterset_class = IndividualRouteFilter
    template_name = "clusters/route_list.html"
    list_title = "Индивидуальные образовательные маршруты (ИОМ)"
    sort_fields = {
        "teacher": ("teacher__full_name", Fixed("-starts_on")),
        "organisation": (*natural_order("teacher__organisation__short_name"), *fixed("teacher__full_name")),
        "period": ("starts_on", "ends_on", *fixed("teacher__full_name")),
        "status": ("status", *fixed("teacher__full_name")),
    }
    default_sort = "-period"
    header_buttons = (create_button("clusters:route_create", TEACHER_RECORDS_WRITE), export_button("clusters:route_export"))


class RouteCreate(TeacherInitialMixin, ScopedCreateView):
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.routes_for_user)
    form_class = IndividualRouteForm
    success_url = reverse_lazy("clusters:route_list")
    success_message = "ИОМ сохранён."
    extra_context = {"title": "Новый ИОМ"}


class RouteUpdate(ScopedUpdateView):
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.routes_for_user)
    form_class = IndividualRouteForm
    success_url = reverse_lazy("clusters:route_list")
    extra_context = {"title": "Изменение ИОМ"}


class RouteDelete(ScopedDeleteView):
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.routes_for_user)
    success_url = reverse_lazy("clusters:route_list")


# --- mentorships ---


class MentorshipList(EditCapabilityContextMixin, ListHeaderMixin, ScopedListView):
    capability = TEACHER_RECORDS_READ
    scope = staticmethod(selectors.mentorships_for_user)
    filterset_class = MentorshipFilter
    template_name = "clusters/mentorship_list.html"
    list_title = "Наставничество"
    sort_fields = {
        "mentor": ("mentor__full_name", "mentee__full_name"),
        "mentee": ("mentee__full_name", "mentor__full_name"),
        "starts": ("starts_on", *fixed("mentor__full_name")),
        "ends": (F("ends_on").asc(nulls_last=True), *fixed("mentor__full_name")),
    }
    default_sort = "-starts"
    header_buttons = (
        create_button("clusters:mentorship_create", label="Добавить пару"),
        export_button("clusters:mentorship_export"),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A school administrator sees pairs with one side in another school: that side is no link.
        pairs = context["object_list"]
        paired = {pair.mentor_id for pair in pairs} | {pair.mentee_id for pair in pairs}
        context["openable_teacher_ids"] = set(
            selectors.teachers_for_user(self.request.user).filter(pk__in=paired).values_list("pk", flat=True)
        ) if paired else set()
        return context


class MentorshipCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.mentorships_for_user)
    form_class = MentorshipForm
    success_url = reverse_lazy("clusters:mentorship_list")
    success_message = "Наставническая пара создана."
    extra_context = {"title": "Новая наставническая пара"}


class MentorshipUpdate(ScopedUpdateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.mentorships_for_user)
    form_class = MentorshipForm
    success_url = reverse_lazy("clusters:mentorship_list")
    extra_context = {"title": "Изменение наставнической пары"}


class MentorshipDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.mentorships_for_user)
    success_url = reverse_lazy("clusters:mentorship_list")
