"""«Аналитическая справка по результатам мониторинга» — seed 000's справка (Frunzensky, № 1-854).

Indicator definitions, the plan/fact table by period with merged headers, «Вывод.», dynamics
charts, the clusters of the last period's year with their sizes, the sections other apps generate
(reports.sections — «Формы взаимодействия в <год> году» from events), the tier table, a second
«Вывод.» about the clusters (a section text), recommendations.
"""
from __future__ import annotations

from clusters.models import TIER_DESCRIPTIONS
from clusters.selectors import clusters_of_year_with_sizes
from monitoring.models import Period
from monitoring.selectors import plan_fact_table
from reports import options, sections
from reports.builders.formatting import (
    clusters_nominative,
    district_genitive,
    organisations_accusative,
    user_text_html,
)
from reports.builders.plan_fact import (
    cell_texts,
    conclusion_text,
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
# The body's blocks after the plan/fact table, in seed 000's order; a report may reorder them (reports/options.py).
# Sections other apps generate (events: «Формы взаимодействия в … году») come after the clusters' list.
MOVABLE_SECTIONS = {
    "charts": "Графики динамики показателей",
    "conclusion": "Вывод по показателям",
    "clusters_list": "Кластеры года и число организаций в них",
    "tiers": "Уровни организаций в кластерах",
    "clusters_conclusion": "Вывод по кластерам и уровням организаций",
    "recommendations": "Рекомендации",
}


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
    # The fallback text speaks of the indicators the справка shows, period by period.
    conclusion = report.conclusion.strip() or conclusion_text(table, periods, rows=rows)
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
        "charts": dynamics_charts(rows) if options.charts_shown(report) else [],
        "conclusion_html": user_text_html(conclusion),
        "clusters_year": last.year,
        "clusters_count_text": clusters_nominative(len(clusters)),
        "clusters": [
            {"name": c.name, "size": c.size, "size_text": organisations_accusative(c.size)} for c in clusters
        ],
        "tiers": list(TIER_DESCRIPTIONS.values()),
        "clusters_conclusion_html": user_text_html(report.section_texts.get(SECTION_CLUSTERS_CONCLUSION, "")),
        # Sections other apps generate, as edited (non-empty ones; body_sections places them).
        "generated_sections": [{"label": label, "html": user_text_html(text)}
                               for label, text in sections.printed(report)],
        # The movable blocks in the report's order, with the sections other apps generate
        # (reports.sections: «Формы взаимодействия в … году») as edited.
        "body_sections": [
            {"key": section.key, "label": section.label, "generated": section.generated,
             "html": user_text_html(report.section_texts.get(section.key, "")) if section.generated else ""}
            for section in options.body_sections(report)
        ],
    }


def prefill(report: Report, periods: list[Period]) -> None:
    """The conclusion from achievement in every period; an empty «Вывод» about the clusters."""
    table = plan_fact_table(report.programme, programme_scope(report.programme, report.scope_key), periods)
    report.conclusion = conclusion_text(table, periods, rows=[row for row in table.rows if has_values(row)])
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
    # Seed 000 (Frunzensky справка № 1-854) carries no approval block.
    approval_block="none",
    has_charts=True,
    movable_sections=MOVABLE_SECTIONS,
    generated_after="clusters_list",
    position=10,
))
