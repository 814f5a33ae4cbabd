"""The questionnaire builder: writes to questionnaires, sections, questions, options and grid rows.

Rules every service here keeps:

* a shared questionnaire (no district) is read-only for everybody — a district copies it first;
* once a questionnaire has responses its sections, questions, options and rows are frozen, so the
  stored answers keep their meaning; the methodist makes a new version (`questionnaire_copy`);
* each call is one transaction, and a refused call raises `BuilderError` (a `SurveyError`) with a
  Russian message and changes nothing.

Order. Questions carry one position across the whole questionnaire, because the respondent page
(`responses.questionnaire_structure`) orders by it alone. The builder keeps that order equal to
«questions without a section first, then each section in its order with its questions», so a
section always shows as one block; `_renumber` restores it after every change. Moving one step up
or down and renumbering are core/ordering.py's, shared with the other lists that have «выше/ниже».
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from core import ordering
from core.errors import InvalidError
from core.ordering import DOWN, UP

from .models import (
    CHOICE_KINDS,
    GRID_KINDS,
    Campaign,
    GridRow,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    Section,
)
from .responses import SurveyError

FROZEN_MESSAGE = (
    "У анкеты уже есть ответы — вопросы нельзя менять, чтобы ответы не потеряли смысл. Создайте новую версию."
)
SHARED_MESSAGE = (
    "Это общая анкета для всех районов — её нельзя менять. Скопируйте её в свой район кнопкой "
    "«Скопировать в свой район» и меняйте копию."
)
YES_NO_COLUMNS = ("Да", "Нет")


class BuilderError(SurveyError):
    """A refused builder action; `str(error)` is the Russian message."""


class CodeTakenError(BuilderError):
    """The questionnaire code is used by another questionnaire of the district or a shared one."""


class QuestionInvalidError(BuilderError, InvalidError):
    """The question's fields do not fit together; `errors` maps a form field name to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("Вопрос не сохранён: исправьте отмеченные поля.", field_errors=errors)


@dataclass(frozen=True)
class ChoiceLine:
    """One answer option (or grid column) as the methodist typed it: «Наличие | 1»."""

    text: str
    points: Decimal | None = None


@dataclass
class QuestionData:
    """The editable fields of a question, already parsed by the form."""

    text: str
    kind: str = QuestionKind.SINGLE
    section: Section | None = None
    code: str = ""
    help_text: str = ""
    required: bool = True
    allow_other: bool = False
    other_label: str = "Другое"
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_length: int = 2000
    options: Sequence[ChoiceLine] = ()
    rows: Sequence[str] = ()


# --- guards ---


def ensure_not_shared(questionnaire: Questionnaire) -> None:
    if questionnaire.district_id is None:
        raise BuilderError(SHARED_MESSAGE)


def ensure_structure_editable(questionnaire: Questionnaire) -> None:
    """Sections, questions, options and rows may change: not shared and no responses yet."""
    ensure_not_shared(questionnaire)
    if questionnaire.has_responses():
        raise BuilderError(FROZEN_MESSAGE)


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    """Re-read the questionnaire under a row lock so two edits of one questionnaire queue up."""
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


# --- questionnaires ---

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"],
    strict=True,
))


def code_from_title(title: str) -> str:
    """A permanent Latin code from a Russian title: «Анкета слушателя ДПП» → «anketa-slushatelia-dpp»."""
    latin = "".join(_TRANSLIT.get(char, char) for char in title.lower())
    return slugify(latin)[:60].strip("-") or "anketa"


def _free_code(district_id: int, wanted: str) -> str:
    taken = set(
        Questionnaire.objects.filter(Q(district_id=district_id) | Q(district__isnull=True))
        .filter(code__startswith=wanted).values_list("code", flat=True)
    )
    code, n = wanted, 2
    while code in taken:
        code, n = f"{wanted}-{n}", n + 1
    return code


def code_taken(district_id: int, code: str, *, exclude_pk: int | None = None) -> bool:
    """Another questionnaire of the district (any version) or a shared one already has this code."""
    return (
        Questionnaire.objects.filter(Q(district_id=district_id) | Q(district__isnull=True), code=code)
        .exclude(pk=exclude_pk).exists()
    )


