"""Workflow buttons of the report page (POST only), the paper-register form and the render job
status polled by htmx.

Each view's gate is the capabilities the workflow table (reports/workflow.py) names for its
action; the service then checks the state and the district and says why it refuses.
"""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.links import portal_base_url
from core.permissions import require

from .. import selectors, services, workflow
from ..forms import PaperNumberForm, ReturnForm, SignatureUploadForm
from ..models import FileRole, Report


def _act(request, pk: int, actions: tuple[str, ...], action: Callable[[Report], tuple[Report, str]]):
    """Check the role, load the report in the user's scope, run the service, say what happened."""
    require(request.user, *(cap for name in actions for cap in workflow.capabilities(name)))
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    try:
        report, message = action(report)
    except services.ReportForbiddenError as error:
        raise PermissionDenied(str(error)) from error
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        if message:  # none where the job's status partial on the report's page says it all
            messages.success(request, message)
    return redirect(report)


@require_POST
def report_submit(request, pk: int):
    def submit(report):
        report = services.report_submit(report=report, user=request.user)
        return report, "Справка отправлена директору ИМЦ на утверждение."
    return _act(request, pk, ("submit",), submit)


@require_POST
def report_withdraw(request, pk: int):
    def withdraw(report):
        report = services.report_withdraw(report=report, user=request.user)
        return report, "Справка отозвана с утверждения и снова стала черновиком — её можно исправить и отправить заново."
    return _act(request, pk, ("withdraw",), withdraw)


@require_POST
def report_return(request, pk: int):
    form = ReturnForm(request.POST)

    def send_back(report):
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        report = services.report_return(report=report, user=request.user, comment=comment)
        return report, "Справка возвращена методисту на доработку."
    return _act(request, pk, ("return",), send_back)


@require_POST
def report_approve(request, pk: int):
    def approve(report):
        report = services.report_approve(report=report, user=request.user, base_url=portal_base_url(request))
        return report, f"Справка утверждена: {services.number_and_date(report)}."
    return _act(request, pk, ("approve",), approve)


def report_register_paper_number(request, pk: int):
    """«Регистрация документа с номером из бумажного журнала»: approve with the journal's number and date."""
    user = request.user
    require(user, *workflow.capabilities("register_paper_number"))
    report = selectors.report_get_for_user(user=user, pk=pk)
    if not workflow.allowed(user, report, "register_paper_number"):
        messages.error(request, "Зарегистрировать с номером из бумажного журнала можно только справку, "
                                f"отправленную на утверждение (сейчас: {report.get_status_display()}).")
        return redirect(report)
    form = PaperNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_register_paper_number(
                report=report, user=user, number=form.cleaned_data["number"], dated=form.cleaned_data["dated"],
                base_url=portal_base_url(request),
            )
        except services.ReportForbiddenError as error:
            raise PermissionDenied(str(error)) from error
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Справка утверждена и зарегистрирована: {services.number_and_date(report)} "
                                      "(номер из бумажного журнала).")
            return redirect(report)
    method_centre = getattr(report.district, "method_centre", None)
    return render(request, "reports/report_register_paper_number.html", {
        "report": report, "form": form, "prefix": method_centre.outgoing_prefix if method_centre else "",
    })


@require_POST
def report_sign(request, pk: int):
    def sign(report):
        report = services.report_sign(report=report, user=request.user)
        return report, "Справка подписана электронной подписью. Теперь её нельзя изменить."
    return _act(request, pk, ("sign",), sign)


@require_POST
def report_correct(request, pk: int):
    def correct(report):
        correction = services.report_correct(report=report, user=request.user)
        return correction, "Создан черновик исправленной версии. После утверждения он заменит прежнюю справку."
    return _act(request, pk, ("correct",), correct)


@require_POST
def report_publish(request, pk: int):
    published = request.POST.get("published") == "1"

    def publish(report):
        report = services.report_publish(report=report, user=request.user, published=published)
        return report, ("Справка доступна администраторам ОУ района." if published
                        else "Справка больше не показывается администраторам ОУ.")
    return _act(request, pk, ("publish",), publish)


@require_POST
def report_signature_attach(request, pk: int):
    form = SignatureUploadForm(request.POST, request.FILES)

    def attach(report):
        if not form.is_valid():
            raise services.ReportError("Выберите файл открепленной подписи.")
        upload = form.cleaned_data["file"]
        if upload.size > services.DETACHED_SIGNATURE_MAX_BYTES:
            raise services.ReportError("Файл подписи больше 1 МБ — это не открепленная подпись.")
        services.report_signature_attach(report=report, user=request.user, name=upload.name, content=upload.read())
        return report, "Открепленная подпись сохранена рядом с подписанной справкой."
    return _act(request, pk, ("attach_signature",), attach)


@require_POST
def report_render(request, pk: int):
    target = request.POST.get("target") or FileRole.DRAFT_PDF

    def queue(report):
        services.render_job_request(report=report, user=request.user, target=target)
        # The one message is the job's status partial on the page: queued, rendering, then «Готово»
        # or why it failed (with no broker the PDF may already be there by the redirect).
        return report, ""
    return _act(request, pk, ("render_draft", "render_final"), queue)


def render_job_status(request, job_pk: int):
    """The job's status partial; htmx polls it while the job waits or renders."""
    require(request.user, "reports.view")
    job = selectors.render_job_get_for_user(user=request.user, pk=job_pk)
    response = render(request, "core/job_status.html", {"job": job, "polled": True})
    if request.headers.get("HX-Request") and request.GET.get("poll") and job.is_succeeded:
        # The files list and the buttons (e.g. «Подписать») depend on the new file: reload the page once.
        response["HX-Refresh"] = "true"
    return response
