"""The report list, the creation steps, the report page, the text editor and the HTML preview."""
from __future__ import annotations

import logging
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core.lists import fixed, sorted_paged
from core.mixins import LIST_PAGE_SIZE
from core.permissions import can, require

from .. import kinds, selectors, services, workflow
from ..forms import (
    ReportFilterForm,
    ReportKindForm,
    ReportParametersForm,
    ReportTextsForm,
    ReturnForm,
    SignatureUploadForm,
)
from ..models import FileRole, ReportStatus
from ..requisites import WIZARD_STEP_URL_NAME, requisites_refusal

logger = logging.getLogger(__name__)

FINAL_STATUSES = frozenset({ReportStatus.APPROVED, ReportStatus.SIGNED})


# ?sort= of the list (core/lists.py); without one, the newest first (the selector's order).
# Drafts (no outgoing number yet) stay after the registered справки either way.
REPORT_SORT_FIELDS = {
    "number": (*fixed(Case(When(outgoing_number__isnull=True, then=1), default=0).asc()),
               "outgoing_year", "outgoing_number"),
    "title": ("title",),
    "kind": ("kind",),
    "status": ("status",),
    "author": ("created_by__last_name", "created_by__first_name"),
    "updated": ("updated_at",),
}


def report_list(request):
    user = request.user
    require(user, "reports.view")
    form = ReportFilterForm(request.GET or None, years=selectors.report_years(user))
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.report_list_for_user(
        user, kind=filters.get("kind") or "", status=filters.get("status") or "", year=filters.get("year"),
    )
    listing = sorted_paged(request, reports, REPORT_SORT_FIELDS, per_page=LIST_PAGE_SIZE)
    return render(request, "reports/report_list.html", {
        # a stand-in for a filterset: the filter bar (core/field_html.py) reads form, data and is_bound
        **listing, "filter": SimpleNamespace(form=form, data=form.data, is_bound=form.is_bound),
        "reports": listing["object_list"],
        "can_create": workflow.may(user, "create"),
    })


def report_create(request):
    """Step 1: the kind (GET ?kind=…); step 2: the parameters of that kind (POST)."""
    user = request.user
    require(user, *workflow.capabilities("create"))
    refusal = requisites_refusal(user.district)
    if refusal:  # refused up front: no kind and no parameters to fill in vain
        return render(request, "reports/report_create.html", {
            "requisites_refusal": refusal, "requisites_url": reverse(WIZARD_STEP_URL_NAME, args=[user.district_id]),
            "can_fill_requisites": can(user, "setup.run"),
        })
    spec = kinds.find(request.POST.get("kind") or request.GET.get("kind"))
    if spec is None:
        return render(request, "reports/report_create.html", {
            "kind_form": ReportKindForm(), "kinds": kinds.all_kinds(),
        })
    form = ReportParametersForm(request.POST or None, user=user, kind=spec)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                user=user, kind=spec.code, programme=data.get("programme"),
                scope_key=data.get("scope_key") or "district", periods=data.get("periods") or [],
                campaign=data.get("campaign"), title=data.get("title") or "",
            )
        except services.ReportForbiddenError as error:
            raise PermissionDenied(str(error)) from error
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Черновик справки создан. Проверьте вывод и при необходимости дополните текст.")
            return redirect(report)
    return render(request, "reports/report_create.html", {"form": form, "kind": spec})


def report_detail(request, pk: int):
    user = request.user
    require(user, "reports.view")
    report = selectors.report_get_for_user(user=user, pk=pk)
    actions = selectors.available_actions(user, report)
    files = selectors.report_files_for_user(user, report)
    return render(request, "reports/report_detail.html", {
        "report": report,
        "actions": actions,
        "files": files,
        "has_final": any(f.role == FileRole.FINAL_PDF for f in report.files.all()),
        "job": selectors.latest_render_job(report),
        "events": [(event, services.EVENT_LABELS.get(event.action, event.action))
                   for event in selectors.report_events(report)],
        "downloads": selectors.report_download_log(report)[:100] if "download_log" in actions else None,
        "corrections": selectors.report_corrections(report),
        "number_and_date": services.number_and_date(report),
        "return_form": ReturnForm() if "return" in actions else None,
        "signature_form": SignatureUploadForm() if "attach_signature" in actions else None,
    })


def report_edit(request, pk: int):
    user = request.user
    require(user, *workflow.capabilities("edit"))
    report = selectors.report_get_for_user(user=user, pk=pk)
    reason = services.not_editable_reason(report)
    if reason:
        messages.error(request, reason)
        return redirect(report)
    form = ReportTextsForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_update(report=report, user=user, **form.changes())
        except services.ReportForbiddenError as error:
            raise PermissionDenied(str(error)) from error
        except services.ReportError as error:
            messages.error(request, str(error))
            return redirect(report)
        messages.success(request, "Текст справки сохранён.")
        return redirect(report)
    return render(request, "reports/report_edit.html", {"report": report, "form": form})


# Unstyled on purpose: the Content-Security-Policy allows no inline styles.
PREVIEW_PLACEHOLDER = (
    '<!doctype html><html lang="ru"><meta charset="utf-8"><title>Предпросмотр</title>'
    '<body><p>{}</p></body></html>'
)


@xframe_options_sameorigin
def report_preview(request, pk: int):
    """The report's print template as HTML (the same template the PDF is rendered from)."""
    user = request.user
    require(user, "reports.view")
    report = selectors.report_get_for_user(user=user, pk=pk)
    from ..rendering import render_report_html  # WeasyPrint loads with the first preview, not the URLconf

    try:
        html = render_report_html(report, final=report.status in FINAL_STATUSES)
    except Exception as error:  # the page around the preview must keep working
        logger.exception("Preview of report %s failed", report.pk)
        return HttpResponse(PREVIEW_PLACEHOLDER.format(
            f"Не удалось построить предпросмотр: {escape(error)}. Сообщите администратору портала."))
    return HttpResponse(html)
