"""The questionnaire builder screens: list, questionnaire page, forms, delete, copy, preview.

Who may do what:
* methodists build the questionnaires of their district (write views 403 for everybody else);
* directors and observers open the list, the questionnaire page and the preview read-only;
* school administrators and portal administrators are refused (403);
* another district's questionnaire is a 404; a shared one is readable, and its write actions are
  refused with a message (copy it first), like a questionnaire that already has responses.
"""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import apply_to_form
from core.mixins import ScopedListView
from core.permissions import can, require

from .. import builder
from ..builder import BuilderError, QuestionInvalidError
from ..forms_builder import QuestionForm, QuestionnaireFilter, QuestionnaireForm, SectionForm
from ..models import Question, Questionnaire, Section
from ..responses import parse_answers, questionnaire_structure
from ..selectors import BUILD, VIEW_DISTRICT, questionnaires_for_user

# --- scope ---


def _questionnaire(request, pk: int, *, write: bool = False) -> Questionnaire:
    """Own district's or a shared questionnaire. Write views ask the builder's capability; the
    services then refuse shared and answered questionnaires with their own messages."""
    require(request.user, BUILD if write else VIEW_DISTRICT)
    return get_object_or_404(questionnaires_for_user(request.user).select_related("district"), pk=pk)


def _section(request, pk: int) -> Section:
    require(request.user, BUILD)
    return get_object_or_404(
        Section.objects.select_related("questionnaire"),
        pk=pk, questionnaire__in=questionnaires_for_user(request.user),
    )


def _question(request, pk: int) -> Question:
    require(request.user, BUILD)
    return get_object_or_404(
        Question.objects.select_related("questionnaire").prefetch_related("options", "rows"),
        pk=pk, questionnaire__in=questionnaires_for_user(request.user),
    )


def _detail_url(questionnaire: Questionnaire, anchor: str = "") -> str:
    return questionnaire.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _refusal(request, questionnaire: Questionnaire) -> HttpResponseRedirect | None:
    """Before showing a structure form: a shared or answered questionnaire goes back with the reason."""
    try:
        builder.ensure_structure_editable(questionnaire)
    except BuilderError as error:
        messages.error(request, str(error))
        return redirect(questionnaire)
    return None


# --- questionnaires ---


