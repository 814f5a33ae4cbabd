"""Writes of monitoring: plan/fact entry, recompute, approval and unlocking.

Every write checks the approval lock first and runs in one transaction, so a refused change
leaves nothing behind. Messages are in Russian and say why (locked, conflicting, invalid).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.scope import Scope

from . import computations
from .calculations import ScopeResult, quantize, unit_error
from .models import (
    Indicator,
    JobStatus,
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

FACT_PRECISION = 4  # decimals stored; users see the indicator's own decimals


class MonitoringError(Exception):
    """A refused change; `str(error)` is the Russian message to show."""


class PeriodLockedError(MonitoringError):
    pass


class ValueInvalidError(MonitoringError):
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


class ConcurrentEditError(MonitoringError):
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


def locked_message(approval: PeriodApproval) -> str:
    who = approval.approved_by.display_name if approval.approved_by else "директор"
    when = date_format(timezone.localtime(approval.approved_at), "d.m.Y")
    return (
        f"Период «{approval.period.label}» утверждён директором {who} {when} — изменения запрещены. "
        "Снять утверждение может директор ИМЦ."
    )


def ensure_unlocked(period: Period, scope_key: str) -> None:
    approval = active_approvals([period], [scope_key]).get((period.pk, scope_key))
    if approval:
        raise PeriodLockedError(locked_message(approval))


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
    errors: list[str] = field(default_factory=list)


def cell_errors(cell: CellInput, *, historical: bool = False) -> list[str]:
    """Russian messages, each prefixed «План: » or «Факт: », for one plan/fact pair."""
    errors = []
    for label, value in (("План", cell.plan), ("Факт", cell.fact)):
        message = unit_error(cell.indicator.unit, value)
        if message:
            errors.append(f"{label}: {message}")
    if cell.indicator.is_computed and cell.fact is not None and not historical:
        errors.append("Факт: значение этого показателя вычисляется автоматически; его нельзя ввести вручную.")
    return errors


def _record_changes(value: Value, new: dict, user, reason: str) -> list[ValueChange]:
    changes = []
    for name in ("plan", "fact"):
        old_v, new_v = getattr(value, name), new.get(name, getattr(value, name))
        if old_v != new_v:
            changes.append(ValueChange(value=value, field=name, old=old_v, new=new_v, changed_by=user, reason=reason))
    return changes


@transaction.atomic
def values_save(
    *, scope: Scope, cells: list[CellInput], user, reason: str = "", check_versions: bool = True,
    historical: bool = False,
) -> int:
    """Save many plan/fact cells at once (grid save, import). All or nothing.

    `historical` lets a fact of a computed indicator be entered (figures from earlier справки,
    before the registry held the data); such a period is then usually approved, which keeps
    recompute away from it.

    Raises ValueInvalidError (any cell invalid — each cell's `errors` is filled), PeriodLockedError,
    or ConcurrentEditError. Returns how many values changed.
    """
    invalid = False
    for cell in cells:
        cell.errors = cell_errors(cell, historical=historical)
        invalid = invalid or bool(cell.errors)
    if invalid:
        raise ValueInvalidError("Исправьте отмеченные значения — ничего не сохранено.")

    periods = {cell.period.pk: cell.period for cell in cells}
    existing = {
        (v.indicator_id, v.period_id): v
        for v in Value.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(period__in=periods.values(), scope_key=scope.key, indicator__in={c.indicator for c in cells})
    }

    if check_versions:
        conflicts = []
        for cell in cells:
            current = existing.get((cell.indicator.pk, cell.period.pk))
            current_version = current.version if current else None
            if current_version != cell.seen_version:
                conflicts.append(
                    Conflict(
                        cell.indicator,
                        cell.period,
                        current.plan if current else None,
                        current.fact if current else None,
                        current.updated_by.display_name if current and current.updated_by else "—",
                        current.updated_at if current else None,
                    )
                )
        if conflicts:
            raise ConcurrentEditError(conflicts)

    changed_cells = []
    for cell in cells:
        current = existing.get((cell.indicator.pk, cell.period.pk))
        new = {"plan": cell.plan}
        if historical or not cell.indicator.is_computed:
            new["fact"] = cell.fact
        same = current is not None and all(getattr(current, k) == v for k, v in new.items())
        same = same and current.comment == cell.comment
        if current is None and cell.plan is None and cell.fact is None and not cell.comment:
            continue
        if not same:
            changed_cells.append((cell, current, new))

    approvals = active_approvals(list(periods.values()), [scope.key])
    for cell, _, _ in changed_cells:
        approval = approvals.get((cell.period.pk, scope.key))
        if approval:
            raise PeriodLockedError(locked_message(approval))

    history: list[ValueChange] = []
    for cell, current, new in changed_cells:
        if current is None:
            current = Value(indicator=cell.indicator, period=cell.period, version=0, **scope_fields(scope))
        history += _record_changes(current, new, user, reason)
        for name, v in new.items():
            setattr(current, name, v)
        if "fact" in new:
            current.fact_source = Source.ENTERED
            current.numerator = current.denominator = None
        current.comment = cell.comment
        current.updated_by = user
        current.version += 1
        current.save()
    ValueChange.objects.bulk_create(history)
    return len(changed_cells)


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


def _scope_fields(result: ScopeResult, district_id: int) -> dict:
    return {
        "district_id": district_id,
        "scope_kind": result.scope_kind,
        "cluster_id": result.cluster_id,
        "organisation_id": result.organisation_id,
        "scope_key": scope_key_for(result.scope_kind, result.cluster_id, result.organisation_id),
    }


def _store_computed(period: Period, computed: dict[Indicator, list[ScopeResult]], locked: set[str],
                    result: RecomputeResult) -> None:
    """Write the computed facts of one period: create, update or leave alone; idempotent.

    Existing values are read as plain tuples (a recompute usually changes little) and only the
    new or changed ones become model objects.
    """
    existing = {
        (indicator_id, key): (pk, fact, numerator, denominator, version)
        for pk, indicator_id, key, fact, numerator, denominator, version in Value.objects.select_for_update()
        .filter(period=period, indicator__in=list(computed))
        .values_list("pk", "indicator_id", "scope_key", "fact", "numerator", "denominator", "version")
    }
    now = timezone.now()
    to_create, to_update, history = [], [], []
    for indicator, scope_results in computed.items():
        district_id = indicator.programme.district_id
        for scope_result in scope_results:
            fields = _scope_fields(scope_result, district_id)
            key = fields["scope_key"]
            if key in locked:
                result.skipped_locked += 1
                continue
            fact = quantize(scope_result.fact, FACT_PRECISION)
            numerator, denominator = Decimal(scope_result.numerator), Decimal(scope_result.denominator)
            current = existing.get((indicator.pk, key))
            if current is None:
                to_create.append(Value(
                    indicator=indicator, period=period, fact=fact, numerator=numerator, denominator=denominator,
                    fact_source=Source.COMPUTED, computed_at=now, **fields,
                ))
                continue
            pk, old_fact, old_numerator, old_denominator, version = current
            if (old_fact, old_numerator, old_denominator) == (fact, numerator, denominator):
                result.unchanged += 1
                continue
            value = Value(pk=pk, fact=fact, numerator=numerator, denominator=denominator,
                          fact_source=Source.COMPUTED, computed_at=now, updated_at=now, version=version + 1)
            if old_fact != fact:
                history.append(ValueChange(value=value, field="fact", old=old_fact, new=fact, reason="пересчёт"))
            to_update.append(value)
    Value.objects.bulk_create(to_create, batch_size=2000)
    Value.objects.bulk_update(
        to_update, ["fact", "numerator", "denominator", "fact_source", "computed_at", "version", "updated_at"],
        batch_size=1000,
    )
    ValueChange.objects.bulk_create(history)
    result.created += len(to_create)
    result.updated += len(to_update)


def recompute_programme(programme: Programme, periods=None, progress=None) -> RecomputeResult:
    """All computed indicators × periods of a programme, one transaction per period.

    Calculations of a period run together (shares of one population share their queries);
    approved scopes are skipped. `progress(done, total)` reports after each period.
    """
    indicators = list(programme.indicators.filter(source=Source.COMPUTED).select_related("programme"))
    periods = list(periods if periods is not None else programme.periods.all())
    result = RecomputeResult()
    for done, period in enumerate(periods, start=1):
        with transaction.atomic():
            computed = computations.calculate_many(
                [(i.pk, i.calculation, i.parameters) for i in indicators], programme.district_id, period
            )
            locked = {key for (_, key) in active_approvals([period])}
            _store_computed(period, {i: computed[i.pk] for i in indicators}, locked, result)
        if progress:
            progress(done, len(periods))
    return result


# --- approval ----------------------------------------------------------------------------------

@transaction.atomic
def period_approve(*, period: Period, scope: Scope, user) -> PeriodApproval:
    existing = active_approvals([period], [scope.key]).get((period.pk, scope.key))
    if existing:
        raise MonitoringError(locked_message(existing).replace(" — изменения запрещены.", " — уже утверждён."))
    return PeriodApproval.objects.create(period=period, approved_by=user, **scope_fields(scope))


@transaction.atomic
def period_unlock(*, period: Period, scope: Scope, user) -> PeriodApproval:
    approval = active_approvals([period], [scope.key]).get((period.pk, scope.key))
    if not approval:
        raise MonitoringError(f"Период «{period.label}» не утверждён — снимать нечего.")
    approval.revoked_by, approval.revoked_at = user, timezone.now()
    approval.save(update_fields=["revoked_by", "revoked_at"])
    return approval


# --- recompute jobs (run by Celery) ------------------------------------------------------------

def recompute_job_create(*, programme: Programme, user, period: Period | None = None) -> RecomputeJob:
    """Queue a «Пересчитать» run unless one for the programme is already waiting or running."""
    running = programme.recompute_jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if running:
        return running
    return RecomputeJob.objects.create(programme=programme, period=period, created_by=user)


def recompute_job_run(job: RecomputeJob) -> RecomputeJob:
    """Run a queued job, reporting progress on the row the page polls. Safe to run twice."""
    if job.status == JobStatus.DONE:
        return job
    job.status, job.progress, job.message = JobStatus.RUNNING, 0, ""
    job.save(update_fields=["status", "progress", "message"])

    def progress(done: int, total: int) -> None:
        RecomputeJob.objects.filter(pk=job.pk).update(progress=int(done * 100 / total) if total else 100)

    periods = [job.period] if job.period_id else None
    result = recompute_programme(job.programme, periods=periods, progress=progress)
    job.status, job.progress, job.message, job.finished_at = JobStatus.DONE, 100, result.summary, timezone.now()
    job.save(update_fields=["status", "progress", "message", "finished_at"])
    return job


def recompute_job_fail(job_id: int, error: BaseException) -> None:
    RecomputeJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        message=f"Пересчёт не выполнен: {error}. Попробуйте ещё раз; если ошибка повторится, сообщите администратору.",
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
