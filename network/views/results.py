"""Results pages: list with filters, XLSX import / template / export, the district's own procedures."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import ListView

from clusters.views.common import HeaderButton, ListHeaderMixin
from clusters.views.io import XlsxExportView
from core import formatting, xlsx
from core.lists import natural_order
from core.mixins import CapabilityRequiredMixin, ScopedCreateView, ScopedDeleteView, ScopedListView
from core.permissions import can, require
from core.xlsx import xlsx_response

from ..filters import EDIT, VIEW, VIEW_OWN, ResultFilter
from ..forms_results import ProcedureForm, ResultsUploadForm
from ..imports import ResultImport, import_results
from ..selectors import procedures_for_user, results_for_user

READ = (VIEW, VIEW_OWN)


class ResultList(ListHeaderMixin, ScopedListView):
    capability = READ
    scope = staticmethod(results_for_user)
    filterset_class = ResultFilter
    template_name = "network/results_list.html"
    list_title = "Результаты оценочных процедур"
    sort_fields = {
        "year": ("year", "procedure__name", "subject", "grade"),
        "procedure": ("procedure__name", "-year"),
        "subject": ("subject", "grade"),
        "grade": ("grade", "subject"),
        "organisation": (*natural_order("organisation__short_name"),),
        "participants": ("participants",),
        "mean": (F("mean_score").asc(nulls_first=True),),
        "failed": (F("failed_share").asc(nulls_first=True),),
        "good": (F("good_share").asc(nulls_first=True),),
    }
    header_buttons = (
        HeaderButton("Загрузить из XLSX", "network:results_import", "upload", EDIT, primary=True),
        HeaderButton("Выгрузить в XLSX", "network:results_export", "file-earmark-excel", with_filter=True),
        HeaderButton("Процедуры", "network:procedures", "list-check", VIEW),
    )

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "procedure__name", "subject", "grade", "organisation__code")


class ResultExport(XlsxExportView):
    """The filtered list with the import's headers, so the file can be edited and loaded back."""

    capability = READ
    scope = staticmethod(results_for_user)
    filterset_class = ResultFilter
    columns = ResultImport.xlsx_columns()
    filename_prefix = "assessment_results"
    sheet_title = ResultImport.sheet_title

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "procedure__name", "subject", "grade", "organisation__code")


class ResultImportView(CapabilityRequiredMixin, View):
    capability = EDIT
    template_name = "network/results_import.html"

    def get(self, request):
        return self._render(ResultsUploadForm())

    def post(self, request):
        form = ResultsUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        result = import_results(user=request.user, file=form.cleaned_data["file"])
        if not result.ok:
            return self._render(form, result=result)
        text = f"Импорт результатов выполнен: {result.summary}."
        if result.tier_years:
            years = ", ".join(str(y) for y in result.tier_years)
            text += (f" Уровни в кластерах {years} г. пересчитаны по результатам: изменено "
                     f"{formatting.count_phrase(result.tiers_changed, 'уровень', 'уровня', 'уровней')}.")
        messages.success(request, text)
        return redirect("network:results")

    def _render(self, form, *, result=None):
        columns = [{"header": c.header, "required": c.required, "hint": c.hint} for c in ResultImport.columns]
        procedures = [p.name for p in procedures_for_user(self.request.user)]
        context = {
            "form": form, "result": result, "columns": columns, "procedures": procedures,
            "title": "Импорт результатов оценочных процедур",
            "max_upload": xlsx.human_size(ResultImport.max_bytes),
            "max_rows": formatting.integer(ResultImport.max_rows),
        }
        return render(self.request, self.template_name, context)


def results_template(request):
    """The empty template: the import's headers, the district's procedures as a dropdown."""
    require(request.user, EDIT)
    return xlsx_response(ResultImport.template_bytes_for(request.user.district), "template_results.xlsx")


class ProcedureList(CapabilityRequiredMixin, ListView):
    """The procedures a district's files may name: shipped ones and the district's own."""

    capability = VIEW
    template_name = "network/procedure_list.html"
    context_object_name = "procedures"

    def get_queryset(self):
        # Shipped procedures are shared: count only this district's results.
        own = Q(results__organisation__district_id=self.request.user.district_id)
        return procedures_for_user(self.request.user).annotate(
            result_count=Count("results", filter=own)).order_by("district_id", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can(self.request.user, EDIT)
        return context


class ProcedureCreate(ScopedCreateView):
    capability = EDIT
    scope = staticmethod(procedures_for_user)
    form_class = ProcedureForm
    success_url = reverse_lazy("network:procedures")
    success_message = "Процедура «%(name)s» добавлена."
    extra_context = {"title": "Новая оценочная процедура"}


class ProcedureDelete(ScopedDeleteView):
    """Only the district's own procedures (the write scope); one with results is kept."""

    capability = EDIT
    scope = staticmethod(procedures_for_user)
    success_url = reverse_lazy("network:procedures")
    success_message = "Процедура удалена."
    protected_message = ("Нельзя удалить процедуру «{obj}»: по ней загружены результаты. "
                         "Сначала удалите или перенесите эти результаты.")

    def get_protected_redirect_url(self) -> str:
        return str(self.success_url)
