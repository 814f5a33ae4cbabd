"""The city comparison: the same indicator codes of one programme code across the districts.

A city has many districts running the same programme (the same programme code and indicator
codes, e.g. from a library of ready programmes), each with its own periods labelled alike
(«2021»). For one programme code and one period label this reads each district's district-level
plan and fact in one query (a row per district × indicator, whatever the number of districts), and
the city rollup per indicator (districts with a fact, mean plan and fact, lowest and highest fact)
in one aggregate query. Which districts: `clusters.city.districts_for_user` (a city user's region,
every district for the portal admin). The page, the XLSX and the city справка read the same
`Comparison`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, Q, QuerySet

from clusters.models import District
from core.scope import DISTRICT_KEY

from .calculations import HUNDRED, Achievement, achievement, quantize
from .models import Indicator, Period, Programme, Value

PERCENT_OF_PLAN_DECIMALS = 1


def percent_of_plan(plan: Decimal | None, fact: Decimal | None) -> Decimal | None:
    """fact / plan × 100, rounded half up to 0,1; None without both or with a zero plan."""
    if plan is None or fact is None or not plan:
        return None
    return quantize(Decimal(fact) * HUNDRED / Decimal(plan), PERCENT_OF_PLAN_DECIMALS)


@dataclass(frozen=True)
class ProgrammeChoice:
    code: str
    name: str
    district_count: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code}) — районов: {self.district_count}"


@dataclass(frozen=True)
class PeriodChoice:
    label: str
    district_count: int


def programme_choices(districts: QuerySet[District]) -> list[ProgrammeChoice]:
    """Programme codes of the districts, with how many districts run each (most shared first)."""
    rows = (Programme.objects.filter(district__in=districts).values("code")
            .annotate(name=Min("name"), districts=Count("district", distinct=True))
            .order_by("-districts", "code"))
    return [ProgrammeChoice(r["code"], r["name"], r["districts"]) for r in rows]


def period_choices(districts: QuerySet[District], programme_code: str) -> list[PeriodChoice]:
    """Period labels of the programme across the districts, the latest (by end date) first."""
    rows = (Period.objects.filter(programme__district__in=districts, programme__code=programme_code)
            .values("label").annotate(ends=Max("ends_on"), districts=Count("programme__district", distinct=True))
            .order_by("-ends", "label"))
    return [PeriodChoice(r["label"], r["districts"]) for r in rows]


@dataclass
class DistrictCell:
    plan: Decimal | None
    fact: Decimal | None
    percent: Decimal | None  # of plan
    status: str  # Achievement.*


@dataclass
class IndicatorColumn:
    code: str
    name: str
    unit: str
    decimals: int
    direction: str
    # the city rollup over the districts with a fact
    districts_with_fact: int = 0
    plan_mean: Decimal | None = None
    fact_mean: Decimal | None = None
    fact_min: Decimal | None = None
    fact_max: Decimal | None = None
    achieved: int = 0  # districts whose fact reaches their plan

    @property
    def percent_of_mean_plan(self) -> Decimal | None:
        return percent_of_plan(self.plan_mean, self.fact_mean)


@dataclass
class DistrictRow:
    district: District
    cells: dict[str, DistrictCell] = field(default_factory=dict)  # by indicator code


@dataclass
class Comparison:
    programme_code: str
    programme_name: str
    period_label: str
    indicators: list[IndicatorColumn]
    rows: list[DistrictRow]  # every district of the user, with or without values

    @property
    def has_values(self) -> bool:
        return any(row.cells for row in self.rows)

    def cell(self, row: DistrictRow, code: str) -> DistrictCell | None:
        return row.cells.get(code)


def _indicator_columns(districts: QuerySet[District], programme_code: str) -> list[IndicatorColumn]:
    """The programme's indicator codes in the districts' order (position); name and unit of the first met."""
    columns: dict[str, IndicatorColumn] = {}
    indicators = (Indicator.objects.filter(programme__district__in=districts, programme__code=programme_code)
                  .order_by("position", "code", "programme__district__name")
                  .values("code", "name", "unit", "decimals", "direction"))
    for row in indicators:
        columns.setdefault(row["code"], IndicatorColumn(row["code"], row["name"], row["unit"], row["decimals"],
                                                        row["direction"]))
    return list(columns.values())


def comparison(districts: QuerySet[District], programme_code: str, period_label: str) -> Comparison:
    """District × indicator plan/fact/% of plan for one period label, and the city rollup (five queries)."""
    district_list = list(districts)
    columns = _indicator_columns(districts, programme_code)
    by_code = {column.code: column for column in columns}
    values = Value.objects.filter(
        district__in=districts, scope_key=DISTRICT_KEY, indicator__programme__code=programme_code,
        period__label=period_label,
    ).filter(Q(plan__isnull=False) | Q(fact__isnull=False))
    rows = {district.pk: DistrictRow(district) for district in district_list}
    for value in values.values("district_id", "indicator__code", "plan", "fact"):
        column = by_code.get(value["indicator__code"])
        row = rows.get(value["district_id"])
        if column is None or row is None:
            continue
        status = achievement(value["plan"], value["fact"], column.direction, column.decimals)
        row.cells[column.code] = DistrictCell(value["plan"], value["fact"],
                                              percent_of_plan(value["plan"], value["fact"]), status)
        if status == Achievement.ACHIEVED:
            column.achieved += 1
    rollup = (values.filter(fact__isnull=False).values("indicator__code")
              .annotate(n=Count("district", distinct=True), plan_mean=Avg("plan"), fact_mean=Avg("fact"),
                        fact_min=Min("fact"), fact_max=Max("fact")))
    for total in rollup:
        column = by_code.get(total["indicator__code"])
        if column is None:
            continue
        column.districts_with_fact = total["n"]
        column.plan_mean = _decimal(total["plan_mean"], column.decimals)
        column.fact_mean = _decimal(total["fact_mean"], column.decimals)
        column.fact_min, column.fact_max = total["fact_min"], total["fact_max"]
    name = next((c.name for c in programme_choices(districts) if c.code == programme_code), programme_code)
    return Comparison(programme_code, name, period_label, columns, list(rows.values()))


def _decimal(value, decimals: int) -> Decimal | None:
    """A database mean (float on SQLite, Decimal on PostgreSQL) rounded half up as people round."""
    if value is None:
        return None
    return quantize(Decimal(str(value)), decimals)
