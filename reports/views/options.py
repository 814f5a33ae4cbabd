"""«Параметры документа» of a draft: the approval block, charts, the order of the movable sections.

One page, two kinds of POST: the options form, and «выше» / «ниже» / «как в виде справки» buttons of the
section list (each a small form of its own, no JavaScript).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from core.permissions import require

from .. import options, selectors, services, workflow
from ..forms import ReportOptionsForm


def _move(request, report):
    if request.POST.get("reset"):
        services.report_section_order_reset(report=report, user=request.user)
        messages.success(request, "Порядок разделов — как принято для этого вида справок.")
        return
    key, _, direction = (request.POST.get("move") or "").partition(":")
    services.report_section_move(report=report, user=request.user, key=key, direction=direction)
    messages.success(request, "Порядок разделов изменён.")


def report_options(request, pk: int):
    user = request.user
    require(user, *workflow.capabilities("edit"))
    report = selectors.report_get_for_user(user=user, pk=pk)
    reason = services.not_editable_reason(report)
    if reason:
        messages.error(request, reason)
        return redirect(report)
    here = reverse("reports:report_options", args=[report.pk])
    moving = request.method == "POST" and ("move" in request.POST or "reset" in request.POST)
    form = ReportOptionsForm(request.POST if request.method == "POST" and not moving else None, report=report)
    try:
        if moving:
            _move(request, report)
            return redirect(here + "#sections")
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.report_options_update(
                report=report, user=user, approval_block=data["approval_block"],
                order_number=data["approval_order_number"], order_date=data["approval_order_date"],
                show_charts=form.show_charts_value(),
            )
            messages.success(request, "Параметры документа сохранены.")
            return redirect(report)
    except services.ReportForbiddenError as error:
        raise PermissionDenied(str(error)) from error
    except services.ReportError as error:
        if moving:
            messages.error(request, str(error))
            return redirect(here)
        for name, errors in error.field_errors.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
        if not error.field_errors:
            form.add_error(None, str(error))
    return render(request, "reports/report_options.html", {
        "report": report, "form": form, "sections": options.body_sections(report),
        "custom_order": bool(report.section_order),
    })
