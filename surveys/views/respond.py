"""Answering questionnaires: anonymous teachers through a public link, school administrators for
their organisation.

The public pages need no login and store nothing identifying: no user, no IP, no time — the
response keeps the campaign, the organisation of the link and the date. Each rendered form
carries a random `submission_key`, so a double click or a retried POST stores one response. All
pages work without JavaScript.
"""
from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.permissions import require

from ..models import Audience, ResponseStatus
from ..responses import (
    CampaignNotOpenError,
    SubmissionInvalidError,
    SurveyError,
    anonymous_response_submit,
    answers_as_form_data,
    ensure_open,
    organisation_response_save,
    questionnaire_structure,
)
from ..selectors import (
    FOR_ORGANISATION,
    campaigns_for_user,
    link_by_token,
    organisation_responses_for_user,
    school_campaigns,
)
from ..workflow import state_of

SUBMISSION_KEY = "submission_key"
# Names of the page's own fields, not answers.
NOT_ANSWERS = frozenset({"csrfmiddlewaretoken", SUBMISSION_KEY, "action"})


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


def _submitted_key(request) -> str:
    key = request.POST.get(SUBMISSION_KEY, "").strip()
    # Keys are ours (token_urlsafe(24) → 32 characters); anything else gets a fresh one.
    return key if 16 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum() else ""


def _typed_values(data) -> dict[str, list[str]]:
    """What the respondent typed, in the form-data contract, to put back on a refused form."""
    return {name: data.getlist(name) for name in data if name not in NOT_ANSWERS}


def questionnaire_context(questions, values: dict, errors: dict, *, disabled: bool) -> dict:
    """The context of the shared rendering, templates/surveys/_questionnaire_form.html.

    `error_links` (number shown to the respondent, question pk) lets the page list the questions to
    fix above a long form.
    """
    error_links = [(number, q.pk) for number, q in enumerate(questions, start=1) if q.pk in errors]
    return {"questions": questions, "values": values, "errors": errors, "disabled": disabled,
            "error_links": error_links}


def _public_link(token: str):
    link = link_by_token(token)
    if link is None or link.campaign.audience != Audience.TEACHERS:
        raise Http404("Анкета по этой ссылке не найдена.")
    return link


# --- anonymous teachers ------------------------------------------------------------------------


@login_not_required
@never_cache
def respond(request, token: str):
    link = _public_link(token)
    campaign = link.campaign
    context = {"campaign": campaign, "questionnaire": campaign.questionnaire, "link": link}
    values: dict[str, list[str]] = {}
    errors: dict[int, list[str]] = {}
    key = new_submission_key()
    if request.method == "POST":
        key = _submitted_key(request) or key
        try:
            anonymous_response_submit(
                campaign=campaign, organisation=link.organisation, data=request.POST, submission_key=key
            )
        except CampaignNotOpenError as error:
            return render(request, "surveys/respond/not_open.html", {**context, "message": str(error)})
        except SubmissionInvalidError as error:
            values, errors, context["error_message"] = _typed_values(request.POST), error.errors, str(error)
        except SurveyError as error:
            values, context["error_message"] = _typed_values(request.POST), str(error)
        else:
            return redirect("survey_public:thanks", token=token)
    else:
        try:
            ensure_open(campaign)
        except CampaignNotOpenError as error:
            return render(request, "surveys/respond/not_open.html", {**context, "message": str(error)})
    return render(request, "surveys/respond/respond.html", {
        **context, "submission_key": key,
        **questionnaire_context(questionnaire_structure(campaign.questionnaire), values, errors, disabled=False),
    })


@login_not_required
def respond_thanks(request, token: str):
    link = _public_link(token)
    return render(request, "surveys/respond/thanks.html", {
        "campaign": link.campaign, "questionnaire": link.campaign.questionnaire, "link": link,
    })


# --- school administrators ---------------------------------------------------------------------


def organisation_campaign_list(request):
    """All campaigns addressed to the organisation: its questionnaires and links for its teachers."""
    require(request.user, FOR_ORGANISATION)
    campaigns = school_campaigns(request.user)
    for campaign in campaigns:
        if campaign.own_token:
            campaign.own_link = request.build_absolute_uri(reverse("survey_public:respond", args=[campaign.own_token]))
    return render(request, "surveys/respond/organisation_campaign_list.html", {
        "organisation_campaigns": [c for c in campaigns if c.audience == Audience.ORGANISATION],
        "teacher_campaigns": [c for c in campaigns if c.audience == Audience.TEACHERS],
    })


@never_cache
def organisation_fill(request, pk: int):
    """Draft (nothing required) or submit (required enforced); editable until the close date."""
    require(request.user, FOR_ORGANISATION)
    campaign = get_object_or_404(
        campaigns_for_user(request.user).filter(questionnaire__audience=Audience.ORGANISATION), pk=pk
    )
    response = organisation_responses_for_user(request.user).filter(campaign=campaign).first()
    try:
        ensure_open(campaign)
        closed_message = ""
    except CampaignNotOpenError as error:
        closed_message = str(error)

    errors: dict[int, list[str]] = {}
    values = answers_as_form_data(response) if response else {}
    if request.method == "POST":
        if closed_message:
            messages.error(request, f"{closed_message} Изменения не сохранены.")
            return redirect("surveys:organisation_fill", pk=campaign.pk)
        submit = request.POST.get("action") == "submit" or (response and response.status == ResponseStatus.SUBMITTED)
        try:
            response = organisation_response_save(campaign=campaign, user=request.user, data=request.POST,
                                                  submit=bool(submit))
        except SubmissionInvalidError as error:
            values, errors = _typed_values(request.POST), error.errors
            messages.error(request, str(error))
        except SurveyError as error:
            values = _typed_values(request.POST)
            messages.error(request, f"{error} Изменения не сохранены.")
        else:
            if response.status == ResponseStatus.SUBMITTED:
                close = timezone.localtime(campaign.closes_at)
                messages.success(request, f"Анкета отправлена {response.submitted_on:%d.%m.%Y}. "
                                          f"Изменить ответы можно до {close:%d.%m.%Y %H:%M}.")
            else:
                messages.success(request, "Черновик сохранён. Анкета ещё не отправлена в ИМЦ.")
            return redirect("surveys:organisation_fill", pk=campaign.pk)
    return render(request, "surveys/respond/organisation_fill.html", {
        "campaign": campaign, "questionnaire": campaign.questionnaire, "response": response,
        "organisation": request.user.organisation, "closed_message": closed_message,
        "state": state_of(campaign),
        **questionnaire_context(questionnaire_structure(campaign.questionnaire), values, errors,
                                disabled=bool(closed_message)),
    })
