"""The deficit map and the competency index (issue 12, item 5; docs/domain.md, «Самодиагностика: индексы, дефициты,
показатели»). Methodists, the director and observers of the district (diagnostics.view_rollups); observers never
see an organisation's or a cluster's cell computed from fewer than 5 diagnosed teachers, nor one that together with
the other shown cells would give away fewer than 5 teachers' results (diagnostics/disclosure.py) — methodists and
the director (diagnostics.view: they may see personal results anyway) see every cell."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views import View

from clusters.models import Cluster, Organisation
from clusters.selectors import scope_from_key, scope_organisation_ids
from core import charts, formatting
from core.mixins import CapabilityRequiredMixin
from core.permissions import can
from core.scope import ScopeNotFound

from .. import disclosure, rollups
from ..models import Family

VIEW_ROLLUPS = "diagnostics.view_rollups"
SEES_SMALL_GROUPS = "diagnostics.view"  # methodists and the director
HIDDEN = "скрыто"
NO_DATA = "—"


@dataclass(frozen=True)
class Shown:
    """A cell as printed: its text, the number of diagnosed teachers behind it, whether it is withheld."""

    text: str
    teachers: int = 0
    hidden: bool = False


def _district(user):
    if user.district is None:
        raise Http404("Район не найден.")
    return user.district


def _observer(user) -> bool:
    return not can(user, SEES_SMALL_GROUPS)


def _family(raw: str | None, default: str) -> tuple[str, str]:
    """The family asked for, or the default with a Russian note on what was wrong."""
    if raw in (None, ""):
        return default, ""
    if raw in Family.values:
        return raw, ""
    return default, f"Неизвестное семейство «{raw}»: показано «{Family(default).label}»."


def _year(raw: str | None, years: list[int]) -> tuple[int | None, str]:
    default = years[0] if years else None
    if raw in (None, ""):
        return default, ""
    if raw.isascii() and raw.isdigit() and int(raw) in years:
        return int(raw), ""
    shown = f"показан {default} год" if default else "результатов нет"
    return default, f"За год «{raw}» результатов диагностики нет: {shown}."


class Withheld:
    """For an observer: which (area, year) cells of which group are withheld (diagnostics/disclosure.py);
    for district staff nothing is."""

    def __init__(self, district_id: int, family: str, observer: bool):
        self.shown = disclosure.shown_groups(district_id, family) if observer else None

    def __call__(self, group, area_id: int, year: int | None) -> bool:
        if self.shown is None or group is None:  # staff, or the district's own row (always shown)
            return False
        return group not in self.shown.get((area_id, year), frozenset())


def _share(cell: rollups.Cell | None, withheld: bool) -> Shown:
    if cell is None or not cell.teachers:
        return Shown(NO_DATA)
    if withheld:
        return Shown(HIDDEN, cell.teachers, hidden=True)
    return Shown(formatting.percent(cell.deficit_share * 100, 1), cell.teachers)


def _index(cell: rollups.Cell | None, withheld: bool) -> Shown:
    if cell is None or not cell.teachers:
        return Shown(NO_DATA)
    if withheld:
        return Shown(HIDDEN, cell.teachers, hidden=True)
    return Shown(formatting.number(cell.mean, 3), cell.teachers)


class DeficitMap(CapabilityRequiredMixin, View):
    """Organisation × area: the share of diagnosed teachers with a deficit, for the district or (?cluster=) one
    cluster's members; filters year and family."""

    capability = VIEW_ROLLUPS

    def get(self, request):
        district, observer = _district(request.user), _observer(request.user)
        family, family_note = _family(request.GET.get("family"), Family.TEACHER_DEFICITS)
        cluster = self._cluster(request, district)
        years = rollups.years_with_results(district.pk, family)
        if cluster is not None and cluster.year not in years:
            years = sorted({*years, cluster.year}, reverse=True)
        year, year_note = _year(request.GET.get("year") or (str(cluster.year) if cluster else None), years)
        areas = rollups.areas_of(family)
        organisations = Organisation.objects.filter(district=district, is_active=True)
        if cluster is not None:
            organisations = organisations.filter(cluster_memberships__cluster=cluster)
        organisations = list(organisations.order_by("short_name"))
        cells = rollups.organisation_by_area(district.pk, year, family, [o.pk for o in organisations]) if year else {}
        if cluster is not None:
            total_cells = {a: c for (k, a), c in rollups.cluster_by_area(district.pk, year, family).items()
                           if k == cluster.pk}
        else:
            total_cells = rollups.district_by_area(district.pk, year, family) if year else {}
        withheld = Withheld(district.pk, family, observer)
        rows = [(o, [_share(cells.get((o.pk, a.pk)), withheld(("organisation", o.pk), a.pk, year)) for a in areas])
                for o in organisations]
        group = ("cluster", cluster.pk) if cluster is not None else None
        total = [_share(total_cells.get(a.pk), withheld(group, a.pk, year)) for a in areas]
        return render(request, "diagnostics/deficit_map.html", {
            "district": district, "cluster": cluster, "family": family, "families": Family.choices,
            "year": year, "years": years, "areas": areas, "rows": rows, "total": total,
            "notes": [n for n in (family_note, year_note) if n], "observer": observer, "k": rollups.K_OBSERVER,
            "clusters": Cluster.objects.filter(district=district).order_by("-year", "name"),
        })

    @staticmethod
    def _cluster(request, district) -> Cluster | None:
        raw = request.GET.get("cluster")
        if raw in (None, ""):
            return None
        if not (raw.isascii() and raw.isdigit()):
            raise Http404("Кластер не найден.")
        return get_object_or_404(Cluster, pk=int(raw), district=district)


