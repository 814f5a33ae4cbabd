"""Reads of surveys, always through the user's scope.

Methodists build questionnaires and run campaigns of their district (shared questionnaires with
no district are visible to every district and copied before changes); directors and observers
read them and their results; a school administrator sees only their organisation's campaigns and
its own responses. Anonymous respondents reach a campaign only through a link token. Who may do
what is asked of core.permissions; where a campaign is in its life, of surveys/workflow.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from clusters.models import ClusterMembership, Organisation
from core.permissions import can
from imc_portal.models import User

from .disclosure import K_ANONYMITY, Disclosure, campaign_disclosure, everything
from .models import (
    AnswerCount,
    Campaign,
    CampaignLink,
    CampaignState,
    Measure,
    Questionnaire,
    Response,
    ResponseStatus,
)
from .workflow import state_of

BUILD = "surveys.build"
VIEW_DISTRICT = "surveys.view_district"
FOR_ORGANISATION = "surveys.respond_for_organisation"

ORGANISATION_STATUS_LABELS = {None: "не начата", ResponseStatus.DRAFT: "черновик", ResponseStatus.SUBMITTED: "отправлена"}


def _district_capability(write: bool) -> str:
    return BUILD if write else VIEW_DISTRICT


def questionnaires_for_user(user: User, *, write: bool = False) -> QuerySet[Questionnaire]:
    if not can(user, _district_capability(write)) or not user.district_id:
        return Questionnaire.objects.none()
    if write:
        return Questionnaire.objects.filter(district_id=user.district_id)
    return Questionnaire.objects.filter(Q(district_id=user.district_id) | Q(district__isnull=True))


def campaigns_for_user(user: User, *, write: bool = False) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("questionnaire", "district")
    if can(user, FOR_ORGANISATION) and not write:
        # Campaigns addressed to the school: its district's, for all organisations or naming it.
        return qs.filter(district_id=user.district_id).filter(
            Q(organisations__isnull=True) | Q(organisations=user.organisation_id)
        ).distinct()
    if can(user, _district_capability(write)) and user.district_id:
        return qs.filter(district_id=user.district_id)
    return qs.none()


def organisation_responses_for_user(user: User) -> QuerySet[Response]:
    """A school administrator's own organisation responses (drafts and submitted)."""
    if can(user, FOR_ORGANISATION):
        return Response.objects.filter(organisation_id=user.organisation_id, for_organisation=True)
    return Response.objects.none()


def link_by_token(token: str) -> CampaignLink | None:
    return (
        CampaignLink.objects.select_related("campaign", "campaign__questionnaire", "organisation")
        .filter(token=token)
        .first()
    )


# --- campaigns -----------------------------------------------------------------------------------


def campaign_year(campaign: Campaign) -> int:
    """The year whose clusters a campaign is broken down by: the year its answering ends."""
    return timezone.localtime(campaign.closes_at).year


def cluster_memberships(campaign: Campaign) -> dict[int, tuple[str, list[int]]]:
    """Clusters of the campaign's year: id → (name, organisation ids), by name — one query."""
    clusters: dict[int, tuple[str, list[int]]] = {}
    for cluster_id, name, organisation_id in ClusterMembership.objects.filter(
        cluster__district_id=campaign.district_id, cluster__year=campaign_year(campaign)
    ).order_by("cluster__name", "cluster_id").values_list("cluster_id", "cluster__name", "organisation_id"):
        clusters.setdefault(cluster_id, (name, []))[1].append(organisation_id)
    return clusters


def response_counts(campaign: Campaign) -> dict[int | None, int]:
    """Submitted responses per organisation (None: the general link) — one query over the kept
    counts (surveys/aggregates.py), not over the responses."""
    return dict(AnswerCount.objects.filter(campaign=campaign, measure=Measure.RESPONSES, count__gt=0)
                .values_list("organisation_id", "count"))


def shown_groups(campaign: Campaign, counts: dict[int | None, int] | None = None,
               clusters: dict[int, tuple[str, list[int]]] | None = None) -> Disclosure:
    """Which organisations and clusters of the campaign may be shown (surveys/disclosure.py)."""
    counts = response_counts(campaign) if counts is None else counts
    clusters = cluster_memberships(campaign) if clusters is None else clusters
    members = {pk: organisation_ids for pk, (_, organisation_ids) in clusters.items()}
    if not campaign.questionnaire.is_anonymous:
        return everything(counts, members)
    return campaign_disclosure(counts, members, K_ANONYMITY)


def addressed_organisations(campaign: Campaign) -> QuerySet[Organisation]:
    """The organisations a campaign is addressed to: the chosen ones, or all active of the district."""
    chosen = Organisation.objects.filter(campaigns=campaign)
    if chosen.exists():
        return chosen.order_by("short_name")
    return Organisation.objects.filter(district_id=campaign.district_id, is_active=True).order_by("short_name")