class QuestionnaireList(ScopedListView):
    capability = VIEW_DISTRICT
    scope = staticmethod(questionnaires_for_user)
    filterset_class = QuestionnaireFilter
    template_name = "surveys/builder/questionnaire_list.html"

    def get_queryset(self):
        return builder.questionnaires_with_counts(super().get_queryset()).order_by("title", "-version", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can(self.request.user, BUILD)
        return context


def questionnaire_create(request):
    require(request.user, BUILD)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = builder.questionnaire_create(user=request.user, **form.cleaned_data)
        except builder.CodeTakenError as error:
            form.add_error("code", str(error))
        except BuilderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Анкета «{questionnaire.title}» создана. Добавьте вопросы.")
            return redirect(questionnaire)
    return render(request, "surveys/builder/form.html", {
        "form": form, "title": "Новая анкета", "cancel_url": reverse("surveys:questionnaire_list"),
    })


def questionnaire_update(request, pk: int):
    questionnaire = _questionnaire(request, pk, write=True)
    if questionnaire.district_id is None:
        messages.error(request, builder.SHARED_MESSAGE)
        return redirect(questionnaire)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = builder.questionnaire_update(questionnaire=questionnaire, **form.cleaned_data)
        except builder.CodeTakenError as error:
            form.add_error("code", str(error))
        except BuilderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect(questionnaire)
    return render(request, "surveys/builder/form.html", {
        "form": form, "title": "Анкета: название и тексты", "questionnaire": questionnaire,
        "cancel_url": questionnaire.get_absolute_url(),
    })


def questionnaire_delete(request, pk: int):
    questionnaire = _questionnaire(request, pk, write=True)
    if request.method == "POST":
        try:
            builder.questionnaire_delete(questionnaire=questionnaire)
        except BuilderError as error:
            messages.error(request, str(error))
            return redirect(questionnaire)
        messages.success(request, f"Анкета «{questionnaire}» удалена.")
        return redirect("surveys:questionnaire_list")
    return render(request, "surveys/builder/confirm_delete.html", {
        "questionnaire": questionnaire, "object": questionnaire, "what": "анкету",
        "campaign_count": questionnaire.campaigns.count(), "shared": questionnaire.district_id is None,
        "cancel_url": questionnaire.get_absolute_url(),
    })


@require_POST
def questionnaire_copy(request, pk: int):
    questionnaire = _questionnaire(request, pk, write=True)
    try:
        copy = builder.questionnaire_copy(questionnaire=questionnaire, user=request.user)
    except BuilderError as error:
        messages.error(request, str(error))
        return redirect(questionnaire)
    messages.success(request, f"Создана версия {copy.version} анкеты «{copy.title}». Её вопросы можно менять.")
    return redirect(copy)


def questionnaire_detail(request, pk: int):
    """The builder page: sections and questions with their options and rows, and the actions."""
    questionnaire = _questionnaire(request, pk)
    shared = questionnaire.district_id is None
    answered = questionnaire.has_responses()
    can_build = can(request.user, BUILD)
    versions = (
        questionnaires_for_user(request.user).filter(code=questionnaire.code)
        .filter(district_id=questionnaire.district_id).order_by("-version")
    )
    blocks = builder.questionnaire_outline(questionnaire)
    return render(request, "surveys/builder/questionnaire_detail.html", {
        "questionnaire": questionnaire, "blocks": blocks,
        "has_questions": any(questions for _, questions in blocks),
        "shared": shared, "answered": answered, "frozen_message": builder.FROZEN_MESSAGE,
        "can_build": can_build, "can_edit": can_build and not shared and not answered,
        "campaign_count": questionnaire.campaigns.count(),
        "versions": versions,
    })


def questionnaire_preview(request, pk: int):
    """The questionnaire exactly as a respondent sees it. A POST checks the answers and saves nothing."""
    questionnaire = _questionnaire(request, pk)
    questions = questionnaire_structure(questionnaire)
    values, errors = {}, {}
    if request.method == "POST":
        errors = parse_answers(questions, request.POST).errors
        values = request.POST
        if errors:
            messages.error(request, f"Проверка: не пройдено вопросов — {len(errors)}. Так респондент увидит "
                                    "сообщения об ошибках. Ответы в режиме просмотра не сохраняются.")
        else:
            messages.success(request, "Проверка пройдена: анкета была бы принята. Ответы в режиме просмотра "
                                      "не сохраняются.")
    return render(request, "surveys/builder/questionnaire_preview.html", {
        "questionnaire": questionnaire, "questions": questions, "values": values, "errors": errors,
        "disabled": False,
    })


# --- sections ---


def section_create(request, pk: int):
    questionnaire = _questionnaire(request, pk, write=True)
    return _section_form(request, questionnaire, None)


def section_update(request, pk: int):
    section = _section(request, pk)
    return _section_form(request, section.questionnaire, section)


def _section_form(request, questionnaire: Questionnaire, section: Section | None):
    refused = _refusal(request, questionnaire)
    if refused:
        return refused
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        data = {"title": form.cleaned_data["title"], "description": form.cleaned_data["description"]}
        try:
            if section is None:
                section = builder.section_create(questionnaire=questionnaire, **data)
            else:
                section = builder.section_update(section=section, **data)
        except BuilderError as error:
            messages.error(request, str(error))
            return redirect(questionnaire)
        messages.success(request, f"Раздел «{section.title}» сохранён.")
        return redirect(_detail_url(questionnaire, f"section-{section.pk}"))
    return render(request, "surveys/builder/form.html", {
        "form": form, "questionnaire": questionnaire,
        "title": "Новый раздел" if section is None else "Раздел анкеты",
        "cancel_url": questionnaire.get_absolute_url(),
    })


def section_delete(request, pk: int):
    section = _section(request, pk)
    questionnaire = section.questionnaire
    refused = _refusal(request, questionnaire)
    if refused:
        return refused
    if request.method == "POST":
        try:
            builder.section_delete(section=section)
        except BuilderError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Раздел «{section.title}» удалён, его вопросы остались в анкете.")
        return redirect(questionnaire)
    return render(request, "surveys/builder/confirm_delete.html", {
        "questionnaire": questionnaire, "object": section, "what": "раздел",
        "note": "Вопросы раздела останутся в анкете на своих местах и перейдут в раздел выше.",
        "cancel_url": questionnaire.get_absolute_url(),
    })


@require_POST
def section_move(request, pk: int):
    section = _section(request, pk)
    try:
        builder.section_move(section=section, direction=request.POST.get("direction", ""))
    except BuilderError as error:
        messages.error(request, str(error))
    return redirect(_detail_url(section.questionnaire, f"section-{section.pk}"))


# --- questions ---


def question_create(request, pk: int):
    questionnaire = _questionnaire(request, pk, write=True)
    return _question_form(request, questionnaire, None)


def question_update(request, pk: int):
    question = _question(request, pk)
    return _question_form(request, question.questionnaire, question)


def _question_form(request, questionnaire: Questionnaire, question: Question | None):
    refused = _refusal(request, questionnaire)
    if refused:
        return refused
    initial = None
    if question is None:
        # «Добавить вопрос» of a section opens the form with that section; else the last section.
        sections = list(questionnaire.sections.order_by("position", "pk"))
        wanted = request.GET.get("section", "")
        chosen = next((s for s in sections if str(s.pk) == wanted), sections[-1] if sections else None)
        initial = {"section": chosen.pk if chosen else None, "kind": request.GET.get("kind") or "single"}
    form = QuestionForm(request.POST or None, questionnaire=questionnaire, question=question,
                        **({"initial": initial} if initial else {}))
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = builder.question_save(questionnaire=questionnaire, question=question,
                                              data=form.question_data())
            except QuestionInvalidError as error:
                apply_to_form(form, error)
            except BuilderError as error:
                messages.error(request, str(error))
                return redirect(questionnaire)
            else:
                messages.success(request, "Вопрос сохранён.")
                if "add_another" in request.POST:
                    section = f"?section={saved.section_id}" if saved.section_id else ""
                    return redirect(reverse("surveys:question_create", args=[questionnaire.pk]) + section)
                return redirect(_detail_url(questionnaire, f"question-{saved.pk}"))
        if form.errors:
            messages.error(request, "Вопрос не сохранён: исправьте отмеченные поля.")
    return render(request, "surveys/builder/question_form.html", {
        "form": form, "questionnaire": questionnaire, "question": question,
        "cancel_url": _detail_url(questionnaire, f"question-{question.pk}" if question else ""),
    })


def question_delete(request, pk: int):
    question = _question(request, pk)
    questionnaire = question.questionnaire
    refused = _refusal(request, questionnaire)
    if refused:
        return refused
    if request.method == "POST":
        try:
            builder.question_delete(question=question)
        except BuilderError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Вопрос удалён.")
        return redirect(questionnaire)
    return render(request, "surveys/builder/confirm_delete.html", {
        "questionnaire": questionnaire, "object": question, "what": "вопрос",
        "note": "Вместе с вопросом удалятся его варианты ответа и строки таблицы.",
        "cancel_url": _detail_url(questionnaire, f"question-{question.pk}"),
    })


@require_POST
def question_move(request, pk: int):
    question = _question(request, pk)
    try:
        builder.question_move(question=question, direction=request.POST.get("direction", ""))
    except BuilderError as error:
        messages.error(request, str(error))
    return redirect(_detail_url(question.questionnaire, f"question-{question.pk}"))
