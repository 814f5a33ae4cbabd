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
from core.charts import bar_comparison_chart
from core.xlsx import xlsx_response

from .. import results as r
from ..export_jobs import request_results_export
from ..responses import questionnaire_structure
from ..xlsx_results import raw_row_count, results_workbook


def _chart(result: r.QuestionResult) -> str:
    labels = [line.label for line in result.lines]
    values = [float(line.share) if line.share is not None else None for line in result.lines]
    # No title: the question heads the card; a narrower figure keeps the labels readable.
    return bar_comparison_chart(labels, values, unit="%", decimals=1, x_max=100, width=5.0)


def campaign_results(request, pk: int):
    campaign = r.campaign_for_results(user=request.user, pk=pk)
    group = r.group_for_user(campaign, request.user, request.GET.get("group"))
    questions = questionnaire_structure(campaign.questionnaire)
    results = r.campaign_results(campaign, group, questions=questions)
    for result in results.questions:
        if result.is_choice and result.respondents:
            result.chart = _chart(result)
    is_school = not r.sees_whole_campaign(request.user)
    participation = None if is_school or not group.is_district else r.participation(campaign)
    return render(request, "surveys/results/campaign_results.html", {
        "campaign": campaign,
        "group": group,
        "group_key": r.ALL if group.is_district else group.key,  # the whole campaign is an empty ?group=
        "results": results,
        "group_choices": None if is_school else r.group_choices(campaign),
        "participation": participation,
        "anonymous": campaign.questionnaire.is_anonymous,
        "k_anonymity": r.K_ANONYMITY,
        "suppressed_message": r.SUPPRESSED_MESSAGE,
        "hidden_count": r.HIDDEN_COUNT,
        "multiple_choice_note": r.MULTIPLE_CHOICE_NOTE,
        "is_school": is_school,
        "query": "" if group.is_district else f"?group={group.key}",
    })


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
