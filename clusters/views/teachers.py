"""Teachers: a methodist sees the district's, a school administrator only their organisation's."""
from django.urls import reverse_lazy

from imc_portal.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)

from .. import selectors
from ..filters import TeacherFilter
from ..forms import TeacherForm

READERS = selectors.STAFF_READERS | selectors.ORGANISATION_ROLES
WRITERS = selectors.REGISTRY_WRITERS | selectors.ORGANISATION_ROLES


class TeacherList(ScopedListView):
    allowed_roles = READERS
    scope = staticmethod(selectors.teachers_for_user)
    filterset_class = TeacherFilter
    template_name = "clusters/teacher_list.html"


class TeacherDetail(ScopedDetailView):
    allowed_roles = READERS
    scope = staticmethod(selectors.teachers_for_user)
    template_name = "clusters/teacher_detail.html"

    def get_queryset(self):
        return selectors.teacher_with_history(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_edit"] = user.is_methodist or user.is_school_admin
        context["mentorships"] = selectors.teacher_mentorships(self.object)
        # Communities and projects are district registers a school administrator does not open.
        context["can_open_district_registers"] = user.role in selectors.DISTRICT_READERS
        context["can_edit_mentorships"] = user.role in selectors.REGISTRY_WRITERS
        return context


class TeacherCreate(ScopedCreateView):
    allowed_roles = WRITERS
    scope = staticmethod(selectors.teachers_for_user)
    form_class = TeacherForm
    success_message = "Педагог «%(full_name)s» добавлен."
    extra_context = {"title": "Новый педагог"}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("organisation"):
            initial["organisation"] = self.request.GET["organisation"]
        return initial


class TeacherUpdate(ScopedUpdateView):
    allowed_roles = WRITERS
    scope = staticmethod(selectors.teachers_for_user)
    form_class = TeacherForm
    success_message = "Данные педагога сохранены."
    extra_context = {"title": "Изменение данных педагога"}


class TeacherDelete(ScopedDeleteView):
    allowed_roles = WRITERS
    scope = staticmethod(selectors.teachers_for_user)
    success_url = reverse_lazy("clusters:teacher_list")
