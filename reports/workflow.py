"""The report workflow as one table: who may do what to a report in which state.

    draft ──submit──▶ submitted ──approve──────────────▶ approved ──sign──▶ signed
      ▲ ▲                │ │└─register_paper_number──▶     (number, date,      (immutable; a correction
      │ └── withdraw ────┘ │                                final PDF queued)    is a new draft)
      └──── returned ◀─────┘ return

Each row names an action, the capability of core.permissions it takes, the states it starts from
and the state it leads to (None: the status stays), and optionally a condition on the report and one on
the user and the report (withdrawing is the author's own act). An action may have several rows — a methodist
renders the draft while writing, the director only once it is submitted to him. The report page's
buttons (`available_actions`) and the services' guards (`authorise`, `state_allows`) both read
this table, so a button is shown exactly when the service would accept the click; the services
add the Russian sentence that says why a state refuses.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.permissions import can

from .errors import ReportForbiddenError
from .models import EDITABLE_STATUSES, Report, ReportStatus

DRAFT, SUBMITTED, RETURNED, APPROVED, SIGNED = (
    ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.APPROVED, ReportStatus.SIGNED,
)
ANY_STATE = frozenset(ReportStatus.values)
OTHER_DISTRICT = "Справка другого района — действие недоступно."


def _no_pending_correction(report: Report) -> bool:
    return not report.replaced_by.exclude(status=SIGNED).exists()


def _is_author(user, report: Report) -> bool:
    return report.created_by_id == getattr(user, "pk", None)


def _publishable(report: Report) -> bool:
    from . import kinds  # the registry imports the kinds' modules, which import this one's neighbours

    return kinds.get(report.kind).publishable


@dataclass(frozen=True)
class Transition:
    action: str
    capability: str
    from_states: frozenset[str]
    to_state: str | None = None
    refusal: str = ""  # what a user whose role lacks every capability of the action is told
    condition: Callable[[Report], bool] | None = None  # a check of the report beyond its state
    actor: Callable[[object, Report], bool] | None = None  # a check of who acts on this report (the author)


def _row(action: str, capability: str, from_states, to_state: str | None = None, refusal: str = "",
         condition: Callable[[Report], bool] | None = None,
         actor: Callable[[object, Report], bool] | None = None) -> Transition:
    return Transition(action, capability, frozenset(from_states), to_state, refusal, condition, actor)


TRANSITIONS: tuple[Transition, ...] = (
    _row("create", "reports.author", (), DRAFT, "Создавать справки может только методист."),
    _row("edit", "reports.author", EDITABLE_STATUSES, None, "Изменять текст справки может только методист."),
    _row("submit", "reports.author", EDITABLE_STATUSES, SUBMITTED,
         "Отправить справку на утверждение может только методист."),
    _row("withdraw", "reports.author", {SUBMITTED}, DRAFT,
         "Отозвать справку с утверждения может только методист — её автор.", actor=_is_author),
    _row("return", "reports.approve", {SUBMITTED}, RETURNED, "Вернуть справку на доработку может только директор ИМЦ."),
    _row("approve", "reports.approve", {SUBMITTED}, APPROVED, "Утвердить справку может только директор ИМЦ."),
    _row("register_paper_number", "reports.approve", {SUBMITTED}, APPROVED,
         "Зарегистрировать справку с номером из бумажного журнала может только директор ИМЦ."),
    _row("sign", "reports.approve", {APPROVED}, SIGNED, "Подписать справку может только директор ИМЦ."),
    _row("correct", "reports.author", {SIGNED}, None, "Создать исправленную версию может только методист.",
         _no_pending_correction),
    _row("publish", "reports.approve", {SIGNED}, None, "Публиковать справки для школ может только директор ИМЦ.",
         _publishable),
    _row("attach_signature", "reports.approve", {SIGNED}, None,
         "Прикладывать открепленную подпись может только директор ИМЦ."),
    _row("render_draft", "reports.author", {DRAFT, RETURNED, SUBMITTED}, None,
         "Формировать PDF могут методист и директор ИМЦ."),
    _row("render_draft", "reports.approve", {SUBMITTED}, None, "Формировать PDF могут методист и директор ИМЦ."),
    _row("render_final", "reports.render", {APPROVED}, None, "Формировать PDF могут методист и директор ИМЦ."),
    _row("download_log", "reports.view_download_log", ANY_STATE, None,
         "Журнал скачиваний видит только директор ИМЦ."),
)


def transitions(action: str) -> tuple[Transition, ...]:
    rows = tuple(row for row in TRANSITIONS if row.action == action)
    if not rows:
        raise LookupError(f"Unknown report action {action!r}: add it to reports.workflow.TRANSITIONS")
    return rows


def capabilities(action: str) -> tuple[str, ...]:
    """The capabilities that open an action in some state (a view's gate)."""
    return tuple(dict.fromkeys(row.capability for row in transitions(action)))


def may(user, action: str) -> bool:
    """The user's role may take the action in some state."""
    return any(can(user, row.capability) for row in transitions(action))


def state_allows(user, action: str, status: str) -> bool:
    """The user's role may take the action from this status."""
    return any(status in row.from_states and can(user, row.capability) for row in transitions(action))


def allowed(user, report: Report, action: str) -> bool:
    """The action is open to this user on this report now (role, district, state, condition)."""
    if report.district_id != getattr(user, "district_id", None):
        return False
    return any(
        report.status in row.from_states and can(user, row.capability)
        and (row.condition is None or row.condition(report))
        and (row.actor is None or row.actor(user, report))
        for row in transitions(action)
    )


def available_actions(user, report: Report) -> frozenset[str]:
    """The report page's buttons for this user."""
    actions = dict.fromkeys(row.action for row in TRANSITIONS if row.from_states)
    return frozenset(action for action in actions if allowed(user, report, action))


def actor_allows(user, action: str, report: Report) -> bool:
    """The rows of the action that check who acts accept this user (rows without such a check do)."""
    return any(can(user, row.capability) and (row.actor is None or row.actor(user, report))
               for row in transitions(action))


def authorise(user, action: str, report: Report | None = None) -> None:
    """The services' role and district gate: ReportForbiddenError with the action's sentence."""
    if not may(user, action):
        raise ReportForbiddenError(transitions(action)[0].refusal or "Это действие недоступно для вашей роли.")
    if report is not None and report.district_id != user.district_id:
        raise ReportForbiddenError(OTHER_DISTRICT)
