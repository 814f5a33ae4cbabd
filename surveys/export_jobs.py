"""The results XLSX of a large campaign as a background job (core/exports.py): the kind «surveys.results».

surveys/views/results.py answers the file in the request while «Ответы» has at most EXPORT_JOB_THRESHOLD
rows; above, it queues this kind with the campaign, the group key and the user's role, district and
organisation as at the request. The task checks them again (clusters/export_jobs.py: user_as_at_request),
asks `campaign_for_results` and `group_for_user` as the page does (a refusal is the job's Russian message),
and streams the same sheets as the direct download (surveys/xlsx_results.py) into the job's write-only
workbook, counting the responses for the progress bar.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import Workbook

from clusters.export_jobs import request_scope, user_as_at_request
from core import exports
from core.exports import ExportKind, ExportRefused
from core.models import ExportJob
from core.scope import Scope
from core.xlsx import write_sheets

from . import results as r
from .models import Campaign
from .xlsx_results import results_sheets

RESULTS_KIND = "surveys.results"
NO_ACCESS = "Выгрузка отменена: у вас нет доступа к результатам этой кампании."


def request_results_export(*, user, campaign: Campaign, group: Scope, filename: str, rows_total: int) -> ExportJob:
    return exports.export_job_request(
        user=user, kind=RESULTS_KIND, title=f"Результаты: {campaign.title} — {group.label}", filename=filename,
        parameters={"campaign": campaign.pk, "group": "" if group.is_district else group.key,
                    **request_scope(user)},
        rows_total=rows_total,
    )


def write_results(job: ExportJob, workbook: Workbook, progress: exports.Progress) -> int:
    user = user_as_at_request(job)
    parameters = job.parameters
    try:
        campaign = r.campaign_for_results(user=user, pk=parameters["campaign"])
        group = r.group_for_user(campaign, user, parameters.get("group") or None)
    except (Http404, PermissionDenied, KeyError):
        raise ExportRefused(NO_ACCESS) from None
    written = [0]

    def report(done: int) -> None:
        written[0] = done
        progress(done)

    sheets = results_sheets(campaign, group, by_groups=r.sees_whole_campaign(user),
                            raw=lambda rows: exports.counted(rows, report))
    write_sheets(workbook, sheets)
    return written[0]


def register() -> None:
    exports.register(ExportKind(RESULTS_KIND, write_results))
