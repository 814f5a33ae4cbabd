"""Context builders of the report templates: plain functions from the data to a dict.

No rendering here (reports/rendering.py renders), so every number, plural form and the
difference between a draft and a final document is tested on the dict alone.

Every kind shares the document frame (`document_context`): the ИМЦ's letterhead, «от DD.MM.YYYY
№ N» (blank on a draft), the title, the director's signature block, and on a final document the
«УТВЕРЖДАЮ» block and the verification link with its QR code. The body comes from one builder
per kind (monitoring справка of seed 000, development analysis of seed 003, survey results,
comparative report over five or more periods).

Texts typed by methodists (intro, conclusion, recommendations, section texts) are user input:
they reach the context only as escaped HTML paragraphs (`user_text_html`), never as markup.
"""
from __future__ import annotations

import base64
import datetime
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from django.http import Http404
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from clusters.models import TIER_DESCRIPTIONS, MethodCentre
from clusters.selectors import clusters_of_year_with_sizes
from core.charts import Bar, bar_comparison_chart, plan_fact_chart
from monitoring.calculations import Achievement, format_number, quantize
from monitoring.models import Period, Programme, Unit
from monitoring.selectors import Row, achievement_summary, plan_fact_table, scope_from_key

from .models import Report, ReportKind

MIN_COMPARATIVE_PERIODS = 5
BLANK_DATE = "__.__.____"
BLANK_NUMBER = "____"
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
# The first line of the bold title; a report title that already starts with it is not doubled.
KIND_HEADINGS = {
    ReportKind.MONITORING: "АНАЛИТИЧЕСКАЯ СПРАВКА",
    ReportKind.COMPARATIVE: "АНАЛИТИЧЕСКАЯ СПРАВКА",
    ReportKind.SURVEY: "АНАЛИТИЧЕСКАЯ СПРАВКА",
    ReportKind.DEVELOPMENT: "",
}
# Keys of Report.section_texts a monitoring справка prints (development: one key per project).
SECTION_CLUSTERS_CONCLUSION = "clusters"


class ReportDataError(ValueError):
    """The report cannot be built from its data; the message is Russian and says what is missing."""


# --- numbers, plurals, dates -------------------------------------------------------------------


def plural(number: int, one: str, few: str, many: str) -> str:
    """The Russian form for `number`: 1, 21 → one; 2–4, 22–24 → few; 0, 5–20, 11–14, 25 → many."""
    number = abs(number)
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def organisations_accusative(number: int) -> str:
    """«Включает …»: 1 образовательную организацию, 3 образовательные организации, 9 образовательных
    организаций, 21 образовательную организацию, 22 образовательные организации."""
    words = plural(number, "образовательную организацию", "образовательные организации",
                   "образовательных организаций")
    return f"{number} {words}"


def clusters_nominative(number: int) -> str:
    return f"{number} {plural(number, 'кластер', 'кластера', 'кластеров')}"


def document_number(value: Decimal | None, decimals: int) -> str:
    """A number as the seeds print it: rounded half up to the indicator's precision, decimal comma,
    no trailing zeros (10 → «10», 54,80 → «54,8»), thousands split by a narrow no-break space."""
    if value is None:
        return ""
    # The vendored PT fonts have no narrow no-break space (U+202F): a plain no-break space instead.
    text = format_number(quantize(value, decimals), decimals).replace("\u202f", "\u00a0")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def document_value(value: Decimal | None, unit: str, decimals: int, *, empty: str = "—") -> str:
    """«54,8%» (seed 000 prints the percent sign without a space), «да»/«нет», «7», or `empty`."""
    if value is None:
        return empty
    if unit == Unit.YES_NO:
        return "да" if value >= 1 else "нет"
    text = document_number(value, decimals)
    return f"{text}%" if unit == Unit.PERCENT else text


def share_text(share: Decimal | None) -> str:
    """A share of respondents, one decimal: «66,7%»."""
    return document_value(share, Unit.PERCENT, 1)


