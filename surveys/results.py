"""Results of a survey campaign: counts and shares per question, by group, with k-anonymity.

Counts come from the campaign's kept counts (surveys.models.AnswerCount, written with each
submission by surveys/aggregates.py), one query whatever the number of questions or answers:
per organisation, the submitted responses, the answer rows per (question, row, option) — one
count per option, grid cell and «Другое» (an answer of a choice question without an option is its
«Другое» text) —, the respondents per question (distinct responses: a multiple choice or grid
question stores several rows per respondent) and, for numbers, count, sum, min and max. A group
of organisations (the whole campaign, a cluster) is the sum of its organisations' rows, summed in
the database. Only the free texts are read from the answers: the first N free texts and «Другое»
texts per question (one query, each question's first N through a partial index).

Shares are of the respondents who answered the question (a grid row: who answered the row).
In a multiple choice question one respondent may tick several options, so shares can add up to
more than 100 %.

Drafts never count (they have no kept counts). Anonymous responses are stored submitted, in the
same transaction as their answers and their counts (responses.anonymous_response_submit), so for
teacher campaigns the texts are read without a join; organisation campaigns, which have drafts,
join Response to skip them.

Groups. The results can be narrowed to an organisation (respondents through its link, or its own
response) or to a cluster of the campaign's year (the organisations of the cluster's
memberships). A group is a registry scope (core.scope.Scope, keys "organisation:7", "cluster:3");
the whole campaign is its district's scope, labelled «Все ответы» and sent as an empty `?group=`. A response belongs to one organisation at most, so counts of a set of
organisations are sums of the organisations' counts: breaking a campaign down by organisation is
the same queries with the organisation in the GROUP BY, and clusters are sums of those.

K-anonymity. A teacher campaign is anonymous: an organisation or cluster is shown on its own
only when surveys/disclosure.py allows it — at least K_ANONYMITY respondents, and no shown parent
(cluster, whole campaign) left with a remainder of 1 … K−1 respondents once its shown subgroups
are taken away (secondary suppression: otherwise a cluster of 6 minus a school of 5 is the sixth
teacher's answers). A group that may not be shown says SUPPRESSED_MESSAGE on the page, exports
leave it out, a response's organisation is printed only for a shown organisation, and the
participation table hides the counts of organisations that are not shown. The rule holds for
every reader. Organisation campaigns are answered in the organisation's name and are not anonymous.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from clusters.models import Organisation
from clusters.selectors import scope_choices, scope_from_key, scope_organisation_ids
from core import formatting
from core.permissions import can, require
from core.scope import Scope, ScopeKind, ScopeNotFound, parse_scope_key
from imc_portal.models import User
from monitoring.calculations import share_percent

from .disclosure import K_ANONYMITY, Disclosure
from .models import Answer, AnswerCount, Campaign, Measure, Question, QuestionKind, Response, ResponseStatus
from .responses import questionnaire_structure
from .selectors import campaign_year, campaigns_for_user, cluster_memberships, response_counts
from .selectors import shown_groups as disclosure

SUPPRESSED_MESSAGE = (
    "Не показывается отдельно: меньше 5 ответов, или по этой группе и уже показанным можно было бы "
    "вычислить ответы группы меньше 5 человек"
)
HIDDEN_COUNT = "скрыто"  # a count of a group that may not be shown
MULTIPLE_CHOICE_NOTE = (
    "В вопросах, где можно выбрать несколько вариантов, доли считаются от ответивших на вопрос, "
    "и их сумма может превышать 100 %."
)
VIEW_ALL = "surveys.view_results"  # every campaign of the district, whole or by group
VIEW_OWN = "surveys.view_own_results"  # organisation campaigns, narrowed to one's own organisation
TEXT_LIMIT = 30  # texts shown per question on the page; the XLSX has all of them
WINDOW_TEXTS = 5_000  # up to this many texts, the page's first ones are picked in one pass (free_texts)

ALL = ""  # the group key of the whole campaign (in the filter and in tallies)
WHOLE_LABEL = "Все ответы"

# (question_id, row_id, option_id) → number of answer rows
CountKey = tuple[int, int | None, int | None]


# --- access -------------------------------------------------------------------------------------


def sees_whole_campaign(user: User) -> bool:
    """ИМЦ staff read whole campaigns and any group; a school administrator only their own school."""
    return can(user, VIEW_ALL)


def campaign_for_results(*, user: User, pk: int) -> Campaign:
    """The campaign whose results `user` may read, else 404 (outside the scope) or 403.

    ИМЦ staff (methodist, director, observer) read every campaign of their district. A school
    administrator reads only organisation campaigns addressed to their school, and only their
    own organisation's answers; the anonymous answers of their teachers are refused (403): the
    teachers answer their employer's questions about methodical support, and a head who could
    read them school by school would make the survey anonymous in name only.
    """
    require(user, VIEW_ALL, VIEW_OWN)
    campaign = campaigns_for_user(user).select_related("questionnaire", "district").filter(pk=pk).first()
    if campaign is None:
        raise Http404("Кампания анкетирования не найдена.")
    if not sees_whole_campaign(user) and campaign.questionnaire.is_anonymous:
        raise PermissionDenied(
            "Результаты анонимного опроса педагогов доступны только сотрудникам ИМЦ. "
            "Администратор ОУ видит результаты анкет, которые заполняет организация."
        )
    return campaign


# --- groups -------------------------------------------------------------------------------------


def whole_campaign(campaign: Campaign) -> Scope:
    """Every submitted response, with an organisation or without (a general link's)."""
    return Scope(ScopeKind.DISTRICT, campaign.district_id, WHOLE_LABEL, campaign.district_id)


def group_from_key(campaign: Campaign, key: str | None) -> Scope:
    """Parse "" / "organisation:7" / "cluster:3" within the campaign's district, else 404."""
    try:
        if parse_scope_key(key)[0] == ScopeKind.DISTRICT:
            return whole_campaign(campaign)
        group = scope_from_key(key, district=campaign.district)
    except ScopeNotFound:
        raise Http404("Такой организации или кластера нет в районе кампании.") from None
    return group.relabelled(group.title) if group.is_cluster else group  # «Кластер «Север» (2021)»


def group_for_user(campaign: Campaign, user: User, key: str | None) -> Scope:
    """A school administrator always gets their own organisation, whatever the key says."""
    if not sees_whole_campaign(user):
        return group_from_key(campaign, f"organisation:{user.organisation_id}")
    return group_from_key(campaign, key)


def addressed_q(campaign: Campaign) -> Q:
    """The organisations a campaign is addressed to: the chosen ones, else the district's active ones.
    Whether any were chosen is asked once per campaign object (the filter and the participation table)."""
    chosen = campaign.__dict__.get("_has_chosen_organisations")
    if chosen is None:
        chosen = campaign.__dict__["_has_chosen_organisations"] = campaign.organisations.exists()
    return Q(campaigns=campaign) if chosen else Q(is_active=True)


def group_choices(campaign: Campaign) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices of the results filter: all; organisations; clusters of the campaign's year."""
    addressed = addressed_q(campaign)
    organisations = Organisation.objects.filter(addressed | Q(pk__in=_responded(campaign))).distinct()
    year = campaign_year(campaign)
    scopes = scope_choices(campaign.district, year=year, organisations=organisations)
    return [
        ("", [(ALL, WHOLE_LABEL)]),
        ("Организации", [(s.key, s.name) for s in scopes if s.is_organisation]),
        (f"Кластеры {year} года", [(s.key, s.name) for s in scopes if s.is_cluster]),
    ]


def _responded(campaign: Campaign) -> QuerySet:
    """Organisation ids that answered: an anonymous campaign's from its kept counts (thousands of
    responses, all submitted), an organisation campaign's from its responses (one per organisation,
    drafts included)."""
    if campaign.questionnaire.is_anonymous:
        return AnswerCount.objects.filter(campaign=campaign, measure=Measure.RESPONSES).values("organisation_id")
    return Response.objects.filter(campaign=campaign).values("organisation_id")


# --- counting -----------------------------------------------------------------------------------


@dataclass
class NumberStats:
    count: int = 0
    total: Decimal = Decimal(0)
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def mean(self) -> Decimal | None:
        return self.total / self.count if self.count else None

    def add(self, other: NumberStats) -> None:
        self.count += other.count
        self.total += other.total
        lows = [v for v in (self.minimum, other.minimum) if v is not None]
        highs = [v for v in (self.maximum, other.maximum) if v is not None]
        self.minimum = min(lows) if lows else None
        self.maximum = max(highs) if highs else None


@dataclass
class Tally:
    """The raw counts of one group: responses, answer rows, distinct respondents, numbers."""

    responses: int = 0
    counts: dict[CountKey, int] = field(default_factory=dict)
    respondents: dict[int, int] = field(default_factory=dict)  # multiple choice and grid questions only
    numbers: dict[int, NumberStats] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        """Add a disjoint group (another organisation's respondents)."""
        self.responses += other.responses
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        for key, n in other.respondents.items():
            self.respondents[key] = self.respondents.get(key, 0) + n
        for key, stats in other.numbers.items():
            self.numbers.setdefault(key, NumberStats()).add(stats)


def submitted_responses(campaign: Campaign) -> QuerySet[Response]:
    return Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)


