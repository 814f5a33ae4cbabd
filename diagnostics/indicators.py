"""Diagnostic indicators as registered calculations (issue 12, item 6), put into monitoring's registry when the
diagnostics app loads (DiagnosticsConfig.ready imports this module; monitoring never imports diagnostics).
docs/domain.md, «Самодиагностика: индексы, дефициты, показатели», gives the same definitions.

Year Y is the period's year (its end). «Diagnosed in Y»: a submitted invitation of a campaign of year Y. A
teacher's result in an area is their latest submitted diagnosis of Y in the area's family (diagnostics/rollups.py).

diagnostics_diagnosed_share                 (percent)
    Active teachers of the district diagnosed in Y / active teachers.
diagnostics_deficit_share                   (percent; parameter «area»: an area code)
    Teachers whose result in the area is below the district's deficit threshold / teachers with a result in it.
diagnostics_area_mean                       (index 0–1; parameter «area»)
    Mean result in the area (numerator = sum of results, denominator = teachers; fact = mean, 3 decimals).
diagnostics_training_after_diagnosis_share  (percent)
    Teachers diagnosed in Y who completed a training programme on or after the date of a diagnosis of Y (up to
    the period's end) / teachers diagnosed in Y.
diagnostics_active_route_share              (percent)
    Active teachers with an active ИОМ built from a diagnosis (RouteOrigin.invitation set) / active teachers.

Scopes: the district, each cluster of Y (its members' teachers) and each organisation, in three aggregate
queries per calculation (teacher shares share monitoring.computations.teacher_shares_by_scope).
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from clusters.models import IndividualRoute, RouteStatus, Teacher
from monitoring.calculations import ScopeResult
from monitoring.computations import Choice, Parameter, ParameterSchema, register, teacher_shares_by_scope
from monitoring.models import Period, ScopeKind

from . import rollups
from .models import Area, Family, Invitation, InvitationStatus

DIAGNOSED = "diagnostics_diagnosed_share"
DEFICIT = "diagnostics_deficit_share"
AREA_MEAN = "diagnostics_area_mean"
TRAINING_AFTER = "diagnostics_training_after_diagnosis_share"
ACTIVE_ROUTE = "diagnostics_active_route_share"

def area_choices(district_id: int) -> list[Choice]:
    """Groups of competences (shared by every district), under their family."""
    families = {code: str(label)[:1].upper() + str(label)[1:] for code, label in Family.choices}
    return [Choice(area.code, area.name, group=families.get(area.family, area.family))
            for area in Area.objects.order_by("family", "position", "name")]


AREA_PARAMETERS = ParameterSchema(fields=(Parameter("area", label="Группа компетенций", choices=area_choices,
                                                    shape="код группы в кавычках, например \"methodical\"."),),
                                  example='{"area": "methodical"}')


class DiagnosticIndicatorError(ValueError):
    """The indicator's parameters name no area; the message says what to fix, in Russian."""


class IndexMeanResult(ScopeResult):
    """A fact that is a mean index 0–1 (numerator = sum of results, denominator = teachers), 3 decimals."""

    @property
    def fact(self) -> Decimal | None:
        if not self.denominator:
            return None
        return rollups._rounded(Decimal(self.numerator) / Decimal(self.denominator))


def _area_problems(parameters: dict, district_id: int) -> list[str]:
    code = parameters["area"]
    if Area.objects.filter(code=code).exists():
        return []
    codes = ", ".join(Area.objects.order_by("position", "code").values_list("code", flat=True))
    return [f"Группы компетенций с кодом «{code}» нет. Коды групп: {codes}."]


def _area(parameters: dict) -> Area:
    problems = AREA_PARAMETERS.problems(DEFICIT, parameters)
    area = Area.objects.filter(code=parameters.get("area") or "").first() if not problems else None
    if area is None:
        raise DiagnosticIndicatorError(" ".join(problems) or f"Группы компетенций «{parameters.get('area')}» нет.")
    return area


def _submitted(year: int, **extra) -> Q:
    return Q(Exists(Invitation.objects.filter(teacher_id=OuterRef("pk"), status=InvitationStatus.SUBMITTED,
                                              campaign__year=year, **extra)))


def _active_teachers(district_id: int):
    return Teacher.objects.filter(organisation__district_id=district_id, is_active=True)


def _area_results(district_id: int, period: Period, area: Area, result) -> list[ScopeResult]:
    """Results of the area's cells: district, clusters of Y, organisations."""
    year, family = period.year, area.family
    out = [result(ScopeKind.DISTRICT, cell) for key, cell in rollups.district_by_area(district_id, year, family).items()
           if key == area.pk]
    out += [result(ScopeKind.CLUSTER, cell, cluster_id=cluster_id)
            for (cluster_id, area_id), cell in rollups.cluster_by_area(district_id, year, family).items()
            if area_id == area.pk]
    out += [result(ScopeKind.ORGANISATION, cell, organisation_id=organisation_id)
            for (organisation_id, area_id), cell in rollups.organisation_by_area(district_id, year, family).items()
            if area_id == area.pk]
    return out


@register(DIAGNOSED, "Доля педагогов, прошедших диагностику профессиональных дефицитов")
def diagnosed_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    return teacher_shares_by_scope(_active_teachers(district_id), {DIAGNOSED: _submitted(period.year)},
                                   period.year, district_id)[DIAGNOSED]


@register(DEFICIT, "Доля педагогов с дефицитом в группе (по результатам диагностики)",
          parameters=AREA_PARAMETERS, validate=_area_problems)
def deficit_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    return _area_results(district_id, period, _area(parameters),
                         lambda kind, cell, **ids: ScopeResult(kind, cell.deficits, cell.teachers, **ids))


@register(AREA_MEAN, "Средний индекс по группе компетенций (0–1)", parameters=AREA_PARAMETERS, validate=_area_problems)
def area_mean(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    return _area_results(district_id, period, _area(parameters),
                         lambda kind, cell, **ids: IndexMeanResult(kind, cell.total, cell.teachers, **ids))


@register(TRAINING_AFTER, "Доля педагогов, прошедших повышение квалификации на основе предварительной диагностики")
def training_after_diagnosis_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    diagnosed = Teacher.objects.filter(organisation__district_id=district_id).filter(_submitted(period.year))
    after = Invitation.objects.alias(day=TruncDate("submitted_at")).filter(
        teacher_id=OuterRef("pk"), status=InvitationStatus.SUBMITTED, campaign__year=period.year,
        teacher__training_completions__completed_on__gte=F("day"),
        teacher__training_completions__completed_on__lte=period.ends_on,
    )
    return teacher_shares_by_scope(diagnosed, {TRAINING_AFTER: Q(Exists(after))}, period.year,
                                   district_id)[TRAINING_AFTER]


@register(ACTIVE_ROUTE, "Доля педагогов, реализующих ИОМ, построенный по результатам диагностики")
def active_route_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    routes = IndividualRoute.objects.filter(teacher_id=OuterRef("pk"), status=RouteStatus.ACTIVE,
                                            origin__invitation__isnull=False)
    return teacher_shares_by_scope(_active_teachers(district_id), {ACTIVE_ROUTE: Q(Exists(routes))}, period.year,
                                   district_id)[ACTIVE_ROUTE]
