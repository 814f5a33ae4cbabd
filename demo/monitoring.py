"""The monitoring part of the demo: the seeds' four programmes with their plans and facts.

`load_monitoring_demo()` runs after the registry demo (`manage.py load_demo`), whose districts and
users it looks up by their stable keys (district code, username). Programmes, periods and
indicators are matched on (district, code), (programme, label) and (programme, code); values are
written through `values_save`, so every number has its history and provenance, and computed facts
come from `recompute_programme` over the registry. A second run changes nothing: equal values are
not saved again, and recompute leaves equal facts alone.

1. Frunzensky (seed 000): the four network indicators; the 2020 facts are historical figures from
   the справка, entered by the methodist and locked by the director's approval; the 2021 facts are
   computed from the registry (54,8 %, 30,0 %, 30,0 %).
2. Sayansk (seed 001): participation counts and shares, competency levels and the digital
   competence components by academic year; the 2019/20 participation share is computed.
3. Krasnoselsky (seed 003): the self-assessment scores of the five projects at four checkpoints.
4. Kirovsky (seed 004): the criteria of the Concept for 2020–2024 with invented values.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from clusters.models import District
from imc_portal.models import User
from monitoring.computations import registered_calculations
from monitoring.models import Indicator, Period, Programme, ScopeKind, Source, Unit
from monitoring.services import (
    CellInput,
    Scope,
    active_approvals,
    period_approve,
    recompute_programme,
    values_save,
)

from . import monitoring_data as data

# Who enters each district's figures (usernames of the registry demo).
METHODISTS = {
    "frunzensky": "metodist",
    "kirovsky": "metodist_kirov",
    "krasnoselsky": "metodist_krasnoe",
    "sayansk": "metodist_sayansk",
}
DIRECTOR = "direktor"  # Frunzensky's director approves 2020
DEMO_PROGRAMMES = (data.FRUNZENSKY, data.SAYANSK, data.KRASNOSELSKY, data.KIROVSKY)


class MonitoringDemoError(RuntimeError):
    """The registry demo this loader builds on is missing or incomplete."""


def load_monitoring_demo(*, stdout: TextIO | None = None) -> None:
    """Create or complete the monitoring demo; idempotent. Progress lines go to `stdout`, if given."""
    missing = {spec.calculation for spec in _all_indicator_specs() if spec.calculation} - set(registered_calculations())
    if missing:
        raise MonitoringDemoError(f"Calculations not registered: {', '.join(sorted(missing))}.")
    with transaction.atomic():
        for loader in (_frunzensky, _sayansk, _krasnoselsky, _kirovsky):
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
                "position": position,
            },
        )
    return indicators


def _number(value: data.Number | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _cell(indicator: Indicator, period: Period, *, plan=None, fact=None) -> CellInput:
    return CellInput(indicator=indicator, period=period, plan=_number(plan), fact=_number(fact))


def _district_scope(programme: Programme) -> Scope:
    return Scope(ScopeKind.DISTRICT, programme.district)


def _save(programme: Programme, cells: list[CellInput], username: str, reason: str, *, historical=False) -> int:
    return values_save(
        scope=_district_scope(programme), cells=cells, user=_user(username), reason=reason,
        check_versions=False, historical=historical,
    )


def _summary(programme: Programme, changed: int, extra: str = "") -> str:
    return (
        f"Мониторинг: «{programme.name}» ({programme.district}) — показателей {programme.indicators.count()}, "
        f"периодов {programme.periods.count()}, изменено значений {changed}{extra}."
    )


def _all_indicator_specs() -> list[data.IndicatorSpec]:
    return [*data.FRUNZENSKY_INDICATORS, *data.SAYANSK_INDICATORS]


# --- the four programmes -------------------------------------------------------------------------

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
    scope = _district_scope(programme)
    if not active_approvals([year_2020], [scope.key]):
        period_approve(period=year_2020, scope=scope, user=_user(DIRECTOR))

    # 2021: only the plans are typed; the facts come from the registry.
    changed += _save(
        programme,
        [_cell(indicators[code], year_2021, plan=plan) for code, (_, _, plan) in data.FRUNZENSKY_TABLE.items()],
        methodist, data.FRUNZENSKY_PLAN_REASON,
    )
    result = recompute_programme(programme, periods=[year_2021])
    return _summary(programme, changed, f"; пересчёт 2021: новых {result.created}, изменено {result.updated}")


def _sayansk() -> str:
    programme, periods = _programme(data.SAYANSK)
    indicators = _indicators(programme, data.SAYANSK_INDICATORS)
    labels = list(periods)
    cells = []
    for code, facts in (*data.SAYANSK_PARTICIPANTS.items(), *data.DIGITAL_COMPONENTS.items()):
        cells += [_cell(indicators[code], periods[label], fact=fact)
                  for label, fact in zip(labels, facts, strict=True) if fact is not None]
    for label, levels in data.COMPETENCY_LEVELS.items():
        cells += [_cell(indicators[code], periods[label], fact=level)
                  for (code, _), level in zip(data.COMPETENCIES, levels, strict=True)]
    changed = _save(programme, cells, METHODISTS[data.SAYANSK.district_code], data.SAYANSK_REASON)
    # The computed participation share of 2019/20 comes from the registry; the earlier years are
    # the entered share of the report (the nightly recompute may fill them in from the registry).
    result = recompute_programme(programme, periods=[periods[labels[-1]]])
    return _summary(programme, changed, f"; пересчёт {labels[-1]}: новых {result.created}, изменено {result.updated}")


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
    indicators = _indicators(programme, specs)
    cells = [
        _cell(indicators[code], periods[label], plan=plan, fact=fact)
        for code, _, _, _, _, plans, facts in data.KIROVSKY_ROWS
        for label, plan, fact in zip(data.KIROVSKY_YEARS, plans, facts, strict=True)
    ]
    changed = _save(programme, cells, METHODISTS[data.KIROVSKY.district_code], data.KIROVSKY_REASON)
    return _summary(programme, changed)


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

