"""Writes of monitoring: plan/fact entry, recompute, approval and unlocking.

Every write checks the approval lock (the period workflow, monitoring/workflow.py) and runs in one
transaction, so a refused change leaves nothing behind. Refusals are core.errors.AppError
subclasses with a Russian message that says why (locked, conflicting, invalid, forbidden); invalid
cells carry their errors per field ("plan"/"fact"), never as a prefix to be parsed back.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.errors import AppError, ConflictError, ForbiddenError, InvalidError, LockedError
from core.jobs import ACTIVE_STATUSES, JobStatus
from core.outbox import publish_on_commit
from core.permissions import can
from core.scope import Scope

from . import bulk_values, computations, workflow
from .calculations import ScopeResult, quantize
from .models import (
    Indicator,
    Period,
    PeriodApproval,
    Programme,
    RecomputeJob,
    Source,
    Value,
    ValueChange,
    scope_fields,
    scope_key_for,
)
from .units import STORED_DECIMALS, unit_error


class MonitoringError(AppError):
    """A refused change; `str(error)` is the Russian message to show."""


class PeriodLockedError(MonitoringError, LockedError):
    pass


class ValueInvalidError(MonitoringError, InvalidError):
    """Some cells do not fit; each invalid cell's `errors` maps "plan"/"fact" to its messages."""

    def __init__(self, message: str, *, cells: list[CellInput]):
        super().__init__(message)
        self.cells = cells


class PeriodActionForbidden(MonitoringError, ForbiddenError):
    pass


@dataclass
class Conflict:
    """A cell someone else changed after the grid was opened."""

    indicator: Indicator
    period: Period
    plan: Decimal | None
    fact: Decimal | None
    updated_by: str
    updated_at: object

    @classmethod
    def of(cls, cell: CellInput, current: Value | None) -> Conflict:
        if current is None:
            return cls(cell.indicator, cell.period, None, None, "—", None)
        who = current.updated_by.display_name if current.updated_by else "—"
        return cls(cell.indicator, cell.period, current.plan, current.fact, who, current.updated_at)


class ConcurrentEditError(MonitoringError, ConflictError):
    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__(
            "Пока вы редактировали таблицу, другой пользователь изменил значения. Ваши изменения не сохранены: "
            "проверьте новые значения ниже и внесите правки ещё раз."
        )


# --- locks -------------------------------------------------------------------------------------

def active_approvals(periods, scope_keys=None) -> dict[tuple[int, str], PeriodApproval]:
    qs = PeriodApproval.objects.filter(period__in=periods, revoked_at__isnull=True).select_related("approved_by")
    if scope_keys is not None:
        qs = qs.filter(scope_key__in=scope_keys)
    return {(a.period_id, a.scope_key): a for a in qs}


def _approved_by(approval: PeriodApproval) -> str:
    """«Период «2021» утверждён директором Иванова И. И. 17.12.2021» — the start of the refusals."""
    who = approval.approved_by.display_name if approval.approved_by else "директор"
    when = date_format(timezone.localtime(approval.approved_at), "d.m.Y")
    return f"Период «{approval.period.label}» утверждён директором {who} {when}"


def locked_message(approval: PeriodApproval) -> str:
    return f"{_approved_by(approval)} — изменения запрещены. Снять утверждение может директор ИМЦ."


def _refuse_locked(approvals: dict[tuple[int, str], PeriodApproval], keys) -> None:
    """PeriodLockedError for the first (period pk, scope key) whose state keeps values unchanged."""
    for key in keys:
        approval = approvals.get(key)
        if not workflow.values_editable(workflow.state_of(approval)):
            raise PeriodLockedError(locked_message(approval))


def ensure_unlocked(period: Period, scope_key: str) -> None:
    _refuse_locked(active_approvals([period], [scope_key]), [(period.pk, scope_key)])


# --- entering values ---------------------------------------------------------------------------

@dataclass
class CellInput:
    """One plan/fact pair from the grid (or an import row) with the version the user saw."""

    indicator: Indicator
    period: Period
    plan: Decimal | None
    fact: Decimal | None
    comment: str = ""
    seen_version: int | None = None  # None: the cell was empty when the grid was opened
    errors: dict[str, list[str]] = field(default_factory=dict)  # "plan"/"fact" → Russian messages


COMPUTED_FACT_TYPED = "значение этого показателя вычисляется автоматически; его нельзя ввести вручную."


