"""The consultations log and teachers' achievements: lists with filters, forms, deletes, XLSX import and templates.

Thin: scopes and rules live in events/services/journal.py, forms in events/forms_journal.py, imports in
events/journal_imports.py.
"""
from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views import View

from clusters.filters import PortalFilterSet
from clusters.models import ActivityLevel
from clusters.views.common import HeaderButton, ListHeaderMixin, TeacherInitialMixin
from core import formatting, search, xlsx
from core.forms import PortalForm
from core.lists import natural_order
from core.mixins import (
    CapabilityRequiredMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
)
from core.permissions import can_any, require
from imc_portal.models import User

from ..forms_journal import AchievementForm, ConsultationForm
from ..journal_imports import AchievementImport, ConsultationImport
from ..models import AchievementKind, CompetitionResult, ConsultationKind
from ..services import journal

# --- filters ------------------------------------------------------------------------------------------------


def _methodists(request):
    if request is None:
        return User.objects.none()
    return journal.district_methodists(request.user.district_id)


class ConsultationFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label="Год", field_name="held_on", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label="Вид", choices=ConsultationKind.choices)
    methodist = django_filters.ModelChoiceFilter(label="Методист", queryset=_methodists)
    q = django_filters.CharFilter(label="Тема или педагог", method="filter_search")

    def filter_search(self, queryset, name, value):
        # Every word, in any order, part of a word, Cyrillic case and «ё» (core/search.py): in the topic or the
        # outside consultant's name (the consultation's search_text) or in the name of one of its teachers.
        through = queryset.model.teachers.through.objects
        for word in search.words(value):
            teacher = through.filter(consultation_id=OuterRef("pk"), teacher__search_text__contains=word)
            queryset = queryset.filter(Q(search_text__contains=word) | Q(Exists(teacher)))
        return queryset


class AchievementFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label="Год")
    kind = django_filters.ChoiceFilter(label="Вид", choices=AchievementKind.choices)
    level = django_filters.ChoiceFilter(label="Уровень", choices=ActivityLevel.choices)
    result = django_filters.ChoiceFilter(label="Результат", choices=CompetitionResult.choices)
    q = django_filters.CharFilter(label="Педагог или название", method="filter_search")

    def filter_search(self, queryset, name, value):
        # The teacher's name or the title/venue, each normalised (core/search.py).
        return search.matching(queryset, value, ("teacher__search_text", "search_text"))


# --- consultations ------------------------------------------------------------------------------------------


