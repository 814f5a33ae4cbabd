"""The monitoring part of the demo: the seeds' four programmes and the network effect, with plans and facts.

`load_monitoring_demo()` runs after the registry demo (`manage.py load_demo`), whose districts and
users it looks up by their stable keys (district code, username). Programmes, periods and
indicators are matched on (district, code), (programme, label) and (programme, code) and created
only when missing (the catalogue pages save them with ModelForms; there is no service to call).
Values are entered through `values_save` as the district's methodist would type them into an
empty grid, so every number has its history and provenance; computed facts come from
`recompute_programme` over the registry, and the director approves 2020 with `period_approve`.

A rerun never overwrites what a user changed: a cell that has a value is not entered again (the
service itself refuses, since the demo says it saw the cell empty), a period approved since is
left alone, 2020 is approved only if it never was (a director's unlock stays), and a period is
recomputed only while it has no computed facts (later the nightly recompute keeps them current).

1. Frunzensky (seed 000): the four network indicators; the 2020 facts are historical figures from
   the справка, entered by the methodist and locked by the director's approval; the 2021 facts are
   computed from the registry (54,8 %, 30,0 %, 30,0 %).
1a. Frunzensky (issue 11): the effect of network interaction — the four registered network calculations
   with the methodist's plans for 2021; the facts are computed from the network demo's results, tiers and
   pairs (demo/network.py runs before this loader).
2. Sayansk (seed 001): participation counts and shares, competency levels and the digital
   competence components by academic year; the 2019/20 participation share is computed.
3. Krasnoselsky (seed 003): the self-assessment scores of the five projects at four checkpoints.
4. Kirovsky (seed 004): the criteria of the Concept for 2020–2024 with invented values; the criteria the
   diagnostics compute (share diagnosed, deficit shares per group, training after a diagnosis) with the methodist's
   plans, their facts of 2023 and 2024 computed from the Kirovsky diagnostics demo (demo/diagnostics_kirovsky.py,
   loaded before this one).
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from clusters.models import District
from imc_portal.models import User
from monitoring.computations import registered_calculations
from monitoring.models import Indicator, Period, PeriodApproval, Programme, Source, Value
from monitoring.services import (
    CellInput,
    Scope,
    active_approvals,
    period_approve,
    recompute_programme,
    values_save,
)
from monitoring.units import Unit

from . import monitoring_data as data

# Who enters each district's figures (usernames of the registry demo).
METHODISTS = {
    "frunzensky": "metodist",
    "kirovsky": "metodist_kirov",
    "krasnoselsky": "metodist_krasnoe",
    "sayansk": "metodist_sayansk",
}
DIRECTOR = "direktor"  # Frunzensky's director approves 2020
DEMO_PROGRAMMES = (data.FRUNZENSKY, data.FRUNZENSKY_EFFECT, data.SAYANSK, data.KRASNOSELSKY, data.KIROVSKY)


class MonitoringDemoError(RuntimeError):
    """The registry demo this loader builds on is missing or incomplete."""


def load_monitoring_demo(*, stdout: TextIO | None = None) -> None:
    """Create or complete the monitoring demo; idempotent. Progress lines go to `stdout`, if given."""
    missing = {spec.calculation for spec in _all_indicator_specs() if spec.calculation} - set(registered_calculations())
    if missing:
        raise MonitoringDemoError(f"Calculations not registered: {', '.join(sorted(missing))}.")
    with transaction.atomic():
        for loader in (_frunzensky, _frunzensky_effect, _sayansk, _krasnoselsky, _kirovsky):
            line = loader()
            if stdout is not None:
                stdout.write(line + "\n")


# --- lookups and writes --------------------------------------------------------------------------

def _district(code: str) -> District:
    try:
        return District.objects.get(code=code)
    except District.DoesNotExist:
        raise MonitoringDemoError(
            f"District with code «{code}» not found: load the registry demo first (manage.py load_demo)."
        ) from None


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise MonitoringDemoError(
            f"User «{username}» not found: load the registry demo first (manage.py load_demo)."
        ) from None


def _programme(spec: data.ProgrammeSpec) -> tuple[Programme, dict[str, Period]]:
    programme, _ = Programme.objects.get_or_create(
        district=_district(spec.district_code),
        code=spec.code,
        defaults={"name": spec.name, "period_kind": spec.period_kind, "description": spec.description},
    )
    periods = {}
    for label, starts_on, ends_on in spec.periods:
        periods[label], _ = Period.objects.get_or_create(
            programme=programme, label=label, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
    return programme, periods


def _indicators(programme: Programme, specs: Iterable[data.IndicatorSpec]) -> dict[str, Indicator]:
    indicators = {}
    for position, spec in enumerate(specs, start=1):
        indicators[spec.code], _ = Indicator.objects.get_or_create(
            programme=programme,
            code=spec.code,
            defaults={
                "name": spec.name,
                "section": spec.section,
                "unit": spec.unit,
                "direction": spec.direction,
                "decimals": spec.decimals,
                "method": spec.method,
                "source": Source.COMPUTED if spec.calculation else Source.ENTERED,
                "calculation": spec.calculation,
                "parameters": spec.parameters,
                "position": position,
            },
        )
    return indicators


def _number(value: data.Number | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _cell(indicator: Indicator, period: Period, *, plan=None, fact=None) -> CellInput:
    return CellInput(indicator=indicator, period=period, plan=_number(plan), fact=_number(fact))


def _district_scope(programme: Programme) -> Scope:
    return Scope.of_district(programme.district)


def _save(programme: Programme, cells: list[CellInput], username: str, reason: str, *, historical=False) -> int:
    """Enter the cells that are still empty; a cell with a value (the demo's or a user's) stays as it is.

    The cells keep `seen_version=None` («empty when the grid was opened») and versions are
    checked, so should a value appear meanwhile, the service refuses instead of overwriting it.
    Cells of a period approved since the first load are skipped (a locked period is not re-entered).
    """
    scope = _district_scope(programme)
    filled = set(
        Value.objects.filter(indicator__programme=programme, scope_key=scope.key).values_list("indicator_id", "period_id")
    )
    locked = {period_id for period_id, _ in active_approvals(programme.periods.all(), [scope.key])}
    empty = [c for c in cells if (c.indicator.pk, c.period.pk) not in filled and c.period.pk not in locked]
    if not empty:
        return 0
    return values_save(scope=scope, cells=empty, user=_user(username), reason=reason, historical=historical)


def _approve_once(period: Period, scope: Scope, username: str) -> None:
    """The director's approval, unless the period was ever approved (a later unlock is the director's choice)."""
    if not PeriodApproval.objects.filter(period=period, scope_key=scope.key).exists():
        period_approve(period=period, scope=scope, user=_user(username))


def _recompute_new(programme: Programme, periods: list[Period], codes: Iterable[str] | None = None) -> str:
    """Compute the periods that have no computed fact yet (of the indicators `codes`, if given: indicators added
    to a programme loaded before get their facts too); a summary fragment for the progress line."""
    computed = Value.objects.filter(indicator__source=Source.COMPUTED, computed_at__isnull=False)
    if codes is not None:
        computed = computed.filter(indicator__code__in=list(codes))
    todo = [period for period in periods if not computed.filter(period=period).exists()]
    if not todo:
        return ""
    result = recompute_programme(programme, periods=todo, codes=codes)
    labels = ", ".join(period.label for period in todo)
    return f"; пересчёт {labels}: новых {result.created}, изменено {result.updated}"


def _summary(programme: Programme, changed: int, extra: str = "") -> str:
    return (
        f"Мониторинг: «{programme.name}» ({programme.district}) — показателей {programme.indicators.count()}, "
        f"периодов {programme.periods.count()}, внесено значений {changed}{extra}."
    )


def _all_indicator_specs() -> list[data.IndicatorSpec]:
    return [*data.FRUNZENSKY_INDICATORS, *data.FRUNZENSKY_EFFECT_INDICATORS, *data.SAYANSK_INDICATORS,
            *data.KIROVSKY_COMPUTED]


# --- the five programmes ------------------------------------------------------------------------

def _frunzensky() -> str:
    programme, periods = _programme(data.FRUNZENSKY)
    indicators = _indicators(programme, data.FRUNZENSKY_INDICATORS)
    methodist = METHODISTS[data.FRUNZENSKY.district_code]
    year_2020, year_2021 = periods["2020"], periods["2021"]

    # 2020: plan and fact as the справка has them, entered as historical figures, then approved.
    changed = _save(
        programme,
        [_cell(indicators[code], year_2020, plan=plan, fact=fact)
         for code, (plan, fact, _) in data.FRUNZENSKY_TABLE.items()],
        methodist, data.FRUNZENSKY_HISTORICAL_REASON, historical=True,
    )
    _approve_once(year_2020, _district_scope(programme), DIRECTOR)

    # 2021: only the plans are typed; the facts come from the registry.
    changed += _save(
        programme,
        [_cell(indicators[code], year_2021, plan=plan) for code, (_, _, plan) in data.FRUNZENSKY_TABLE.items()],
        methodist, data.FRUNZENSKY_PLAN_REASON,
    )
    return _summary(programme, changed, _recompute_new(programme, [year_2021]))


def _frunzensky_effect() -> str:
    """Plans of 2021 typed by the methodist; the facts computed from the network demo's data."""
    programme, periods = _programme(data.FRUNZENSKY_EFFECT)
    indicators = _indicators(programme, data.FRUNZENSKY_EFFECT_INDICATORS)
    year_2021 = periods["2021"]
    changed = _save(
        programme,
        [_cell(indicators[code], year_2021, plan=plan) for code, plan in data.FRUNZENSKY_EFFECT_PLANS.items()],
        METHODISTS[data.FRUNZENSKY_EFFECT.district_code], data.FRUNZENSKY_EFFECT_PLAN_REASON,
    )
    return _summary(programme, changed, _recompute_new(programme, [year_2021]))


