"""Monitoring screens: programmes, the plan/fact table and grid, recompute, approval, dashboards."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.page_cache import cached_page
from core.permissions import can, require
from core.xlsx import xlsx_response

from . import selectors, services, workflow
from . import xlsx as monitoring_xlsx
from .dashboards import dashboard_body
from .forms import PlanFactGridForm, PlanFactImportForm
from .models import RecomputeJob


def _table_url(programme, scope) -> str:
    return f"{reverse('monitoring:programme_detail', args=[programme.pk])}?scope={scope.key}"


def programme_list(request):
    require(request.user, "monitoring.view")
    programmes = selectors.programme_list_for_user(request.user).order_by("name")
    return render(request, "monitoring/programme_list.html", {
        "programmes": programmes, "can_create": can(request.user, "monitoring.edit"),
    })


@cached_page("monitoring:programme_detail")
def programme_detail(request, pk: int):
    """The plan/fact table of one scope, with achievement, provenance and approvals."""
    require(request.user, "monitoring.view")
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    scope = selectors.scope_from_key(programme, request.GET.get("scope"))
    table = selectors.plan_fact_table(programme, scope)
    job = programme.recompute_jobs.first()
    return render(request, "monitoring/programme_detail.html", {
        "programme": programme, "scope": scope, "table": table, "period_rows": _period_rows(request.user, table),
        "scope_choices": selectors.scope_choices(programme), "job": job,
        "can_edit": can(request.user, "monitoring.edit"),
        "shows_transitions": workflow.may_make_transitions(request.user),
    })


def _period_rows(user, table: selectors.Table) -> list[dict]:
    """Each period's conclusion, approval and the workflow's buttons the user may press."""
    rows = []
    for period in table.periods:
        approval = table.approvals.get(period.pk)
        rows.append({
            "period": period, "summary": selectors.achievement_summary(table, period), "approval": approval,
            "transitions": workflow.transitions_for(user, workflow.state_of(approval)),
        })
    return rows


def grid_edit(request, pk: int):
    """Methodists enter plan/fact for one scope; one save is one transaction."""
    require(request.user, "monitoring.edit")
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
                form.attach_cell_errors(error.cells)
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
    require(request.user, "monitoring.edit")
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    services.recompute_job_create(programme=programme, user=request.user)
    # Published after the commit (core/outbox.py): a broker that is down leaves the job queued,
    # and the sweeper publishes it. No flash message: the job's status partial on the programme's
    # page is the one message about it — queued, running, then its result (with no broker the job
    # may already be done by the redirect, and «в очереди» next to «завершён» contradicted it).
    return redirect(f"{reverse('monitoring:programme_detail', args=[pk])}?scope={request.POST.get('scope', 'district')}")


def recompute_status(request, job_pk: int):
    """The progress partial polled by htmx while a recompute runs."""
    require(request.user, "monitoring.view")
    job = get_object_or_404(
        RecomputeJob.objects.select_related("programme"),
        pk=job_pk, programme__in=selectors.programmes_for_user(request.user),
    )
    response = render(request, "core/job_status.html", {"job": job, "polled": True})
    if request.headers.get("HX-Request") and job.is_succeeded:
        # The table shows the recomputed values only once reloaded (a job on the embedded worker's thread
        # or a Celery worker finishes after the page was drawn): reload the page once, as reports do.
        response["HX-Refresh"] = "true"
    return response


@require_POST
def period_approve(request, pk: int, period_pk: int):
    def approve(period, scope):
        services.period_approve(period=period, scope=scope, user=request.user)
        return f"Период «{period.label}» утверждён для: {scope.label}. Значения заблокированы."

    return _period_transition(request, pk, period_pk, workflow.APPROVE, approve)


@require_POST
def period_unlock(request, pk: int, period_pk: int):
    def reopen(period, scope):
        services.period_unlock(period=period, scope=scope, user=request.user)
        return f"Утверждение периода «{period.label}» снято. Значения снова можно менять."

    return _period_transition(request, pk, period_pk, workflow.REOPEN, reopen)


def _period_transition(request, pk: int, period_pk: int, transition: workflow.Transition, act):
    """A workflow button: the capability of its transition, then the service (which checks the state)."""
    require(request.user, transition.capability)
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    period = get_object_or_404(programme.periods, pk=period_pk)
    scope = selectors.scope_from_key(programme, request.POST.get("scope"))
    try:
        messages.success(request, act(period, scope))
    except services.MonitoringError as error:
        messages.error(request, str(error))
    return redirect(_table_url(programme, scope))


def value_history(request, value_pk: int):
    require(request.user, "monitoring.view")
    value = selectors.value_get_for_user(user=request.user, pk=value_pk)
    changes = value.changes.select_related("changed_by")
    return render(request, "monitoring/value_history.html", {"value": value, "changes": changes})


@cached_page("monitoring:dashboard")
def dashboard(request, pk: int):
    require(request.user, "monitoring.view")
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    scope = selectors.scope_from_key(programme, request.GET.get("scope"))
    return render(request, "monitoring/dashboard.html", {"programme": programme, "scope": scope,
                                                         "body": dashboard_body(programme, scope)})


def plan_fact_import(request, pk: int):
    """All-or-nothing XLSX import of plan/fact into one programme."""
    require(request.user, "monitoring.edit")
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
    require(request.user, "monitoring.edit")
    return xlsx_response(monitoring_xlsx.template_workbook(), "plan_fact_template.xlsx")


def plan_fact_export(request, pk: int):
    require(request.user, "monitoring.view")
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    scope = selectors.scope_from_key(programme, request.GET.get("scope"))
    content = monitoring_xlsx.export_plan_fact(selectors.plan_fact_table(programme, scope))
    filename = f"plan_fact_{programme.code}_{scope.key.replace(':', '-')}_{timezone.localdate():%Y-%m-%d}.xlsx"
    return xlsx_response(content, filename)
