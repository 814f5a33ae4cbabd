"""«Анализ сетевого взаимодействия по результатам оценочных процедур» (issue 11, item 6).

The year Y analysed is the year of the last chosen period of a monitoring programme. The справка
shows, for the clusters of Y: each member's tier with the numbers behind it (source, index of Y − 1
that decided it, index of Y and the change); the pairs with their activities; the practices of Y in
the district's base; the effect — the programme's plan and fact of the indicators computed by the
network calculations (network/indicators.py) when it has them, and the same figures computed now
with the counts behind them, for the district and each cluster; the movement between tiers from
Y − 1 to Y (table and chart); conclusions and recommendations written from the numbers when the
draft is created (editable like any справка's texts).

Parameters: a programme and its periods, as the monitoring справка — the registry offers a
programme or a survey campaign, a Report stores a programme and periods (no year of its own), and
the programme is where the effect indicators' plans live. The справка is about the whole district
(no scope): the clusters are its sections.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from clusters.models import Cluster, ClusterMembership, Tier
from core import formatting
from core.xlsx import XlsxColumn, XlsxSheet
from monitoring.models import Period
from monitoring.units import Unit
from network import effect
from network import indicators as effect_indicators
from network.models import ActivityStatus, OrganisationPair, PairActivity, PairStatus, Practice
from network.results_index import organisation_indices
from reports import options
from reports.builders.formatting import district_genitive, document_value, isolate_svg_ids, user_text_html
from reports.builders.plan_fact import cell_texts, has_values, report_periods, report_programme, report_table
from reports.errors import ReportDataError
from reports.models import Report
from reports.xlsx import xlsx_number

from .parameters import Chosen, ProgrammeParameters
from .registry import ReportKindSpec, register

CODE = "network"
TIER_LABELS = dict(Tier.choices)
SHORT_TIER = {Tier.TOP: "ТОП", Tier.SYNCHRONOUS: "синхронная", Tier.LAGGING: "отстающая"}


# --- numbers as the справка prints them ---------------------------------------------------------------


def index_text(value: Decimal | None) -> str:
    """An index or its change, three decimals, the sign shown: «+1,500», «-0,500», «0,000»; «—» without one."""
    if value is None:
        return "—"
    text = formatting.number(value, 3, thousands="")
    return f"+{text}" if value > 0 else text


def share_text(share: effect.Share) -> str:
    """«2 из 4 (50%)»; «нет данных» when nothing is counted."""
    if not share.denominator:
        return "нет данных"
    return f"{share.numerator} из {share.denominator} ({document_value(share.percent, Unit.PERCENT, 1)})"


def gain_text(gain: effect.GainDifference) -> str:
    return "нет значения" if gain.difference is None else index_text(gain.difference)


def gain_detail(gain: effect.GainDifference) -> str:
    detail = (f"в парах — {gain.paired_n} ОУ, среднее изменение {index_text(gain.paired_mean)}; "
              f"без пар — {gain.unpaired_n} ОУ, среднее изменение {index_text(gain.unpaired_mean)}")
    if gain.difference is None:
        detail += " (сравнивать не с чем: " + ("нет отстающих ОУ в парах)" if not gain.paired_n
                                               else "нет отстающих ОУ без пар)")
    return detail


# --- the analysis: every number of the справка, read once ----------------------------------------------


@dataclass
class Analysis:
    district_id: int
    year: int
    clusters: list[Cluster]
    memberships: dict[int, list[ClusterMembership]]
    index_before: dict[int, Decimal]
    index_after: dict[int, Decimal]
    pairs: list[OrganisationPair]
    activity_counts: dict[int, Counter]
    activity_forms: dict[int, list[str]]
    practices: list[Practice]
    lagging: effect.LaggingEffect
    tutoring: dict[int | None, effect.Share]
    tier_rise: dict[int | None, effect.Share]
    movement: effect.Movement
    unpaired_lagging: int  # lagging organisations of Y with no effective pair (district)

    def index_of_membership(self, membership: ClusterMembership) -> Decimal | None:
        """The index of Y − 1 behind the tier: the stored one, else the computed one (manual tiers)."""
        if membership.tier_index is not None:
            return membership.tier_index
        return self.index_before.get(membership.organisation_id)


def _pairs(district_id: int, year: int):
    pairs = list(
        OrganisationPair.objects.filter(cluster__district_id=district_id, cluster__year=year)
        .select_related("cluster", "mentor_organisation", "mentee_organisation")
        .order_by("cluster__name", "mentee_organisation__short_name", "pk")
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    forms: dict[int, list[str]] = defaultdict(list)
    labels = dict(PairActivity._meta.get_field("form").choices)
    for pair_id, status, form in PairActivity.objects.filter(pair__in=pairs).values_list("pair_id", "status", "form") \
            .order_by("pair_id", "held_on", "pk"):
        counts[pair_id][status] += 1
        if labels[form] not in forms[pair_id]:
            forms[pair_id].append(labels[form])
    return pairs, counts, forms


def analysis(district_id: int, year: int) -> Analysis:
    clusters = list(Cluster.objects.filter(district_id=district_id, year=year).order_by("name", "pk"))
    if not clusters:
        raise ReportDataError(f"В {year} году в районе нет кластеров: анализировать нечего.")
    memberships: dict[int, list[ClusterMembership]] = defaultdict(list)
    for membership in ClusterMembership.objects.filter(cluster__in=clusters).select_related("organisation"):
        memberships[membership.cluster_id].append(membership)
    for members in memberships.values():
        members.sort(key=lambda m: (-effect.TIER_RANK[m.tier], m.organisation.short_name))
    pairs, counts, forms = _pairs(district_id, year)
    lagging_rows = effect.lagging_rows(district_id, year)
    paired = effect.by_scope(lagging_rows)[effect.DISTRICT]
    return Analysis(
        district_id=district_id, year=year, clusters=clusters, memberships=memberships,
        index_before={o: i.index for o, i in organisation_indices(district_id, year - 1).items()},
        index_after={o: i.index for o, i in organisation_indices(district_id, year).items()},
        pairs=pairs, activity_counts=counts, activity_forms=forms,
        practices=list(Practice.objects.filter(district_id=district_id, year=year)
                       .select_related("organisation").order_by("title", "pk")),
        lagging=effect.lagging_effect(district_id, year),
        tutoring=effect.top_tutoring(district_id, year),
        tier_rise=effect.tier_rise(district_id, year),
        movement=effect.tier_movement(district_id, year - 1),
        unpaired_lagging=sum(1 for is_paired in paired.values() if not is_paired),
    )


def report_analysis(report: Report) -> tuple[Analysis, list[Period]]:
    """The report's analysis, read once per report object (the PDF's context and five sheets share it)."""
    cached = getattr(report, "_network_analysis", None)
    if cached is not None:
        return cached
    programme = report_programme(report)
    periods = report_periods(report, programme)
    if not periods:
        raise ReportDataError("В программе мониторинга нет периодов.")
    report._network_analysis = (analysis(programme.district_id, periods[-1].year), periods)
    return report._network_analysis


# --- the body's tables ---------------------------------------------------------------------------------


def tier_rows(a: Analysis, cluster: Cluster) -> list[dict]:
    rows = []
    for number, m in enumerate(a.memberships.get(cluster.pk, []), start=1):
        before, after = a.index_of_membership(m), a.index_after.get(m.organisation_id)
        rows.append({
            "number": number, "organisation": m.organisation.short_name, "tier": m.get_tier_display(),
            "source": m.get_tier_source_display(), "index_before": index_text(before), "index_after": index_text(after),
            "change": index_text(after - before if before is not None and after is not None else None),
            "raw": (before, after),
        })
    return rows


def tier_counts_text(a: Analysis, cluster: Cluster) -> str:
    counts = Counter(m.tier for m in a.memberships.get(cluster.pk, []))
    return "; ".join(f"{label} — {counts.get(tier, 0)}" for tier, label in
                     ((Tier.TOP, "ТОП"), (Tier.SYNCHRONOUS, "синхронных"), (Tier.LAGGING, "отстающих")))


def pair_rows(a: Analysis) -> list[dict]:
    rows = []
    for pair in a.pairs:
        if pair.status == PairStatus.REJECTED:
            continue
        counts = a.activity_counts.get(pair.pk, Counter())
        rows.append({
            "cluster": pair.cluster.name, "mentor": pair.mentor_organisation.short_name,
            "mentee": pair.mentee_organisation.short_name, "subject": pair.subject or "—",
            "status": pair.get_status_display(), "done": counts[ActivityStatus.DONE],
            "planned": counts[ActivityStatus.PLANNED], "forms": ", ".join(a.activity_forms.get(pair.pk, [])) or "—",
        })
    return rows


def effect_rows(a: Analysis, key: int | None) -> list[dict]:
    """The four figures of one scope (the district or a cluster) with the counts behind them."""
    gain = a.lagging.gain[key]
    return [
        {"name": "Доля отстающих ОУ, у которых вырос индекс результатов", "value": share_text(a.lagging.improved[key]),
         "detail": f"сравнимы по двум годам {a.lagging.improved[key].denominator} ОУ"},
        {"name": "Разница среднего изменения индекса отстающих ОУ в парах и без пар", "value": gain_text(gain),
         "detail": gain_detail(gain)},
        {"name": "Доля ТОП-организаций, наставляющих отстающие ОУ", "value": share_text(a.tutoring[key]),
         "detail": "наставник хотя бы одной действующей или завершённой пары"},
        {"name": f"Доля ОУ, повысивших уровень с {a.year - 1} по {a.year} год", "value": share_text(a.tier_rise[key]),
         "detail": f"в кластерах обоих лет {a.tier_rise[key].denominator} ОУ"},
    ]


def movement_table(a: Analysis) -> dict:
    m = a.movement
    head = [f"Уровень в {m.year} г. \\ в {m.year + 1} г.", *(SHORT_TIER[t] for t in effect.TIER_ORDER), "всего"]
    rows = [{"label": SHORT_TIER[t], "cells": [*row, sum(row)]} for t, row in zip(effect.TIER_ORDER, m.matrix(),
                                                                                      strict=True)]
    return {"head": head, "rows": rows}


def movement_chart(a: Analysis):
    """Organisations per transition (9 bars): a rise green, a fall red, the same tier blue."""
    from core.charts import bar_comparison_chart  # matplotlib: loaded when a chart is drawn

    labels, values, statuses = [], [], []
    for before in effect.TIER_ORDER:
        for after in effect.TIER_ORDER:
            labels.append(f"{SHORT_TIER[before]} – {SHORT_TIER[after]}")  # PT Sans has no «→»
            values.append(float(a.movement.count(before, after)))
            statuses.append("achieved" if effect.rose(before, after) else
                            "not_achieved" if effect.rose(after, before) else None)
    svg = bar_comparison_chart(labels, values, unit="", decimals=0, statuses=statuses, width=5.6, whole_numbers=True)
    return isolate_svg_ids(svg, "movement")


# --- conclusions and recommendations written from the numbers ------------------------------------------


def conclusion_text(a: Analysis) -> str:
    district = effect.DISTRICT
    improved, gain = a.lagging.improved[district], a.lagging.gain[district]
    m = a.movement
    parts = [f"Индекс результатов вырос у {share_text(improved)} отстающих ОУ кластеров {a.year} года, "
             f"имеющих результаты за {a.year - 1} и {a.year} годы."]
    if gain.difference is None:
        parts.append("Сравнить изменение индекса отстающих ОУ в наставнических парах и без пар нельзя: "
                     + ("нет отстающих ОУ в действующих или завершённых парах." if not gain.paired_n
                        else "все отстающие ОУ с результатами работали в парах."))
    else:
        verdict = "выше" if gain.difference > 0 else "не выше"
        parts.append(f"Среднее изменение индекса отстающих ОУ в парах ({gain.paired_n}) — "
                     f"{index_text(gain.paired_mean)}, без пар ({gain.unpaired_n}) — {index_text(gain.unpaired_mean)}: "
                     f"разница {index_text(gain.difference)}, рост в парах {verdict}, чем без пар.")
    parts.append(f"Наставниками выступили {share_text(a.tutoring[district])} ТОП-организаций.")
    if m.total:
        parts.append(f"Из {m.total} ОУ, работавших в кластерах {m.year} и {m.year + 1} годов, уровень повысили "
                     f"{m.rose}, сохранили {m.stayed}, понизили {m.fell}.")
    return "\n\n".join(parts)


def recommendations_text(a: Analysis) -> str:
    district = effect.DISTRICT
    items = []
    if a.unpaired_lagging:
        items.append(f"Сформировать наставнические пары для отстающих ОУ, не имеющих пары ({a.unpaired_lagging}).")
    tutoring = a.tutoring[district]
    if tutoring.denominator and tutoring.numerator < tutoring.denominator:
        items.append("Привлечь к наставничеству ТОП-организации, не ведущие пар "
                     f"({tutoring.denominator - tutoring.numerator} из {tutoring.denominator}).")
    difference = a.lagging.gain[district].difference
    if difference is not None and difference <= 0:
        items.append("Проанализировать содержание совместной работы пар: рост индекса отстающих ОУ в парах "
                     "не выше, чем без пар.")
    elif difference is not None:
        items.append("Продолжить работу наставнических пар; представить опыт пар с наибольшим ростом индекса "
                     "в базе практик.")
    unverified = sum(1 for p in a.practices if not p.is_verified)
    if unverified:
        items.append(f"Проверить практики {a.year} года, ещё не проверенные методистом ({unverified}).")
    return "\n\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


# --- the spec's functions ------------------------------------------------------------------------------


def _effect_indicator_rows(report: Report, periods: list[Period]) -> list[dict]:
    table = report_table(report, report_programme(report), periods)
    return [{"name": row.indicator.name, "cells": cell_texts(row)} for row in table.rows
            if row.indicator.calculation in effect_indicators.CODES and has_values(row)]


def build_context(report: Report) -> dict:
    a, periods = report_analysis(report)
    programme = report_programme(report)
    return {
        "programme": programme,
        "year": a.year,
        "previous_year": a.year - 1,
        "district_genitive": district_genitive(programme.district.name),
        "clusters": [{"name": c.name, "rows": tier_rows(a, c), "counts_text": tier_counts_text(a, c)}
                     for c in a.clusters],
        "pairs": pair_rows(a),
        "rejected_pairs": sum(1 for p in a.pairs if p.status == PairStatus.REJECTED),
        "practices": [{"title": p.title, "organisation": p.organisation.short_name if p.organisation else "—",
                       "verified": "да" if p.is_verified else "нет"} for p in a.practices],
        "period_labels": [p.label for p in periods],
        "indicator_rows": _effect_indicator_rows(report, periods),
        "district_effect": effect_rows(a, effect.DISTRICT),
        "cluster_effects": [{"name": f"Кластер «{c.name}»", "rows": effect_rows(a, c.pk)} for c in a.clusters],
        "movement": a.movement,
        "movement_table": movement_table(a),
        "movement_chart": movement_chart(a) if a.movement.total and options.charts_shown(report) else "",
        "conclusion_html": user_text_html(report.conclusion.strip() or conclusion_text(a)),
    }


def prefill(report: Report, periods: list[Period]) -> None:
    """Conclusion and recommendations from the numbers of the last period's year (a methodist edits them)."""
    try:
        a = analysis(report.programme.district_id, periods[-1].year)
    except ReportDataError:
        return  # no clusters that year: the draft is created and its render says why
    report.conclusion = conclusion_text(a)
    report.recommendations = recommendations_text(a)


