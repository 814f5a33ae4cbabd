"""Registry list exports as background jobs (core/exports.py): the kind «clusters.list» and the user as at
the request, shared with the upper apps' kinds (surveys' results).

A list export above EXPORT_JOB_THRESHOLD rows (clusters/views/io.py: XlsxExportView) stores what decides
its rows — the export view's dotted path, the page's path and GET — and the user's role, district and
organisation as at the request. The task rebuilds the same view on a GET request of that user and asks
it for its queryset, columns and rows: the file holds exactly the rows the direct download would, the
capability and the `*_for_user` scope are checked again, and a personal-data list writes its ExportLog.
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.utils.module_loading import import_string
from openpyxl import Workbook

from core import exports
from core.exports import ExportKind, ExportRefused
from core.models import ExportJob
from core.permissions import can, require
from core.xlsx import write_table

from . import personal_data
from .city import CAPABILITY as CITY_CAPABILITY
from .city import districts_for_user

LIST_KIND = "clusters.list"
SCOPE_CHANGED = ("Выгрузка отменена: с момента запроса изменились ваши права или место работы. "
                 "Откройте список и выгрузите его ещё раз.")
NO_ACCESS = "Выгрузка отменена: у вас нет доступа к этому списку."


def request_scope(user) -> dict[str, Any]:
    """What the task checks the user against: role, district (a city user's: the one picked), organisation."""
    return {"role": user.role, **exports.user_scope(user)}


def user_as_at_request(job: ExportJob):
    """The job's user, reading the district they read at the request; ExportRefused if their role or
    organisation changed since, or a city user may no longer read the district they had picked."""
    user = job.requested_by
    parameters = job.parameters
    if user.role != parameters.get("role") or user.organisation_id != parameters.get("organisation"):
        raise ExportRefused(SCOPE_CHANGED)
    district_id = parameters.get("district")
    if user.district_id != district_id:
        # Only a city user reads another district than their own (picked in the navbar, in memory only).
        if district_id is None or not can(user, CITY_CAPABILITY):
            raise ExportRefused(SCOPE_CHANGED)
        district = districts_for_user(user).filter(pk=district_id).first()
        if district is None:
            raise ExportRefused(SCOPE_CHANGED)
        user.district = district
    return user


def get_request(user, path: str, query: str) -> HttpRequest:
    """A GET of `path?query` by `user`, for rebuilding a list view in a task."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.META = {"REQUEST_METHOD": "GET", "QUERY_STRING": query, "SERVER_NAME": "export", "SERVER_PORT": "80"}
    request.user = user
    return request


def list_parameters(view, request) -> dict[str, Any]:
    cls = type(view)
    return {"view": f"{cls.__module__}.{cls.__qualname__}", "path": request.path, "query": request.GET.urlencode(),
            **request_scope(request.user)}


def write_list(job: ExportJob, workbook: Workbook, progress: exports.Progress) -> int:
    from .views.io import XlsxExportView  # the views import this module's request side

    user = user_as_at_request(job)
    parameters = job.parameters
    try:
        view_class = import_string(parameters["view"])
    except (ImportError, KeyError):
        raise ExportRefused("Этот список больше не выгружается.") from None
    if not (isinstance(view_class, type) and issubclass(view_class, XlsxExportView)):
        raise ExportRefused("Этот список больше не выгружается.")
    request = get_request(user, parameters.get("path", "/"), parameters.get("query", ""))
    view = view_class()
    view.setup(request)
    try:
        require(user, *view.get_capabilities())
    except PermissionDenied:
        raise ExportRefused(NO_ACCESS) from None
    queryset = view.filter_queryset(view.get_queryset())
    columns = view.get_columns()
    rows = exports.counted(view.get_rows(queryset, columns), progress)
    count = write_table(workbook, columns, rows, sheet_title=view.sheet_title)
    if view.personal_data:
        personal_data.log_export(
            user=user, list_name=view.filename_prefix, list_title=view.sheet_title,
            query_string=personal_data.readable_query(request.GET), row_count=count,
        )
    return count


def register() -> None:
    exports.register(ExportKind(LIST_KIND, write_list))

