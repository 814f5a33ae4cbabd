"""Reads of reports, always through the user's scope.

Who sees what is asked of core.permissions:
- `reports.view`: the reports section of one's district at all (portal administrators have none);
- `reports.view_unsigned`: drafts, submitted and approved reports too (methodists, the director);
  the others see signed reports only;
- `reports.view_unpublished`: signed reports the director has not published to schools (everyone
  but school administrators).
Which files of a visible report one may download: `FILE_CAPABILITIES`.

A report outside the scope is a 404; a file of a visible report that the role may not download is
a 403 with the reason. The report page's buttons come from the workflow table (reports/workflow.py).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from core.permissions import can
from imc_portal.models import User

from . import workflow
from .models import DownloadLog, FileRole, RenderJob, Report, ReportFile, ReportStatus

# capability → the files of a visible report it lets one download
FILE_CAPABILITIES: dict[str, frozenset[str]] = {
    "reports.download_any_file": frozenset(FileRole.values),
    "reports.download_tables": frozenset({FileRole.XLSX}),
    "reports.download_signed": frozenset({FileRole.SIGNED_PDF, FileRole.DETACHED_SIGNATURE}),
}


def reports_for_user(user: User) -> QuerySet[Report]:
    if not can(user, "reports.view") or not user.district_id:
        return Report.objects.none()
    reports = Report.objects.filter(district_id=user.district_id)
    if not can(user, "reports.view_unsigned"):
        reports = reports.filter(status=ReportStatus.SIGNED)
    if not can(user, "reports.view_unpublished"):
        reports = reports.filter(published_to_schools=True)
    return reports


def report_get_for_user(*, user: User, pk: int) -> Report:
    try:
        return reports_for_user(user).select_related(
            "district", "district__method_centre", "programme", "campaign", "replaces",
            "created_by", "approved_by", "signed_by",
        ).prefetch_related("files").get(pk=pk)
    except Report.DoesNotExist:
        raise Http404("Справка не найдена.") from None


def report_list_for_user(user: User, *, kind: str = "", status: str = "", year: int | None = None) -> QuerySet[Report]:
    """The list page: the user's reports with the filters of the page applied."""
    reports = reports_for_user(user).select_related("created_by", "programme", "campaign")
    if kind:
        reports = reports.filter(kind=kind)
    if status:
        reports = reports.filter(status=status)
    if year:
        # The register year once approved; the creation year of a draft.
        reports = reports.filter(Q(outgoing_year=year) | Q(outgoing_year__isnull=True, created_at__year=year))
    return reports.order_by("-created_at", "-pk")


def report_years(user: User) -> list[int]:
    years = set(reports_for_user(user).exclude(outgoing_year=None).values_list("outgoing_year", flat=True))
    years |= {d.year for d in reports_for_user(user).filter(outgoing_year=None).dates("created_at", "year")}
    return sorted(years, reverse=True)


def downloadable_roles(user: User) -> frozenset[str]:
    """The file roles (FileRole) of a visible report the user may download."""
    allowed: frozenset[str] = frozenset()
    for capability, roles in FILE_CAPABILITIES.items():
        if can(user, capability):
            allowed |= roles
    return allowed


def report_files_for_user(user: User, report: Report) -> list[ReportFile]:
    allowed = downloadable_roles(user)
    order = list(FileRole.values)
    files = [f for f in report.files.all() if f.role in allowed]
    return sorted(files, key=lambda f: order.index(f.role))


def report_file_get_for_user(*, user: User, pk: int, role: str) -> ReportFile:
    """The file to download: 404 outside the scope or if it does not exist, 403 if the role may not."""
    report = report_get_for_user(user=user, pk=pk)
    if role not in FileRole.values:
        raise Http404("Такого файла у справки нет.")
    if role not in downloadable_roles(user):
        raise PermissionDenied(
            f"Файл «{FileRole(role).label}» вам недоступен: "
            + ("наблюдателям доступны только подписанные справки." if can(user, "reports.download_tables")
               else "администраторам ОУ доступна только подписанная справка.")
        )
    try:
        return report.files.select_related("report", "report__district").get(role=role)
    except ReportFile.DoesNotExist:
        raise Http404(f"Файл «{FileRole(role).label}» ещё не сформирован.") from None


def render_job_get_for_user(*, user: User, pk: int) -> RenderJob:
    try:
        return RenderJob.objects.select_related("report").get(pk=pk, report__in=reports_for_user(user))
    except RenderJob.DoesNotExist:
        raise Http404("Задание не найдено.") from None


def latest_render_job(report: Report) -> RenderJob | None:
    return report.render_jobs.order_by("-created_at", "-pk").first()


def report_events(report: Report):
    return report.events.select_related("user")


def report_download_log(report: Report) -> QuerySet[DownloadLog]:
    return report.downloads.select_related("user").order_by("-downloaded_at", "-pk")


def report_corrections(report: Report) -> QuerySet[Report]:
    return report.replaced_by.order_by("-created_at")


def available_actions(user: User, report: Report) -> frozenset[str]:
    """The buttons of the report page for this user: the workflow table's open actions."""
    return workflow.available_actions(user, report)