def date_text(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else BLANK_DATE


def date_words(day: datetime.date | None) -> str:
    """«17» декабря 2021 г. — the date line of the «УТВЕРЖДАЮ» block."""
    if day is None:
        return "«__» __________ 20__ г."
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def district_genitive(name: str) -> str:
    """«Фрунзенский район» → «Фрунзенского района», «город Саянск» → «города Саянск»."""
    for nominative, genitive in (("ский район", "ского района"), ("цкий район", "цкого района"),
                                 ("ной район", "ного района"), ("ый район", "ого района")):
        if name.endswith(nominative):
            return name[: -len(nominative)] + genitive
    if name.startswith("город "):
        return "города " + name[len("город "):]
    return name


def user_text_html(text: str | None) -> SafeString:
    """User-typed text as escaped HTML paragraphs: blank lines split paragraphs, single line breaks
    stay line breaks, and any markup is shown as text (`<script>` → `&lt;script&gt;`)."""
    text = (text or "").strip()
    return mark_safe(linebreaks(text, autoescape=True)) if text else mark_safe("")  # noqa: S308 - escaped


_SVG_ID_REFERENCE = re.compile(r'(\sid="|url\(#|href="#)([^")]+)')


def isolate_svg_ids(svg: str, prefix: str) -> SafeString:
    """Prefix the ids of an inline SVG and its references to them: matplotlib gives every chart the
    same ids (a fixed hash salt), and two inline charts on one page must not share clip paths."""
    ids = set(re.findall(r'\sid="([^"]+)"', svg))

    def rename(match: re.Match) -> str:
        name = match.group(2)
        return match.group(1) + (f"{prefix}-{name}" if name in ids else name)

    return mark_safe(_SVG_ID_REFERENCE.sub(rename, svg))  # noqa: S308 - a chart we generated


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# --- the document frame ------------------------------------------------------------------------


def _centre(report: Report) -> MethodCentre:
    try:
        return report.district.method_centre
    except MethodCentre.DoesNotExist:
        raise ReportDataError(
            "У района не заполнены реквизиты ИМЦ (бланк справки): обратитесь к администратору портала."
        ) from None


def title_lines(report: Report) -> tuple[str, list[str]]:
    """(heading, lines): «АНАЛИТИЧЕСКАЯ СПРАВКА» and the report title's lines (its line breaks
    kept); a title that already starts with the heading does not repeat it."""
    heading = KIND_HEADINGS.get(report.kind, "")
    title = report.title.strip()
    if heading and title.lower().startswith(heading.lower()):
        title = title[len(heading):].strip()
    return heading, [line.strip() for line in title.splitlines() if line.strip()]


def address_lines(address: str) -> list[str]:
    """Seed 000 prints «192241, Санкт-Петербург,» and the street on the next line: split after the
    city when the address starts with a postal code; otherwise one line."""
    parts = [part.strip() for part in address.split(",")]
    if len(parts) > 2 and re.fullmatch(r"\d{6}", parts[0]):
        return [f"{parts[0]}, {parts[1]},", ", ".join(parts[2:])]
    return [address.strip()]


def _verification(report: Report) -> dict:
    # The signing engineer's module; imported here so a test can stand in for it.
    from . import verification

    url = verification.verification_url(report)
    return {"url": url, "qr_data_uri": _data_uri(verification.qr_svg(url))}


def document_context(report: Report, *, final: bool) -> dict:
    """Letterhead, number and date, title, approval, signature and verification of any kind."""
    centre = _centre(report)
    heading, lines = title_lines(report)
    dated = report.dated if final else None
    number = report.outgoing_label if final and report.outgoing_label else BLANK_NUMBER
    inn_kpp = "/".join(part for part in (centre.inn, centre.kpp) if part)
    return {
        "report": report,
        "kind": report.kind,
        "final": final,
        "draft": not final,
        "watermark": "" if final else "ПРОЕКТ",
        "centre": {
            "full_name": centre.full_name,
            "short_name": centre.short_name,
            "address": centre.address,
            "address_lines": address_lines(centre.address),
            "phone": centre.phone,
            "email": centre.email,
            "okpo": centre.okpo,
            "ogrn": centre.ogrn,
            "inn_kpp": inn_kpp,
        },
        "dated_text": date_text(dated),
        "number_text": number,
        "heading": heading,
        "title_lines": lines,
        "document_title": " ".join([heading.capitalize(), *lines]).strip() or report.get_kind_display(),
        "signature": {"position": centre.director_position, "name": centre.director_name},
        "approval": (
            {"position": centre.director_position, "name": centre.director_name, "date_words": date_words(dated)}
            if final else None
        ),
        "verification": _verification(report) if final else None,
        "intro_html": user_text_html(report.intro),
        "conclusion_html": user_text_html(report.conclusion),
        "recommendations_html": user_text_html(report.recommendations),
    }


# --- monitoring data shared by the monitoring and comparative kinds ------------------------------


def report_periods(report: Report, programme: Programme) -> list[Period]:
    """The report's periods in time order (all of the programme's when none was chosen)."""
    chosen = list(report.periods.filter(programme=programme).order_by("ends_on")) if report.pk else []
    return chosen or list(programme.periods.order_by("ends_on"))


def report_programme(report: Report) -> Programme:
    if report.programme_id is None:
        raise ReportDataError("Для справки не выбрана программа мониторинга.")
    return report.programme


def report_table(report: Report, programme: Programme, periods: list[Period]):
    try:
        scope = scope_from_key(programme, report.scope_key)
    except Http404:
        raise ReportDataError("Объект мониторинга справки не найден в районе программы.") from None
    return plan_fact_table(programme, scope, periods)


def _has_values(row: Row) -> bool:
    return any(cell.value is not None and (cell.value.plan is not None or cell.value.fact is not None)
               for cell in row.cells)


def _cell_texts(row: Row, *, empty: str = "—") -> list[dict]:
    indicator = row.indicator
    cells = []
    for cell in row.cells:
        value = cell.value
        cells.append({
            "plan": document_value(value.plan if value else None, indicator.unit, indicator.decimals, empty=empty),
            "fact": document_value(value.fact if value else None, indicator.unit, indicator.decimals, empty=empty),
            "status": cell.status,
            "has_plan": value is not None and value.plan is not None,
        })
    return cells


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def dynamics_charts(rows: list[Row]) -> list[dict]:
    """One plan/fact bar chart per indicator that has a fact (yes/no indicators have none): bars
    coloured by achievement, the plan as a dash, the indicator's name as the caption."""
    charts = []
    for row in rows:
        indicator = row.indicator
        if indicator.unit == Unit.YES_NO or not any(c.value and c.value.fact is not None for c in row.cells):
            continue
        bars = [
            Bar(cell.period.label, _float(cell.value.fact if cell.value else None), cell.status,
                _float(cell.value.plan if cell.value else None))
            for cell in row.cells
        ]
        unit = "%" if indicator.unit == Unit.PERCENT else ""
        y_max = 10 if indicator.unit == Unit.SCORE else (1 if indicator.unit == Unit.INDEX else None)
        svg = plan_fact_chart(bars, unit=unit, decimals=indicator.decimals, y_max=y_max, width=3.6, height=1.9)
        charts.append({"caption": indicator.name, "svg": isolate_svg_ids(svg, f"chart{len(charts) + 1}")})
    return charts


def indicator_definitions(rows: list[Row]) -> list[str]:
    """Seed 000's numbered list: «name. method;» … «name. method.» (the last one ends with a stop)."""
    items = []
    for row in rows:
        indicator = row.indicator
        text = indicator.name.strip().rstrip(".;")
        method = indicator.method.strip().rstrip(".;")
        items.append(f"{text}. {method}" if method else text)
    return [item + (";" if index < len(items) - 1 else ".") for index, item in enumerate(items)]


# --- kinds ---------------------------------------------------------------------------------------


def monitoring_context(report: Report) -> dict:
    """Seed 000: indicator definitions, the plan/fact table by period with merged headers, «Вывод.»,
    dynamics charts, the clusters of the last period's year with their sizes, the tier table."""
    programme = report_programme(report)
    periods = report_periods(report, programme)
    if not periods:
        raise ReportDataError("В программе мониторинга нет периодов.")
    table = report_table(report, programme, periods)
    rows = [row for row in table.rows if _has_values(row)]
    if not rows:
        raise ReportDataError("Для выбранных периодов нет ни плановых, ни фактических значений.")
    last = periods[-1]
    # The fallback sentence speaks of the indicators the справка shows.
    conclusion = report.conclusion.strip() or achievement_summary(replace(table, rows=rows), last)["sentence"]
    district = programme.district
    clusters = list(clusters_of_year_with_sizes(district.pk, last.year)) if table.scope.is_district else []
    return {
        "programme": programme,
        "scope_label": "" if table.scope.is_district else table.scope.label,
        "district_genitive": district_genitive(district.name),
        "period_labels": [p.label for p in periods],
        "periods_text": ", ".join(p.label for p in periods),
        "definitions": indicator_definitions(rows),
        "rows": [{"name": row.indicator.name, "cells": _cell_texts(row)} for row in rows],
        "charts": dynamics_charts(rows),
        "conclusion_html": user_text_html(conclusion),
        "clusters_year": last.year,
        "clusters_count_text": clusters_nominative(len(clusters)),
        "clusters": [
            {"name": c.name, "size": c.size, "size_text": organisations_accusative(c.size)} for c in clusters
        ],
        "tiers": list(TIER_DESCRIPTIONS.values()),
        "clusters_conclusion_html": user_text_html(report.section_texts.get(SECTION_CLUSTERS_CONCLUSION, "")),
    }


def expected_result_header(programme: Programme, periods: list[Period]) -> str:
    """«Ожидаемый к 2024 году результат» when the programme's name gives its final year (the latest
    year in it, e.g. «Программа развития ИМЦ 2020–2024»), else «Ожидаемый результат»."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", programme.name)]
    last_year = max(years) if years else None
    if last_year and (not periods or last_year >= periods[-1].year):
        return f"Ожидаемый к {last_year} году результат"
    return "Ожидаемый результат"


def development_context(report: Report) -> dict:
    """Seed 003: per project (the indicators' section) a table «№ / Ожидаемый … результат /
    Самооценка» × checkpoints («-» where there is no score) and the project's conclusion."""
    programme = report_programme(report)
    periods = report_periods(report, programme)
    if not periods:
        raise ReportDataError("В программе развития нет контрольных точек.")
    table = report_table(report, programme, periods)
    projects = []
    for number, (section, rows) in enumerate(table.sections, start=1):
        name = section or programme.name
        projects.append({
            "number": number,
            "name": name,
            "caption": f"Таблица {number} – Самооценка степени достижения планируемых результатов проекта «{name}»",
            "rows": [
                {"number": f"{index}.", "text": row.indicator.name,
                 "scores": [cell["fact"] for cell in _cell_texts(row, empty="-")]}
                for index, row in enumerate(rows, start=1)
            ],
            "conclusion_html": user_text_html(report.section_texts.get(name, "")),
        })
    if not projects:
        raise ReportDataError("В программе развития нет показателей.")
    return {
        "programme": programme,
        "period_labels": [p.label for p in periods],
        "expected_header": expected_result_header(programme, periods),
        "projects": projects,
    }


def _achievement_by_period(table, periods: list[Period]) -> list[dict]:
    result = []
    for period in periods:
        summary = achievement_summary(table, period)
        result.append({
            "label": period.label,
            "achieved": len(summary["achieved"]),
            "not_achieved": len(summary["not_achieved"]),
            "no_data": len(summary["no_data"]),
            "sentence": summary["sentence"],
        })
    return result


def comparative_context(report: Report) -> dict:
    """Five or more periods of one programme: indicator × period (fact, and plan where there is
    one), achievement per period, a dynamics chart per indicator, conclusion and recommendations."""
    programme = report_programme(report)
    periods = report_periods(report, programme)
    if len(periods) < MIN_COMPARATIVE_PERIODS:
        raise ReportDataError(
            f"Для сравнительного анализа нужно не меньше {MIN_COMPARATIVE_PERIODS} периодов, выбрано {len(periods)}."
        )
    table = report_table(report, programme, periods)
    sections = []
    for section, rows in table.sections:
        shown = [row for row in rows if _has_values(row)]
        if shown:
            sections.append({
                "name": section,
                "rows": [
                    {"name": row.indicator.name, "cells": _cell_texts(row),
                     "has_plan": any(c.value is not None and c.value.plan is not None for c in row.cells)}
                    for row in shown
                ],
            })
    if not sections:
        raise ReportDataError("Для выбранных периодов нет ни плановых, ни фактических значений.")
    rows = [row for _, section_rows in table.sections for row in section_rows if _has_values(row)]
    return {
        "programme": programme,
        "period_labels": [p.label for p in periods],
        "periods_text": f"{periods[0].label}–{periods[-1].label}",
        "sections": sections,
        "achievement": _achievement_by_period(table, periods),
        "achievement_labels": Achievement.LABELS,
        "charts": dynamics_charts(rows),
    }


def survey_context(report: Report) -> dict:
    """A campaign's results for the whole campaign (never suppressed), per question; respondents by
    cluster only for clusters large enough to be shown (surveys.results' k-anonymity rule)."""
    from surveys import results as r
    from surveys.responses import questionnaire_structure

    if report.campaign_id is None:
        raise ReportDataError("Для справки не выбрана кампания анкетирования.")
    campaign = report.campaign
    questionnaire = campaign.questionnaire
    questions = questionnaire_structure(questionnaire)
    results = r.campaign_results(campaign, questions=questions, with_texts=False)
    items = [_survey_question(result, bar_comparison_chart) for result in results.questions]
    groups = [
        {"label": group.group.label, "responses": group.responses}
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
        "cluster_groups": groups,
        "k_anonymity": r.K_ANONYMITY,
        "multiple_choice_note": r.MULTIPLE_CHOICE_NOTE if results.has_multiple_choice else "",
    }


def _local_date(moment) -> datetime.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


def _survey_question(result, chart: Callable[..., str]) -> dict:
    item = {
        "number": result.number,
        "text": result.question.text,
        "respondents": result.respondents,
        "kind": "text",
        "lines": [],
        "columns": [],
        "grid": [],
        "stats": None,
        "chart": "",
        "text_count": result.text_count,
    }
    if result.is_grid:
        item["kind"] = "grid"
        item["columns"] = result.columns
        item["grid"] = [
            {"label": line.label, "respondents": line.respondents,
             "cells": [f"{cell.count} ({share_text(cell.share)})" if cell.share is not None else "0"
                       for cell in line.cells]}
            for line in result.grid
        ]
    elif result.is_choice:
        item["kind"] = "choice"
        item["lines"] = [
            {"label": line.label, "count": line.count, "share": share_text(line.share) if line.share is not None else "—"}
            for line in result.lines
        ]
        if result.respondents:
            svg = chart([line.label for line in result.lines], [_float(line.share) for line in result.lines],
                        unit="%", decimals=1, x_max=100, width=5.5)
            item["chart"] = isolate_svg_ids(svg, f"question{result.number}")
    elif result.is_number:
        stats = result.numbers
        item["kind"] = "number"
        item["stats"] = {
            "count": stats.count,
            "mean": document_number(stats.mean, 1) or "—",
            "minimum": document_number(stats.minimum, 2) or "—",
            "maximum": document_number(stats.maximum, 2) or "—",
        }
    return item


BODY_BUILDERS: dict[str, Callable[[Report], dict]] = {
    ReportKind.MONITORING: monitoring_context,
    ReportKind.DEVELOPMENT: development_context,
    ReportKind.SURVEY: survey_context,
    ReportKind.COMPARATIVE: comparative_context,
}


def build_context(report: Report, *, final: bool) -> dict:
    """The whole context of the report's template: the document frame and its kind's body."""
    try:
        body = BODY_BUILDERS[report.kind]
    except KeyError:
        raise ReportDataError(f"Неизвестный вид справки: {report.kind}.") from None
    context = document_context(report, final=final)
    context.update(body(report))
    return context


def suggested_title(kind: str, *, programme: Programme | None = None, periods: list[Period] | tuple = (),
                    campaign=None) -> str:
    """A starting title for a new report (the methodist edits it); without the kind's heading."""
    labels = ", ".join(p.label for p in periods)
    if kind == ReportKind.MONITORING and programme is not None:
        district = district_genitive(programme.district.name)
        suffix = f" в {labels} гг." if labels else ""
        return f"по результатам мониторинга «{programme.name}»\nв системе образования {district}{suffix}"
    if kind == ReportKind.COMPARATIVE and programme is not None:
        span = f" за {periods[0].label}–{periods[-1].label} гг." if periods else ""
        return f"сравнительный анализ результатов мониторинга «{programme.name}»{span}"
    if kind == ReportKind.DEVELOPMENT and programme is not None:
        last = f" за {periods[-1].label}" if periods else ""
        return f"Анализ реализации программы развития\n«{programme.name}»{last}"
    if kind == ReportKind.SURVEY and campaign is not None:
        return f"по результатам анкетирования «{campaign.title}»"
    return ""
