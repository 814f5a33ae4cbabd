"""Survey-based indicators, registered into monitoring's registry when the surveys app loads
(SurveysConfig.ready imports this module; monitoring never imports surveys).

How a methodist defines one — an Indicator of a programme with
    source       «вычисляется» (computed)
    calculation  the code of a calculation below
    parameters   the questionnaire, question and options (picked from lists in the indicator form,
                 stored as a dict), e.g. docs/domain.md's
                 «Доля получателей услуг ДПО, удовлетворённых качеством» (Приложение 1, question
                 «Удовлетворены ли вы качеством предоставляемой образовательной услуги?»):

        calculation = "survey_option_share", unit = percent
        parameters  = {"questionnaire_code": "dpo-listener", "question_code": "q4",
                       "options": ["Да, вполне или скорее да"]}

    and the average criteria score of organisations (the criteria sheet filled per organisation):

        calculation = "survey_criteria_average", unit = points
        parameters  = {"questionnaire_code": "support-criteria"}

Which campaigns count: the district's campaigns of any version of the questionnaire (versions
share the code) whose answering ends within the period. `closes_at` is the first moment answers
are refused, so a campaign closing at 00:00 on 1 January ended on 31 December.

Scopes: the district (every submitted response, including the general link's), each
organisation (respondents through its link, or its own response) and each cluster of the
period's year (sum over the organisations of its memberships — a response belongs to one
organisation, so the sums are exact). For anonymous (teacher) campaigns an organisation or
cluster gets a value only where surveys/disclosure.py's rule allows, as on the results page: a
per-organisation share of two teachers would tell their answers, and so would a cluster's value
next to the value of all its organisations but one.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from clusters.models import ClusterMembership
from monitoring.calculations import ScopeResult
from monitoring.computations import Choice, Parameter, ParameterSchema, register
from monitoring.models import Period, ScopeKind

from .disclosure import K_ANONYMITY, campaign_disclosure
from .models import Answer, Audience, Campaign, GridRow, Option, Question, Questionnaire, ResponseStatus
from .scoring import criteria_total_by_organisation


class SurveyIndicatorError(ValueError):
    """The indicator's parameters are incomplete; the message says what to fix, in Russian."""


class MeanResult(ScopeResult):
    """A fact that is an average (numerator / denominator), not a share in percent."""

    @property
    def fact(self) -> Decimal | None:
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)


OPTION_SHARE = "survey_option_share"
CRITERIA_AVERAGE = "survey_criteria_average"

def _district_questionnaires(district_id: int, **filters) -> list[Questionnaire]:
    """The district's and the shared questionnaires, the latest version of each code."""
    latest: dict[str, Questionnaire] = {}
    for questionnaire in (Questionnaire.objects.filter(Q(district_id=district_id) | Q(district__isnull=True), **filters)
                          .order_by("code", "-version")):
        latest.setdefault(questionnaire.code, questionnaire)
    return sorted(latest.values(), key=lambda q: q.title)


def questionnaire_choices(district_id: int) -> list[Choice]:
    return [Choice(q.code, q.title) for q in _district_questionnaires(district_id)]


def criteria_questionnaire_choices(district_id: int) -> list[Choice]:
    return [Choice(q.code, q.title) for q in _district_questionnaires(district_id, audience=Audience.ORGANISATION)]


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _questions(district_id: int) -> list[tuple[Questionnaire, Question]]:
    """Questions of the district's questionnaires (every version; a code once per questionnaire code)."""
    titles = {q.code: q.title for q in _district_questionnaires(district_id)}
    seen: set[tuple[str, str]] = set()
    out = []
    for question in (Question.objects.filter(questionnaire__code__in=titles)
                     .filter(Q(questionnaire__district_id=district_id) | Q(questionnaire__district__isnull=True))
                     .select_related("questionnaire").order_by("questionnaire__code", "-questionnaire__version",
                                                               "position", "pk")):
        key = (question.questionnaire.code, question.code)
        if key not in seen:
            seen.add(key)
            out.append((question.questionnaire, question))
    return out