def _clean(obj, error_class=BuilderError, **kwargs) -> None:
    """full_clean, its messages handed on in Russian instead of a 500."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        if error_class is QuestionInvalidError:
            raise QuestionInvalidError(error.message_dict) from None
        raise BuilderError(" ".join(m for messages in error.message_dict.values() for m in messages)) from None


@transaction.atomic
def questionnaire_create(*, user, title: str, code: str = "", intro: str = "", outro: str = "",
                         audience: str = "") -> Questionnaire:
    if not user.district_id:
        raise BuilderError("Учётная запись не привязана к району — анкету создать нельзя.")
    if code and code_taken(user.district_id, code):
        raise CodeTakenError(
            f"Анкета с кодом «{code}» уже есть в районе или среди общих анкет. Выберите другой код или "
            "создайте новую версию той анкеты."
        )
    questionnaire = Questionnaire(
        district_id=user.district_id, title=title, intro=intro, outro=outro, created_by=user, version=1,
        code=code or _free_code(user.district_id, code_from_title(title)),
    )
    if audience:
        questionnaire.audience = audience
    _clean(questionnaire)
    questionnaire.save()
    return questionnaire


@transaction.atomic
def questionnaire_update(*, questionnaire: Questionnaire, title: str, code: str, intro: str, outro: str,
                         audience: str) -> Questionnaire:
    """Title and texts may change at any time; audience and code only before the first campaign."""
    ensure_not_shared(questionnaire)
    questionnaire = _locked(questionnaire)
    has_campaigns = questionnaire.campaigns.exists()
    if audience != questionnaire.audience and has_campaigns:
        raise BuilderError(
            "По анкете уже есть кампании — менять, кто её заполняет, нельзя. Создайте новую версию анкеты."
        )
    if code != questionnaire.code:
        if has_campaigns or questionnaire.version > 1 or questionnaire.previous_id:
            raise BuilderError(
                "Код анкеты постоянный: он связывает её версии и кампании. Менять его можно только у первой "
                "версии, по которой ещё не было кампаний."
            )
        if code_taken(questionnaire.district_id, code, exclude_pk=questionnaire.pk):
            raise CodeTakenError(f"Анкета с кодом «{code}» уже есть в районе или среди общих анкет. Выберите другой код.")
    questionnaire.title, questionnaire.code, questionnaire.intro = title, code, intro
    questionnaire.outro, questionnaire.audience = outro, audience
    _clean(questionnaire)
    questionnaire.save()
    return questionnaire


@transaction.atomic
def questionnaire_delete(*, questionnaire: Questionnaire) -> None:
    ensure_not_shared(questionnaire)
    campaigns = Campaign.objects.filter(questionnaire=questionnaire).count()
    if campaigns:
        raise BuilderError(
            f"Анкету нельзя удалить: по ней есть кампании анкетирования ({campaigns}). "
            "Чтобы изменить вопросы, создайте новую версию."
        )
    questionnaire.delete()


def questionnaire_copy(*, questionnaire: Questionnaire, user) -> Questionnaire:
    """A deep copy as the next version of the same code, owned by the user's district.

    Copying a shared questionnaire is how a district gets its own editable copy. The new version
    number follows the highest one of that code in the district and among shared questionnaires.
    """
    if not user.district_id:
        raise BuilderError("Учётная запись не привязана к району — скопировать анкету нельзя.")
    if questionnaire.district_id not in (None, user.district_id):
        raise BuilderError("Копировать можно только анкеты своего района и общие анкеты.")
    try:
        with transaction.atomic():
            return _copy(questionnaire, user)
    except IntegrityError:
        # Somebody made the same next version a moment ago: the constraint kept the numbers unique.
        raise BuilderError(
            "Новую версию этой анкеты только что создал кто-то другой. Обновите страницу и проверьте список версий."
        ) from None


def _copy(source: Questionnaire, user) -> Questionnaire:
    latest = Questionnaire.objects.filter(
        Q(district_id=user.district_id) | Q(district__isnull=True), code=source.code
    ).aggregate(v=Max("version"))["v"]
    copy = Questionnaire.objects.create(
        district_id=user.district_id, code=source.code, version=max(latest or 0, source.version) + 1,
        previous=source, title=source.title, intro=source.intro, outro=source.outro, audience=source.audience,
        created_by=user,
    )
    sections = list(source.sections.order_by("position", "pk"))
    new_sections = Section.objects.bulk_create(
        Section(questionnaire=copy, title=s.title, description=s.description, position=s.position) for s in sections
    )
    section_map = {old.pk: new for old, new in zip(sections, new_sections, strict=True)}
    questions = list(source.questions.prefetch_related("options", "rows").order_by("position", "pk"))
    copied_fields = ("code", "position", "text", "help_text", "kind", "required", "allow_other", "other_label",
                     "min_value", "max_value", "max_length")
    new_questions = Question.objects.bulk_create(
        Question(questionnaire=copy, section=section_map.get(q.section_id),
                 **{name: getattr(q, name) for name in copied_fields})
        for q in questions
    )
    options, rows = [], []
    for old, new in zip(questions, new_questions, strict=True):
        options += [Option(question=new, text=o.text, position=o.position, points=o.points) for o in old.options.all()]
        rows += [GridRow(question=new, text=r.text, position=r.position) for r in old.rows.all()]
    Option.objects.bulk_create(options)
    GridRow.objects.bulk_create(rows)
    return copy


# --- sections ---


@transaction.atomic
def section_create(*, questionnaire: Questionnaire, title: str, description: str = "") -> Section:
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    last = questionnaire.sections.aggregate(p=Max("position"))["p"] or 0
    section = Section(questionnaire=questionnaire, title=title, description=description, position=last + 1)
    _clean(section)
    section.save()
    return section


@transaction.atomic
def section_update(*, section: Section, title: str, description: str = "") -> Section:
    ensure_structure_editable(section.questionnaire)
    section.title, section.description = title, description
    _clean(section)
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    """The section's questions stay, joining the section above (or none): their order does not change."""
    questionnaire = section.questionnaire
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    above = questionnaire.sections.filter(
        Q(position__lt=section.position) | Q(position=section.position, pk__lt=section.pk)
    ).order_by("-position", "-pk").first()
    section.questions.update(section=above)
    section.delete()
    _renumber(questionnaire)