def submitted_answers(campaign: Campaign) -> QuerySet[Answer]:
    answers = Answer.objects.filter(campaign=campaign)
    if not campaign.questionnaire.is_anonymous:
        answers = answers.filter(response__status=ResponseStatus.SUBMITTED)
    return answers


def tallies(
    campaign: Campaign,
    questions: list[Question],
    *,
    organisation_ids: Iterable[int] | None = None,
    by_organisation: bool = False,
) -> dict[int | None | str, Tally]:
    """Counts of the campaign (key ALL), or of each organisation (key = organisation id, None for
    the general link) when `by_organisation`; `organisation_ids` narrows to those organisations.

    One query over the campaign's kept counts (surveys/aggregates.py), summed over the
    organisations in the database, whatever the number of questions, organisations or answers.
    `questions` is kept for the callers; every question's counts come back.
    """
    rows = AnswerCount.objects.filter(campaign=campaign)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    by = ["organisation_id"] if by_organisation else []
    rows = rows.values(*by, "measure", "question_id", "row_id", "option_id").annotate(
        n=Sum("count"), total=Sum("total"), lo=Min("minimum"), hi=Max("maximum")
    ).order_by()
    result: dict[int | None | str, Tally] = {} if by_organisation else {ALL: Tally()}
    for row in rows:
        tally = result.setdefault(row["organisation_id"] if by_organisation else ALL, Tally())
        question_id = row["question_id"]
        if row["measure"] == Measure.RESPONSES:
            tally.responses = row["n"]
        elif row["measure"] == Measure.ANSWERS:
            tally.counts[(question_id, row["row_id"], row["option_id"])] = row["n"]
        else:
            tally.respondents[question_id] = row["n"]
            if row["total"] is not None:
                tally.numbers[question_id] = NumberStats(
                    row["n"], Decimal(row["total"]), Decimal(row["lo"]), Decimal(row["hi"])
                )
    return result


