"""Monitoring data shared by the kinds built on a programme (monitoring справка, development
analysis, comparative report): the report's programme, periods and plan/fact table, the printed
cells, the dynamics charts, the numbered indicator definitions and the automatic conclusion over
every period of the document.
"""
from __future__ import annotations

from core.formatting import plural
from monitoring.calculations import Achievement
from monitoring.models import Period, Programme
from monitoring.selectors import Row, Table, achievement_summary, plan_fact_table
from monitoring.units import Unit, unit_maximum, unit_suffix
from reports.errors import ReportDataError, ReportError
from reports.kinds.parameters import programme_scope
from reports.models import Report

from .formatting import document_value, float_or_none, isolate_svg_ids

__all__ = [
    "achievement_by_period", "cell_texts", "conclusion_text", "period_outcome", "dynamics_charts", "has_values", "indicator_definitions",
    "report_periods", "report_programme", "report_table",
]


def report_periods(report: Report, programme: Programme) -> list[Period]:
    """The report's periods in time order (all of the programme's when none was chosen)."""
    chosen = list(report.periods.filter(programme=programme).order_by("ends_on")) if report.pk else []
    return chosen or list(programme.periods.order_by("ends_on"))


def report_programme(report: Report) -> Programme:
    if report.programme_id is None:
        raise ReportDataError("Для справки не выбрана программа мониторинга.")
    return report.programme


def report_table(report: Report, programme: Programme, periods: list[Period]) -> Table:
    try:
        scope = programme_scope(programme, report.scope_key)
    except ReportError:
        raise ReportDataError("Объект мониторинга справки не найден в районе программы.") from None
    return plan_fact_table(programme, scope, periods)


def has_values(row: Row) -> bool:
    return any(cell.value is not None and (cell.value.plan is not None or cell.value.fact is not None)
               for cell in row.cells)


def cell_texts(row: Row, *, empty: str = "—") -> list[dict]:
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


def dynamics_charts(rows: list[Row]) -> list[dict]:
    """One plan/fact bar chart per indicator that has a fact (yes/no indicators have none): bars
    coloured by achievement, the plan as a dash, the indicator's name as the caption."""
    from core.charts import Bar, plan_fact_chart  # matplotlib: loaded when a chart is drawn

    charts = []
    for row in rows:
        indicator = row.indicator
        if indicator.unit == Unit.YES_NO or not any(c.value and c.value.fact is not None for c in row.cells):
            continue
        bars = [
            Bar(cell.period.label, float_or_none(cell.value.fact if cell.value else None), cell.status,
                float_or_none(cell.value.plan if cell.value else None))
            for cell in row.cells
        ]
        # A percent chart is scaled to its bars, as the справки draw them; other units end at their maximum.
        y_max = None if indicator.unit == Unit.PERCENT else float_or_none(unit_maximum(indicator.unit))
        svg = plan_fact_chart(bars, unit=unit_suffix(indicator.unit), decimals=indicator.decimals, y_max=y_max,
                              width=3.6, height=1.9)
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


def achievement_by_period(table: Table, periods: list[Period]) -> list[dict]:
    """Per period: the counts by outcome and a sentence; a fact without a plan is «план не установлен», not
    «нет данных» (monitoring's summary counts it as no data, so such a period gets this module's sentence)."""
    result = []
    for period in periods:
        summary = achievement_summary(table, period)
        outcome = period_outcome(table.rows, table.periods.index(period))
        sentence = summary["sentence"]
        if outcome[NO_PLAN]:
            sentence = _period_sentence(outcome, len(table.rows))
            sentence = sentence[:1].upper() + sentence[1:]
        result.append({
            "label": period.label,
            "achieved": len(summary["achieved"]),
            "not_achieved": len(summary["not_achieved"]),
            "no_plan": len(outcome[NO_PLAN]),
            "no_data": len(outcome[Achievement.NO_DATA]),
            "sentence": sentence,
        })
    return result


# A fact without a plan: achievement cannot be judged, but there is data («план не установлен», not «нет данных»).
NO_PLAN = "no_plan"