def cell_errors(cell: CellInput, *, historical: bool = False) -> dict[str, list[str]]:
    """What is wrong with one plan/fact pair: "plan"/"fact" → Russian messages; {} when fine."""
    errors: dict[str, list[str]] = {}
    for name, number in (("plan", cell.plan), ("fact", cell.fact)):
        message = unit_error(cell.indicator.unit, number)
        if message:
            errors.setdefault(name, []).append(message)
    if cell.indicator.is_computed and cell.fact is not None and not historical:
        errors.setdefault("fact", []).append(COMPUTED_FACT_TYPED)
    return errors


@dataclass
class _Change:
    """A cell that changes its value row: the numbers to write and those it had."""

    cell: CellInput
    value: Value  # the stored row, or a new one not saved yet
    new: dict[str, Decimal | None]  # "plan", and "fact" unless computed
    old: dict[str, Decimal | None]


@transaction.atomic
def values_save(
    *, scope: Scope, cells: list[CellInput], user, reason: str = "", check_versions: bool = True,
    historical: bool = False,
) -> int:
    """Save many plan/fact cells at once (grid save, import). All or nothing.

    validate → lock the stored rows → detect conflicts → refuse approved periods → apply → history.
    `historical` lets a fact of a computed indicator be entered (figures from earlier справки,
    before the registry held the data); such a period is then usually approved, which keeps
    recompute away from it.

    Raises ValueInvalidError (any cell invalid — each cell's `errors` is filled), ConcurrentEditError
    (a cell changed since the user saw it) or PeriodLockedError. Returns how many values changed.
    """
    _validate_cells(cells, historical=historical)
    stored = _lock_stored_values(scope, cells)
    if check_versions:
        _refuse_conflicts(cells, stored)
    changes = _changes(scope, cells, stored, historical=historical)
    periods = list({change.cell.period for change in changes})
    _refuse_locked(active_approvals(periods, [scope.key]), [(change.cell.period.pk, scope.key) for change in changes])
    for change in changes:
        _apply(change, user)
    _record_history(changes, user, reason)
    return len(changes)


def _validate_cells(cells: list[CellInput], *, historical: bool) -> None:
    for cell in cells:
        cell.errors = cell_errors(cell, historical=historical)
    invalid = [cell for cell in cells if cell.errors]
    if invalid:
        raise ValueInvalidError("Исправьте отмеченные значения — ничего не сохранено.", cells=invalid)


def _lock_stored_values(scope: Scope, cells: list[CellInput]) -> dict[tuple[int, int], Value]:
    """The stored rows of the cells, locked until the transaction ends: (indicator pk, period pk) → row."""
    rows = (
        Value.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(period__in={cell.period for cell in cells}, scope_key=scope.key,
                indicator__in={cell.indicator for cell in cells})
    )
    return {(v.indicator_id, v.period_id): v for v in rows}


def _refuse_conflicts(cells: list[CellInput], stored: dict[tuple[int, int], Value]) -> None:
    """A cell whose row is not at the version the user saw was changed by someone else meanwhile."""
    conflicts = []
    for cell in cells:
        current = stored.get((cell.indicator.pk, cell.period.pk))
        if (current.version if current else None) != cell.seen_version:
            conflicts.append(Conflict.of(cell, current))
    if conflicts:
        raise ConcurrentEditError(conflicts)


def _changes(scope: Scope, cells: list[CellInput], stored: dict[tuple[int, int], Value], *,
             historical: bool) -> list[_Change]:
    """The cells that change something: a new number or comment, or a first value of an empty cell."""
    changes = []
    for cell in cells:
        current = stored.get((cell.indicator.pk, cell.period.pk))
        new = {"plan": cell.plan}
        if historical or not cell.indicator.is_computed:
            new["fact"] = cell.fact
        if current is None:
            if cell.plan is None and cell.fact is None and not cell.comment:
                continue
            current = Value(indicator=cell.indicator, period=cell.period, version=0, **scope_fields(scope))
        elif current.comment == cell.comment and all(getattr(current, k) == v for k, v in new.items()):
            continue
        changes.append(_Change(cell, current, new, {"plan": current.plan, "fact": current.fact}))
    return changes


def _apply(change: _Change, user) -> None:
    value = change.value
    for name, number in change.new.items():
        setattr(value, name, number)
    if "fact" in change.new:  # a typed fact replaces a computed one and its provenance
        value.fact_source = Source.ENTERED
        value.numerator = value.denominator = None
    value.comment = change.cell.comment
    value.updated_by = user
    value.version += 1
    value.save()


def _record_history(changes: list[_Change], user, reason: str) -> None:
    ValueChange.objects.bulk_create(
        ValueChange(value=change.value, field=name, old=change.old[name], new=number, changed_by=user, reason=reason)
        for change in changes
        for name, number in change.new.items()
        if change.old[name] != number
    )


