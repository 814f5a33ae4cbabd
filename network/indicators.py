"""The effect of network interaction as registered calculations (issue 11, item 5), put into
monitoring's registry when the network app loads (NetworkConfig.ready imports this module;
monitoring never imports network). docs/domain.md, «Эффект сетевого взаимодействия», gives the
same definitions for a district to check by hand.

Year Y is the period's year (its end). «Index» is the organisation's result index of a year
(network/results_index.py); «отстающие», «ТОП» are membership tiers in clusters of Y.

network_lagging_improved_share   (unit: percent)
    Of the отстающие members of clusters of Y, those whose index rose: index(Y) > index(Y − 1).
    An organisation without both indices is left out of the numerator and the denominator.
network_paired_gain_difference   (unit: points — index points, not percent; may be negative)
    Mean index change (index(Y) − index(Y − 1)) of the отстающие that are the mentee of an active
    or completed pair of their cluster, minus the mean change of the other отстающие (those with
    both indices). No value when either group is empty. Stored numerator = paired organisations,
    denominator = paired + unpaired (so «3 из 7» reads «3 of the 7 compared were paired»); the fact
    is the difference, not numerator / denominator.
network_top_tutoring_share       (unit: percent)
    Of the ТОП members of clusters of Y, those that are the mentor organisation of at least one
    active or completed pair of that cluster.
network_tier_rise_share          (unit: percent)
    Of the organisations in clusters of both Y − 1 and Y, those whose tier went up
    (отстающая → синхронная → ТОП) from Y − 1 to Y.

Scopes: the district (each organisation once) and each cluster of Y. There is no organisation
scope: a share of one organisation would only say 0 % or 100 %; its index and tier are on the
tiers page. The tier-movement table (Y → Y + 1) is a selector, network.effect.tier_movement.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monitoring.calculations import ScopeResult
from monitoring.computations import register
from monitoring.models import Period, ScopeKind
from monitoring.units import Unit

from . import effect

LAGGING_IMPROVED = "network_lagging_improved_share"
PAIRED_GAIN = "network_paired_gain_difference"
TOP_TUTORING = "network_top_tutoring_share"
TIER_RISE = "network_tier_rise_share"

# The unit a methodist gives an indicator of each calculation (and the report prints it in).
UNITS = {LAGGING_IMPROVED: Unit.PERCENT, PAIRED_GAIN: Unit.POINTS, TOP_TUTORING: Unit.PERCENT, TIER_RISE: Unit.PERCENT}
CODES = tuple(UNITS)


@dataclass(frozen=True)
class DifferenceResult(ScopeResult):
    """A fact that is a difference of two means (index points), not numerator / denominator."""

    difference: Decimal | None = None

    @property
    def fact(self) -> Decimal | None:
        return self.difference


def _scope(kind_key: int | None) -> dict:
    if kind_key is effect.DISTRICT:
        return {"scope_kind": ScopeKind.DISTRICT}
    return {"scope_kind": ScopeKind.CLUSTER, "cluster_id": kind_key}


def share_results(shares: dict[int | None, effect.Share]) -> list[ScopeResult]:
    return [ScopeResult(numerator=share.numerator, denominator=share.denominator, **_scope(key))
            for key, share in shares.items()]


@register(LAGGING_IMPROVED, "Доля отстающих ОУ кластеров, у которых вырос индекс результатов (к прошлому году)")
def lagging_improved_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    return share_results(effect.lagging_effect(district_id, period.year).improved)


@register(PAIRED_GAIN, "Разница среднего изменения индекса отстающих ОУ в наставнических парах и без пар")
def paired_gain_difference(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    results: list[ScopeResult] = []
    for key, gain in effect.lagging_effect(district_id, period.year).gain.items():
        results.append(DifferenceResult(numerator=gain.paired_n, denominator=gain.paired_n + gain.unpaired_n,
                                        difference=gain.difference, **_scope(key)))
    return results


@register(TOP_TUTORING, "Доля ТОП-организаций кластеров, наставляющих отстающие ОУ")
def top_tutoring_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    return share_results(effect.top_tutoring(district_id, period.year))


@register(TIER_RISE, "Доля ОУ кластеров, повысивших уровень к прошлому году")
def tier_rise_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    return share_results(effect.tier_rise(district_id, period.year))