def _sayansk() -> str:
    programme, periods = _programme(data.SAYANSK)
    indicators = _indicators(programme, data.SAYANSK_INDICATORS)
    labels = list(periods)
    cells = []
    for code, facts in data.SAYANSK_PARTICIPANTS.items():
        cells += [_cell(indicators[code], periods[label], fact=fact)
                  for label, fact in zip(labels, facts, strict=True) if fact is not None]
    changed = _save(programme, cells, METHODISTS[data.SAYANSK.district_code], data.SAYANSK_REASON)
    # The computed participation share of 2019/20 comes from the registry; the earlier years are
    # the entered share of the report (the nightly recompute may fill them in from the registry).
    participation = _recompute_new(programme, [periods[labels[-1]]], ["community_participation_share"])
    # The competency index and the digital components: group means of the teachers' individual results
    # (demo/diagnostics.py), computed for every year with a diagnosis — never typed.
    indices = _recompute_new(programme, [periods[label] for label in data.SAYANSK_DIAGNOSED_YEARS],
                             data.SAYANSK_DIAGNOSTIC_CODES)
    return _summary(programme, changed, participation + indices)


def _krasnoselsky() -> str:
    programme, periods = _programme(data.KRASNOSELSKY)
    specs, scores = [], []
    for project_code, project, rows in data.KRASNOSELSKY_PROJECTS:
        for number, (row_scores, text) in enumerate(rows, start=1):
            code = f"{project_code}_{number}"
            specs.append(data.IndicatorSpec(
                code, text, Unit.SCORE, 0, method=data.KRASNOSELSKY_METHOD, section=project,
            ))
            scores.append((code, row_scores))
    indicators = _indicators(programme, specs)
    cells = [
        _cell(indicators[code], period, fact=score)
        for code, row_scores in scores
        for period, score in zip(periods.values(), row_scores, strict=True)
        if score is not None  # «-»: not assessed at that checkpoint
    ]
    changed = _save(programme, cells, METHODISTS[data.KRASNOSELSKY.district_code], data.KRASNOSELSKY_REASON)
    return _summary(programme, changed)


