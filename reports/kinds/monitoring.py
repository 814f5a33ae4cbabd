"""«Аналитическая справка по результатам мониторинга» — seed 000's справка (Frunzensky, № 1-854).

Indicator definitions, the plan/fact table by period with merged headers, «Вывод.», dynamics
charts, the clusters of the last period's year with their sizes, the sections other apps generate
(reports.sections — «Формы взаимодействия в <год> году» from events), the tier table, a second
«Вывод.» about the clusters (a section text), recommendations.
"""
from __future__ import annotations

from dataclasses import replace

from clusters.models import TIER_DESCRIPTIONS
from clusters.selectors import clusters_of_year_with_sizes
from monitoring.models import Period
from monitoring.selectors import achievement_summary, plan_fact_table
from reports import sections
from reports.builders.formatting import (
    clusters_nominative,
    district_genitive,
    organisations_accusative,
    user_text_html,
)
from reports.builders.plan_fact import (
    cell_texts,
    dynamics_charts,
    has_values,
    indicator_definitions,
    report_periods,
    report_programme,
    report_table,
)
from reports.errors import ReportDataError
from reports.models import Report
from reports.xlsx import plan_fact_sheet

from .parameters import Chosen, ProgrammeParameters, programme_scope
from .registry import ReportKindSpec, register

CODE = "monitoring"
# Report.section_texts key of the second «Вывод.» (after the clusters and tiers).
SECTION_CLUSTERS_CONCLUSION = "clusters"


def build_context(report: Report) -> dict:
    programme = report_programme(report)
    periods = report_periods(report, programme)
    if not periods:
        raise ReportDataError("В программе мониторинга нет периодов.")
    table = report_table(report, programme, periods)
    rows = [row for row in table.rows if has_values(row)]
    if not rows:
        raise ReportDataError("Для выбранных периодов нет ни плановых, ни фактических значений.")
    last = periods[-1]
    # The fallback sentence speaks of the indicators the справка shows.
    conclusion = report.conclusion.strip() or achievement_summary(replace(table, rows=rows), last)["sentence"]
    district = programme.district
    whole_district = table.scope.is_district
    clusters = list(clusters_of_year_with_sizes(district.pk, last.year)) if whole_district else []
    return {
        "programme": programme,
        "scope_label": "" if whole_district else table.scope.label,
        "district_genitive": district_genitive(district.name),
        "period_labels": [p.label for p in periods],
        "periods_text": ", ".join(p.label for p in periods),
        "definitions": indicator_definitions(rows),
        "rows": [{"name": row.indicator.name, "cells": cell_texts(row)} for row in rows],
        "charts": dynamics_charts(rows),
        "conclusion_html": user_text_html(conclusion),
        "clusters_year": last.year,
        "clusters_count_text": clusters_nominative(len(clusters)),
        "clusters": [
            {"name": c.name, "size": c.size, "size_text": organisations_accusative(c.size)} for c in clusters
        ],
        "tiers": list(TIER_DESCRIPTIONS.values()),
        "clusters_conclusion_html": user_text_html(report.section_texts.get(SECTION_CLUSTERS_CONCLUSION, "")),
        # Sections other apps generate (reports.sections: «Формы взаимодействия в … году»), as edited.
        "generated_sections": [{"label": label, "html": user_text_html(text)}
                               for label, text in sections.printed(report)],
    }


def prefill(report: Report, periods: list[Period]) -> None:
    """The conclusion from achievement in the last period; an empty «Вывод» about the clusters."""
    table = plan_fact_table(report.programme, programme_scope(report.programme, report.scope_key), periods)
    report.conclusion = achievement_summary(table, periods[-1])["sentence"]
    report.section_texts = {SECTION_CLUSTERS_CONCLUSION: ""}


def suggested_title(chosen: Chosen) -> str:
    programme = chosen.programme
    labels = ", ".join(p.label for p in chosen.periods)
    district = district_genitive(programme.district.name)
    suffix = f" в {labels} гг." if labels else ""
    return f"по результатам мониторинга «{programme.name}»\nв системе образования {district}{suffix}"


SPEC = register(ReportKindSpec(
    code=CODE,
    label="Аналитическая справка по результатам мониторинга",
    help="План и факт показателей программы по годам, вывод о достижении, кластеры года "
         "с числом организаций, роли уровней, графики динамики.",
    heading="АНАЛИТИЧЕСКАЯ СПРАВКА",
    template="reports/pdf/monitoring.html",
    parameters=ProgrammeParameters(),
    build_context=build_context,
    sheets=(plan_fact_sheet,),
    suggested_title=suggested_title,
    prefill=prefill,
    min_periods=1,
    section_labels={SECTION_CLUSTERS_CONCLUSION: "Вывод по кластерам и уровням организаций"},
    position=10,
))
