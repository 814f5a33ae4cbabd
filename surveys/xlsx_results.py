"""The results of a campaign as XLSX (written through core/xlsx.py, the one openpyxl module).

Sheets:
    «Сводка»          question, grid row, option, count, share (a number with the 0.0% format)
    «Ответы»          one row per response, in the random order of its public id: number, code
                      (Response.public_id), organisation, date, one column per question
                      (chosen options joined by «; », «Другое: …» with its text; a grid question
                      has one column per row, headed «вопрос — строка»)
    «По группам»      the same as «Сводка» for each organisation and cluster that may be shown on
                      its own (whole-campaign export only; small groups of anonymous campaigns are
                      left out)
    «Отклик»          organisation campaigns: each addressed organisation's status
    «О выгрузке»      campaign, group, number of responses, notes

A group of an anonymous campaign that the disclosure rule hides (surveys/disclosure.py) exports
no counts and no responses: «Сводка» carries the refusal message instead. Text typed by respondents that a
spreadsheet could take for a formula (= + - @ tab CR) is written as text (core/xlsx.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, F
from django.db.models.functions import Cast
from django.utils import timezone

from clusters.models import Organisation
from clusters.selectors import scope_organisation_ids
from core.scope import Scope
from core.xlsx import XlsxColumn, XlsxSheet, build_workbook_sheets

from . import results as r
from .models import Campaign, Question, QuestionKind
from .responses import questionnaire_structure
from .selectors import response_counts

SHARE_FORMAT = "0.0%"
NUMBER_FORMAT = "0.##"


def _fraction(share: Decimal | None) -> Decimal | None:
    """66.67 (percent) → 0.6667, which the 0.0% format shows as 66,7 %."""
    return None if share is None else share / 100


def _question_title(result: r.QuestionResult) -> str:
    return f"{result.number}. {result.question.text}"


def summary_rows(results: list[r.QuestionResult]) -> Iterator[list]:
    """Rows of «Сводка»: question, grid row, option/statistic, count, share."""
    for result in results:
        title = _question_title(result)
        yield [title, "", "Ответили на вопрос", result.respondents, _fraction(result.share_of_responses)]
        if result.is_grid:
            for line in result.grid:
                for cell in line.cells:
                    yield [title, line.label, cell.label, cell.count, _fraction(cell.share)]
        elif result.is_choice:
            for line in result.lines:
                label = f"{line.label} (свой вариант)" if line.is_other else line.label
                yield [title, "", label, line.count, _fraction(line.share)]
        elif result.is_number:
            stats = result.numbers
            yield [title, "", "Среднее", stats.mean, None]
            yield [title, "", "Минимум", stats.minimum, None]
            yield [title, "", "Максимум", stats.maximum, None]


SUMMARY_COLUMNS = (
    XlsxColumn("Вопрос", width=60),
    XlsxColumn("Строка таблицы", width=40),
    XlsxColumn("Вариант ответа / показатель", width=45),
    XlsxColumn("Количество", width=12, number_format=NUMBER_FORMAT),
    XlsxColumn("Доля", width=10, number_format=SHARE_FORMAT),
)


def _summary(campaign_results: r.CampaignResults) -> Iterator[list]:
    if campaign_results.suppressed:
        yield [r.SUPPRESSED_MESSAGE, "", "", None, None]
        return
    yield ["Всего анкет", "", "", campaign_results.responses, None]
    yield from summary_rows(campaign_results.questions)


def _by_group(groups: list[r.BreakdownResults]) -> Iterator[list]:
    for group in groups:
        yield [group.group.label, "Всего анкет", "", "", group.responses, None]
        for row in summary_rows(group.questions):
            yield [group.group.label, *row]


# --- raw responses ------------------------------------------------------------------------------


def raw_columns(questions: list[Question]) -> tuple[list[XlsxColumn], list[tuple[int, int | None]]]:
    """Columns of «Ответы» and, for each answer column, (question id, grid row id or None)."""
    columns = [XlsxColumn("№", width=8), XlsxColumn("Код анкеты", width=38), XlsxColumn("Организация", width=30),
               XlsxColumn("Дата", width=12)]
    keys: list[tuple[int, int | None]] = []
    for number, question in enumerate(questions, start=1):
        if question.is_grid:
            for row in question.rows.all():
                columns.append(XlsxColumn(f"{number}. {question.text} — {row.text}", width=30))
                keys.append((question.pk, row.pk))
        else:
            columns.append(XlsxColumn(f"{number}. {question.text}", width=30))
            keys.append((question.pk, None))
    return columns, keys


def raw_rows(campaign: Campaign, group: Scope, questions: list[Question],
             keys: list[tuple[int, int | None]], *, chunk_size: int = 5000) -> Iterator[list]:
    """One row per submitted response of the group, in the random order of its public id (Response.public_id:
    neither the order nor the number of a row tells when a response came): number, code, organisation (only
    where `shown_organisations` allows), date, then the answer columns of `keys`.

    One streamed query, the responses LEFT JOINed to their answers in (public id, answer id) order, grouped
    here as they come: a 200,000-response campaign (1.24 million answer rows) is read once, without holding
    it in memory. On PostgreSQL the code comes as text (no UUID object per answer row)."""
    option_text = {o.pk: o.text for q in questions for o in q.options.all()}
    other = {q.pk: r.other_label(q) for q in questions if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)}
    position = {key: index for index, key in enumerate(keys)}
    responses = r.submitted_responses(campaign)
    organisation_ids = scope_organisation_ids(group)
    if organisation_ids is not None:
        responses = responses.filter(organisation_id__in=list(organisation_ids))
    shown = r.shown_organisations(campaign, response_counts(campaign))
    names = dict(Organisation.objects.filter(pk__in=shown).values_list("pk", "short_name"))
    code = Cast("public_id", CharField()) if connection.vendor == "postgresql" else F("public_id")
    stream = responses.annotate(code=code).order_by("public_id", "answers__id").values_list(
        "code", "organisation_id", "submitted_on", "answers__question_id", "answers__row_id", "answers__option_id",
        "answers__text", "answers__number",
    ).iterator(chunk_size=chunk_size)
    number, current, head, cells = 0, None, [], []
    for public_id, organisation_id, submitted_on, question_id, row_id, option_id, text, value in stream:
        if public_id != current:
            if current is not None:
                yield [*head, *map(_cell_value, cells)]
            number, current = number + 1, public_id
            head = [number, str(public_id), names.get(organisation_id, ""), submitted_on]
            cells = [[] for _ in keys]
        index = position.get((question_id, row_id))
        if index is None:  # no answer at all (LEFT JOIN), or one outside the questionnaire's structure
            continue
        if option_id is not None:
            cells[index].append(option_text.get(option_id, ""))
        elif value is not None:
            cells[index].append(value)
        elif question_id in other:
            cells[index].append(f"{other[question_id]}: {text}")
        else:
            cells[index].append(text)
    if current is not None:
        yield [*head, *map(_cell_value, cells)]


def _cell_value(parts: list):
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return "; ".join(str(p) for p in parts)


# --- the workbook -------------------------------------------------------------------------------


def raw_row_count(campaign: Campaign, group: Scope) -> int:
    """Rows of «Ответы»: the group's submitted responses, from the kept counts (no pass over the responses)."""
    counts = response_counts(campaign)
    organisation_ids = scope_organisation_ids(group)
    if organisation_ids is None:
        return sum(counts.values())
    return sum(counts.get(pk, 0) for pk in set(organisation_ids))


