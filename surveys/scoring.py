"""Points of criteria questionnaires: «наличие – 1 балл, отсутствие – 0 баллов» per chosen option.

An organisation's total in a campaign is the sum of the points of the options it chose in its
submitted response; drafts do not count. Shared by the results pages and the monitoring indicator
registered on it.
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Max, Q, Sum

from .models import Answer, Campaign, Option, QuestionKind, Questionnaire, ResponseStatus


def criteria_total_by_organisation(campaign: Campaign) -> dict[int, Decimal]:
    """{organisation id: total points} over the campaign's submitted organisation responses — one query.

    An organisation without a submitted response is absent (not 0); one that chose only
    «отсутствие» options has 0.
    """
    rows = (
        Answer.objects.filter(
            campaign=campaign,
            response__status=ResponseStatus.SUBMITTED,
            response__for_organisation=True,
            option__points__isnull=False,
        )
        .values("response__organisation")
        .annotate(total=Sum("option__points"))
        .order_by()
    )
    return {row["response__organisation"]: Decimal(row["total"]) for row in rows}


def criteria_max_total(questionnaire: Questionnaire) -> Decimal:
    """The highest total a questionnaire allows — one query.

    A single-choice question counts its best option; a multiple-choice one all its positive options.
    """
    rows = (
        Option.objects.filter(question__questionnaire=questionnaire, points__isnull=False)
        .values("question", "question__kind")
        .annotate(best=Max("points"), positive=Sum("points", filter=Q(points__gt=0)))
        .order_by()
    )
    total = Decimal(0)
    for row in rows:
        if row["question__kind"] == QuestionKind.MULTIPLE:
            total += Decimal(row["positive"] or 0)
        else:
            total += max(Decimal(row["best"]), Decimal(0))
    return total
