"""Campaign screens for the ИМЦ: list, create/edit, the campaign page with links or progress, close.

Methodists run campaigns of their district («surveys.build»); directors and observers read them
(«surveys.view_district»); school administrators are refused (they have their own pages in
views/respond.py). A campaign of another district is a 404. The campaign page's buttons are the
workflow table's `available_actions` (surveys/workflow.py), the same table the services obey.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import apply_to_form
from core.mixins import LIST_PAGE_SIZE
from core.permissions import require
from core.xlsx import XlsxColumn, build_workbook, xlsx_response

from .. import selectors, services, workflow
from ..forms_campaigns import CampaignForm
from ..models import ResponseStatus
from ..responses import SurveyError, answers_as_form_data, questionnaire_structure
from .respond import questionnaire_context


def _campaign_for_user(request, pk: int, *, write: bool = False):
    require(request.user, selectors.BUILD if write else selectors.VIEW_DISTRICT)
    return get_object_or_404(selectors.campaigns_for_user(request.user, write=write), pk=pk)


def campaign_list(request):
    require(request.user, selectors.VIEW_DISTRICT)
    state_choices = workflow.filter_choices()
    state = request.GET.get("state", "")
    if state not in dict(state_choices):
        state = ""
    page = Paginator(selectors.campaign_list_for_user(request.user, state=state), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    district_count = selectors.district_organisation_count(request.user.district_id)
    now = timezone.now()
    for campaign in page:
        campaign.workflow_state = workflow.state_of(campaign, now)
        campaign.state_label = campaign.workflow_state.label
        campaign.addressed_count = campaign.chosen_count or district_count
    return render(request, "surveys/campaigns/campaign_list.html", {
        "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
        "campaigns": page.object_list, "state": state, "state_choices": state_choices,
        "filter_query": f"state={state}" if state else "",
        "can_create": workflow.may_create(request.user),
    })


def _save(request, form: CampaignForm, save) -> object | None:
    """Run the service on a valid form; refusals go onto the form or into a message."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(**form.service_kwargs())
    except services.CampaignInvalidError as error:
        apply_to_form(form, error)
    except SurveyError as error:
        messages.error(request, str(error))
    return None


def campaign_create(request):
    require(request.user, workflow.CREATE_CAPABILITY)
    # «Запустить кампанию» from a questionnaire's page preselects it (?questionnaire=<pk>).
    initial = {"questionnaire": request.GET["questionnaire"]} if request.GET.get("questionnaire", "").isdigit() else {}
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    campaign = _save(request, form, lambda **data: services.campaign_create(user=request.user, **data))
    if campaign is not None:
        messages.success(request, f"Кампания «{campaign.title}» создана.")
        return redirect(campaign.get_absolute_url())
    if form.errors:
        messages.error(request, services.NOT_SAVED)
    return render(request, "surveys/campaigns/campaign_form.html", {"form": form, "campaign": None})


def campaign_update(request, pk: int):
    campaign = _campaign_for_user(request, pk, write=True)
    form = CampaignForm(request.POST or None, user=request.user, campaign=campaign)
    saved = _save(request, form,
                  lambda **data: services.campaign_update(campaign=campaign, user=request.user, **data))
    if saved is not None:
        messages.success(request, "Изменения сохранены.")
        return redirect(saved.get_absolute_url())
    if form.errors:
        messages.error(request, services.NOT_SAVED)
    return render(request, "surveys/campaigns/campaign_form.html", {
        "form": form, "campaign": campaign, "has_responses": campaign.responses.exists(),
    })


def _answers_context(request, campaign) -> dict:
    """Teacher campaigns: the public links; organisation campaigns: who has answered."""
    if campaign.questionnaire.is_anonymous:
        rows = selectors.link_table(campaign)
        return {
            "links": [(row, request.build_absolute_uri(row.path)) for row in rows],
            "response_count": sum(row.response_count for row in rows),
        }
    progress = selectors.organisation_progress(campaign)
    submitted = sum(1 for row in progress if row.submitted)
    return {
        "progress": progress, "submitted_count": submitted, "addressed_count": len(progress),
        "response_rate": round(100 * submitted / len(progress), 1) if progress else None,
        "pending": [row.organisation for row in progress if not row.submitted],
    }


def campaign_detail(request, pk: int):
    campaign = _campaign_for_user(request, pk)
    now = timezone.now()
    state = workflow.state_of(campaign, now)
    return render(request, "surveys/campaigns/campaign_detail.html", {
        "campaign": campaign, "state": state, "state_label": state.label,
        "actions": workflow.available_actions(request.user, campaign, now),
        "for_teachers": campaign.questionnaire.is_anonymous,
        "chosen": list(campaign.organisations.order_by("short_name")),
        **_answers_context(request, campaign),
    })


@require_POST
def campaign_close(request, pk: int):
    campaign = _campaign_for_user(request, pk, write=True)
    try:
        campaign = services.campaign_close(campaign=campaign, user=request.user)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Приём ответов завершён {timezone.localtime(campaign.closes_at):%d.%m.%Y в %H:%M}."
        )
    return redirect(campaign.get_absolute_url())


def campaign_links_export(request, pk: int):
    """The public links as XLSX, to mail merge or print for the schools."""
    campaign = _campaign_for_user(request, pk)
    if not campaign.questionnaire.is_anonymous:
        raise Http404("У анкеты организаций нет публичных ссылок.")
    columns = (
        XlsxColumn("Организация", width=40), XlsxColumn("Ссылка для педагогов", width=60),
        XlsxColumn("Получено ответов", width=18),
    )
    rows = [
        (row.organisation.short_name if row.organisation else "Общая ссылка (без организации)",
         request.build_absolute_uri(row.path), "скрыто" if row.hidden else row.response_count)
        for row in selectors.link_table(campaign)
    ]
    content = build_workbook(columns, rows, sheet_title="Ссылки")
    return xlsx_response(content, f"links_campaign_{campaign.pk}_{timezone.localdate():%Y-%m-%d}.xlsx")


def campaign_response_detail(request, pk: int, response_id):
    """A submitted organisation response, read-only, for the ИМЦ (drafts stay with the school)."""
    campaign = _campaign_for_user(request, pk)
    response = get_object_or_404(
        campaign.responses.select_related("organisation", "updated_by"),
        public_id=response_id, for_organisation=True, status=ResponseStatus.SUBMITTED,
    )
    return render(request, "surveys/campaigns/response_detail.html", {
        "campaign": campaign, "response": response,
        **questionnaire_context(questionnaire_structure(campaign.questionnaire), answers_as_form_data(response), {},
                                disabled=True),
    })