def free_texts(
    campaign: Campaign,
    question_ids: list[int],
    *,
    organisation_ids: Iterable[int] | None = None,
    limit: int | None = TEXT_LIMIT,
    expected: int | None = None,
) -> dict[int, list[str]]:
    """Free texts and «Другое» texts, in the order they came, at most `limit` per question.

    One query. With a limit (the page) and more than WINDOW_TEXTS texts `expected` (the kept
    counts know how many) or unknown, a UNION ALL of one `ORDER BY id LIMIT n` subquery per
    question, which the partial index answer_texts_idx (campaign, question, id where no option
    and no row) serves by reading n rows each: the page's cost does not grow with the campaign's
    answers. A few thousand texts are numbered by a window function in one pass instead (cheaper
    than planning a subquery per question). Without a limit (the XLSX), every text in order.
    """
    if not question_ids:
        return {}
    answers = submitted_answers(campaign).filter(
        question_id__in=question_ids, option__isnull=True, row__isnull=True, number__isnull=True
    ).exclude(text="")
    if organisation_ids is not None:
        answers = answers.filter(response__organisation_id__in=list(organisation_ids))
    if limit is None or (expected is not None and expected <= WINDOW_TEXTS):
        if limit is not None:
            answers = answers.annotate(
                position=Window(RowNumber(), partition_by=[F("question_id")], order_by=[F("id").asc()])
            ).filter(position__lte=limit)
        rows = list(answers.order_by("question_id", "id").values_list("question_id", "id", "text"))
    else:
        parts, params = [], []
        for position, question_id in enumerate(sorted(set(question_ids))):
            sql, part_params = (answers.filter(question_id=question_id).order_by("id")
                                .values_list("question_id", "id", "text")[:limit].query.sql_with_params())
            parts.append(f"SELECT * FROM ({sql}) texts_{position}")
            params.extend(part_params)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    texts: dict[int, list[str]] = {}
    for question_id, _, text in rows:
        texts.setdefault(question_id, []).append(text)
    return texts


