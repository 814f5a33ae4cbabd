"""Answering questionnaires: anonymous teachers through a public link, school administrators for
their organisation.

The public pages need no login and store nothing identifying: no user, no IP, no time — the
response keeps the campaign, the organisation of the link and the date. Each form carries a
server-issued, signed submission key (surveys/submission_keys.py) in a hidden field and in the
page's own URL (`?k=`): a double click, a retried POST or Back + «Отправить» after sending stores
one response, and a key the server did not issue for this link is refused. Accepted submissions
are rate-limited per client address and link (core.ratelimit; SURVEY_SUBMIT_RATE_LIMIT per
SURVEY_SUBMIT_RATE_WINDOW seconds — a computer class behind one NAT address fits). All pages
work without JavaScript.
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.permissions import require
from core.ratelimit import client_ip, hit

from .. import submission_keys
from ..models import Audience, Response, ResponseStatus
from ..responses import (
    CampaignNotOpenError,
    SubmissionInvalidError,
    SubmissionRateLimitedError,
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

logger = logging.getLogger(__name__)

SUBMISSION_KEY = "submission_key"
KEY_PARAMETER = "k"  # the key in the form page's URL
# Names of the page's own fields, not answers.
NOT_ANSWERS = frozenset({"csrfmiddlewaretoken", SUBMISSION_KEY, "action"})
FOREIGN_KEY_MESSAGE = (
    "Анкета не отправлена: форма устарела или открыта по другой ссылке. Ответы остались на странице — "
    "проверьте их и нажмите «Отправить» ещё раз."
)


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


def _form_url(link, key: str) -> str:
    return f"{reverse('survey_public:respond', args=[link.token])}?{urlencode({KEY_PARAMETER: key})}"


def _form(request, context: dict, *, key: str, values=None, errors=None, status: int = 200):
    link = context["link"]
    return render(request, "surveys/respond/respond.html", {
        **context, "submission_key": key, "form_action": _form_url(link, key),
        **questionnaire_context(questionnaire_structure(link.campaign.questionnaire), values or {}, errors or {},
                                disabled=False),
    }, status=status)


def _admit(request, link):
    """The rate limit, asked only for a submission about to be stored (refused forms do not count)."""
    def admit() -> bool:
        allowed = hit(f"survey-submit:{link.pk}:{client_ip(request)}", limit=settings.SURVEY_SUBMIT_RATE_LIMIT,
                      window_seconds=settings.SURVEY_SUBMIT_RATE_WINDOW)
        if not allowed:
            # The link's token stays out of the log: it names the organisation (docs: «Хранение»).
            logger.warning("Survey submissions over the rate limit on campaign %s", link.campaign_id)
        return allowed
    return admit


def _respond_post(request, link, context: dict):
    key = request.POST.get(SUBMISSION_KEY, "")
    nonce = submission_keys.nonce(link, key)
    if nonce is None:
        try:
            ensure_open(link.campaign)
        except CampaignNotOpenError as error:
            return render(request, "surveys/respond/not_open.html", {**context, "message": str(error)})
        # A key from another campaign or link, a forged or missing one: refused, never thanked.
        context["error_message"] = FOREIGN_KEY_MESSAGE
        return _form(request, context, key=submission_keys.issue(link), values=_typed_values(request.POST),
                     status=400)
    try:
        anonymous_response_submit(campaign=link.campaign, organisation=link.organisation, data=request.POST,
                                  submission_key=nonce, admit=_admit(request, link))
    except CampaignNotOpenError as error:
        return render(request, "surveys/respond/not_open.html", {**context, "message": str(error)})
    except SubmissionInvalidError as error:
        context["error_message"] = str(error)
        return _form(request, context, key=key, values=_typed_values(request.POST), errors=error.errors)
    except SubmissionRateLimitedError as error:
        context["error_message"] = str(error)
        response = _form(request, context, key=key, values=_typed_values(request.POST), status=429)
        response._has_been_logged = True  # Django's «Too Many Requests: /s/<token>/» would log the token
        return response
    except SurveyError as error:
        context["error_message"] = str(error)
        return _form(request, context, key=key, values=_typed_values(request.POST))
    return redirect("survey_public:thanks", token=link.token)


@login_not_required
@never_cache
def respond(request, token: str):
    link = _public_link(token)
    campaign = link.campaign
    context = {"campaign": campaign, "questionnaire": campaign.questionnaire, "link": link}
    if request.method == "POST":
        return _respond_post(request, link, context)
    try:
        ensure_open(campaign)
    except CampaignNotOpenError as error:
        return render(request, "surveys/respond/not_open.html", {**context, "message": str(error)})
    key = request.GET.get(KEY_PARAMETER, "")
    nonce = submission_keys.nonce(link, key)
    if nonce is None:
        # The key goes into the page's URL too: Back or a reload refetches this never-cached page
        # and must get the same key, or a second «Отправить» would store the answers twice.
        return redirect(_form_url(link, submission_keys.issue(link)))
    if Response.objects.filter(campaign=campaign, submission_key=nonce).exists():
        return render(request, "surveys/respond/already_sent.html", context)
    return _form(request, context, key=key)


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