def suggested_title(chosen: Chosen) -> str:
    """A full phrase for the pages («Анализ сетевого взаимодействия …»); the PDF drops the leading «Анализ»
    (reports.builders.document.title_lines), so it still prints «АНАЛИЗ» over «сетевого взаимодействия …»."""
    year = chosen.periods[-1].year if chosen.periods else ""
    district = district_genitive(chosen.programme.district.name)
    return (f"Анализ сетевого взаимодействия по результатам оценочных процедур\n"
            f"в системе образования {district} в {year} году")


# --- XLSX ----------------------------------------------------------------------------------------------


def tiers_sheet(report: Report) -> XlsxSheet:
    a, _ = report_analysis(report)
    columns = [XlsxColumn("Кластер", width=30), XlsxColumn("Организация", width=30), XlsxColumn("Уровень", width=14),
               XlsxColumn("Основание уровня", width=20), XlsxColumn(f"Индекс {a.year - 1}", width=12),
               XlsxColumn(f"Индекс {a.year}", width=12), XlsxColumn("Изменение", width=12)]
    rows = []
    for cluster in a.clusters:
        for row in tier_rows(a, cluster):
            before, after = row["raw"]
            change = after - before if before is not None and after is not None else None
            rows.append([cluster.name, row["organisation"], row["tier"], row["source"],
                         xlsx_number(before), xlsx_number(after), xlsx_number(change)])
    return XlsxSheet("Уровни", columns, rows)