# --- building the results (no database below, until the raw rows) ----------------------------


@dataclass
class Line:
    """One option of a choice question (or «Другое»), or one cell of a grid row."""

    label: str
    count: int
    share: Decimal | None
    is_other: bool = False

    # The page prints these (the template's floatformat cost ~80 µs a cell through the locale machinery).
    @property
    def count_text(self) -> str:
        return formatting.integer(self.count)

    @property
    def share_text(self) -> str:
        """«66,7» (the page adds «&nbsp;%»), or "" without a share."""
        return "" if self.share is None else formatting.number(self.share, 1, thousands="")


@dataclass
class GridLine:
    label: str
    respondents: int
    cells: list[Line]

    @property
    def respondents_text(self) -> str:
        return formatting.integer(self.respondents)


@dataclass
class QuestionResult:
    question: Question
    number: int
    respondents: int
    share_of_responses: Decimal | None
    lines: list[Line] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    grid: list[GridLine] = field(default_factory=list)
    numbers: NumberStats | None = None
    text_count: int = 0  # free texts, or «Другое» texts of a choice question
    texts: list[str] = field(default_factory=list)
    chart: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def is_choice(self) -> bool:
        return self.question.is_choice

    @property
    def is_multiple(self) -> bool:
        return self.question.kind == QuestionKind.MULTIPLE

    @property
    def is_grid(self) -> bool:
        return self.question.is_grid

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT

    @property
    def is_number(self) -> bool:
        return self.question.kind == QuestionKind.NUMBER

    @property
    def more_texts(self) -> int:
        return max(0, self.text_count - len(self.texts))

    @property
    def respondents_text(self) -> str:
        return formatting.integer(self.respondents)

    @property
    def share_of_responses_text(self) -> str:
        return "" if self.share_of_responses is None else formatting.number(self.share_of_responses, 1, thousands="")


def other_label(question: Question) -> str:
    return question.other_label or "Другое"


def question_result(question: Question, number: int, tally: Tally) -> QuestionResult:
    """Counts and shares of one question from the group's tally."""
    counts = tally.counts
    qid = question.pk
    if question.is_grid:
        columns = list(question.options.all())
        grid = []
        for row in question.rows.all():
            cells = [counts.get((qid, row.pk, option.pk), 0) for option in columns]
            answered = sum(cells)
            grid.append(GridLine(row.text, answered, [
                Line(option.text, n, share_percent(n, answered)) for option, n in zip(columns, cells, strict=True)
            ]))
        respondents = tally.respondents.get(qid, 0)
        return QuestionResult(question, number, respondents, share_percent(respondents, tally.responses),
                              columns=[o.text for o in columns], grid=grid)
    if question.is_choice:
        option_counts = [(option, counts.get((qid, None, option.pk), 0)) for option in question.options.all()]
        other = counts.get((qid, None, None), 0)
        if question.kind == QuestionKind.MULTIPLE:
            respondents = tally.respondents.get(qid, 0)
        else:
            respondents = sum(n for _, n in option_counts) + other
        lines = [Line(option.text, n, share_percent(n, respondents)) for option, n in option_counts]
        if question.allow_other or other:
            lines.append(Line(other_label(question), other, share_percent(other, respondents), is_other=True))
        return QuestionResult(question, number, respondents, share_percent(respondents, tally.responses),
                              lines=lines, text_count=other)
    if question.kind == QuestionKind.NUMBER:
        stats = tally.numbers.get(qid, NumberStats())
        return QuestionResult(question, number, stats.count, share_percent(stats.count, tally.responses),
                              numbers=stats)
    answered = counts.get((qid, None, None), 0)
    return QuestionResult(question, number, answered, share_percent(answered, tally.responses), text_count=answered)