def question_choices(district_id: int) -> list[Choice]:
    titles = {q.code: q.title for q in _district_questionnaires(district_id)}
    return [Choice(question.code, f"{question.code}. {_short(question.text)}", group=titles[questionnaire.code],
                   parent=questionnaire.code, key=f"{questionnaire.code}/{question.code}")
            for questionnaire, question in _questions(district_id)]


def _texts_by_question(district_id: int, model) -> list[Choice]:
    """Options (or grid rows) of the district's questions, each text once under its question."""
    labels = {(qn.code, q.code): f"{q.code}. {_short(q.text, 80)}" for qn, q in _questions(district_id)}
    seen: set[tuple[str, str, str]] = set()
    out = []
    rows = (model.objects.filter(question__questionnaire__code__in={code for code, _ in labels})
            .filter(Q(question__questionnaire__district_id=district_id)
                    | Q(question__questionnaire__district__isnull=True))
            .order_by("question__questionnaire__code", "question__code", "-question__questionnaire__version",
                      "position", "pk")
            .values_list("question__questionnaire__code", "question__code", "text"))
    for questionnaire_code, question_code, text in rows:
        if (questionnaire_code, question_code) not in labels or (questionnaire_code, question_code, text) in seen:
            continue
        seen.add((questionnaire_code, question_code, text))
        out.append(Choice(text, text, group=labels[(questionnaire_code, question_code)],
                          parent=f"{questionnaire_code}/{question_code}"))
    return out


def option_choices(district_id: int) -> list[Choice]:
    return _texts_by_question(district_id, Option)


def row_choices(district_id: int) -> list[Choice]:
    return _texts_by_question(district_id, GridRow)


OPTION_SHARE_PARAMETERS = ParameterSchema(
    fields=(
        Parameter("questionnaire_code", label="Анкета", choices=questionnaire_choices,
                  help_text="Анкеты района и общие; считаются кампании всех её версий, закрытые в периоде."),
        Parameter("question_code", label="Вопрос", choices=question_choices, depends_on="questionnaire_code"),
        Parameter("options", many=True, label="Варианты ответа, которые считаются", choices=option_choices,
                  depends_on="question_code",
                  shape="список текстов вариантов ответа в квадратных скобках, например [\"Да\", \"Скорее да\"].",
                  help_text="Доля — ответившие любым из отмеченных вариантов среди всех ответивших на вопрос."),
        Parameter("row", required=False, label="Строка таблицы", choices=row_choices, depends_on="question_code",
                  blank_label="— весь вопрос —",
                  help_text="Только для вопроса-таблицы: доля считается по одной её строке."),
    ),
    example='{"questionnaire_code": "dpo-listener", "question_code": "q4", "options": ["Да, вполне или скорее да"]}',
    note="«row» — текст строки вопроса-таблицы",
)
CRITERIA_AVERAGE_PARAMETERS = ParameterSchema(
    fields=(Parameter("questionnaire_code", label="Лист критериев", choices=criteria_questionnaire_choices,
                      help_text="Анкеты, которые заполняют организации (лист критериев)."),),
    example='{"questionnaire_code": "support-criteria"}',
)


def _checked(code: str, schema: ParameterSchema, parameters: dict) -> dict:
    """The parameters, once the schema the indicator form checks finds nothing wrong (an indicator
    saved before a check existed, or written around the form, fails here in Russian)."""
    problems = schema.problems(code, parameters)
    if problems:
        raise SurveyIndicatorError(" ".join(problems))
    return parameters


# --- the indicator form's checks against the district's questionnaires -----------------------------


def _questionnaires(district_id: int, code: str) -> QuerySet[Questionnaire]:
    """Campaigns of a district run its own questionnaires or shared ones, any version (same code)."""
    return Questionnaire.objects.filter(Q(district_id=district_id) | Q(district__isnull=True), code=code)