def pairs_sheet(report: Report) -> XlsxSheet:
    a, _ = report_analysis(report)
    columns = [XlsxColumn("Кластер", width=30), XlsxColumn("ТОП-организация", width=28),
               XlsxColumn("Отстающая организация", width=28), XlsxColumn("Предмет", width=18),
               XlsxColumn("Статус", width=14), XlsxColumn("Проведено мероприятий", width=12),
               XlsxColumn("Запланировано", width=12), XlsxColumn("Формы", width=40)]
    rows = [[r["cluster"], r["mentor"], r["mentee"], r["subject"], r["status"], r["done"], r["planned"], r["forms"]]
            for r in pair_rows(a)]
    return XlsxSheet("Пары", columns, rows)


def practices_sheet(report: Report) -> XlsxSheet:
    a, _ = report_analysis(report)
    columns = [XlsxColumn("Практика", width=50), XlsxColumn("Организация", width=30), XlsxColumn("Проверено", width=12)]
    rows = [[p.title, p.organisation.short_name if p.organisation else "", "да" if p.is_verified else "нет"]
            for p in a.practices]
    return XlsxSheet("Практики", columns, rows)


def effect_sheet(report: Report) -> XlsxSheet:
    """Each figure by scope with its numerator, denominator and value (the paired/unpaired counts and means)."""
    a, _ = report_analysis(report)
    columns = [XlsxColumn("Объект", width=30), XlsxColumn("Показатель", width=60), XlsxColumn("Числитель", width=12),
               XlsxColumn("Знаменатель", width=12), XlsxColumn("Значение", width=12),
               XlsxColumn("В парах, ОУ", width=12), XlsxColumn("В парах, среднее изменение", width=14),
               XlsxColumn("Без пар, ОУ", width=12), XlsxColumn("Без пар, среднее изменение", width=14)]
    rows = []
    scopes = [("Район", effect.DISTRICT), *((f"Кластер «{c.name}»", c.pk) for c in a.clusters)]
    for label, key in scopes:
        names = [row["name"] for row in effect_rows(a, key)]
        for name, share in ((names[0], a.lagging.improved[key]), (names[2], a.tutoring[key]),
                            (names[3], a.tier_rise[key])):
            rows.append([label, name, share.numerator, share.denominator, xlsx_number(share.percent), None, None,
                         None, None])
        gain = a.lagging.gain[key]
        rows.append([label, names[1], None, None, xlsx_number(gain.difference), gain.paired_n,
                     xlsx_number(gain.paired_mean), gain.unpaired_n, xlsx_number(gain.unpaired_mean)])
    return XlsxSheet("Эффект", columns, rows)