def question_results(questions: list[Question], tally: Tally) -> list[QuestionResult]:
    return [question_result(q, number, tally) for number, q in enumerate(questions, start=1)]


def text_question_ids(questions: Iterable[Question]) -> list[int]:
    return [q.pk for q in questions if q.kind == QuestionKind.TEXT or q.is_choice]


@dataclass
class CampaignResults:
    campaign: Campaign
    group: Scope
    responses: int
    suppressed: bool
    questions: list[QuestionResult]

    @property
    def has_multiple_choice(self) -> bool:
        return any(q.is_multiple for q in self.questions)

    @property
    def responses_text(self) -> str:
        return formatting.integer(self.responses)


def is_suppressed(campaign: Campaign, group: Scope, shown: Disclosure | None = None) -> bool:
    """An organisation or cluster of an anonymous campaign that the disclosure rule hides."""
    if not campaign.questionnaire.is_anonymous or group.is_district:
        return False
    shown = shown or disclosure(campaign)
    return not (shown.shows_cluster(group.id) if group.is_cluster else shown.shows_organisation(group.id))


def campaign_results(
    campaign: Campaign,
    group: Scope | None = None,
    *,
    questions: list[Question] | None = None,
    text_limit: int | None = TEXT_LIMIT,
    with_texts: bool = True,
) -> CampaignResults:
    """Every question's counts and shares for a group (default: the whole campaign)."""
    group = group or whole_campaign(campaign)
    if questions is None:
        questions = questionnaire_structure(campaign.questionnaire)
    organisation_ids = scope_organisation_ids(group)
    if organisation_ids is not None and not organisation_ids:
        tally = Tally()  # a cluster without organisations
    else:
        tally = tallies(campaign, questions, organisation_ids=organisation_ids)[ALL]
    if is_suppressed(campaign, group):
        return CampaignResults(campaign, group, tally.responses, True, [])
    results = question_results(questions, tally)
    if with_texts and tally.responses:
        counts = {pk: tally.counts.get((pk, None, None), 0) for pk in text_question_ids(questions)}
        texts = free_texts(campaign, [pk for pk, n in counts.items() if n], organisation_ids=organisation_ids,
                           limit=text_limit, expected=sum(counts.values()))
        for result in results:
            result.texts = texts.get(result.question.pk, [])
    return CampaignResults(campaign, group, tally.responses, False, results)


@dataclass
class BreakdownResults:
    """One group's line in the breakdown by organisation and cluster."""

    group: Scope
    responses: int
    questions: list[QuestionResult]


def results_by_group(campaign: Campaign, questions: list[Question]) -> list[BreakdownResults]:
    """Every organisation, then every cluster of the campaign's year, that may be shown on its own.

    Groups of an anonymous campaign that the disclosure rule hides are left out; so is a group
    without responses. Three or four queries for the organisations, one for the clusters.
    """
    by_organisation = tallies(campaign, questions, by_organisation=True)
    clusters = cluster_memberships(campaign)
    shown = disclosure(campaign, {pk: t.responses for pk, t in by_organisation.items()}, clusters)
    names = dict(Organisation.objects.filter(pk__in=[k for k in by_organisation if k is not None])
                 .values_list("pk", "short_name"))
    district_id = campaign.district_id
    groups: list[tuple[Scope, Tally]] = [
        (Scope(ScopeKind.ORGANISATION, pk, names[pk], district_id, name=names[pk]), by_organisation[pk])
        for pk in sorted(names, key=lambda pk: names[pk])
        if shown.shows_organisation(pk)
    ]
    year = campaign_year(campaign)
    for cluster_id, (name, organisation_ids) in clusters.items():
        if not shown.shows_cluster(cluster_id):
            continue
        tally = Tally()
        for organisation_id in organisation_ids:
            if organisation_id in by_organisation:
                tally.add(by_organisation[organisation_id])
        # All of the campaign's year, so the label leaves the year out.
        groups.append((Scope(ScopeKind.CLUSTER, cluster_id, f"Кластер «{name}»", district_id, year, name), tally))
    return [
        BreakdownResults(group, tally.responses, question_results(questions, tally))
        for group, tally in groups
        if tally.responses
    ]


