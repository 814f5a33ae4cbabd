"""Writes of reports, by concern:

    workflow.py       create, edit, submit, return, approve (also with a paper-register number),
                      sign, correct, publish, attach a detached signature
    render_jobs.py    «Сформировать PDF»: jobs queued to Celery, claimed, run, retried, failed
    files.py          stored files with their SHA-256, frozen once signed; the download log
    options.py        «Параметры документа»: approval block, charts, order of sections
    notifications.py  e-mail to the director (submitted) and to the author (returned)
    certificates.py   signers' own certificates: stored sealed, found for signing under the rules
    common.py         the history entry, the row lock, «№ 1-854 от 17.12.2021»

Callers use this package's names (`from reports import services; services.report_submit(...)`).
Who may take which step is the table in reports/workflow.py; refusals are reports.errors.
"""
from reports.errors import ReportError, ReportForbiddenError

from .certificates import (
    NO_CERTIFICATE_MESSAGE,
    detached_signature_summary,
    may_manage_credential,
    signed_file_certificate,
    signing_credential_delete,
    signing_credential_store,
    signing_credentials_for,
)
from .common import (
    EVENT_LABELS,
    FINAL_NOT_READY_MESSAGE,
    SIGNED_MESSAGE,
    number_and_date,
    one_line_title,
)
from .files import download_filename, report_file_downloaded, report_file_read
from .notifications import report_notify_enqueue
from .options import options_summary, report_options_update, report_section_move, report_section_order_reset
from .render_jobs import (
    render_job_claim,
    render_job_fail,
    render_job_progress,
    render_job_request,
    render_job_retry_later,
    render_job_run,
)
from .workflow import (
    DETACHED_SIGNATURE_MAX_BYTES,
    not_editable_reason,
    report_approve,
    report_correct,
    report_create,
    report_publish,
    report_register_paper_number,
    report_return,
    report_sign,
    report_signature_attach,
    report_submit,
    report_update,
    report_withdraw,
)

__all__ = [
    "DETACHED_SIGNATURE_MAX_BYTES", "EVENT_LABELS", "NO_CERTIFICATE_MESSAGE", "detached_signature_summary",
    "may_manage_credential", "signed_file_certificate",
    "signing_credential_delete", "signing_credential_store", "signing_credentials_for", "FINAL_NOT_READY_MESSAGE", "SIGNED_MESSAGE", "ReportError",
    "ReportForbiddenError", "download_filename", "not_editable_reason", "number_and_date", "one_line_title",
    "render_job_claim", "render_job_fail", "render_job_progress", "render_job_request", "render_job_retry_later",
    "render_job_run", "report_approve", "report_correct", "report_create", "report_file_downloaded",
    "report_file_read", "report_notify_enqueue", "report_publish", "report_register_paper_number", "report_return",
    "report_sign", "report_signature_attach", "report_submit", "report_update",
    "options_summary", "report_options_update", "report_section_move", "report_section_order_reset", "report_withdraw",
]