# --- recompute ---------------------------------------------------------------------------------

@dataclass
class RecomputeResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_locked: int = 0

    @property
    def summary(self) -> str:
        text = f"Пересчёт завершён: новых значений {self.created}, изменено {self.updated}, без изменений {self.unchanged}"
        if self.skipped_locked:
            text += f"; пропущено утверждённых {self.skipped_locked}"
        return text + "."


def _store_computed(period: Period, district_id: int, computed: dict[Indicator, list[ScopeResult]],
                    locked: set[str], result: RecomputeResult) -> None:
    """Write the computed facts of one period: create, update or leave alone; idempotent.

    The new facts are compared with the stored ones in one query; the new and changed values are
    written in one statement each and the changed facts' history in one insert (bulk_values). Rows
    about to change are locked and compared again first, so a grid saved meanwhile is not overwritten
    on the strength of its old state; rows that stay as they are are neither written nor locked.
    """
    now = timezone.now()
    indicator_ids = [indicator.pk for indicator in computed]
    # Thousands of results repeat a few hundred scopes and pairs of numbers: each is worked out once.
    stored_numbers: dict[tuple, tuple] = {}  # (kind of result, numerator, denominator) → (fact, num, den) to store
    keys: dict[tuple, str] = {}  # (kind, cluster, organisation) → scope key
    rows: list[bulk_values.Computed] = []
    for indicator, scope_results in computed.items():
        for scope_result in scope_results:
            scope = (scope_result.scope_kind, scope_result.cluster_id, scope_result.organisation_id)
            key = keys.get(scope) or keys.setdefault(scope, scope_key_for(*scope))
            if key in locked:
                result.skipped_locked += 1
                continue
            pair = (type(scope_result), scope_result.numerator, scope_result.denominator)
            numbers = stored_numbers.get(pair)
            if numbers is None:
                numbers = stored_numbers[pair] = (quantize(scope_result.fact, STORED_DECIMALS),
                                                  Decimal(scope_result.numerator), Decimal(scope_result.denominator))
            rows.append(bulk_values.Computed(indicator.pk, *scope, key, *numbers))
    differing = bulk_values.differing(period, indicator_ids, rows)
    existing = [current.pk for current in differing.values() if current is not None]
    if existing:  # lock the rows to change and compare again with what they hold now
        fresh = {current.pk: (row_key, current) for row_key, current in
                 bulk_values.stored_values(period, indicator_ids, pks=existing, lock=True).items()}
        for row_key, current in list(differing.items()):
            if current is not None:
                differing[row_key] = fresh[current.pk][1] if current.pk in fresh else None  # None: deleted meanwhile
    to_write, history = [], []
    for row in rows:
        row_key = (row.indicator_id, row.scope_key)
        if row_key not in differing:
            result.unchanged += 1
            continue
        current = differing[row_key]
        if current is None:
            result.created += 1
        elif current.numbers == row.numbers:
            result.unchanged += 1
            continue
        else:
            result.updated += 1
            if current.fact != row.fact:
                history.append((current.pk, current.fact, row.fact))
        to_write.append(row)
    stored = {row_key: current for row_key, current in differing.items() if current is not None}
    bulk_values.write_computed(period, district_id, to_write, stored, now)
    bulk_values.record_recompute_history(history, now)


@contextmanager
def _without_cycle_collection():
    """Python's cyclic garbage collector paused while a period is computed and written.

    A city's period is ~8,000 results, rows and array elements, short-lived and free of cycles: reference
    counting frees them as soon as the period is written. Meanwhile the collector would move them into
    its oldest generation, and every second or third recompute then pays a full collection of the whole
    process (60–80 ms at the city's scale, as much as the insert); paused, nothing is promoted. It runs
    again afterwards as before (and stays off if it was off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def recompute_programme(programme: Programme, periods=None, progress=None, codes=None) -> RecomputeResult:
    """All computed indicators (or those with the given `codes`) × periods of a programme, one transaction per
    period.

    Calculations of a period run together (all teacher shares in one pass over the teachers) and
    their values are compared and written in bulk; approved scopes are skipped. `progress(done, total)` reports after each period.
    """
    indicators = programme.indicators.filter(source=Source.COMPUTED).select_related("programme")
    if codes is not None:
        indicators = indicators.filter(code__in=list(codes))
    indicators = list(indicators)
    periods = list(periods if periods is not None else programme.periods.all())
    result = RecomputeResult()
    for done, period in enumerate(periods, start=1):
        with _without_cycle_collection(), transaction.atomic():
            computed = computations.calculate_many(
                [(i.pk, i.calculation, i.parameters) for i in indicators], programme.district_id, period
            )
            locked = {key for (_, key), approval in active_approvals([period]).items()
                      if not workflow.values_editable(workflow.state_of(approval))}
            _store_computed(period, programme.district_id, {i: computed[i.pk] for i in indicators}, locked, result)
        if progress:
            progress(done, len(periods))
    return result


# --- approval ----------------------------------------------------------------------------------

def _guard(transition: workflow.Transition, user) -> None:
    if not can(user, transition.capability):
        raise PeriodActionForbidden(transition.forbidden)


def _active_approval(period: Period, scope: Scope) -> PeriodApproval | None:
    """The scope's active approval of the period, its row locked so two clicks do not both act."""
    return (
        PeriodApproval.objects.select_for_update(of=("self",)).select_related("approved_by", "period")
        .filter(period=period, scope_key=scope.key, revoked_at__isnull=True).first()
    )


