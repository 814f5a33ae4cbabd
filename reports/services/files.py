"""A report's stored files: written with their SHA-256, frozen once signed, downloads logged."""
from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from imc_portal.models import User
from reports.errors import ReportError
from reports.models import DownloadLog, FileRole, Report, ReportFile, ReportStatus

from .common import SIGNED_MESSAGE

FILE_EXTENSIONS = {
    FileRole.DRAFT_PDF: "pdf", FileRole.FINAL_PDF: "pdf", FileRole.SIGNED_PDF: "pdf",
    FileRole.XLSX: "xlsx", FileRole.DETACHED_SIGNATURE: "sig",
}
FILE_SUFFIXES = {
    FileRole.DRAFT_PDF: "проект", FileRole.FINAL_PDF: "утверждена", FileRole.SIGNED_PDF: "подписана",
    FileRole.XLSX: "таблицы", FileRole.DETACHED_SIGNATURE: "подпись",
}
# Once signed, these never change: they are what the signature and the verification page refer to.
FROZEN_WHEN_SIGNED = frozenset({FileRole.DRAFT_PDF, FileRole.FINAL_PDF, FileRole.SIGNED_PDF, FileRole.XLSX})


def download_filename(report_file: ReportFile) -> str:
    report = report_file.report
    number = report.outgoing_label or f"проект-{report.pk}"
    return f"справка_{number}_{FILE_SUFFIXES[report_file.role]}.{FILE_EXTENSIONS[report_file.role]}"


def report_file_read(report_file: ReportFile) -> bytes:
    with report_file.file.open("rb") as handle:
        return handle.read()


def report_file_downloaded(*, report_file: ReportFile, user: User) -> DownloadLog:
    """Every download is logged: who, when, which file (role) and which version (SHA-256)."""
    return DownloadLog.objects.create(
        report_file=report_file, report_id=report_file.report_id, role=report_file.role,
        sha256=report_file.sha256, user=user,
    )


def file_store(report: Report, role: str, content: bytes, user: User | None) -> ReportFile:
    """Write (or replace) the report's file of this role with its SHA-256; inside a transaction."""
    # report_sign stores the signed PDF before the status changes; after that nothing of it moves.
    if report.status == ReportStatus.SIGNED and role in FROZEN_WHEN_SIGNED:
        raise ReportError(SIGNED_MESSAGE)
    digest = hashlib.sha256(content).hexdigest()
    existing = ReportFile.objects.select_for_update().filter(report=report, role=role).first()
    name = f"report-{report.pk}-{role}.{FILE_EXTENSIONS[role]}"
    if existing is None:
        stored = ReportFile(report=report, role=role, created_by=user)
    else:
        stored, old_name = existing, existing.file.name
        storage = existing.file.storage
        transaction.on_commit(lambda: storage.delete(old_name) if old_name else None)
    stored.file.save(name, ContentFile(content), save=False)
    stored.sha256, stored.size, stored.created_by, stored.created_at = digest, len(content), user, timezone.now()
    stored.save()
    return stored