def _missing_questionnaire(code: str) -> list[str]:
    return [f"Анкеты с кодом «{code}» нет ни в районе, ни среди общих анкет."]


def _quoted(texts) -> str:
    return "; ".join(f"«{t}»" for t in sorted(texts))


def _option_share_problems(parameters: dict, district_id: int) -> list[str]:
    """The questionnaire, its question, the options and the grid row named exist for the district."""
    questionnaires = _questionnaires(district_id, parameters["questionnaire_code"])
    first = questionnaires.order_by("-version").first()
    if first is None:
        return _missing_questionnaire(parameters["questionnaire_code"])
    question_code = parameters["question_code"]
    questions = Question.objects.filter(questionnaire__in=questionnaires, code=question_code)
    if not questions.exists():
        codes = sorted(set(Question.objects.filter(questionnaire__in=questionnaires).values_list("code", flat=True)))
        return [f"В анкете «{first.title}» нет вопроса с кодом «{question_code}». "
                f"Коды её вопросов: {', '.join(codes) or 'вопросов нет'}."]
    problems = []
    known = set(Option.objects.filter(question__in=questions).values_list("text", flat=True))
    missing = [o for o in parameters["options"] if o not in known]
    if missing:
        problems.append(f"В вопросе «{question_code}» нет вариантов ответа: {'; '.join(f'«{t}»' for t in missing)}. "
                        f"Варианты вопроса: {_quoted(known) or 'у вопроса нет вариантов ответа'}. "
                        "Текст варианта нужен точно, как в анкете.")
    row = parameters.get("row")
    rows = set(GridRow.objects.filter(question__in=questions).values_list("text", flat=True)) if row else set()
    if row and row not in rows:
        problems.append(f"В вопросе «{question_code}» нет строки «{row}». "
                        f"Строки вопроса: {_quoted(rows) or 'вопрос не таблица, строк у него нет'}.")
    return problems


def _criteria_average_problems(parameters: dict, district_id: int) -> list[str]:
    """The questionnaire exists for the district and organisations fill it (a criteria sheet)."""
    questionnaires = _questionnaires(district_id, parameters["questionnaire_code"])
    first = questionnaires.order_by("-version").first()
    if first is None:
        return _missing_questionnaire(parameters["questionnaire_code"])
    if not questionnaires.filter(audience=Audience.ORGANISATION).exists():
        return [f"Анкету «{first.title}» заполняют педагоги, а средний балл по листу критериев считается "
                "по анкетам, которые заполняют организации."]
    return []


# --- the calculations ------------------------------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def campaigns_in_period(district_id: int, period: Period, questionnaire_code: str) -> QuerySet[Campaign]:
    """Campaigns of the district, of any version of the questionnaire, ending within the period."""
    return Campaign.objects.filter(
        district_id=district_id,
        questionnaire__code=questionnaire_code,
        closes_at__gt=_midnight(period.starts_on),
        closes_at__lte=_midnight(period.ends_on + dt.timedelta(days=1)),
    )


def _cluster_memberships(district_id: int, year: int) -> dict[int, list[int]]:
    clusters: dict[int, list[int]] = defaultdict(list)
    for cluster_id, organisation_id in ClusterMembership.objects.filter(
        cluster__district_id=district_id, cluster__year=year
    ).values_list("cluster_id", "organisation_id"):
        clusters[cluster_id].append(organisation_id)
    return clusters


