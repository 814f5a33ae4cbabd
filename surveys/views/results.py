"""Results of a campaign: the page with per-question counts, shares and charts, and its XLSX.

Who sees what (surveys/results.py: campaign_for_results): methodists, directors and observers
of the campaign's district read every campaign, whole or by organisation or cluster; a school
administrator reads only organisation campaigns addressed to their school, narrowed to their own
organisation, and is refused (403) the anonymous teacher campaigns; another district's campaign
is a 404.
"""
from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone

from core import exports
from core.page_cache import cached_page
from core.xlsx import xlsx_response

from .. import results as r
from ..export_jobs import request_results_export
from ..results_page import page_context
from ..xlsx_results import raw_row_count, results_workbook


@cached_page("surveys:campaign_results")
def campaign_results(request, pk: int):
    """The page around its body, which surveys/results_page.py renders once per data version and reader kind."""
    campaign = r.campaign_for_results(user=request.user, pk=pk)
    group = r.group_for_user(campaign, request.user, request.GET.get("group"))
    is_school = not r.sees_whole_campaign(request.user)
    return render(request, "surveys/results/campaign_results.html",
                  page_context(campaign, group, is_school=is_school))


def campaign_results_export(request, pk: int):
    """The XLSX in the request up to EXPORT_JOB_THRESHOLD responses; above, an export job and its page."""
    campaign = r.campaign_for_results(user=request.user, pk=pk)
    group = r.group_for_user(campaign, request.user, request.GET.get("group"))
    suffix = "" if group.is_district else f"_{group.key.replace(':', '-')}"
    filename = f"results_{campaign.pk}{suffix}_{timezone.localdate():%Y-%m-%d}.xlsx"
    row_count = raw_row_count(campaign, group)
    if exports.runs_as_job(row_count):
        job = request_results_export(user=request.user, campaign=campaign, group=group, filename=filename,
                                     rows_total=row_count)
        return redirect(job.page_url)
    content = results_workbook(campaign, group, by_groups=r.sees_whole_campaign(request.user))
    return xlsx_response(content, filename)
