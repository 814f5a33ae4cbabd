"""Monitoring screens: programmes, the plan/fact table and grid, recompute, approval, dashboards."""
from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.xlsx import xlsx_response
from imc_portal.mixins import require_role

from . import selectors, services, tasks
from . import xlsx as monitoring_xlsx
from .dashboards import programme_dashboard
from .forms import PlanFactGridForm, PlanFactImportForm
from .models import RecomputeJob


def _table_url(programme, scope) -> str:
    return f"{reverse('monitoring:programme_detail', args=[programme.pk])}?scope={scope.key}"


def programme_list(request):
    require_role(request.user, selectors.READERS)
    programmes = selectors.programmes_for_user(request.user).order_by("name")
    return render(request, "monitoring/programme_list.html", {"programmes": programmes})


def programme_detail(request, pk: int):
    """The plan/fact table of one scope, with achievement, provenance and approvals."""
    require_role(request.user, selectors.READERS)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    scope = selectors.scope_from_key(programme, request.GET.get("scope"))
    table = selectors.plan_fact_table(programme, scope)
    summaries = [(period, selectors.achievement_summary(table, period)) for period in table.periods]
    job = programme.recompute_jobs.first()
    return render(request, "monitoring/programme_detail.html", {
        "programme": programme, "scope": scope, "table": table, "summaries": summaries,
        "scope_choices": selectors.scope_choices(programme), "job": job,
        "can_edit": request.user.role in selectors.EDITORS,
        "can_approve": request.user.role in selectors.APPROVERS,
    })


def grid_edit(request, pk: int):
    """Methodists enter plan/fact for one scope; one save is one transaction."""
    require_role(request.user, selectors.EDITORS)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    scope = selectors.scope_from_key(programme, request.GET.get("scope"))
    table = selectors.plan_fact_table(programme, scope)
    conflicts = []
    if request.method == "POST":
        form = PlanFactGridForm(request.POST, table=table)
        if form.is_valid():
            cells = form.cells()
            try:
                changed = services.values_save(scope=scope, cells=cells, user=request.user,
                                               reason=form.cleaned_data["reason"])
            except services.ValueInvalidError as error:
                form.attach_cell_errors(cells)
                messages.error(request, str(error))
            except services.ConcurrentEditError as error:
                conflicts = error.conflicts
                messages.error(request, str(error))
            except services.PeriodLockedError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Сохранено. Изменено значений: {changed}.")
                return HttpResponseRedirect(_table_url(programme, scope))
        else:
            messages.error(request, "Исправьте отмеченные значения — ничего не сохранено.")
    else:
        form = PlanFactGridForm(table=table)
    return render(request, "monitoring/grid_edit.html", {
        "programme": programme, "scope": scope, "table": table, "form": form, "conflicts": conflicts,
    })


@require_POST
def recompute_start(request, pk: int):
    require_role(request.user, selectors.EDITORS)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    job = services.recompute_job_create(programme=programme, user=request.user)
    transaction.on_commit(lambda: tasks.recompute_job.delay(job.pk))
    messages.info(request, "Пересчёт запущен.")
    return redirect(f"{reverse('monitoring:programme_detail', args=[pk])}?scope={request.POST.get('scope', 'district')}")


def recompute_status(request, job_pk: int):
    """The progress partial polled by htmx while a recompute runs."""
    require_role(request.user, selectors.READERS)
    job = get_object_or_404(
        RecomputeJob.objects.select_related("programme"),
        pk=job_pk, programme__in=selectors.programmes_for_user(request.user),
    )
    return render(request, "monitoring/_job_status.html", {"job": job})


@require_POST
def period_approve(request, pk: int, period_pk: int):
    return _approval_action(request, pk, period_pk, approve=True)


@require_POST
def period_unlock(request, pk: int, period_pk: int):
    return _approval_action(request, pk, period_pk, approve=False)


def _approval_action(request, pk: int, period_pk: int, *, approve: bool):
    require_role(request.user, selectors.APPROVERS)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    period = get_object_or_404(programme.periods, pk=period_pk)
    scope = selectors.scope_from_key(programme, request.POST.get("scope"))
    try:
        if approve:
            services.period_approve(period=period, scope=scope, user=request.user)
            messages.success(request, f"Период «{period.label}» утверждён для: {scope.label}. Значения заблокированы.")
        else:
            services.period_unlock(period=period, scope=scope, user=request.user)
            messages.success(request, f"Утверждение периода «{period.label}» снято. Значения снова можно менять.")
    except services.MonitoringError as error:
        messages.error(request, str(error))
    return redirect(_table_url(programme, scope))


def value_history(request, value_pk: int):
    require_role(request.user, selectors.READERS)
    value = selectors.value_get_for_user(user=request.user, pk=value_pk)
    changes = value.changes.select_related("changed_by")
    return render(request, "monitoring/value_history.html", {"value": value, "changes": changes})


def dashboard(request, pk: int):
    require_role(request.user, selectors.READERS)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    scope = selectors.scope_from_key(programme, request.GET.get("scope"))
    return render(request, "monitoring/dashboard.html", {
        "programme": programme, "scope": scope, "scope_choices": selectors.scope_choices(programme),
        **programme_dashboard(programme, scope),
    })


def plan_fact_import(request, pk: int):
    """All-or-nothing XLSX import of plan/fact into one programme."""
    require_role(request.user, selectors.EDITORS)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    result = None
    if request.method == "POST":
        form = PlanFactImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = monitoring_xlsx.import_plan_fact(programme=programme, user=request.user,
                                                      file=form.cleaned_data["file"])
            if result.ok:
                messages.success(request, result.summary)
                return redirect("monitoring:programme_detail", pk=programme.pk)
    else:
        form = PlanFactImportForm()
    return render(request, "monitoring/import.html", {"programme": programme, "form": form, "result": result})


def plan_fact_template(request):
    require_role(request.user, selectors.EDITORS)
    return xlsx_response(monitoring_xlsx.template_workbook(), "plan_fact_template.xlsx")


def plan_fact_export(request, pk: int):
    require_role(request.user, selectors.READERS)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    scope = selectors.scope_from_key(programme, request.GET.get("scope"))
    content = monitoring_xlsx.export_plan_fact(selectors.plan_fact_table(programme, scope))
    filename = f"plan_fact_{programme.code}_{scope.key.replace(':', '-')}_{timezone.localdate():%Y-%m-%d}.xlsx"
    return xlsx_response(content, filename)