@transaction.atomic
def period_approve(*, period: Period, scope: Scope, user) -> PeriodApproval:
    """Approve (lock) a period for a scope: its values stop changing until it is reopened."""
    _guard(workflow.APPROVE, user)
    existing = _active_approval(period, scope)
    if workflow.state_of(existing) != workflow.APPROVE.source:
        raise MonitoringError(f"{_approved_by(existing)} — уже утверждён. Снять утверждение может директор ИМЦ.")
    return PeriodApproval.objects.create(period=period, approved_by=user, **scope_fields(scope))


@transaction.atomic
def period_unlock(*, period: Period, scope: Scope, user) -> PeriodApproval:
    """Reopen an approved period for a scope; the approval stays as history (revoked_by, revoked_at)."""
    _guard(workflow.REOPEN, user)
    approval = _active_approval(period, scope)
    if workflow.state_of(approval) != workflow.REOPEN.source:
        raise MonitoringError(f"Период «{period.label}» не утверждён — снимать нечего.")
    approval.revoked_by, approval.revoked_at = user, timezone.now()
    approval.save(update_fields=["revoked_by", "revoked_at"])
    return approval


# --- recompute jobs (run by Celery) ------------------------------------------------------------

@transaction.atomic
def recompute_job_create(*, programme: Programme, user, period: Period | None = None) -> RecomputeJob:
    """Queue a «Пересчитать» run unless one for the programme is already waiting or running.

    The database keeps one pending job per programme (a partial unique index): a second press,
    even a simultaneous one, gets the job already there. The message is published after the
    commit (core/outbox.py); a broker that is down leaves the job queued for the sweeper.
    """
    for _ in range(2):  # the pending job may finish between the refusal and the lookup: try again
        try:
            with transaction.atomic():
                job = RecomputeJob.objects.create(programme=programme, period=period, requested_by=user)
        except IntegrityError:
            job = programme.recompute_jobs.filter(status__in=ACTIVE_STATUSES).first()
            if job is None:
                continue
            if job.status == JobStatus.QUEUED:  # a running job already has its worker
                publish_on_commit(job)
            return job
        publish_on_commit(job)
        return job
    raise MonitoringError("Не удалось поставить пересчёт в очередь — попробуйте ещё раз.")


def recompute_job_run(job: RecomputeJob) -> RecomputeJob:
    """Run a queued job, reporting progress on the row the page polls. Safe to run twice:
    a finished job is left as it is (a retry of a job still running runs it again)."""
    if not job.mark_running():
        return job

    def progress(done: int, total: int) -> None:
        job.mark_progress(done * 100 // total if total else 100)

    periods = [job.period] if job.period_id else None
    result = recompute_programme(job.programme, periods=periods, progress=progress)
    job.mark_succeeded(result.summary)
    return job


def recompute_job_fail(job_id: int, error: BaseException) -> None:
    job = RecomputeJob.objects.filter(pk=job_id).first()
    if job is not None:
        job.mark_failed(
            f"Пересчёт не выполнен: {error}. Попробуйте ещё раз; если ошибка повторится, сообщите администратору."
        )


def recompute_current_periods(today=None) -> int:
    """Recompute every programme's periods that include `today`; returns how many programmes ran."""
    today = today or timezone.localdate()
    count = 0
    for programme in Programme.objects.filter(indicators__source=Source.COMPUTED).distinct():
        periods = list(programme.periods.filter(starts_on__lte=today, ends_on__gte=today))
        if periods:
            recompute_programme(programme, periods=periods)
            count += 1
    return count
