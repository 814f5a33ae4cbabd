"""Downloads of a report's files: access by role (item 7 of the issue), every download logged."""
from __future__ import annotations

from django.http import FileResponse, Http404

from core.permissions import require

from .. import selectors, services
from ..models import FileRole

CONTENT_TYPES = {
    FileRole.DRAFT_PDF: "application/pdf",
    FileRole.FINAL_PDF: "application/pdf",
    FileRole.SIGNED_PDF: "application/pdf",
    FileRole.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileRole.DETACHED_SIGNATURE: "application/pkcs7-signature",
}


def report_file_download(request, pk: int, role: str):
    require(request.user, "reports.view")
    report_file = selectors.report_file_get_for_user(user=request.user, pk=pk, role=role)
    try:
        handle = report_file.file.open("rb")
    except FileNotFoundError:
        raise Http404("Файл справки не найден в хранилище — сформируйте его заново или сообщите администратору.") from None
    services.report_file_downloaded(report_file=report_file, user=request.user)
    return FileResponse(
        handle, as_attachment=True, filename=services.download_filename(report_file),
        content_type=CONTENT_TYPES[report_file.role],
    )