def state_q(state: str, now: dt.datetime | None = None) -> Q:
    """Campaigns in `state` now (the same boundaries as Campaign.state); anything else: all."""
    now = now or timezone.now()
    return {
        CampaignState.SCHEDULED: Q(opens_at__gt=now),
        CampaignState.OPEN: Q(opens_at__lte=now, closes_at__gt=now),
        CampaignState.CLOSED: Q(closes_at__lte=now),
    }.get(state, Q())


def campaign_list_for_user(user: User, *, state: str = "") -> QuerySet[Campaign]:
    """The campaigns page: counts of submitted responses and chosen organisations in one query."""
    submitted = Q(responses__status=ResponseStatus.SUBMITTED)
    return (
        campaigns_for_user(user)
        .filter(state_q(state))
        .annotate(
            response_count=Count("responses", filter=submitted, distinct=True),
            chosen_count=Count("organisations", distinct=True),
        )
        .order_by("-opens_at", "-pk")
    )


def district_organisation_count(district_id: int) -> int:
    return Organisation.objects.filter(district_id=district_id, is_active=True).count()


@dataclass(frozen=True)
class LinkRow:
    organisation: Organisation | None
    token: str
    path: str
    response_count: int
    hidden: bool = False  # the count of a group the disclosure rule does not show (k-anonymity)


def link_table(campaign: Campaign) -> list[LinkRow]:
    """The general link first, then one per organisation by name, with anonymous response counts.

    A count is shown only for an organisation the disclosure rule shows (and the general link's
    from K_ANONYMITY on): the counts are a participation table like the results page's.
    """
    counts = response_counts(campaign)
    shown = shown_groups(campaign, counts)

    def hidden(organisation_id: int | None, n: int) -> bool:
        if not n:
            return False
        return n < K_ANONYMITY if organisation_id is None else not shown.shows_organisation(organisation_id)

    links = campaign.links.select_related("organisation").order_by("organisation__short_name")
    rows = [
        LinkRow(link.organisation, link.token, link.get_absolute_url(), counts.get(link.organisation_id, 0),
                hidden(link.organisation_id, counts.get(link.organisation_id, 0)))
        for link in links
    ]
    rows.sort(key=lambda row: row.organisation is not None)  # stable: general link first
    return rows


@dataclass(frozen=True)
class OrganisationProgress:
    organisation: Organisation
    response: Response | None

    @property
    def status(self) -> str | None:
        return self.response.status if self.response else None

    @property
    def status_label(self) -> str:
        return ORGANISATION_STATUS_LABELS[self.status]

    @property
    def submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


def organisation_progress(campaign: Campaign) -> list[OrganisationProgress]:
    """Each addressed organisation with its response (or None): two queries."""
    responses = {
        r.organisation_id: r
        for r in campaign.responses.filter(for_organisation=True).select_related("updated_by")
    }
    rows = [OrganisationProgress(org, responses.pop(org.pk, None)) for org in addressed_organisations(campaign)]
    # An organisation removed from the addressees after it answered still shows its response.
    if responses:
        extra = Organisation.objects.filter(pk__in=responses).order_by("short_name")
        rows += [OrganisationProgress(org, responses[org.pk]) for org in extra]
    return rows


def school_campaigns(user: User, *, now: dt.datetime | None = None, current_only: bool = False) -> list[Campaign]:
    """Campaigns addressed to a school administrator's organisation.

    Organisation campaigns carry `own_status` (None, draft or submitted) with its label,
    `own_submitted` and `own_submitted_on`; teacher campaigns carry `own_token`, the
    organisation's public link to hand to its teachers. Every campaign carries `workflow_state`
    (surveys/workflow.py: StateSpec) and its key `state_key`. `current_only` keeps what is still
    to do: campaigns not closed yet.
    """
    if not can(user, FOR_ORGANISATION) or not user.organisation_id:
        return []
    now = now or timezone.now()
    own = Response.objects.filter(campaign=OuterRef("pk"), organisation_id=user.organisation_id, for_organisation=True)
    own_link = CampaignLink.objects.filter(campaign=OuterRef("pk"), organisation_id=user.organisation_id)
    qs = campaigns_for_user(user).annotate(
        own_status=Subquery(own.values("status")[:1]),
        own_submitted_on=Subquery(own.values("submitted_on")[:1]),
        own_token=Subquery(own_link.values("token")[:1]),
    )
    if current_only:
        qs = qs.filter(closes_at__gt=now)
    campaigns = list(qs.order_by("closes_at", "pk"))
    for campaign in campaigns:
        campaign.own_status_label = ORGANISATION_STATUS_LABELS[campaign.own_status]
        campaign.own_submitted = campaign.own_status == ResponseStatus.SUBMITTED
        campaign.workflow_state = state_of(campaign, now)
        campaign.state_key = campaign.workflow_state.key
    return campaigns
