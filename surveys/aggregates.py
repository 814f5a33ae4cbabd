"""Survey results from counts kept up to date (surveys.models.AnswerCount), not from every answer.

The results page, its XLSX and the survey reports read a campaign's counts per organisation from
AnswerCount and sum them in the database (the whole campaign, a cluster = its organisations), so
reading results costs the same for 200 answers and for 200,000. The rows are:

    measure RESPONSES   (organisation)                     submitted responses of the group
    measure ANSWERS     (organisation, question, row, option)  answer rows: an option, a grid cell,
                                                           «Другое» or a text (option NULL), a number
    measure QUESTION    (organisation, question)           respondents who answered the question
                                                           (distinct responses); for numbers also
                                                           the sum, minimum and maximum

Writers, each in the transaction that changes the answers:

- an anonymous submission adds its response's counts (`response_counted`): one upsert that adds
  to the existing rows (INSERT … ON CONFLICT DO UPDATE on the unique index, NULL keys as 0), so
  concurrent submissions through one link add up instead of overwriting each other;
- an organisation response (one per organisation, drafts do not count, edits until the campaign
  closes) recounts its organisation's rows from its answers (`organisation_recounted`): a minimum
  cannot be un-added, and one response is cheap to read again;
- anything that writes answers in bulk (the demo, `generate_city`, a data migration) calls
  `campaign_rebuilt` afterwards, or `manage.py rebuild_survey_counts`. A rebuild locks the counts
  table on PostgreSQL (SHARE ROW EXCLUSIVE) for its transaction: a submission that already
  counted is committed first and seen by the rebuild, one that has not waits and adds to the
  rebuilt rows, so a rebuild while answers come in loses and doubles nothing.

Responses are never deleted one by one (a campaign's deletion cascades to its counts).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Sum

from .models import Answer, AnswerCount, Campaign, Measure, Response, ResponseStatus

# The unique index answer_count_unique_key, as ON CONFLICT names it (PostgreSQL and SQLite ≥ 3.24).
_COLUMNS = ("campaign_id", "organisation_id", "measure", "question_id", "row_id", "option_id",
            "count", "total", "minimum", "maximum")
_UPSERT = f"""
INSERT INTO {AnswerCount._meta.db_table} ({", ".join(_COLUMNS)}) VALUES ({", ".join(["%s"] * len(_COLUMNS))})
ON CONFLICT (campaign_id, COALESCE(organisation_id, 0), measure, COALESCE(question_id, 0),
             COALESCE(row_id, 0), COALESCE(option_id, 0))
DO UPDATE SET
    count = {AnswerCount._meta.db_table}.count + excluded.count,
    total = COALESCE({AnswerCount._meta.db_table}.total + excluded.total,
                     {AnswerCount._meta.db_table}.total, excluded.total),
    minimum = CASE WHEN {AnswerCount._meta.db_table}.minimum IS NULL OR excluded.minimum < {AnswerCount._meta.db_table}.minimum
                   THEN excluded.minimum ELSE {AnswerCount._meta.db_table}.minimum END,
    maximum = CASE WHEN {AnswerCount._meta.db_table}.maximum IS NULL OR excluded.maximum > {AnswerCount._meta.db_table}.maximum
                   THEN excluded.maximum ELSE {AnswerCount._meta.db_table}.maximum END
"""


def response_counted(response: Response, answers: Iterable[Answer]) -> None:
    """Add one submitted response and its answers to its campaign's counts (one statement)."""
    answers = list(answers)
    key = (response.campaign_id, response.organisation_id)
    cells = Counter((a.question_id, a.row_id, a.option_id) for a in answers)
    numbers: dict[int, list[Decimal]] = {}
    for a in answers:
        numbers.setdefault(a.question_id, [])
        if a.number is not None:
            numbers[a.question_id].append(Decimal(a.number))
    rows = [(*key, Measure.RESPONSES, None, None, None, 1, None, None, None)]
    rows += [(*key, Measure.ANSWERS, q, r, o, n, None, None, None) for (q, r, o), n in cells.items()]
    rows += [
        (*key, Measure.QUESTION, q, None, None, 1, sum(values) if values else None,
         min(values, default=None), max(values, default=None))
        for q, values in numbers.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT, rows)


def counted_rows(campaign: Campaign, organisation_ids: Iterable[int | None] | None = None, *,
                 models=None) -> list[AnswerCount]:
    """The campaign's counts computed from its submitted responses and answers (three GROUP BYs).

    `organisation_ids` narrows to those organisations (None in it: the general link). `models`
    (Answer, Response, AnswerCount) lets a data migration pass its historical models.
    """
    answer_model, response_model, count_model = models or (Answer, Response, AnswerCount)
    responses = response_model.objects.filter(campaign_id=campaign.pk, status=ResponseStatus.SUBMITTED)
    answers = answer_model.objects.filter(campaign_id=campaign.pk, response__status=ResponseStatus.SUBMITTED)
    if organisation_ids is not None:
        organisation_ids = list(organisation_ids)
        chosen = Q(organisation_id__in=[pk for pk in organisation_ids if pk is not None])
        if None in organisation_ids:
            chosen |= Q(organisation_id__isnull=True)
        responses = responses.filter(chosen)
        answers = answers.filter(response__in=responses.values("pk"))

    def row(measure, values, **fields):
        return count_model(campaign_id=campaign.pk, organisation_id=values["response__organisation_id"],
                           measure=measure, **fields)

    rows = [
        count_model(campaign_id=campaign.pk, organisation_id=r["organisation_id"], measure=Measure.RESPONSES,
                    count=r["n"])
        for r in responses.values("organisation_id").annotate(n=Count("id")).order_by()
    ]
    by = "response__organisation_id"
    rows += [
        row(Measure.ANSWERS, r, question_id=r["question_id"], row_id=r["row_id"], option_id=r["option_id"],
            count=r["n"])
        for r in answers.values(by, "question_id", "row_id", "option_id").annotate(n=Count("id")).order_by()
    ]
    rows += [
        row(Measure.QUESTION, r, question_id=r["question_id"], count=r["n"], total=r["total"], minimum=r["lo"],
            maximum=r["hi"])
        for r in answers.values(by, "question_id").annotate(
            n=Count("response_id", distinct=True), total=Sum("number"), lo=Min("number"), hi=Max("number")
        ).order_by()
    ]
    return rows


def _lock_counts() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {AnswerCount._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def campaign_rebuilt(campaign: Campaign) -> int:
    """Recount a whole campaign from its answers (after bulk writes); returns the rows written."""
    with transaction.atomic():
        _lock_counts()
        AnswerCount.objects.filter(campaign=campaign).delete()
        rows = AnswerCount.objects.bulk_create(counted_rows(campaign), batch_size=2_000)
    return len(rows)


def organisation_recounted(campaign: Campaign, organisation_id: int) -> None:
    """Recount one organisation's rows (its organisation response was saved, submitted or edited)."""
    with transaction.atomic():
        AnswerCount.objects.filter(campaign=campaign, organisation_id=organisation_id).delete()
        AnswerCount.objects.bulk_create(counted_rows(campaign, [organisation_id]))