@transaction.atomic
def section_move(*, section: Section, direction: str) -> None:
    ordering.check_direction(direction, error_class=BuilderError)
    questionnaire = section.questionnaire
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    ordering.move(questionnaire.sections.all(), section, direction, start=1, error_class=BuilderError,
                  first="Раздел уже первый.", last="Раздел уже последний.")
    _renumber(questionnaire)


@transaction.atomic
def sections_reorder(*, questionnaire: Questionnaire, order: Sequence[int]) -> None:
    """Sections in the order of the given pks (all of them, each once); questions follow their section."""
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    sections = {s.pk: s for s in questionnaire.sections.all()}
    _check_permutation(order, sections, "разделов")
    ordering.renumber([sections[pk] for pk in order], start=1)
    _renumber(questionnaire)


# --- questions, options, rows ---


def _option_problems(data: QuestionData) -> Iterator[tuple[str, str]]:
    """Options (grid columns) and rows fit the kind."""
    kind = data.kind
    if kind in CHOICE_KINDS:
        if len(data.options) + (1 if data.allow_other else 0) < 2:
            yield "options_text", ("Нужно хотя бы два варианта ответа, каждый на своей строке "
                                   "(вариант «Другое» тоже считается).")
    elif kind in GRID_KINDS:
        if len(data.options) < 2:
            yield "options_text", "Для таблицы нужны хотя бы два столбца — варианты оценки, каждый на своей строке."
        if not data.rows:
            yield "rows_text", "Добавьте хотя бы одну строку таблицы."
    elif data.options:
        yield "options_text", "У свободного ответа и числа нет вариантов — очистите поле или выберите другой тип."
    if data.rows and kind not in GRID_KINDS:
        yield "rows_text", "Строки бывают только у вопросов-таблиц — очистите поле или выберите тип «таблица»."


def _other_problems(data: QuestionData) -> Iterator[tuple[str, str]]:
    if not data.allow_other:
        return
    if data.kind not in CHOICE_KINDS:
        yield "allow_other", "Вариант «Другое» бывает только у вопросов с выбором ответа."
    elif not data.other_label.strip():
        yield "other_label", "Напишите подпись варианта «Другое», например «Другое:»."


def _limit_problems(data: QuestionData) -> Iterator[tuple[str, str]]:
    """The number range and the answer length."""
    if data.kind != QuestionKind.NUMBER and (data.min_value is not None or data.max_value is not None):
        yield "min_value", "Минимум и максимум задаются только у вопроса типа «число»."
    if data.min_value is not None and data.max_value is not None and data.min_value > data.max_value:
        yield "max_value", "Максимум должен быть не меньше минимума."
    if data.max_length < 1:
        yield "max_length", "Наибольшая длина ответа — хотя бы 1 символ."


def question_problems(data: QuestionData) -> dict[str, list[str]]:
    """What does not fit together in a question, by form field name. Empty when all is well."""
    if data.kind not in QuestionKind.values:
        return {"kind": ["Выберите тип вопроса из списка."]}
    problems: dict[str, list[str]] = {}
    if not data.text.strip():
        problems["text"] = ["Напишите текст вопроса."]
    for checks in (_option_problems, _other_problems, _limit_problems):
        for field, message in checks(data):
            problems.setdefault(field, []).append(message)
    return problems


