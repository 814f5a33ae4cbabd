"""Registered calculations of computed indicators.

A calculation takes the district and the period and returns a ScopeResult (numerator,
denominator) for every scope it applies to — the district, each cluster of the period's year and
each organisation — using a few aggregate queries, never a loop over teachers.

Shares of teachers are declared (population + counted condition) rather than coded, so that all
shares over the same population are counted together: one pass per scope level for all of them.

A calculation that reads Indicator.parameters registers their schema (keys, required or not, text
or list of texts) and a validator of their values against the district's data; the indicator form
and the admin ask `parameter_problems` and know nothing of where the data lives. Other apps (surveys)
register their calculations here from their AppConfig.ready — this module imports none of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from clusters.models import ClusterMembership, Organisation, Teacher

from . import expressions, flag_counts
from .calculations import ScopeResult
from .models import Period, ScopeKind

# A hand-written calculation gets the district, the period and the indicator's `parameters`
# (e.g. which questionnaire question and options a survey-based share counts).
Calculation = Callable[[int, Period, dict], list[ScopeResult]]
# What is wrong with well-formed parameters against the district's data (does the questionnaire
# exist …), in Russian; [] when all is well. Gets the parameters and the district's id.
ParameterValidator = Callable[[dict, int], list[str]]


@dataclass(frozen=True)
class Choice:
    """One value a parameter may take, as the indicator form lists it.

    `parent` is the `key` of the value of the parameter this one depends on (a question belongs to a
    questionnaire, an option to a question); `key` is how values of dependants name this one (the
    value itself unless a code is unique only within its parent). `group` heads an optgroup.
    """

    value: str
    label: str
    group: str = ""
    parent: str = ""
    key: str = ""

    @property
    def own_key(self) -> str:
        return self.key or self.value


# The values a parameter may take in a district (its id), from the app that knows them.
ChoiceProvider = Callable[[int], list[Choice]]


@dataclass(frozen=True)
class Parameter:
    """One key a calculation reads from Indicator.parameters: a text, a list of texts (`many`) or a number.

    The indicator form shows it as a field labelled `label` (in Russian, never the key): a list to pick
    from when `choices` gives the district's values (narrowed to those of the `depends_on` parameter's
    value), a number field when `number`, a text box otherwise.
    """

    name: str
    required: bool = True
    many: bool = False
    shape: str = ""  # how a wrong value is explained after «Параметр «label» — »
    label: str = ""
    help_text: str = ""
    choices: ChoiceProvider | None = None
    depends_on: str = ""
    number: bool = False
    blank_label: str = ""  # an optional list's empty choice, e.g. «— все формы —»

    @property
    def title(self) -> str:
        return self.label or self.name

    def shape_problem(self, value) -> str | None:
        """Why a given value has the wrong shape (None when fine; an empty value is `required`'s job)."""
        if value in (("", None, []) if self.many else ("", None)) or self._fits(value):
            return None
        if self.number:
            default = "число."
        else:
            default = "список текстов в квадратных скобках." if self.many else "строка в кавычках."
        return f"Параметр «{self.title}» — {self.shape or default}"

    def _fits(self, value) -> bool:
        if self.number:
            return isinstance(value, int | float) and not isinstance(value, bool)
        if self.many:
            return isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        return isinstance(value, str)


@dataclass(frozen=True)
class ParameterSchema:
    """The parameters a calculation reads, with an example for the indicator form's help."""

    fields: tuple[Parameter, ...]
    example: str = ""
    note: str = ""  # a word on an optional parameter, shown beside the lists

    @property
    def required(self) -> list[str]:
        return [p.name for p in self.fields if p.required]

    @property
    def optional(self) -> list[str]:
        return [p.name for p in self.fields if not p.required]

    def problems(self, calculation: str, parameters: dict) -> list[str]:
        """Unknown keys, missing required ones, values of the wrong shape — in Russian."""
        names = [p.name for p in self.fields]
        entry = _REGISTRY.get(calculation)
        label = entry.label if entry is not None else calculation  # users read the label, not the code
        problems = [f"Неизвестный параметр «{key}». Функция «{label}» читает: {', '.join(names)}."
                    for key in parameters if key not in names]
        problems += [f"Для функции «{label}» укажите параметр «{p.title}»." for p in self.fields
                     if p.required and parameters.get(p.name) in ("", None, [])]
        shapes = (p.shape_problem(parameters[p.name]) for p in self.fields if p.name in parameters)
        return problems + [problem for problem in shapes if problem]


@dataclass(frozen=True)
class TeacherShare:
    """Share of a teacher population (`population`) meeting `condition`, by scope."""

    label: str
    population: str  # a key of POPULATIONS
    condition: Callable[[Period], Q]

    parameters = None  # reads no parameters
    validate = None


@dataclass(frozen=True)
class Custom:
    label: str
    func: Calculation
    parameters: ParameterSchema | None = None  # None: reads no parameters, they are not checked
    validate: ParameterValidator | None = None


_REGISTRY: dict[str, TeacherShare | Custom] = {}


def _community_members(period: Period) -> Q:
    return expressions.community_member(period.starts_on, period.ends_on)


def _working_teachers(period: Period) -> Q:
    return Q(is_active=True)


# A population is a condition on the district's teachers, so that shares over several populations are
# still counted in one pass over the teachers (calculate_many).
POPULATIONS: dict[str, Callable[[Period], Q]] = {
    "community_members": _community_members,
    "working_teachers": _working_teachers,
}


def register(code: str, label: str, *, parameters: ParameterSchema | None = None,
             validate: ParameterValidator | None = None):
    """Register a hand-written calculation function, with the parameters it reads and the check of
    their values against the district's data (run by the indicator form after the schema's)."""

    def decorator(func: Calculation) -> Calculation:
        _REGISTRY[code] = Custom(label, func, parameters, validate)
        return func

    return decorator


def register_teacher_share(code: str, label: str, population: str, condition: Callable[[Period], Q]) -> None:
    _REGISTRY[code] = TeacherShare(label, population, condition)


def registered_calculations() -> dict[str, str]:
    """code → Russian label, for the indicator form and validation."""
    return {code: entry.label for code, entry in _REGISTRY.items()}


def parameter_schemas() -> dict[str, ParameterSchema]:
    """code → schema of the calculations that read parameters (the indicator form's help)."""
    return {code: entry.parameters for code, entry in _REGISTRY.items() if entry.parameters is not None}


def parameter_problems(code: str, parameters: dict, district_id: int) -> list[str]:
    """What is wrong with an indicator's parameters for its calculation, in Russian; [] when fine.

    The schema first (keys and shapes); the calculation's own validator only on well-formed input.
    """
    entry = _REGISTRY.get(code)
    if entry is None or entry.parameters is None:
        return []
    problems = entry.parameters.problems(code, parameters)
    if problems or entry.validate is None:
        return problems
    return entry.validate(parameters, district_id)


def calculate(code: str, district_id: int, period: Period, parameters: dict | None = None) -> list[ScopeResult]:
    """One calculation for one period (tests, previews)."""
    return calculate_many([(code, code, parameters or {})], district_id, period)[code]


def calculate_many(
    requests: Iterable[tuple[object, str, dict]], district_id: int, period: Period
) -> dict[object, list[ScopeResult]]:
    """Results of several calculations for one period, keyed by the caller's key.

    `requests` are (key, calculation code, parameters). All teacher shares, whatever their
    population, are counted in one aggregate query per organisation (clusters and the district are
    sums of it); hand-written calculations get their parameters.
    """
    results: dict[object, list[ScopeResult]] = {}
    shares_by_population: dict[str, dict[object, Q]] = {}
    for key, code, parameters in requests:
        entry = _REGISTRY.get(code)
        if entry is None:
            raise LookupError(f"Функция расчёта «{code}» не зарегистрирована.")
        if isinstance(entry, TeacherShare):
            shares_by_population.setdefault(entry.population, {})[key] = entry.condition(period)
        else:
            results[key] = entry.func(district_id, period, parameters or {})
    if shares_by_population:
        results.update(population_shares_by_scope(
            Teacher.objects.filter(organisation__district_id=district_id),
            [(POPULATIONS[name](period), conditions) for name, conditions in shares_by_population.items()],
            period.year, district_id,
        ))
    return results


def teacher_shares_by_scope(
    teachers: QuerySet[Teacher], conditions: dict[object, Q], year: int, district_id: int
) -> dict[object, list[ScopeResult]]:
    """For each condition: teachers meeting it / all `teachers`, for the district, each cluster of
    `year` and each organisation (population_shares_by_scope with one population: all of `teachers`)."""
    return population_shares_by_scope(teachers, [(None, conditions)], year, district_id)


def population_shares_by_scope(
    teachers: QuerySet[Teacher], populations: list[tuple[Q | None, dict[object, Q]]], year: int, district_id: int
) -> dict[object, list[ScopeResult]]:
    """For each population (a condition on `teachers`, None: all of them) and each of its conditions:
    the population's teachers meeting the condition / the population, for the district, each
    cluster of `year` and each organisation.

    One aggregate query per organisation over `teachers`, whatever the number of populations and
    conditions, each distinct condition tested once per teacher (flag_counts); a cluster is the sum of its organisations (the year's memberships, one small query)
    and the district the sum of all of them — no second pass over the teachers. A scope appears for a
    population when it has at least one of its teachers (the district always). Each teacher row is
    in one organisation, so the sums equal the counts; a teacher whose organisation sits in two
    clusters counts in both clusters, once in the district.
    """
    columns, met = [], []  # (population index, condition key; None: the denominator), the conditions it counts
    for index, (population, conditions) in enumerate(populations):
        base = () if population is None else (population,)
        columns.append((index, None))
        met.append(base)
        for key, condition in conditions.items():
            columns.append((index, key))
            met.append((*base, condition))
    per_organisation = flag_counts.counts_per_organisation(teachers, met)
    memberships = ClusterMembership.objects.filter(cluster__year=year, cluster__district_id=district_id).order_by()
    per_cluster: dict[int, list[int]] = {}
    for cluster_id, organisation_id in memberships.values_list("cluster_id", "organisation_id"):
        counted = per_organisation.get(organisation_id)
        if counted is not None:
            total = per_cluster.setdefault(cluster_id, [0] * len(columns))
            for position, number in enumerate(counted):
                total[position] += number
    district = [sum(column) for column in zip(*per_organisation.values(), strict=True)] or [0] * len(columns)

    denominator_at = {index: position for position, (index, key) in enumerate(columns) if key is None}
    results: dict[object, list[ScopeResult]] = {}
    for position, (index, key) in enumerate(columns):
        if key is None:
            continue
        den = denominator_at[index]
        results[key] = [ScopeResult(ScopeKind.DISTRICT, district[position], district[den])]
        results[key] += [ScopeResult(ScopeKind.CLUSTER, total[position], total[den], cluster_id=cluster_id)
                         for cluster_id, total in sorted(per_cluster.items()) if total[den]]
        results[key] += [ScopeResult(ScopeKind.ORGANISATION, counted[position], counted[den],
                                     organisation_id=organisation_id)
                         for organisation_id, counted in sorted(per_organisation.items()) if counted[den]]
    return results


@register("net_schools_share", "Доля ОУ района в профессиональных сетевых сообществах (кластерах)")
def net_schools_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    """Active organisations with a cluster membership in the year / active organisations."""
    totals = Organisation.objects.filter(district_id=district_id, is_active=True).aggregate(
        den=Count("pk", distinct=True),
        num=Count(
            "pk",
            filter=Q(cluster_memberships__cluster__year=period.year, cluster_memberships__cluster__district_id=district_id),
            distinct=True,
        ),
    )
    return [ScopeResult(ScopeKind.DISTRICT, totals["num"], totals["den"])]


register_teacher_share(
    "net_teachers_cpd_share",
    "Доля участников сетевых сообществ в непрерывном повышении квалификации",
    "community_members",
    lambda period: expressions.trained_within_window(period.ends_on),
)
register_teacher_share(
    "net_teachers_iom_share",
    "Доля участников сетевых сообществ, повышающих квалификацию на основе ИОМ",
    "community_members",
    lambda period: expressions.on_individual_route(period.starts_on, period.ends_on),
)
register_teacher_share(
    "net_teachers_innovation_share",
    "Доля участников сетевых сообществ в инновационном проектировании",
    "community_members",
    lambda period: expressions.in_innovation_project(period.starts_on, period.ends_on),
)
# Seed 001: teachers in at least one community during the period / all working teachers.
register_teacher_share(
    "community_participation_share",
    "Доля педагогов — участников профессиональных объединений",
    "working_teachers",
    lambda period: expressions.community_member(period.starts_on, period.ends_on),
)
