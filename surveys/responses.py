"""Reading a filled questionnaire from POST data, validating it, and saving it whole or not at all.

The form-data contract (the respondent page, the organisation form and tests all follow it):

    q<question pk>                 single choice: an option pk, or "other"
                                   multiple choice: several option pks and/or "other"
                                   text: the text; number: the number («12,5» is fine)
    q<question pk>_other           the text of «Другое»
    q<question pk>_r<row pk>       grid: the option pk chosen in that row

Every refusal is a Russian message tied to its question, and nothing is written unless the whole
submission is valid.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import formatting
from core.errors import AppError, ClosedError, InvalidError

from .aggregates import organisation_recounted, response_counted
from .models import (
    Answer,
    Audience,
    Campaign,
    CampaignState,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
)

OTHER = "other"
REQUIRED_MESSAGE = "Это обязательный вопрос."


class SurveyError(AppError):
    """A refused submission or action; `str(error)` is the Russian message."""


class CampaignNotOpenError(SurveyError, ClosedError):
    """The campaign takes no answers now: not started yet, or finished."""


class SubmissionRateLimitedError(SurveyError):
    """Too many accepted submissions from one address through one link in the window."""

    def __init__(self):
        super().__init__(
            "Слишком много анкет отправлено с этого адреса за последние минуты. Ответы остались на "
            "странице — нажмите «Отправить» ещё раз через несколько минут."
        )


class SubmissionInvalidError(SurveyError, InvalidError):
    """Answers that do not fit; `errors` maps a question pk to its messages."""

    def __init__(self, errors: dict[int, list[str]]):
        self.errors = errors
        super().__init__(
            "Анкета не отправлена: исправьте ответы, отмеченные ниже. Введённые ответы сохранены на странице.",
            field_errors={str(pk): messages for pk, messages in errors.items()},
        )


@dataclass
class ParsedAnswers:
    answers: list[Answer] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)

    def error(self, question: Question, message: str) -> None:
        self.errors.setdefault(question.pk, []).append(message)


def questionnaire_structure(questionnaire: Questionnaire) -> list[Question]:
    """Questions with their options and rows, in order — three queries."""
    return list(
        questionnaire.questions.select_related("section").prefetch_related("options", "rows").order_by("position", "pk")
    )


def _values(data, name: str) -> list[str]:
    getter = getattr(data, "getlist", None)
    raw = getter(name) if getter else ([data[name]] if name in data else [])
    # NUL never belongs in an answer, and PostgreSQL refuses it in text (a 500 instead of a form).
    cleaned = (str(v).replace("\x00", "").strip() for v in raw if v is not None)
    return [v for v in cleaned if v != ""]


def _option_map(question: Question) -> dict[str, object]:
    return {str(option.pk): option for option in question.options.all()}


def parse_answers(questions: list[Question], data, *, check_required: bool = True) -> ParsedAnswers:
    """Turn POST data into unsaved Answer rows (without response/campaign) and per-question errors."""
    parsed = ParsedAnswers()
    for question in questions:
        name = f"q{question.pk}"
        before = len(parsed.answers)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            _parse_choice(question, _values(data, name), _values(data, f"{name}_other"), parsed)
        elif question.kind in (QuestionKind.GRID, QuestionKind.YES_NO_GRID):
            _parse_grid(question, data, parsed, check_required)
        elif question.kind == QuestionKind.TEXT:
            values = _values(data, name)
            if values:
                if len(values[0]) > question.max_length:
                    parsed.error(question, f"Ответ длиннее {question.max_length} символов.")
                else:
                    parsed.answers.append(Answer(question=question, text=values[0]))
        elif question.kind == QuestionKind.NUMBER:
            _parse_number(question, _values(data, name), parsed)
        answered = len(parsed.answers) > before
        if check_required and question.required and not answered and question.pk not in parsed.errors:
            parsed.error(question, REQUIRED_MESSAGE)
    return parsed


def _parse_choice(question: Question, values: list[str], other_texts: list[str], parsed: ParsedAnswers) -> None:
    options = _option_map(question)
    if question.kind == QuestionKind.SINGLE and len(values) > 1:
        parsed.error(question, "Выберите только один вариант ответа.")
        return
    other_text = other_texts[0] if other_texts else ""
    for value in dict.fromkeys(values):
        if value == OTHER and question.allow_other:
            if not other_text:
                parsed.error(question, f"Вы выбрали «{question.other_label}» — напишите, что имеете в виду.")
                return
            if len(other_text) > question.max_length:
                parsed.error(question, f"Текст длиннее {question.max_length} символов.")
                return
            parsed.answers.append(Answer(question=question, text=other_text))
        elif value in options:
            parsed.answers.append(Answer(question=question, option=options[value]))
        else:
            parsed.error(question, "Такого варианта ответа нет в этом вопросе.")
            return
    if other_text and OTHER not in values and question.allow_other:
        # Typing into «Другое» without ticking it still means «Другое».
        if question.kind == QuestionKind.SINGLE and values:
            parsed.error(question, f"Выберите либо вариант из списка, либо «{question.other_label}».")
            return
        parsed.answers.append(Answer(question=question, text=other_text))


def _parse_grid(question: Question, data, parsed: ParsedAnswers, check_required: bool) -> None:
    options = _option_map(question)
    missing = []
    for row in question.rows.all():
        values = _values(data, f"q{question.pk}_r{row.pk}")
        if not values:
            missing.append(row)
            continue
        if len(values) > 1 or values[0] not in options:
            parsed.error(question, f"Строка «{row.text}»: выберите один вариант из предложенных.")
            return
        parsed.answers.append(Answer(question=question, row=row, option=options[values[0]]))
    if check_required and question.required and missing and len(missing) < len(question.rows.all()):
        parsed.error(question, "Дайте одну оценку в каждой строке таблицы: " + "; ".join(r.text for r in missing) + ".")


def _parse_number(question: Question, values: list[str], parsed: ParsedAnswers) -> None:
    if not values:
        return
    try:
        number = Decimal(values[0].replace(" ", "").replace("\xa0", "").replace(",", "."))
    except InvalidOperation:
        parsed.error(question, "Введите число.")
        return
    if not number.is_finite():
        parsed.error(question, "Введите число.")
        return
    problem = _precision_problem(number)
    if problem:
        parsed.error(question, problem)
        return
    if question.min_value is not None and number < question.min_value:
        parsed.error(question, f"Число должно быть не меньше {_show(question.min_value)}.")
        return
    if question.max_value is not None and number > question.max_value:
        parsed.error(question, f"Число должно быть не больше {_show(question.max_value)}.")
        return
    parsed.answers.append(Answer(question=question, number=number))


# The Answer.number column: DecimalField(max_digits=14, decimal_places=4). A number beyond it (a
# phone number «89161234567» in a «стаж» question) must be a form error, not a database error.
_NUMBER_FIELD = Answer._meta.get_field("number")
ANSWER_DECIMALS = _NUMBER_FIELD.decimal_places
ANSWER_INTEGER_DIGITS = _NUMBER_FIELD.max_digits - _NUMBER_FIELD.decimal_places


def _precision_problem(number: Decimal) -> str:
    """A Russian message if the number does not fit the answer column, else ""."""
    if abs(number) >= Decimal(10) ** ANSWER_INTEGER_DIGITS:
        return (f"Слишком большое число: не больше {ANSWER_INTEGER_DIGITS} цифр до запятой. "
                "Если вы ввели номер телефона или код, здесь нужно другое число — посмотрите вопрос.")
    if number != number.quantize(Decimal(1).scaleb(-ANSWER_DECIMALS)):
        return f"Слишком много знаков после запятой: не больше {ANSWER_DECIMALS}."
    return ""


def _show(value: Decimal) -> str:
    return formatting.exact(value)


def ensure_open(campaign: Campaign, now=None) -> None:
    state = campaign.state(now)
    local = timezone.localtime
    if state == CampaignState.SCHEDULED:
        raise CampaignNotOpenError(
            f"Приём ответов ещё не начался: анкета откроется {local(campaign.opens_at):%d.%m.%Y в %H:%M}."
        )
    if state == CampaignState.CLOSED:
        raise CampaignNotOpenError(
            f"Приём ответов завершён {local(campaign.closes_at):%d.%m.%Y в %H:%M}. Ответы больше не принимаются."
        )


def anonymous_response_submit(*, campaign: Campaign, organisation, data, submission_key: str,
                              admit: Callable[[], bool] | None = None) -> Response:
    """Store an anonymous teacher's answers. A repeated submission_key returns the stored response.

    `submission_key` is the nonce of a key the view has verified (surveys/submission_keys.py).
    `admit`, asked only once the answers are valid and new, is the rate limit: False refuses with
    SubmissionRateLimitedError and stores nothing.
    """
    if campaign.audience != Audience.TEACHERS:
        raise SurveyError("Эта анкета заполняется от имени организации, а не по общей ссылке.")
    existing = _stored(campaign, submission_key)
    if existing is not None:
        return existing
    ensure_open(campaign)
    parsed = parse_answers(questionnaire_structure(campaign.questionnaire), data)
    if parsed.errors:
        raise SubmissionInvalidError(parsed.errors)
    if admit is not None and not admit():
        raise SubmissionRateLimitedError()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign=campaign, organisation=organisation, status=ResponseStatus.SUBMITTED,
                submitted_on=timezone.localdate(), submission_key=submission_key or None,
            )
            _store_answers(response, parsed.answers)
            response_counted(response, parsed.answers)
    except IntegrityError:
        # The same form was posted twice at the same moment: the other request stored it.
        existing = _stored(campaign, submission_key)
        if existing is None:
            raise
        return existing
    return response


def _stored(campaign: Campaign, submission_key: str) -> Response | None:
    if not submission_key:
        return None
    return Response.objects.filter(campaign=campaign, submission_key=submission_key).first()


def organisation_response_save(*, campaign: Campaign, user, data, submit: bool) -> Response:
    """A school administrator saves a draft (nothing required yet) or submits; may edit until close."""
    if campaign.audience != Audience.ORGANISATION:
        raise SurveyError("Эта анкета заполняется педагогами анонимно по ссылке.")
    organisation = user.organisation
    if organisation is None:
        raise SurveyError("Учётная запись не привязана к организации.")
    if campaign.organisations.exists() and not campaign.organisations.filter(pk=organisation.pk).exists():
        raise SurveyError("Эта кампания не адресована вашей организации.")
    ensure_open(campaign)
    if not submit:
        # A submitted response stays complete: saving it again enforces the required questions.
        submit = Response.objects.filter(
            campaign=campaign, organisation=organisation, for_organisation=True, status=ResponseStatus.SUBMITTED
        ).exists()
    parsed = parse_answers(questionnaire_structure(campaign.questionnaire), data, check_required=submit)
    if parsed.errors:
        raise SubmissionInvalidError(parsed.errors)
    with transaction.atomic():
        response, _ = Response.objects.select_for_update().get_or_create(
            campaign=campaign, organisation=organisation, for_organisation=True,
            defaults={"status": ResponseStatus.DRAFT},
        )
        response.answers.all().delete()
        _store_answers(response, parsed.answers)
        if submit:
            response.status = ResponseStatus.SUBMITTED
            response.submitted_on = response.submitted_on or timezone.localdate()
        response.updated_by, response.updated_at = user, timezone.now()
        response.save()
        if submit:
            organisation_recounted(campaign, organisation.pk)
    return response


def _store_answers(response: Response, answers: list[Answer]) -> None:
    for answer in answers:
        answer.response = response
        answer.campaign_id = response.campaign_id
    Answer.objects.bulk_create(answers)


def answers_as_form_data(response: Response) -> dict[str, list[str]]:
    """The stored answers in the form-data contract, to refill the form (drafts, editing)."""
    data: dict[str, list[str]] = {}
    for answer in response.answers.select_related("question"):
        name = f"q{answer.question_id}"
        if answer.row_id:
            data[f"{name}_r{answer.row_id}"] = [str(answer.option_id)]
        elif answer.option_id:
            data.setdefault(name, []).append(str(answer.option_id))
        elif answer.number is not None:
            data[name] = [_show(answer.number)]
        elif answer.question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            data.setdefault(name, []).append(OTHER)
            data[f"{name}_other"] = [answer.text]
        else:
            data[name] = [answer.text]
    return data