def _scope_results(
    per_organisation: dict[int | None, tuple[Decimal, Decimal]],
    anonymous: set[int | None],
    district_id: int,
    period: Period,
    result_class: type[ScopeResult] = ScopeResult,
) -> list[ScopeResult]:
    """District, organisations and clusters from per-organisation (numerator, denominator).

    The key None holds responses of no organisation (the general link): district only.
    """
    if not per_organisation:
        return []
    clusters = _cluster_memberships(district_id, period.year)
    rule = campaign_disclosure({pk: int(d) for pk, (_, d) in per_organisation.items()}, clusters, K_ANONYMITY)

    def shown(organisation_id: int | None = None, cluster_id: int | None = None) -> bool:
        if not anonymous:
            return True
        return rule.shows_organisation(organisation_id) if cluster_id is None else rule.shows_cluster(cluster_id)

    results = [result_class(
        ScopeKind.DISTRICT, sum(n for n, _ in per_organisation.values()), sum(d for _, d in per_organisation.values()),
    )]
    for organisation_id, (numerator, denominator) in per_organisation.items():
        if organisation_id is not None and shown(organisation_id):
            results.append(result_class(ScopeKind.ORGANISATION, numerator, denominator,
                                        organisation_id=organisation_id))
    for cluster_id, organisation_ids in clusters.items():
        members = [per_organisation[o] for o in organisation_ids if o in per_organisation]
        if not members:
            continue
        denominator = sum(d for _, d in members)
        if shown(cluster_id=cluster_id):
            results.append(result_class(ScopeKind.CLUSTER, sum(n for n, _ in members), denominator,
                                        cluster_id=cluster_id))
    return results


@register(OPTION_SHARE, "Доля респондентов, выбравших указанные варианты ответа (анкетирование)",
          parameters=OPTION_SHARE_PARAMETERS, validate=_option_share_problems)
def survey_option_share(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    """Responses choosing any of `options` in question `question_code` / responses answering it.

    Optional "row": the text of a grid row, for a share within one row of a grid question.
    One aggregate query for every organisation at once, one for the clusters' memberships.
    """
    parameters = _checked(OPTION_SHARE, OPTION_SHARE_PARAMETERS, parameters)
    options = parameters["options"]
    answers = Answer.objects.filter(
        campaign__in=campaigns_in_period(district_id, period, parameters["questionnaire_code"]),
        question__code=parameters["question_code"],
        response__status=ResponseStatus.SUBMITTED,
    )
    if parameters.get("row"):
        answers = answers.filter(row__text=parameters["row"])
    rows = (
        answers.values("response__organisation_id", "response__for_organisation")
        .annotate(
            answered=Count("response_id", distinct=True),
            chosen=Count("response_id", distinct=True, filter=Q(option__text__in=options)),
        )
        .order_by()
    )
    per_organisation: dict[int | None, tuple[Decimal, Decimal]] = {}
    anonymous: set[int | None] = set()
    for row in rows:
        organisation_id = row["response__organisation_id"]
        chosen, answered = per_organisation.get(organisation_id, (0, 0))
        per_organisation[organisation_id] = (chosen + row["chosen"], answered + row["answered"])
        if not row["response__for_organisation"]:
            anonymous.add(organisation_id)
    return _scope_results(per_organisation, anonymous, district_id, period)


@register(CRITERIA_AVERAGE, "Средний суммарный балл организаций по листу критериев (анкетирование)",
          parameters=CRITERIA_AVERAGE_PARAMETERS, validate=_criteria_average_problems)
def survey_criteria_average(district_id: int, period: Period, parameters: dict) -> list[ScopeResult]:
    """Average total criteria score: sum of the organisations' totals / number of responding ones.

    An organisation's own value is its total (denominator 1); one that answered two campaigns of
    the period gets the average of its two totals. One query per campaign of the period
    (surveys.scoring.criteria_total_by_organisation), not per organisation.
    """
    parameters = _checked(CRITERIA_AVERAGE, CRITERIA_AVERAGE_PARAMETERS, parameters)
    campaigns = campaigns_in_period(district_id, period, parameters["questionnaire_code"]).filter(
        questionnaire__audience=Audience.ORGANISATION
    )
    per_organisation: dict[int | None, tuple[Decimal, Decimal]] = {}
    for campaign in campaigns:
        for organisation_id, total in criteria_total_by_organisation(campaign).items():
            numerator, denominator = per_organisation.get(organisation_id, (Decimal(0), Decimal(0)))
            per_organisation[organisation_id] = (numerator + total, denominator + 1)
    return _scope_results(per_organisation, set(), district_id, period, MeanResult)