def _next_code(questionnaire: Questionnaire) -> str:
    codes = set(questionnaire.questions.values_list("code", flat=True))
    n = len(codes) + 1
    while f"q{n}" in codes:
        n += 1
    return f"q{n}"


@transaction.atomic
def question_save(*, questionnaire: Questionnaire, data: QuestionData, question: Question | None = None) -> Question:
    """Create a question (at the end of its section) or change one, with its options and rows."""
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    if data.kind == QuestionKind.YES_NO_GRID and not data.options:
        data.options = [ChoiceLine(text) for text in YES_NO_COLUMNS]
    problems = question_problems(data)
    if data.section is not None and data.section.questionnaire_id != questionnaire.pk:
        problems.setdefault("section", []).append("Выберите раздел этой анкеты.")
    code = data.code.strip()
    if code and questionnaire.questions.filter(code=code).exclude(pk=getattr(question, "pk", None)).exists():
        problems.setdefault("code", []).append(f"Вопрос с кодом «{code}» уже есть в этой анкете.")
    if problems:
        raise QuestionInvalidError(problems)
    is_new = question is None
    if is_new:
        question = Question(questionnaire=questionnaire, position=_position_at_end(questionnaire))
    elif question.section_id != getattr(data.section, "pk", None):
        question.position = _position_at_end(questionnaire)
    question.section = data.section
    question.code = code or question.code or _next_code(questionnaire)
    question.text, question.help_text, question.kind = data.text.strip(), data.help_text.strip(), data.kind
    question.required, question.allow_other = data.required, data.allow_other
    question.other_label = data.other_label.strip() if data.allow_other else (question.other_label or "Другое")
    question.min_value, question.max_value = data.min_value, data.max_value
    question.max_length = data.max_length
    _clean(question, QuestionInvalidError, exclude=["questionnaire"])
    question.save()
    options_set(question=question, lines=data.options)
    rows_set(question=question, texts=data.rows)
    _renumber(questionnaire)
    return question


def _position_at_end(questionnaire: Questionnaire) -> int:
    """Behind every question, so after renumbering it is the last one of its section."""
    return (questionnaire.questions.aggregate(p=Max("position"))["p"] or 0) + 1


def _match_existing(existing: list, texts: list[str]) -> list:
    """Pair new lines with existing rows so that primary keys survive edits.

    Same text first (a moved line), then the line that stood at the same place (a typo fix), then
    whatever is left in order. Returns one item or None per line, followed by the unpaired rest,
    which is to be deleted.
    """
    free = list(existing)
    matched: list = [None] * len(texts)
    for i, text in enumerate(texts):
        same = next((item for item in free if item.text == text), None)
        if same is not None:
            matched[i] = same
            free.remove(same)
    for i in range(len(texts)):
        same_place = next((item for item in free if item is existing[i]), None) if i < len(existing) else None
        if matched[i] is None and same_place is not None:
            matched[i] = same_place
            free.remove(same_place)
    for i in range(len(texts)):
        if matched[i] is None and free:
            matched[i] = free.pop(0)
    return matched + free


@transaction.atomic
def options_set(*, question: Question, lines: Sequence[ChoiceLine]) -> None:
    """Make the question's options (grid columns) exactly these lines, in this order.

    Kept options keep their primary keys so anything pointing at them (indicators counting «Да,
    вполне или скорее да») still does. Only called while the questionnaire has no responses.
    """
    ensure_structure_editable(question.questionnaire)
    existing = list(question.options.order_by("position", "pk"))
    paired = _match_existing(existing, [line.text for line in lines])
    to_create, to_update = [], []
    for position, line in enumerate(lines, start=1):
        option = paired[position - 1]
        if option is None:
            to_create.append(Option(question=question, text=line.text, points=line.points, position=position))
        elif (option.text, option.points, option.position) != (line.text, line.points, position):
            option.text, option.points, option.position = line.text, line.points, position
            to_update.append(option)
    Option.objects.filter(pk__in=[o.pk for o in paired[len(lines):]]).delete()
    Option.objects.bulk_update(to_update, ["text", "points", "position"])
    Option.objects.bulk_create(to_create)


@transaction.atomic
def rows_set(*, question: Question, texts: Sequence[str]) -> None:
    """Make the grid question's rows exactly these texts, in this order (kept rows keep their pks)."""
    ensure_structure_editable(question.questionnaire)
    existing = list(question.rows.order_by("position", "pk"))
    paired = _match_existing(existing, list(texts))
    to_create, to_update = [], []
    for position, text in enumerate(texts, start=1):
        row = paired[position - 1]
        if row is None:
            to_create.append(GridRow(question=question, text=text, position=position))
        elif (row.text, row.position) != (text, position):
            row.text, row.position = text, position
            to_update.append(row)
    GridRow.objects.filter(pk__in=[r.pk for r in paired[len(texts):]]).delete()
    GridRow.objects.bulk_update(to_update, ["text", "position"])
    GridRow.objects.bulk_create(to_create)