class ConsultationList(ListHeaderMixin, ScopedListView):
    capability = journal.CONSULTATIONS_READ
    scope = staticmethod(journal.consultations_for_user)
    filterset_class = ConsultationFilter
    template_name = "events/consultation_list.html"
    list_title = "Журнал консультаций"
    header_buttons = (
        HeaderButton("Добавить", "events:consultation_create", "plus-lg", journal.CONSULTATIONS_WRITE, primary=True),
        HeaderButton("Загрузить из XLSX", "events:consultations_import", "upload", journal.CONSULTATIONS_WRITE),
    )

    sort_fields = {
        "date": ("held_on",),
        "kind": ("kind", "-held_on"),
        "topic": ("topic",),
        "methodist": ("methodist__last_name", "methodist__first_name", "methodist_name"),
        "organisation": (*natural_order("organisation__short_name"), "-held_on"),
    }

    def get_queryset(self):
        return super().get_queryset().prefetch_related("teachers").order_by("-held_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_any(self.request.user, journal.CONSULTATIONS_WRITE)
        return context


class _ConsultationFormMixin:
    capability = journal.CONSULTATIONS_WRITE
    scope = staticmethod(journal.consultations_for_user)
    form_class = ConsultationForm
    template_name = "events/consultation_form.html"
    success_url = reverse_lazy("events:consultations")

    def post(self, request, *args, **kwargs):
        if "_filter" not in request.POST:
            return super().post(request, *args, **kwargs)
        # «Показать педагогов»: the same form again with what was typed and ticked, nothing saved, no errors.
        self.object = self.get_object() if "pk" in self.kwargs else None
        form = self.get_form()
        form._errors = ErrorDict()
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checklist, found = context["form"].checklist()
        context.update(checklist=checklist, found=found, checklist_limit=journal.CHECKLIST_LIMIT)
        return context


class ConsultationCreate(_ConsultationFormMixin, ScopedCreateView):
    success_message = "Консультация внесена в журнал."
    extra_context = {"title": "Новая консультация"}


class ConsultationUpdate(_ConsultationFormMixin, ScopedUpdateView):
    extra_context = {"title": "Консультация"}


class ConsultationDelete(ScopedDeleteView):
    capability = journal.CONSULTATIONS_WRITE
    scope = staticmethod(journal.consultations_for_user)
    success_url = reverse_lazy("events:consultations")
    success_message = "Консультация удалена из журнала."


# --- achievements -------------------------------------------------------------------------------------------


class AchievementList(ListHeaderMixin, ScopedListView):
    capability = journal.ACHIEVEMENTS_READ
    scope = staticmethod(journal.achievements_for_user)
    filterset_class = AchievementFilter
    template_name = "events/achievement_list.html"
    list_title = "Достижения педагогов"
    header_buttons = (
        HeaderButton("Добавить", "events:achievement_create", "plus-lg", journal.ACHIEVEMENTS_WRITE, primary=True),
        HeaderButton("Загрузить из XLSX", "events:achievements_import", "upload", journal.ACHIEVEMENTS_WRITE),
    )

    sort_fields = {
        "year": ("year", "teacher__full_name"),
        "teacher": ("teacher__full_name", "-year"),
        "organisation": (*natural_order("teacher__organisation__short_name"), "teacher__full_name"),
        "kind": ("kind", "-year"),
        "title": ("title",),
        "venue": ("venue",),
        "level": ("level", "-year"),
        "result": ("result", "-year"),
    }

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "teacher__full_name", "title", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_any(self.request.user, *journal.ACHIEVEMENTS_WRITE)
        return context


class _AchievementFormMixin:
    capability = journal.ACHIEVEMENTS_WRITE
    scope = staticmethod(journal.achievements_for_user)
    form_class = AchievementForm
    template_name = "events/achievement_form.html"
    success_url = reverse_lazy("events:achievements")


class AchievementCreate(_AchievementFormMixin, TeacherInitialMixin, ScopedCreateView):
    success_message = "Достижение внесено."
    extra_context = {"title": "Новое достижение педагога"}


class AchievementUpdate(_AchievementFormMixin, ScopedUpdateView):
    extra_context = {"title": "Достижение педагога"}


class AchievementDelete(ScopedDeleteView):
    capability = journal.ACHIEVEMENTS_WRITE
    scope = staticmethod(journal.achievements_for_user)
    success_url = reverse_lazy("events:achievements")
    success_message = "Достижение удалено."


# --- imports ------------------------------------------------------------------------------------------------


class UploadForm(PortalForm):
    file = forms.FileField(label="Файл XLSX", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class _ImportView(CapabilityRequiredMixin, View):
    importer: type
    template_name: str
    list_url: str
    template_url: str
    title: str

    def get(self, request):
        return self._render(UploadForm())

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        result = self.importer(user=request.user).run(form.cleaned_data["file"])
        if not result.ok:
            return self._render(form, result=result)
        messages.success(request, f"{self.importer.title}: внесено записей — {result.created}.")
        return redirect(self.list_url)

    def _render(self, form, *, result=None):
        columns = [{"header": c.header, "required": c.required, "hint": c.hint} for c in self.importer.columns]
        return render(self.request, self.template_name, {
            "form": form, "result": result, "columns": columns, "title": self.title,
            "list_url": reverse(self.list_url), "template_url": reverse(self.template_url),
            "max_upload": formatting.human_size(xlsx.max_upload_bytes()), "max_rows": formatting.integer(xlsx.max_rows()),
        })


class ConsultationImportView(_ImportView):
    capability = journal.CONSULTATIONS_WRITE
    importer = ConsultationImport
    template_name = "events/consultation_import.html"
    list_url = "events:consultations"
    template_url = "events:consultations_template"
    title = "Импорт журнала консультаций"


class AchievementImportView(_ImportView):
    capability = journal.ACHIEVEMENTS_WRITE
    importer = AchievementImport
    template_name = "events/achievement_import.html"
    list_url = "events:achievements"
    template_url = "events:achievements_template"
    title = "Импорт достижений педагогов"


def consultations_template(request):
    require(request.user, journal.CONSULTATIONS_WRITE)
    return xlsx.xlsx_response(ConsultationImport.template_bytes(), "template_consultations.xlsx")


def achievements_template(request):
    require(request.user, *journal.ACHIEVEMENTS_WRITE)
    return xlsx.xlsx_response(AchievementImport.template_bytes(), "template_achievements.xlsx")
