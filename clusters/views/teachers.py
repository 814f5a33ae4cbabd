"""Teachers: a methodist sees the district's, a school administrator only their organisation's."""
from django.db.models import F
from django.urls import reverse_lazy

from core.lists import natural_order
from core.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.permissions import can, can_any

from .. import panels, selectors
from ..filters import TeacherFilter
from ..forms import TeacherForm
from .common import (
    DISTRICT_READ,
    DISTRICT_WRITE,
    TEACHER_RECORDS_READ,
    TEACHER_RECORDS_WRITE,
    ListHeaderMixin,
    create_button,
    export_button,
    import_button,
)


class TeacherList(ListHeaderMixin, ScopedListView):
    capability = TEACHER_RECORDS_READ
    scope = staticmethod(selectors.teachers_for_user)
    filterset_class = TeacherFilter
    template_name = "clusters/teacher_list.html"
    list_title = "Педагоги"
    sort_fields = {
        "name": ("full_name",),
        "organisation": (*natural_order("organisation__short_name"), "full_name"),
        "position": ("position", "full_name"),
        "subject": ("subject_area", "full_name"),
        "experience": (F("experience_years").asc(nulls_first=True), "full_name"),
        "birth_year": (F("birth_year").asc(nulls_first=True), "full_name"),
        "category": ("category", "full_name"),
    }
    default_sort = "name"
    header_buttons = (
        create_button("clusters:teacher_create", TEACHER_RECORDS_WRITE),
        export_button("clusters:teacher_export"),
        import_button("teachers"),
    )


class TeacherDetail(ScopedDetailView):
    capability = TEACHER_RECORDS_READ
    scope = staticmethod(selectors.teachers_for_user)
    template_name = "clusters/teacher_detail.html"

    def get_queryset(self):
        return selectors.teacher_with_history(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_edit"] = can_any(user, *TEACHER_RECORDS_WRITE)
        context["mentorships"] = mentorships = list(selectors.teacher_mentorships(self.object))
        # The other side of a pair may work in another school: a school administrator gets no dead link.
        paired = {pair.mentor_id for pair in mentorships} | {pair.mentee_id for pair in mentorships}
        context["openable_teacher_ids"] = set(
            selectors.teachers_for_user(user).filter(pk__in=paired).values_list("pk", flat=True)
        ) if paired else set()
        # Communities and projects are district registers a school administrator does not open.
        context["can_open_district_registers"] = can(user, DISTRICT_READ)
        context["can_edit_mentorships"] = can(user, DISTRICT_WRITE)
        context["panels"] = panels.panels_for("teacher", self.request, self.object)
        return context


class TeacherCreate(ScopedCreateView):
    capability = TEACHER_RECORDS_WRITE
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
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.teachers_for_user)
    form_class = TeacherForm
    success_message = "Данные педагога сохранены."
    extra_context = {"title": "Изменение данных педагога"}


class TeacherDelete(ScopedDeleteView):
    capability = TEACHER_RECORDS_WRITE
    scope = staticmethod(selectors.teachers_for_user)
    success_url = reverse_lazy("clusters:teacher_list")