def period_outcome(rows: list[Row], index: int) -> dict[str, list]:
    """The indicators of the rows by their outcome in the period at `index`: achieved, not_achieved,
    no_plan (a fact without a plan) and no_data (no fact)."""
    outcome: dict[str, list] = {Achievement.ACHIEVED: [], Achievement.NOT_ACHIEVED: [], NO_PLAN: [],
                                Achievement.NO_DATA: []}
    for row in rows:
        cell = row.cells[index]
        if cell.status in (Achievement.ACHIEVED, Achievement.NOT_ACHIEVED):
            outcome[cell.status].append(row.indicator)
        elif cell.value is not None and cell.value.fact is not None:
            outcome[NO_PLAN].append(row.indicator)
        else:
            outcome[Achievement.NO_DATA].append(row.indicator)
    return outcome


def _names(indicators) -> str:
    return ", ".join(f"«{indicator.name}»" for indicator in indicators)


def _labels(labels: list[str]) -> str:
    """«2021», «2020 и 2021», «2019, 2020 и 2021»."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " и " + labels[-1]


def _period_clauses(outcome: dict[str, list], total: int) -> list[str]:
    achieved, failed = outcome[Achievement.ACHIEVED], outcome[Achievement.NOT_ACHIEVED]
    no_plan, no_data = outcome[NO_PLAN], outcome[Achievement.NO_DATA]
    clauses = []
    if achieved:
        verb = plural(len(achieved), "достигнут", "достигнуты", "достигнуты")
        clauses.append(f"{verb} {len(achieved)} из {total} {plural(total, 'показателя', 'показателей', 'показателей')}")
    if failed:
        clauses.append(("не достигнут показатель " if len(failed) == 1 else "не достигнуты показатели ") + _names(failed))
    if no_plan:
        clauses.append(("план не установлен по показателю " if len(no_plan) == 1
                        else "план не установлен по показателям ") + _names(no_plan))
    if no_data:
        clauses.append(f"нет данных по {len(no_data)} {plural(len(no_data), 'показателю', 'показателям', 'показателям')}")
    return clauses


def _period_sentence(outcome: dict[str, list], total: int) -> str:
    """«достигнут 1 из 3 показателей; план не установлен по показателю «В».» (without the period)."""
    return "; ".join(_period_clauses(outcome, total)) + "."


def conclusion_text(table: Table, periods: list[Period], *, rows: list[Row] | None = None) -> str:
    """The automatic «Вывод» about every period of the document, in time order.

    A period whose indicators are all achieved, and one with no data at all, are said together with their
    neighbours of the same kind («… за 2020 и 2021 достигнуты.», «Данных за 2017 и 2018 пока нет.»); any
    other period gets its own sentence: how many were achieved, which were not, which have a fact but no
    plan («план не установлен»), for how many there is no data."""
    rows = table.rows if rows is None else rows
    runs: list[tuple[str, list[str], str]] = []  # (kind, period labels, sentence for a single period)
    for period in periods:
        outcome = period_outcome(rows, table.periods.index(period))
        others = outcome[Achievement.NOT_ACHIEVED] or outcome[NO_PLAN] or outcome[Achievement.NO_DATA]
        if outcome[Achievement.ACHIEVED] and not others:
            kind, sentence = "all", ""
        elif not (outcome[Achievement.ACHIEVED] or outcome[Achievement.NOT_ACHIEVED] or outcome[NO_PLAN]):
            kind, sentence = "empty", ""
        else:
            kind = "mixed"
            sentence = f"За {period.label} " + _period_sentence(outcome, len(rows))
        if kind != "mixed" and runs and runs[-1][0] == kind:
            runs[-1][1].append(period.label)
        else:
            runs.append((kind, [period.label], sentence))
    sentences = []
    for kind, labels, sentence in runs:
        if kind == "all":
            sentences.append(f"Все количественные показатели программы «{table.programme.name}» "
                             f"за {_labels(labels)} достигнуты.")
        elif kind == "empty":
            sentences.append(f"Данных за {_labels(labels)} пока нет.")
        else:
            sentences.append(sentence)
    return " ".join(sentences)