# --- participation ------------------------------------------------------------------------------


@dataclass
class ParticipationRow:
    organisation: Organisation
    submitted: int
    drafts: int
    submitted_on: object = None
    hidden: bool = False  # an anonymous campaign's count the disclosure rule hides

    @property
    def submitted_text(self) -> str:
        return formatting.integer(self.submitted)

    @property
    def submitted_on_text(self) -> str:
        return self.submitted_on.strftime(formatting.DATE_FORMAT) if self.submitted_on else formatting.DASH

    @property
    def status_label(self) -> str:
        if self.submitted:
            return "отправлена"
        return "черновик" if self.drafts else "не начата"


@dataclass
class Participation:
    """Who answered: per addressed organisation (and the general link for teacher campaigns)."""

    rows: list[ParticipationRow]
    general_link: int = 0
    general_link_hidden: bool = False

    @property
    def addressed(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.submitted)

    @property
    def drafts(self) -> int:
        return sum(1 for r in self.rows if not r.submitted and r.drafts)

    @property
    def not_started(self) -> int:
        return self.addressed - self.submitted - self.drafts

    @property
    def rate(self) -> Decimal | None:
        return share_percent(self.submitted, self.addressed)


def _organisation_response_stats(campaign: Campaign) -> dict[int | None, list]:
    """Organisation id → [submitted, drafts, last submitted on] of an organisation campaign."""
    return {
        row["organisation_id"]: [row["submitted"], row["drafts"], row["last"]]
        for row in Response.objects.filter(campaign=campaign).values("organisation_id")
        .annotate(submitted=Count("id", filter=Q(status=ResponseStatus.SUBMITTED)),
                  drafts=Count("id", filter=Q(status=ResponseStatus.DRAFT)),
                  last=Max("submitted_on"))
        .order_by()
    }


def participation(campaign: Campaign) -> Participation:
    """Addressed organisations (the chosen ones, else the district's active ones, plus any that
    answered) with their submitted and draft responses: three queries (four for an anonymous
    campaign, whose counts come from the kept counts and follow the disclosure rule: a count of an
    organisation that may not be shown is hidden, and so is a general link's count under
    K_ANONYMITY)."""
    if campaign.questionnaire.is_anonymous:  # stored submitted, no dates shown: the kept counts
        stats = {pk: [n, 0, None] for pk, n in response_counts(campaign).items()}
    else:
        stats = _organisation_response_stats(campaign)
    addressed = addressed_q(campaign)
    organisations = Organisation.objects.filter(district_id=campaign.district_id).filter(
        addressed | Q(pk__in=[pk for pk in stats if pk is not None])
    ).distinct().order_by("short_name")
    rows = [ParticipationRow(o, *stats.get(o.pk, (0, 0, None))) for o in organisations]
    general_link = stats.get(None, [0])[0]
    if not campaign.questionnaire.is_anonymous:
        return Participation(rows, general_link=general_link)
    shown = disclosure(campaign, {pk: row[0] for pk, row in stats.items() if row[0]})
    for row in rows:
        row.hidden = bool(row.submitted) and not shown.shows_organisation(row.organisation.pk)
    return Participation(rows, general_link=general_link, general_link_hidden=0 < general_link < K_ANONYMITY)


def shown_organisations(campaign: Campaign, counts: dict[int | None, int]) -> set[int]:
    """Organisations whose name may stand next to a response: all for organisation campaigns,
    those the disclosure rule shows for anonymous ones."""
    return set(disclosure(campaign, counts).organisations)