def _kirovsky() -> str:
    programme, periods = _programme(data.KIROVSKY)
    specs = [
        data.IndicatorSpec(code, name, unit, 1 if unit == Unit.PERCENT else 0, method=method, section=section)
        for code, section, name, unit, method, _, _ in data.KIROVSKY_ROWS
    ]
    indicators = _indicators(programme, [*specs, *data.KIROVSKY_COMPUTED])
    cells = [
        _cell(indicators[code], periods[label], plan=plan, fact=fact)
        for code, _, _, _, _, plans, facts in data.KIROVSKY_ROWS
        for label, plan, fact in zip(data.KIROVSKY_YEARS, plans, facts, strict=True)
    ]
    # The computed criteria: only the plans are typed; the facts come from the diagnostics.
    cells += [
        _cell(indicators[code], periods[label], plan=plan)
        for code, plans in data.KIROVSKY_COMPUTED_PLANS.items()
        for label, plan in zip(data.KIROVSKY_COMPUTED_YEARS, plans, strict=True)
    ]
    changed = _save(programme, cells, METHODISTS[data.KIROVSKY.district_code], data.KIROVSKY_REASON)
    computed = [periods[label] for label in data.KIROVSKY_COMPUTED_YEARS]
    return _summary(programme, changed,
                    _recompute_new(programme, computed, [spec.code for spec in data.KIROVSKY_COMPUTED]))


def reset_monitoring_demo() -> int:
    """Delete the demo programmes with their periods, indicators, values, history and approvals.

    Call it before deleting the registry demo: monitoring rows protect the districts and the
    director who approved 2020. Programmes users created in the demo districts are left alone.
    Returns the number of rows deleted.
    """
    deleted = 0
    for spec in DEMO_PROGRAMMES:
        count, _ = Programme.objects.filter(district__code=spec.district_code, code=spec.code).delete()
        deleted += count
    return deleted


def demo_programmes() -> list[Programme]:
    """The demo's programmes that exist, in loading order (for callers that report on them)."""
    keys = [(spec.district_code, spec.code) for spec in DEMO_PROGRAMMES]
    found = {(p.district.code, p.code): p for p in Programme.objects.select_related("district")
             .filter(code__in=[code for _, code in keys])}
    return [found[key] for key in keys if key in found]

