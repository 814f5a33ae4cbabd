"""Campaign screens for the ИМЦ: list, create/edit, the campaign page with links or progress, close.

Methodists run campaigns of their district; directors and observers read them; school
administrators are refused (they have their own pages in views/respond.py). A campaign of
another district is a 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.xlsx import XlsxColumn, build_workbook, xlsx_response
from imc_portal.mixins import LIST_PAGE_SIZE, require_role

from .. import campaigns as services
from ..forms_campaigns import CampaignForm
from ..models import Audience, ResponseStatus
from ..responses import SurveyError, answers_as_form_data, questionnaire_structure
from ..selectors import BUILDERS, RESULT_READERS, campaigns_for_user
from .respond import questionnaire_context

NOT_SAVED = "Кампания не сохранена: исправьте отмеченные поля."
STATE_CHOICES = [("", "Все"), ("scheduled", "Запланированы"), ("open", "Идёт приём"), ("closed", "Завершены")]


def _campaign_for_user(request, pk: int, *, write: bool = False):
    require_role(request.user, BUILDERS if write else RESULT_READERS)
    return get_object_or_404(campaigns_for_user(request.user, write=write), pk=pk)


def campaign_list(request):
    require_role(request.user, RESULT_READERS)
    state = request.GET.get("state", "")
    if state not in dict(STATE_CHOICES):
        state = ""
    page = Paginator(services.campaign_list_for_user(request.user, state=state), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    district_count = services.district_organisation_count(request.user.district_id)
    now = timezone.now()
    for campaign in page:
        campaign.state_key = campaign.state(now)
        campaign.state_label = services.STATE_LABELS[campaign.state_key]
        campaign.addressed_count = campaign.chosen_count or district_count
    return render(request, "surveys/campaigns/campaign_list.html", {
        "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
        "campaigns": page.object_list, "state": state, "state_choices": STATE_CHOICES,
        "filter_query": f"state={state}" if state else "",
        "can_create": request.user.role in BUILDERS,
    })


def campaign_create(request):
    require_role(request.user, BUILDERS)
    # «Запустить кампанию» from a questionnaire's page preselects it (?questionnaire=<pk>).
    initial = {"questionnaire": request.GET["questionnaire"]} if request.GET.get("questionnaire", "").isdigit() else {}
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(user=request.user, **form.service_kwargs())
        except services.CampaignInvalidError as error:
            form.add_service_errors(error.errors)
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Кампания «{campaign.title}» создана.")
            return redirect(campaign.get_absolute_url())
    if form.errors:
        messages.error(request, NOT_SAVED)
    return render(request, "surveys/campaigns/campaign_form.html", {"form": form, "campaign": None})


def campaign_update(request, pk: int):
    campaign = _campaign_for_user(request, pk, write=True)
    form = CampaignForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_update(campaign=campaign, user=request.user, **form.service_kwargs())
        except services.CampaignInvalidError as error:
            form.add_service_errors(error.errors)
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(campaign.get_absolute_url())
    if form.errors:
        messages.error(request, NOT_SAVED)
    return render(request, "surveys/campaigns/campaign_form.html", {
        "form": form, "campaign": campaign, "has_responses": campaign.responses.exists(),
    })


def campaign_detail(request, pk: int):
    campaign = _campaign_for_user(request, pk)
    state = campaign.state()
    context = {
        "campaign": campaign, "state": state, "state_label": services.STATE_LABELS[state],
        "can_edit": request.user.role in BUILDERS, "for_teachers": campaign.audience == Audience.TEACHERS,
        "chosen": list(campaign.organisations.order_by("short_name")),
    }
    if campaign.audience == Audience.TEACHERS:
        rows = services.link_table(campaign)
        context["links"] = [(row, request.build_absolute_uri(row.path)) for row in rows]
        context["response_count"] = sum(row.response_count for row in rows)
    else:
        progress = services.organisation_progress(campaign)
        submitted = sum(1 for row in progress if row.submitted)
        context.update({
            "progress": progress, "submitted_count": submitted, "addressed_count": len(progress),
            "response_rate": round(100 * submitted / len(progress), 1) if progress else None,
            "pending": [row.organisation for row in progress if not row.submitted],
        })
    return render(request, "surveys/campaigns/campaign_detail.html", context)


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
    if campaign.audience != Audience.TEACHERS:
        raise Http404("У анкеты организаций нет публичных ссылок.")
    columns = (
        XlsxColumn("Организация", width=40), XlsxColumn("Ссылка для педагогов", width=60),
        XlsxColumn("Получено ответов", width=18),
    )
    rows = [
        (row.organisation.short_name if row.organisation else "Общая ссылка (без организации)",
         request.build_absolute_uri(row.path), row.response_count)
        for row in services.link_table(campaign)
    ]
    content = build_workbook(columns, rows, sheet_title="Ссылки")
    return xlsx_response(content, f"links_campaign_{campaign.pk}_{timezone.localdate():%Y-%m-%d}.xlsx")


def campaign_response_detail(request, pk: int, response_pk: int):
    """A submitted organisation response, read-only, for the ИМЦ (drafts stay with the school)."""
    campaign = _campaign_for_user(request, pk)
    response = get_object_or_404(
        campaign.responses.select_related("organisation", "updated_by"),
        pk=response_pk, for_organisation=True, status=ResponseStatus.SUBMITTED,
    )
    return render(request, "surveys/campaigns/response_detail.html", {
        "campaign": campaign, "response": response,
        **questionnaire_context(questionnaire_structure(campaign.questionnaire), answers_as_form_data(response), {},
                                disabled=True),
    })