def results_workbook(campaign: Campaign, group: Scope, *, by_groups: bool = True) -> bytes:
    """The whole export of a campaign (or of one group of it) as XLSX bytes."""
    return build_workbook_sheets(results_sheets(campaign, group, by_groups=by_groups))


def results_sheets(campaign: Campaign, group: Scope, *, by_groups: bool = True,
                   raw: Callable[[Iterator[list]], Iterator[list]] | None = None) -> list[XlsxSheet]:
    """The sheets of the export, their rows streamed when written; `raw` wraps the rows of «Ответы» (an
    export job counts them for its progress, surveys/export_jobs.py)."""
    questions = questionnaire_structure(campaign.questionnaire)
    results = r.campaign_results(campaign, group, questions=questions, with_texts=False)
    columns, keys = raw_columns(questions)
    rows = () if results.suppressed else raw_rows(campaign, group, questions, keys)
    sheets = [
        XlsxSheet("Сводка", SUMMARY_COLUMNS, _summary(results)),
        XlsxSheet("Ответы", columns, raw(iter(rows)) if raw else rows),
    ]
    if by_groups and group.is_district:
        sheets.append(XlsxSheet(
            "По группам", (XlsxColumn("Организация / кластер", width=35), *SUMMARY_COLUMNS),
            _by_group(r.results_by_group(campaign, questions)),
        ))
    if not campaign.questionnaire.is_anonymous and group.is_district:
        participation = r.participation(campaign)
        sheets.append(XlsxSheet(
            "Отклик",
            (XlsxColumn("Организация", width=40), XlsxColumn("Статус анкеты", width=16),
             XlsxColumn("Дата отправки", width=14)),
            ([row.organisation.short_name, row.status_label, row.submitted_on] for row in participation.rows),
        ))
    sheets.append(XlsxSheet("О выгрузке", (XlsxColumn("Параметр", width=30), XlsxColumn("Значение", width=80)),
                            _about(campaign, results)))
    return sheets


def _about(campaign: Campaign, results: r.CampaignResults) -> list[list]:
    local = timezone.localtime
    rows = [
        ["Кампания", campaign.title],
        ["Анкета", str(campaign.questionnaire)],
        ["Сроки", f"{local(campaign.opens_at):%d.%m.%Y} — {local(campaign.closes_at):%d.%m.%Y}"],
        ["Выборка", results.group.label],
        ["Анкет в выборке", r.SUPPRESSED_MESSAGE if results.suppressed else results.responses],
        ["Выгружено", f"{local(timezone.now()):%d.%m.%Y %H:%M}"],
        ["Доли", r.MULTIPLE_CHOICE_NOTE],
    ]
    if campaign.questionnaire.is_anonymous:
        rows.append(["Анонимность", (
            f"Опрос анонимный: организации и кластеры, где меньше {r.K_ANONYMITY} ответов или где вычитанием "
            f"из показанных чисел можно получить ответы группы меньше {r.K_ANONYMITY} человек, отдельно не "
            "показаны; организация у анкеты указана, только если сама организация показана. "
            "Порядок и коды анкет случайны и не говорят, когда анкета пришла."
        )])
    return rows
