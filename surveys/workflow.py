"""The campaign workflow as one table: its states and the actions on a campaign.

A campaign's state follows from its dates (`Campaign.state`): scheduled before `opens_at`, open
until `closes_at`, closed after. Each action names the capability of `core.permissions` it needs
and the states it is allowed in. The campaign page draws its buttons from `available_actions`
and the services refuse through `ensure_allowed`, so a button is shown exactly when the service
would accept the click — there is no second hand-written derivation.

Reopening has no action of its own: a methodist moves the close date in the campaign form
(«Изменить»), which is allowed in every state.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone

from core import formatting
from core.errors import ClosedError, ForbiddenError
from core.permissions import can

from .models import Campaign, CampaignState
from .responses import SurveyError

CREATE_CAPABILITY = "surveys.build"
CREATE_FORBIDDEN = "Создавать кампании анкетирования может только методист района."


class CampaignForbiddenError(SurveyError, ForbiddenError):
    """The user's role or district may not do this to the campaign."""


class CampaignStateError(SurveyError, ClosedError):
    """The action does not fit the campaign's state now (not started yet, already finished)."""


@dataclass(frozen=True)
class StateSpec:
    """How a state shows: its label, the list filter's label and the badge colour."""

    state: CampaignState
    filter_label: str
    badge: str

    @property
    def key(self) -> str:
        return self.state.value

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def is_scheduled(self) -> bool:
        return self.state == CampaignState.SCHEDULED

    @property
    def is_open(self) -> bool:
        return self.state == CampaignState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == CampaignState.CLOSED


STATES: dict[CampaignState, StateSpec] = {
    CampaignState.SCHEDULED: StateSpec(CampaignState.SCHEDULED, "Запланированы", "text-bg-info"),
    CampaignState.OPEN: StateSpec(CampaignState.OPEN, "Идёт приём", "text-bg-success"),
    CampaignState.CLOSED: StateSpec(CampaignState.CLOSED, "Завершены", "text-bg-secondary"),
}
ALL_STATES = frozenset(STATES)


@dataclass(frozen=True)
class Action:
    """An action on one campaign and the button that starts it.

    `refusals` says why the action is refused in a state outside `allowed_in` ({opens}/{closes}
    are the campaign's local dates); `forbidden` why a user without the capability, or of another
    district, is refused. A `post` action is a form button, a `get` one a link.
    """

    name: str
    label: str
    capability: str
    allowed_in: frozenset[CampaignState]
    forbidden: str
    url_name: str
    method: str = "get"
    style: str = "btn-outline-primary"
    refusals: Mapping[CampaignState, str] = field(default_factory=dict)

    @property
    def is_post(self) -> bool:
        return self.method == "post"

    @property
    def testid(self) -> str:
        return f"campaign-{self.name}"


EDIT = Action(
    "edit", "Изменить", "surveys.build", ALL_STATES,
    forbidden="Изменять кампанию может только методист её района.",
    url_name="surveys:campaign_update",
)
CLOSE = Action(
    "close", "Завершить приём сейчас", "surveys.build", frozenset({CampaignState.OPEN}),
    forbidden="Завершить кампанию может только методист её района.",
    url_name="surveys:campaign_close", method="post", style="btn-outline-danger",
    refusals={
        CampaignState.SCHEDULED: "Приём ответов ещё не начался (начало {opens}) — измените даты кампании.",
        CampaignState.CLOSED: "Приём ответов уже завершён {closes}.",
    },
)
ACTIONS: tuple[Action, ...] = (EDIT, CLOSE)


def local(moment: dt.datetime) -> str:
    return formatting.date_time(timezone.localtime(moment))


def state_of(campaign: Campaign, now: dt.datetime | None = None) -> StateSpec:
    return STATES[campaign.state(now)]


def filter_choices() -> list[tuple[str, str]]:
    """The campaign list's state filter: all, then each state."""
    return [("", "Все")] + [(spec.key, spec.filter_label) for spec in STATES.values()]


def may_create(user) -> bool:
    return can(user, CREATE_CAPABILITY) and bool(user.district_id)


def ensure_may_create(user) -> None:
    if not may_create(user):
        raise CampaignForbiddenError(CREATE_FORBIDDEN)


def _permitted(user, campaign: Campaign, action: Action) -> bool:
    """The role holds the capability and the campaign is of the user's district."""
    return can(user, action.capability) and user.district_id == campaign.district_id


def refusal(user, campaign: Campaign, action: Action, now: dt.datetime | None = None) -> SurveyError | None:
    """Why `user` may not do `action` to `campaign` now, or None when they may."""
    if not _permitted(user, campaign, action):
        return CampaignForbiddenError(action.forbidden)
    state = campaign.state(now)
    if state not in action.allowed_in:
        template = action.refusals.get(state, "Это действие недоступно: кампания {state}.")
        return CampaignStateError(
            template.format(opens=local(campaign.opens_at), closes=local(campaign.closes_at), state=state.label)
        )
    return None


def ensure_allowed(user, campaign: Campaign, action: Action, now: dt.datetime | None = None) -> None:
    """The services' guard: raise the refusal, if any."""
    error = refusal(user, campaign, action, now)
    if error is not None:
        raise error


def available_actions(user, campaign: Campaign, now: dt.datetime | None = None) -> list[Action]:
    """The buttons of the campaign page: the actions the services would accept now."""
    return [action for action in ACTIONS if refusal(user, campaign, action, now) is None]
