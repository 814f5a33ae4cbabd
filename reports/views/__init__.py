"""Pages of the reports section: thin views over reports.selectors and reports.services."""
from .actions import (
    render_job_status,
    report_approve,
    report_correct,
    report_publish,
    report_register_paper_number,
    report_render,
    report_return,
    report_sign,
    report_signature_attach,
    report_submit,
    report_withdraw,
)
from .certificates import signing_certificate
from .files import report_file_download
from .options import report_options
from .pages import report_create, report_detail, report_edit, report_list, report_preview

__all__ = [
    "render_job_status", "report_approve", "report_correct", "report_create", "report_detail", "report_edit",
    "report_file_download", "report_list", "report_preview", "report_publish", "report_register_paper_number",
    "report_render", "report_return", "report_sign", "report_signature_attach", "report_submit",
    "signing_certificate", "report_options", "report_withdraw",
]