def _scope(raw: str | None, district):
    """?scope= in the registry's vocabulary; «district:<id>» names the user's own district (another → 404)."""
    raw = (raw or "").strip()
    kind, _, object_id = raw.partition(":")
    if kind == "district" and object_id:
        if object_id != str(district.pk):
            raise Http404("Район не найден.")
        raw = "district"
    try:
        return scope_from_key(raw, district=district)
    except ScopeNotFound as error:
        raise Http404("Область не найдена.") from error


class CompetencyIndex(CapabilityRequiredMixin, View):
    """The Sayansk table: the index per area (rows) per year (columns) for the district, a cluster or an
    organisation, and the same numbers as a grouped bar chart on the 0–1 axis."""

    capability = VIEW_ROLLUPS

    def get(self, request):
        district, observer = _district(request.user), _observer(request.user)
        scope = _scope(request.GET.get("scope"), district)
        family, family_note = _family(request.GET.get("family"), Family.COMPETENCIES)
        organisation_ids = scope_organisation_ids(scope)
        table = rollups.index_by_year(district.pk, family, organisation_ids=organisation_ids)
        years = sorted({year for _, year in table})
        areas = rollups.areas_of(family)
        withheld = Withheld(district.pk, family, observer)
        group = None if scope.is_district else (str(scope.kind), scope.id)
        rows = [(a, [_index(table.get((a.pk, y)), withheld(group, a.pk, y)) for y in years]) for a in areas]
        series = [(str(year), [None if cells[i].hidden or cells[i].text == NO_DATA else table[(area.pk, year)].mean
                               for area, cells in rows]) for i, year in enumerate(years)]
        chart = charts.grouped_bar_chart([a.name for a in areas], series) if years else ""
        selected = f"district:{district.pk}" if scope.is_district else scope.key
        return render(request, "diagnostics/competency_index.html", {
            "district": district, "scope": scope, "family": family, "families": Family.choices,
            "years": years, "rows": rows, "chart": chart, "notes": [family_note] if family_note else [],
            "observer": observer, "k": rollups.K_OBSERVER, "scope_choices": self._choices(district),
            "selected": selected,
        })

    @staticmethod
    def _choices(district) -> list[tuple[str, str]]:
        clusters = Cluster.objects.filter(district=district).order_by("-year", "name")
        organisations = Organisation.objects.filter(district=district, is_active=True).order_by("short_name")
        return [(f"district:{district.pk}", f"Район: {district.name}"),
                *((f"cluster:{c.pk}", f"Кластер {c.year}: {c.name}") for c in clusters),
                *((f"organisation:{o.pk}", o.short_name) for o in organisations)]