@transaction.atomic
def question_delete(*, question: Question) -> None:
    questionnaire = question.questionnaire
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    question.delete()
    _renumber(questionnaire)


@transaction.atomic
def question_move(*, question: Question, direction: str) -> None:
    """One step up or down. At the edge of a section the question moves into the neighbouring section."""
    ordering.check_direction(direction, error_class=BuilderError)
    questionnaire = question.questionnaire
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    ordered = _renumber(questionnaire)
    sections = list(questionnaire.sections.order_by("position", "pk"))
    rank = {s.pk: i for i, s in enumerate(sections, start=1)}
    i = [q.pk for q in ordered].index(question.pk)
    current = ordered[i]
    step = -1 if direction == UP else 1
    j = i + step
    if 0 <= j < len(ordered) and ordered[j].section_id == current.section_id:
        ordering.renumber(ordering.swapped(ordered, current, direction, first="", last=""), start=1)
        return
    target_rank = rank.get(current.section_id, 0) + step
    if not 1 <= target_rank <= len(sections):
        raise BuilderError("Вопрос уже первый." if direction == UP else "Вопрос уже последний.")
    # Into the next section (as its first question) or the previous one (as its last).
    current.section = sections[target_rank - 1]
    current.position = 0 if direction == DOWN else len(ordered) + 1
    current.save(update_fields=["section", "position"])
    _renumber(questionnaire)


@transaction.atomic
def questions_reorder(*, questionnaire: Questionnaire, order: Sequence[int]) -> None:
    """Questions in the order of the given pks (all of them, each once), still grouped by section."""
    ensure_structure_editable(questionnaire)
    _locked(questionnaire)
    questions = {q.pk: q for q in questionnaire.questions.all()}
    _check_permutation(order, questions, "вопросов")
    ordering.renumber([questions[pk] for pk in order], start=1)
    _renumber(questionnaire)


# --- positions ---


def _check_permutation(order: Sequence[int], items: dict, what: str) -> None:
    if len(order) != len(items) or set(order) != set(items):
        raise BuilderError(f"Порядок {what} устарел: анкету только что изменили. Обновите страницу и повторите.")


def _renumber(questionnaire: Questionnaire) -> list[Question]:
    """Positions 1…n: sections in their order, questions without a section first, then by section."""
    sections = ordering.renumber(list(questionnaire.sections.order_by("position", "pk")), start=1)
    rank = {s.pk: i for i, s in enumerate(sections, start=1)}
    questions = sorted(
        questionnaire.questions.all(), key=lambda q: (rank.get(q.section_id, 0), q.position, q.pk)
    )
    return ordering.renumber(questions, start=1)


# --- reads for the builder screens ---


def questionnaires_with_counts(queryset: QuerySet[Questionnaire]) -> QuerySet[Questionnaire]:
    """The list page's columns in the same query: questions, campaigns, «есть ответы»."""

    def count(model, link: str) -> Coalesce:
        counted = (
            model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
            .annotate(n=Count("pk")).values("n")
        )
        return Coalesce(Subquery(counted), 0)

    return queryset.select_related("district").annotate(
        question_count=count(Question, "questionnaire"),
        campaign_count=count(Campaign, "questionnaire"),
        answered=Exists(Response.objects.filter(campaign__questionnaire=OuterRef("pk"))),
    )


def questionnaire_outline(questionnaire: Questionnaire) -> list[tuple[Section | None, list[Question]]]:
    """The builder page: (section, its questions) blocks in order, the block without a section first.

    Empty sections are listed too, so a methodist can fill them. Four queries.
    """
    sections = list(questionnaire.sections.order_by("position", "pk"))
    questions = list(questionnaire.questions.prefetch_related("options", "rows").order_by("position", "pk"))
    blocks: list[tuple[Section | None, list[Question]]] = [(None, [])]
    by_section: dict[int | None, list[Question]] = {None: blocks[0][1]}
    for section in sections:
        blocks.append((section, []))
        by_section[section.pk] = blocks[-1][1]
    for number, question in enumerate(questions, start=1):
        question.number = number  # as the respondent sees it numbered
        by_section.get(question.section_id, blocks[0][1]).append(question)
    return blocks
