"""The period workflow: states of a programme's period for one scope, and the transitions between them.

One table, read by the programme page (which buttons a user sees) and by the services (what they
allow): a period is open until the director approves it for a scope; approved, its values are
locked (grid, import, recompute and the admin refuse changes) until the director reopens it, which
makes it open again — the approval row stays as history (PeriodApproval.revoked_*).

Who may make a transition is a capability of core.permissions; whether this period and scope are
reachable at all is the selectors' job (programmes_for_user, scope_from_key).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from core.permissions import can


class PeriodState(models.TextChoices):
    OPEN = "open", "открыт"
    APPROVED = "approved", "утверждён"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    source: PeriodState
    target: PeriodState
    capability: str
    url_name: str  # the view that makes it (POST with the scope)
    button_class: str
    forbidden: str  # the service's refusal to a role without the capability


APPROVE = Transition(
    "approve", "Утвердить", PeriodState.OPEN, PeriodState.APPROVED, "monitoring.approve",
    "monitoring:period_approve", "btn-outline-success", "Утверждать периоды может только директор ИМЦ.",
)
REOPEN = Transition(
    "reopen", "Снять утверждение", PeriodState.APPROVED, PeriodState.OPEN, "monitoring.approve",
    "monitoring:period_unlock", "btn-outline-warning", "Снимать утверждение периода может только директор ИМЦ.",
)
TRANSITIONS: tuple[Transition, ...] = (APPROVE, REOPEN)

# Plan and fact change (grid, import, recompute, admin) only in these states.
VALUES_EDITABLE_IN = frozenset({PeriodState.OPEN})


def state_of(active_approval) -> PeriodState:
    """The state of a period for a scope, from its active approval (or None)."""
    return PeriodState.OPEN if active_approval is None else PeriodState.APPROVED


def values_editable(state: PeriodState) -> bool:
    return state in VALUES_EDITABLE_IN


def transitions_for(user, state: PeriodState) -> list[Transition]:
    """The transitions the user may make from `state` — the buttons beside a period."""
    return [t for t in TRANSITIONS if t.source == state and can(user, t.capability)]


def may_make_transitions(user) -> bool:
    """Whether the user makes any transition at all (the page keeps a column for the buttons)."""
    return any(can(user, t.capability) for t in TRANSITIONS)