def movement_sheet(report: Report) -> XlsxSheet:
    a, _ = report_analysis(report)
    table = movement_table(a)
    columns = [XlsxColumn(header, width=24 if index == 0 else 14) for index, header in enumerate(table["head"])]
    return XlsxSheet("Движение уровней", columns, [[row["label"], *row["cells"]] for row in table["rows"]])


SPEC = register(ReportKindSpec(
    code=CODE,
    label="Анализ сетевого взаимодействия по результатам оценочных процедур",
    help="Уровни организаций в кластерах с индексами результатов, наставнические пары и их мероприятия, "
         "практики года, показатели эффекта с планом и фактом, движение между уровнями, выводы и рекомендации.",
    heading="АНАЛИЗ",
    template="reports/pdf/network.html",
    parameters=ProgrammeParameters(
        with_scope=False,
        periods_help="Анализ проводится за год последнего отмеченного периода; план и факт показателей эффекта "
                     "— за все отмеченные.",
    ),
    build_context=build_context,
    sheets=(tiers_sheet, pairs_sheet, practices_sheet, effect_sheet, movement_sheet),
    suggested_title=suggested_title,
    prefill=prefill,
    min_periods=1,
    text_labels={"conclusion": "Выводы", "recommendations": "Рекомендации"},
    approval_word="УТВЕРЖДЁН",  # «анализ»
    has_charts=True,
    position=50,
))
