"""Workflow buttons of the report page (POST only) and the render job status polled by htmx."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from imc_portal.mixins import require_role

from .. import selectors, services
from ..forms import ReturnForm, SignatureUploadForm
from ..models import FileRole, JobStatus, Report


def _act(request, pk: int, roles: Iterable[str], action: Callable[[Report], tuple[Report, str]]):
    """Check the role, load the report in the user's scope, run the service, say what happened."""
    require_role(request.user, roles)
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    try:
        report, message = action(report)
    except services.ReportForbiddenError as error:
        raise PermissionDenied(str(error)) from error
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(report)


@require_POST
def report_submit(request, pk: int):
    def submit(report):
        report = services.report_submit(report=report, user=request.user)
        return report, "Справка отправлена директору ИМЦ на утверждение."
    return _act(request, pk, selectors.AUTHORS, submit)


@require_POST
def report_return(request, pk: int):
    form = ReturnForm(request.POST)

    def send_back(report):
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        report = services.report_return(report=report, user=request.user, comment=comment)
        return report, "Справка возвращена методисту на доработку."
    return _act(request, pk, selectors.APPROVERS, send_back)


@require_POST
def report_approve(request, pk: int):
    def approve(report):
        report = services.report_approve(report=report, user=request.user)
        return report, f"Справка утверждена: {services.number_and_date(report)}. Итоговый PDF формируется."
    return _act(request, pk, selectors.APPROVERS, approve)


@require_POST
def report_sign(request, pk: int):
    def sign(report):
        report = services.report_sign(report=report, user=request.user)
        return report, "Справка подписана электронной подписью. Теперь её нельзя изменить."
    return _act(request, pk, selectors.APPROVERS, sign)


@require_POST
def report_correct(request, pk: int):
    def correct(report):
        correction = services.report_correct(report=report, user=request.user)
        return correction, "Создан черновик исправленной версии. После утверждения он заменит прежнюю справку."
    return _act(request, pk, selectors.AUTHORS, correct)


@require_POST
def report_publish(request, pk: int):
    published = request.POST.get("published") == "1"

    def publish(report):
        report = services.report_publish(report=report, user=request.user, published=published)
        return report, ("Справка доступна администраторам ОУ района." if published
                        else "Справка больше не показывается администраторам ОУ.")
    return _act(request, pk, selectors.APPROVERS, publish)


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
    return _act(request, pk, selectors.APPROVERS, attach)


@require_POST
def report_render(request, pk: int):
    target = request.POST.get("target") or FileRole.DRAFT_PDF

    def queue(report):
        services.render_job_request(report=report, user=request.user, target=target)
        return report, "Формирование PDF запущено — статус обновляется на странице."
    return _act(request, pk, selectors.RENDER_REQUESTERS, queue)


def render_job_status(request, job_pk: int):
    """The job's status partial; htmx polls it while the job waits or renders."""
    require_role(request.user, selectors.READERS)
    job = selectors.render_job_get_for_user(user=request.user, pk=job_pk)
    response = render(request, "reports/_render_job.html", {"job": job, "polled": True})
    if request.headers.get("HX-Request") and request.GET.get("poll") and job.status == JobStatus.READY:
        # The files list and the buttons (e.g. «Подписать») depend on the new file: reload the page once.
        response["HX-Refresh"] = "true"
    return response
