"""«Результаты анкетирования» — a survey campaign's results as a справка.

The whole campaign's answers per question (never suppressed), respondents by cluster only for
clusters large enough to be shown (surveys.results' k-anonymity rule), participation of the
addressed organisations when the questionnaire is not anonymous.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from core.xlsx import XlsxSheet
from reports import options
from reports.builders.formatting import (
    date_text,
    document_number,
    float_or_none,
    isolate_svg_ids,
    plural,
    share_text,
)
from reports.errors import ReportDataError
from reports.models import Report

from .parameters import CampaignParameters, Chosen
from .registry import ReportKindSpec, register

CODE = "survey"


def _campaign(report: Report):
    if report.campaign_id is None:
        raise ReportDataError("Для справки не выбрана кампания анкетирования.")
    return report.campaign


def _local_date(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def build_context(report: Report) -> dict:
    from core.charts import bar_comparison_chart  # matplotlib: loaded when a chart is drawn
    from surveys import results as r
    from surveys.responses import questionnaire_structure

    campaign = _campaign(report)
    questionnaire = campaign.questionnaire
    questions = questionnaire_structure(questionnaire)
    results = r.campaign_results(campaign, questions=questions, with_texts=False)
    chart = bar_comparison_chart if options.charts_shown(report) else None  # charts left out: no chart
    items = [survey_question(result, chart) for result in results.questions]
    groups = [
        {"label": group.group.label, "cells": [group.responses]}
        for group in r.results_by_group(campaign, questions)
        if group.group.is_cluster
    ] if results.responses else []
    participation = None
    if not questionnaire.is_anonymous:
        p = r.participation(campaign)
        participation = {"addressed": p.addressed, "submitted": p.submitted, "rate": share_text(p.rate)}
    return {
        "campaign": campaign,
        "questionnaire_title": questionnaire.title,
        "anonymous": questionnaire.is_anonymous,
        "opens_text": date_text(_local_date(campaign.opens_at)),
        "closes_text": date_text(_local_date(campaign.closes_at)),
        "responses": results.responses,
        "responses_text": f"{results.responses} {plural(results.responses, 'анкета', 'анкеты', 'анкет')}",
        "participation": participation,
        "questions": items,
        "cluster_table": {"head": ["Кластер", "Анкет"], "rows": groups} if groups else None,
        "k_anonymity": r.K_ANONYMITY,
        "multiple_choice_note": r.MULTIPLE_CHOICE_NOTE if results.has_multiple_choice else "",
    }


def survey_question(result, chart: Callable[..., str] | None) -> dict:
    """One question's block: a choice table with its chart, a grid, number statistics or the count
    of free-text answers (flags tell the template which)."""
    item = {
        "number": result.number,
        "text": result.question.text,
        "respondents": result.respondents,
        "is_choice": False,
        "is_grid": False,
        "is_number": False,
        "table": None,  # {"head": [...], "rows": [{"label", "cells"}]} of a choice or grid question
        "stats": None,
        "chart": "",
        "text_count": result.text_count,
    }
    if result.is_grid:
        item["is_grid"] = True
        item["table"] = {"head": ["", *result.columns], "rows": [
            {"label": line.label, "respondents": line.respondents,
             "cells": [f"{cell.count} ({share_text(cell.share)})" if cell.share is not None else "0"
                       for cell in line.cells]}
            for line in result.grid
        ]}
    elif result.is_choice:
        item["is_choice"] = True
        item["table"] = {"head": ["Вариант ответа", "Ответов", "Доля"], "rows": [
            {"label": line.label, "cells": [line.count, share_text(line.share) if line.share is not None else "—"]}
            for line in result.lines
        ]}
        if result.respondents and chart is not None:
            svg = chart([line.label for line in result.lines], [float_or_none(line.share) for line in result.lines],
                        unit="%", decimals=1, x_max=100, width=5.5)
            item["chart"] = isolate_svg_ids(svg, f"question{result.number}")
    elif result.is_number:
        stats = result.numbers
        item["is_number"] = True
        item["stats"] = {
            "count": stats.count,
            "mean": document_number(stats.mean, 1) or "—",
            "minimum": document_number(stats.minimum, 2) or "—",
            "maximum": document_number(stats.maximum, 2) or "—",
        }
    return item


def summary_sheet(report: Report) -> XlsxSheet:
    """«Сводка»: the survey results summary (the rows of surveys/xlsx_results.py)."""
    from surveys import results as r
    from surveys.xlsx_results import SUMMARY_COLUMNS, summary_rows

    results = r.campaign_results(_campaign(report), with_texts=False)
    return XlsxSheet("Сводка", SUMMARY_COLUMNS, list(summary_rows(results.questions)))


def suggested_title(chosen: Chosen) -> str:
    return f"по результатам анкетирования «{chosen.campaign.title}»"


SPEC = register(ReportKindSpec(
    code=CODE,
    label="Результаты анкетирования",
    help="Ответы кампании анкетирования: доли по вопросам, участие организаций.",
    heading="АНАЛИТИЧЕСКАЯ СПРАВКА",
    template="reports/pdf/survey.html",
    parameters=CampaignParameters(),
    build_context=build_context,
    sheets=(summary_sheet,),
    suggested_title=suggested_title,
    conclusion_required=False,
    has_charts=True,
    position=30,
))
