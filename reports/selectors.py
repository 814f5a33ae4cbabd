"""Reads of reports, always through the user's scope (issue #5, item 7).

- Methodists and the director see every report of their district and download every file of it
  (methodists prepare drafts, the director reviews them before approving).
- Observers see the district's signed reports and download the signed PDF, its detached
  signature and the tables (XLSX).
- School administrators see only signed reports the director published to schools, and download
  only the signed PDF and its detached signature.
- Everybody else (portal administrators included) has no reports section.

A report outside the scope is a 404; a file of a visible report that the role may not download is
a 403 with the reason.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from imc_portal.models import Role, User

from .models import DownloadLog, FileRole, RenderJob, Report, ReportFile, ReportStatus

AUTHORS = frozenset({Role.METHODIST})
APPROVERS = frozenset({Role.DIRECTOR})
RENDER_REQUESTERS = AUTHORS | APPROVERS
READERS = frozenset({Role.METHODIST, Role.DIRECTOR, Role.OBSERVER, Role.SCHOOL_ADMIN})

_ALL_FILES = frozenset(FileRole.values)
DOWNLOADABLE_ROLES: dict[str, frozenset[str]] = {
    Role.METHODIST: _ALL_FILES,
    Role.DIRECTOR: _ALL_FILES,
    Role.OBSERVER: frozenset({FileRole.SIGNED_PDF, FileRole.DETACHED_SIGNATURE, FileRole.XLSX}),
    Role.SCHOOL_ADMIN: frozenset({FileRole.SIGNED_PDF, FileRole.DETACHED_SIGNATURE}),
}


def reports_for_user(user: User) -> QuerySet[Report]:
    if not user.is_authenticated or user.role not in READERS or not user.district_id:
        return Report.objects.none()
    reports = Report.objects.filter(district_id=user.district_id)
    if user.role == Role.OBSERVER:
        return reports.filter(status=ReportStatus.SIGNED)
    if user.role == Role.SCHOOL_ADMIN:
        return reports.filter(status=ReportStatus.SIGNED, published_to_schools=True)
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
    return DOWNLOADABLE_ROLES.get(user.role, frozenset())


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
            + ("администраторам ОУ доступна только подписанная справка."
               if user.role == Role.SCHOOL_ADMIN else "наблюдателям доступны только подписанные справки.")
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
    """The buttons of the report page for this user (the services refuse anything else anyway)."""
    status, actions = report.status, set()
    if user.role == Role.METHODIST:
        if report.is_editable:
            actions |= {"edit", "submit", "render_draft"}
        elif status == ReportStatus.SUBMITTED:
            actions.add("render_draft")
        elif status == ReportStatus.APPROVED:
            actions.add("render_final")
        elif status == ReportStatus.SIGNED and not report.replaced_by.exclude(status=ReportStatus.SIGNED).exists():
            actions.add("correct")
    elif user.role == Role.DIRECTOR:
        actions.add("download_log")
        if status == ReportStatus.SUBMITTED:
            actions |= {"approve", "return", "render_draft"}
        elif status == ReportStatus.APPROVED:
            actions |= {"sign", "render_final"}
        elif status == ReportStatus.SIGNED:
            actions |= {"publish", "attach_signature"}
    return frozenset(actions)
