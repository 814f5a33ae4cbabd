"""XLSX import and export screens (thin: access → service/selector → response).

`XlsxExportView` is the building block for exporting any scoped, filtered list. An export for
another list is a few lines:

    class CommunityExport(XlsxExportView):
        capability = "registry.view_district"
        scope = staticmethod(selectors.communities_for_user)
        filterset_class = CommunityFilter          # the list's own filter, so the file = the page
        filename_prefix = "communities"            # → communities_2026-11-23.xlsx
        sheet_title = "Сообщества"
        columns = (
            XlsxColumn("Вид", "get_kind_display", width=24),
            XlsxColumn("Название", "name", width=40),
            XlsxColumn("Руководитель", "leader.full_name", width=30),
        )

and a URL `path("communities/export/", CommunityExport.as_view(), name="community_export")`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from core import exports, formatting, xlsx
from core.forms import PortalForm
from core.mixins import CapabilityRequiredMixin, ScopedQuerysetMixin
from core.permissions import require
from core.xlsx import XlsxColumn, xlsx_response

from .. import export_jobs, imports, personal_data, selectors
from ..filters import MembershipFilter, OrganisationFilter, TeacherFilter
from .common import DISTRICT_READ, IMPORT, TEACHER_RECORDS_READ

__all__ = ["XlsxColumn", "XlsxExportView", "xlsx_response"]

IMPORT_REDIRECTS = {
    "organisations": "clusters:organisation_list",
    "teachers": "clusters:teacher_list",
    "memberships": "clusters:cluster_list",
}


# --- export ------------------------------------------------------------------------------------


class XlsxExportView(ScopedQuerysetMixin, View):
    """Download a scoped list as XLSX, filtered exactly like its page (same FilterSet, same GET).

    Up to EXPORT_JOB_THRESHOLD rows (10,000) the file is the answer; above, an export job writes it and
    the user is sent to the job's page (core/exports.py, clusters/export_jobs.py).

    Set `capability`, `scope`, `columns` (XlsxColumn), optionally `filterset_class`,
    `filename_prefix`, `sheet_title`; override `get_queryset` to add select_related for the
    columns' attribute paths.
    """

    filterset_class = None
    columns: Sequence[XlsxColumn] = ()
    filename_prefix = "export"
    sheet_title = "Лист1"
    chunk_size = 2000
    # The file names people (teachers, curators, leaders): every download goes to ExportLog (152-ФЗ).
    personal_data = False

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.filterset_class is None:
            return queryset
        filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        # As FilterView (strict): an invalid filter shows nothing rather than everything.
        if filterset.is_bound and not filterset.is_valid():
            return queryset.none()
        return filterset.qs

    def get_columns(self) -> Sequence[XlsxColumn]:
        return self.columns

    def get_rows(self, queryset: QuerySet, columns: Sequence[XlsxColumn]) -> Iterable[Sequence[Any]]:
        return xlsx.export_rows(columns, queryset.iterator(chunk_size=self.chunk_size))

    def get_filename(self) -> str:
        return f"{self.filename_prefix}_{timezone.localdate():%Y-%m-%d}.xlsx"

    def get(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        row_count = queryset.count()
        if exports.runs_as_job(row_count):
            # Past EXPORT_JOB_THRESHOLD rows the file is written by a background job (core/exports.py);
            # the task rebuilds this view for this user and this GET (clusters/export_jobs.py).
            job = exports.export_job_request(
                user=request.user, kind=export_jobs.LIST_KIND, title=self.sheet_title,
                filename=self.get_filename(), parameters=export_jobs.list_parameters(self, request),
                rows_total=row_count,
            )
            return redirect(job.page_url)
        columns = self.get_columns()
        rows = _CountedRows(self.get_rows(queryset, columns))
        content = xlsx.build_workbook(columns, rows, sheet_title=self.sheet_title)
        if self.personal_data:
            # Only after the file is built (the count is known); no file leaves without its entry.
            personal_data.log_export(
                user=request.user, list_name=self.filename_prefix, list_title=self.sheet_title,
                query_string=personal_data.readable_query(request.GET), row_count=rows.count,
            )
        return xlsx_response(content, self.get_filename())


class _CountedRows:
    """The rows, streamed to the workbook as before, counted on the way."""

    def __init__(self, rows: Iterable[Sequence[Any]]):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


class OrganisationExport(XlsxExportView):
    capability = DISTRICT_READ
    scope = staticmethod(selectors.organisations_for_user)
    filterset_class = OrganisationFilter
    columns = imports.OrganisationImport.xlsx_columns()
    filename_prefix = "organisations"
    sheet_title = imports.OrganisationImport.sheet_title


class TeacherExport(XlsxExportView):
    """Methodist and director: the district's teachers; a school administrator: their own school's."""

    capability = TEACHER_RECORDS_READ
    scope = staticmethod(selectors.teachers_for_user)
    filterset_class = TeacherFilter
    personal_data = True  # ФИО, табельный номер, год рождения, стаж, категория
    columns = imports.TeacherImport.xlsx_columns()
    filename_prefix = "teachers"
    sheet_title = imports.TeacherImport.sheet_title


class MembershipExport(XlsxExportView):
    """Cluster memberships of the district, optionally of one year (`?year=2021`)."""

    capability = DISTRICT_READ
    scope = staticmethod(selectors.memberships_for_user)
    filterset_class = MembershipFilter
    columns = imports.MembershipImport.xlsx_columns()
    filename_prefix = "cluster_memberships"
    sheet_title = imports.MembershipImport.sheet_title


# --- import ------------------------------------------------------------------------------------


class ImportForm(PortalForm):
    kind = forms.ChoiceField(
        label="Что загружаем",
        choices=[(kind, spec.title) for kind, spec in imports.IMPORT_KINDS.items()],
    )
    # Empty files reach the service, which explains the refusal in the same words as other refusals.
    file = forms.FileField(
        label="Файл XLSX",
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + xlsx.XLSX_CONTENT_TYPE}),
    )


class ImportView(CapabilityRequiredMixin, View):
    capability = IMPORT
    template_name = "clusters/import.html"

    def get(self, request):
        kind = request.GET.get("kind")
        form = ImportForm(initial={"kind": kind} if kind in imports.IMPORT_KINDS else None)
        return self._render(form)

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        kind = form.cleaned_data["kind"]
        result = imports.import_file(kind=kind, user=request.user, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"Импорт «{result.title}» выполнен: {result.summary}.")
            return redirect(IMPORT_REDIRECTS[kind])
        return self._render(form, result=result)

    def _render(self, form: ImportForm, *, result: imports.ImportResult | None = None):
        kinds = [
            {
                "kind": kind,
                "title": spec.title,
                "columns": [
                    {"header": c.header, "required": c.required,
                     "hint": " / ".join(str(label) for label in c.choices.labels) if c.choices else c.hint}
                    for c in spec.columns
                ],
            }
            for kind, spec in imports.IMPORT_KINDS.items()
        ]
        context = {"form": form, "result": result, "kinds": kinds, "title": "Импорт из XLSX",
                   "max_upload": xlsx.human_size(xlsx.max_upload_bytes()),
                   "max_rows": formatting.integer(xlsx.max_rows())}
        return render(self.request, self.template_name, context)


def import_template(request, kind: str):
    """The empty template of one kind: header row, widths, dropdowns for the choice columns."""
    require(request.user, IMPORT)
    spec = imports.IMPORT_KINDS.get(kind)
    if spec is None:
        raise Http404("Такого шаблона нет.")
    return xlsx_response(spec.template_bytes(), f"template_{spec.kind}.xlsx")
