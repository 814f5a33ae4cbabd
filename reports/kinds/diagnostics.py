"""«Анализ профессиональных дефицитов педагогов» (issue 12, item 7).

For one year of the district's diagnostic campaigns (the parameter, stored as «year:2021» in Report.scope_key):
    the deficit map   organisation × teacher-deficit group: the share of diagnosed teachers whose index is below
                      the district's threshold, with the counts, and the district's row;
    index dynamics    the eight competency groups × every year with results up to the chosen one (the Sayansk
                      table), as one grouped bar chart on a 0–1 axis and as a table, three decimals;
    recommendations   the addressed recommendation (Area.recommendation) of every group with a deficit;
    the appendix      per organisation: teachers diagnosed, the index and the teachers with a deficit per group.
Every number is diagnostics.rollups' (the latest submitted result of a teacher per year and family, GROUP BY in
the database); the thresholds are diagnostics.profiles'. Conclusions and recommendations are written from the
numbers (editable like any справка's texts); while a text is empty the document prints the written one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.text import capfirst

from clusters.models import Organisation
from core import formatting
from core.xlsx import XlsxColumn, XlsxSheet
from diagnostics import rollups
from diagnostics.models import Area, DiagnosticCampaign, Family
from diagnostics.profiles import Thresholds, thresholds_for
from monitoring.models import Period
from monitoring.units import Unit
from reports import options
from reports.builders.formatting import district_genitive, document_value, isolate_svg_ids, user_text_html
from reports.errors import ReportDataError
from reports.models import Report
from reports.xlsx import xlsx_number

from .parameters import Chosen, DiagnosticYearParameters, year_of_key
from .registry import ReportKindSpec, register

CODE = "diagnostics"
DEFICITS = Family.TEACHER_DEFICITS  # the deficit map's groups (seed 004: предметные … коммуникативные)
COMPETENCIES = Family.COMPETENCIES  # the index dynamics' eight groups (seed 001)
NO_DATA = "—"


# --- numbers as the справка prints them ---------------------------------------------------------------


def index_text(value: Decimal | None) -> str:
    """An index 0–1 with three decimals and a decimal comma: «0,563»; «—» without one."""
    return NO_DATA if value is None else formatting.number(value, 3, thousands="")


def share_text(cell: rollups.Cell | None) -> str:
    """«50%» of the diagnosed teachers (the share's three decimals as a percent, one decimal); «—» for none."""
    if cell is None or not cell.teachers:
        return NO_DATA
    return document_value(cell.deficit_share * 100, Unit.PERCENT, 1)


def counts_text(cell: rollups.Cell | None) -> str:
    return "" if cell is None or not cell.teachers else f"{cell.deficits} из {cell.teachers}"


def teachers_phrase(count: int) -> str:
    return formatting.count_phrase(count, "педагог", "педагога", "педагогов")


# --- the analysis: every number of the справка, read once ----------------------------------------------


@dataclass
class Analysis:
    district_id: int
    year: int
    thresholds: Thresholds
    deficit_areas: list[Area]
    competency_areas: list[Area]
    organisations: list[Organisation]  # with a result of the year in either family, by name
    deficit_cells: dict[tuple[int, int], rollups.Cell]  # (organisation, area) → cell
    deficit_district: dict[int, rollups.Cell]  # area → cell
    competency_cells: dict[tuple[int, int], rollups.Cell]
    competency_district: dict[int, rollups.Cell]
    index: dict[tuple[int, int], rollups.Cell]  # (area, year) → the district's cell, years up to `year`
    index_years: list[int]
    year_labels: dict[int, str]
    diagnosed: dict[str, dict[int | None, int]]  # family → organisation (None: district) → teachers diagnosed

    def has_deficit_results(self) -> bool:
        return bool(self.deficit_district)

    def has_index_results(self) -> bool:
        return bool(self.index_years)


def _diagnosed(district_id: int, year: int, family: str) -> dict[int | None, int]:
    """Distinct teachers with a result of the year in the family, per organisation and (None) in the district:
    the rollups' own result rows (latest_scores), counted in one query each."""
    scores = rollups.latest_scores(district_id, family=family, year=year)
    counts: dict[int | None, int] = {
        row[rollups.ORGANISATION]: row["teachers"] for row in
        scores.values(rollups.ORGANISATION).annotate(teachers=Count(rollups.TEACHER, distinct=True)).order_by()
    }
    counts[None] = scores.values(rollups.TEACHER).distinct().count()
    return counts


def _year_labels(district_id: int, years: list[int]) -> dict[int, str]:
    """A year as its campaigns name it («2019/20») when they agree on one period label, else the year."""
    labels: dict[int, set[str]] = defaultdict(set)
    for year, label in DiagnosticCampaign.objects.filter(district_id=district_id, year__in=years) \
            .exclude(period_label="").values_list("year", "period_label").distinct():
        labels[year].add(label)
    return {y: next(iter(labels[y])) if len(labels[y]) == 1 else str(y) for y in years}


def analysis(district_id: int, year: int) -> Analysis:
    deficit_district = rollups.district_by_area(district_id, year, DEFICITS)
    competency_district = rollups.district_by_area(district_id, year, COMPETENCIES)
    if not deficit_district and not competency_district:
        raise ReportDataError(
            f"За {year} год в районе нет результатов диагностики профессиональных дефицитов и компетенций "
            "педагогов: анализировать нечего. Выберите год, в котором педагоги прошли диагностику.")
    deficit_cells = rollups.organisation_by_area(district_id, year, DEFICITS)
    competency_cells = rollups.organisation_by_area(district_id, year, COMPETENCIES)
    index = {key: cell for key, cell in rollups.index_by_year(district_id, COMPETENCIES).items() if key[1] <= year}
    index_years = sorted({y for _, y in index})
    organisation_ids = {o for o, _ in deficit_cells} | {o for o, _ in competency_cells}
    return Analysis(
        district_id=district_id, year=year, thresholds=thresholds_for(district_id),
        deficit_areas=rollups.areas_of(DEFICITS), competency_areas=rollups.areas_of(COMPETENCIES),
        organisations=list(Organisation.objects.filter(pk__in=organisation_ids).order_by("short_name", "pk")),
        deficit_cells=deficit_cells, deficit_district=deficit_district,
        competency_cells=competency_cells, competency_district=competency_district,
        index=index, index_years=index_years, year_labels=_year_labels(district_id, index_years or [year]),
        diagnosed={family: _diagnosed(district_id, year, family) for family in (DEFICITS, COMPETENCIES)},
    )


def report_year(report: Report) -> int:
    year = year_of_key(report.scope_key)
    if year is None:
        raise ReportDataError("Для справки не выбран год диагностики.")
    return year


def report_analysis(report: Report) -> Analysis:
    """The report's analysis, read once per report object (the PDF's context and the sheets share it)."""
    cached = getattr(report, "_diagnostics_analysis", None)
    if cached is None:
        cached = report._diagnostics_analysis = analysis(report.district_id, report_year(report))
    return cached


# --- the body's tables ---------------------------------------------------------------------------------


def map_rows(a: Analysis) -> list[dict]:
    """A row per organisation with deficit results, then the district's row: share and counts per group."""
    diagnosed = a.diagnosed[DEFICITS]
    rows = []
    for organisation in a.organisations:
        if organisation.pk not in diagnosed:
            continue
        cells = [a.deficit_cells.get((organisation.pk, area.pk)) for area in a.deficit_areas]
        rows.append({"name": organisation.short_name, "diagnosed": diagnosed[organisation.pk],
                     "cells": [{"share": share_text(c), "counts": counts_text(c)} for c in cells], "district": False})
    cells = [a.deficit_district.get(area.pk) for area in a.deficit_areas]
    rows.append({"name": "Район", "diagnosed": diagnosed.get(None, 0),
                 "cells": [{"share": share_text(c), "counts": counts_text(c)} for c in cells], "district": True})
    return rows


def index_rows(a: Analysis) -> list[dict]:
    """The Sayansk table: a row per competency group, a column per year."""
    return [{"name": capfirst(area.name),
             "cells": [index_text(a.index[(area.pk, y)].mean) if (area.pk, y) in a.index else NO_DATA
                       for y in a.index_years]} for area in a.competency_areas]


def index_chart(a: Analysis):
    """The eight groups × years in one grouped bar chart on the 0–1 axis (ticks 0; 0,2 … 1)."""
    from core.charts import grouped_bar_chart  # matplotlib: loaded when a chart is drawn

    series = [(a.year_labels[y], [float(a.index[(area.pk, y)].mean) if (area.pk, y) in a.index else None
                                  for area in a.competency_areas]) for y in a.index_years]
    svg = grouped_bar_chart([capfirst(area.name) for area in a.competency_areas], series, width=7.0, height=3.4)
    return isolate_svg_ids(svg, "competency-index")


def deficit_groups(a: Analysis) -> list[tuple[Area, rollups.Cell]]:
    """Groups of either family with at least one teacher below the threshold in the year, in the map's order."""
    found = []
    for areas, district in ((a.deficit_areas, a.deficit_district), (a.competency_areas, a.competency_district)):
        found += [(area, district[area.pk]) for area in areas
                  if area.pk in district and district[area.pk].deficits]
    return found


def appendix(a: Analysis) -> list[dict]:
    """Per organisation: teachers diagnosed and, per group of each family with results, the teachers, the index and
    the teachers with a deficit."""
    sections = []
    for organisation in a.organisations:
        parts = []
        for family, areas, cells in ((DEFICITS, a.deficit_areas, a.deficit_cells),
                                     (COMPETENCIES, a.competency_areas, a.competency_cells)):
            diagnosed = a.diagnosed[family].get(organisation.pk)
            if not diagnosed:
                continue
            rows = []
            for area in areas:
                cell = cells.get((organisation.pk, area.pk))
                rows.append({"name": capfirst(area.name), "teachers": cell.teachers if cell else 0,
                             "index": index_text(cell.mean if cell else None),
                             "deficits": counts_text(cell) or NO_DATA, "share": share_text(cell)})
            parts.append({"family": capfirst(Family(family).label), "diagnosed": diagnosed, "rows": rows})
        sections.append({"name": organisation.short_name, "parts": parts})
    return sections


# --- conclusions and recommendations written from the numbers ------------------------------------------


def _threshold_text(a: Analysis) -> str:
    return formatting.number(a.thresholds.deficit_below, 2, thousands="", trim=True)


def conclusion_text(a: Analysis) -> str:
    parts = []
    if a.has_deficit_results():
        total = a.diagnosed[DEFICITS].get(None, 0)
        organisations = sum(1 for o in a.organisations if o.pk in a.diagnosed[DEFICITS])
        parts.append(f"В {a.year} году диагностику профессиональных дефицитов прошли {teachers_phrase(total)} "
                     f"из {organisations} {formatting.plural(organisations, 'организации', 'организаций', 'организаций')}"
                     " района.")
        shares = [(area, a.deficit_district[area.pk]) for area in a.deficit_areas if area.pk in a.deficit_district]
        highest = max(shares, key=lambda pair: pair[1].deficit_share)
        if highest[1].deficits:
            parts.append(f"Наибольшая доля педагогов с дефицитом (индекс ниже {_threshold_text(a)}) — в группе "
                         f"«{highest[0].name}»: {share_text(highest[1])} ({counts_text(highest[1])}).")
        else:
            parts.append(f"Ни у одного педагога индекс группы дефицитов не ниже {_threshold_text(a)}.")
    if len(a.index_years) >= 2:
        last, before = a.index_years[-1], a.index_years[-2]
        rose, fell = [], []
        for area in a.competency_areas:
            now, then = a.index.get((area.pk, last)), a.index.get((area.pk, before))
            if now is None or then is None:
                continue
            if now.mean > then.mean:
                rose.append(area.name)
            elif now.mean < then.mean:
                fell.append(area.name)
        text = f"Индекс профессиональных компетенций {a.year_labels[last]} по сравнению с {a.year_labels[before]}: "
        text += "; ".join(part for part in (
            f"вырос в группах: {', '.join(rose)}" if rose else "",
            f"снизился в группах: {', '.join(fell)}" if fell else "",
        ) if part) or "не изменился ни в одной группе"
        parts.append(text + ".")
    elif a.index_years:
        parts.append(f"Индекс профессиональных компетенций рассчитан за один год ({a.year_labels[a.index_years[0]]}):"
                     " динамику можно будет оценить после следующей диагностики.")
    return "\n\n".join(parts)


def recommendations_text(a: Analysis) -> str:
    """A numbered paragraph per group with a deficit: its share and counts, then the group's recommendation."""
    items = []
    for area, cell in deficit_groups(a):
        advice = area.recommendation.strip() or "Включить группу в индивидуальные образовательные маршруты педагогов."
        items.append(f"{capfirst(area.name)} ({Family(area.family).label}; дефицит у {counts_text(cell)} педагогов, "
                     f"{share_text(cell)}): {advice}")
    return "\n\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


# --- the spec's functions ------------------------------------------------------------------------------


def build_context(report: Report) -> dict:
    a = report_analysis(report)
    return {
        "year": a.year,
        "district_genitive": district_genitive(report.district.name),
        "deficit_below": _threshold_text(a),
        "high_from": formatting.number(a.thresholds.high_from, 2, thousands="", trim=True),
        "deficit_areas": [capfirst(area.name) for area in a.deficit_areas],
        "map_rows": map_rows(a) if a.has_deficit_results() else [],
        "index_years": [a.year_labels[y] for y in a.index_years],
        "index_rows": index_rows(a) if a.has_index_results() else [],
        "index_chart": index_chart(a) if a.has_index_results() and options.charts_shown(report) else "",
        "appendix": appendix(a),
        "conclusion_html": user_text_html(report.conclusion.strip() or conclusion_text(a)),
        "recommendations_html": user_text_html(report.recommendations.strip() or recommendations_text(a)),
    }


def prefill(report: Report, periods: list[Period]) -> None:
    """Conclusion and recommendations from the year's numbers (a methodist edits them)."""
    try:
        a = analysis(report.district_id, report_year(report))
    except ReportDataError:
        return  # nothing that year: the draft is created and its render says why
    report.conclusion = conclusion_text(a)
    report.recommendations = recommendations_text(a)


def suggested_title(chosen: Chosen) -> str:
    """A full phrase for the pages; the PDF drops the leading «Анализ» under the heading «АНАЛИЗ»."""
    return f"Анализ профессиональных дефицитов педагогов\nпо результатам диагностики {chosen.year} года"


# --- XLSX ----------------------------------------------------------------------------------------------


def map_sheet(report: Report) -> XlsxSheet:
    a = report_analysis(report)
    columns = [XlsxColumn("Организация", width=34), XlsxColumn("Группа дефицитов", width=26),
               XlsxColumn("Прошли диагностику", width=12), XlsxColumn("С дефицитом", width=12),
               XlsxColumn("Доля с дефицитом, %", width=14)]
    rows = []
    scopes = [(o.short_name, o.pk) for o in a.organisations if o.pk in a.diagnosed[DEFICITS]] + [("Район", None)]
    for name, organisation_id in scopes:
        for area in a.deficit_areas:
            cell = (a.deficit_district.get(area.pk) if organisation_id is None
                    else a.deficit_cells.get((organisation_id, area.pk)))
            if cell is None or not cell.teachers:
                continue
            rows.append([name, area.name, cell.teachers, cell.deficits, xlsx_number(cell.deficit_share * 100)])
    return XlsxSheet("Карта дефицитов", columns, rows)


def index_sheet(report: Report) -> XlsxSheet:
    a = report_analysis(report)
    columns = [XlsxColumn("Группа компетенций", width=26),
               *(XlsxColumn(f"Индекс {a.year_labels[y]}", width=14) for y in a.index_years),
               *(XlsxColumn(f"Педагогов {a.year_labels[y]}", width=14) for y in a.index_years)]
    rows = []
    for area in a.competency_areas:
        cells = [a.index.get((area.pk, y)) for y in a.index_years]
        rows.append([area.name, *(xlsx_number(c.mean) if c else None for c in cells),
                     *(c.teachers if c else None for c in cells)])
    return XlsxSheet("Индекс компетенций", columns, rows)


def organisations_sheet(report: Report) -> XlsxSheet:
    a = report_analysis(report)
    columns = [XlsxColumn("Организация", width=34), XlsxColumn("Семейство", width=26), XlsxColumn("Группа", width=26),
               XlsxColumn("Прошли диагностику", width=12), XlsxColumn("Индекс", width=10),
               XlsxColumn("С дефицитом", width=12)]
    rows = []
    for organisation in a.organisations:
        for family, areas, cells in ((DEFICITS, a.deficit_areas, a.deficit_cells),
                                     (COMPETENCIES, a.competency_areas, a.competency_cells)):
            for area in areas:
                cell = cells.get((organisation.pk, area.pk))
                if cell is not None and cell.teachers:
                    rows.append([organisation.short_name, Family(family).label, area.name, cell.teachers,
                                 xlsx_number(cell.mean), cell.deficits])
    return XlsxSheet("По организациям", columns, rows)


SPEC = register(ReportKindSpec(
    code=CODE,
    label="Анализ профессиональных дефицитов педагогов",
    help="Карта дефицитов по организациям, динамика индекса профессиональных компетенций по годам, "
         "рекомендации по группам с дефицитами и приложение по каждой организации — по результатам "
         "диагностики выбранного года.",
    heading="АНАЛИЗ",
    template="reports/pdf/diagnostics.html",
    parameters=DiagnosticYearParameters(families=(DEFICITS, COMPETENCIES)),
    build_context=build_context,
    sheets=(map_sheet, index_sheet, organisations_sheet),
    suggested_title=suggested_title,
    prefill=prefill,
    # The texts are written from the numbers; while «Выводы» is empty the document prints the written one.
    conclusion_required=False,
    publishable=False,  # other organisations' teachers' results: methodists and the director only
    approval_word="УТВЕРЖДЁН",  # «анализ»
    has_charts=True,
    text_labels={"conclusion": "Выводы", "recommendations": "Рекомендации"},
    text_help={"conclusion": "Пусто — в справку войдут выводы, составленные по данным диагностики.",
               "recommendations": "Пусто — в справку войдут адресные рекомендации групп с дефицитами."},
    position=60,
))
