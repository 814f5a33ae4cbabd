"""Pairs of organisations (наставнические пары ОУ): list, proposals, the pair page, decisions, activities.

Thin views: capability → selector (scope, 404 outside it) → service (the write and its refusals).
"""
from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from clusters.models import Cluster
from clusters.selectors import organisations_for_user
from clusters.views.common import ListHeaderMixin
from core.errors import AppError, apply_to_form
from core.lists import natural_order
from core.mixins import CapabilityRequiredMixin, ScopedDetailView, ScopedListView
from core.permissions import can

from .. import selectors
from ..forms_pairs import (
    ActivityForm,
    PairCompleteForm,
    PairConfirmForm,
    PairFilter,
    PairForm,
    PairRejectForm,
)
from ..models import PairStatus
from ..services import pairs as services
from ..services.tiers import signed_index

READ = (selectors.VIEW, selectors.VIEW_OWN)


class PairList(ListHeaderMixin, ScopedListView):
    capability = READ
    scope = staticmethod(selectors.pairs_for_user)
    filterset_class = PairFilter
    template_name = "network/pair_list.html"
    list_title = "Наставнические пары ОУ"
    sort_fields = {
        "cluster": ("cluster__year", "cluster__name"),
        "mentor": (*natural_order("mentor_organisation__short_name"),),
        "mentee": (*natural_order("mentee_organisation__short_name"),),
        "subject": ("subject",),
        "advantage": (F("advantage").asc(nulls_first=True),),
        "status": ("status",),
        "starts": (F("starts_on").asc(nulls_first=True),),
    }

    def get_queryset(self):
        return super().get_queryset().order_by("-cluster__year", "cluster__name", "mentee_organisation__code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if can(user, selectors.EDIT) and user.district_id:
            context["propose_clusters"] = Cluster.objects.filter(district_id=user.district_id).order_by("-year", "name")
            context["propose_selected"] = self.request.GET.get("cluster", "")
        return context


class PairPropose(CapabilityRequiredMixin, View):
    """POST: propose pairs in one cluster of the methodist's district; the message gives counts and reasons."""

    capability = selectors.EDIT
    http_method_names = ["post"]

    def post(self, request):
        cluster = get_object_or_404(Cluster.objects.filter(district_id=request.user.district_id),
                                    pk=request.POST.get("cluster") if str(request.POST.get("cluster", "")).isdigit()
                                    else 0)
        try:
            outcome = services.propose_pairs(user=request.user, cluster=cluster)
        except AppError as error:
            messages.error(request, str(error))
        else:
            (messages.success if outcome.created else messages.info)(request, outcome.message())
        return HttpResponseRedirect(f"{reverse('network:pairs')}?cluster={cluster.pk}")


class PairDetail(ScopedDetailView):
    capability = READ
    scope = staticmethod(selectors.pairs_for_user)
    template_name = "network/pair_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pair, user = self.object, self.request.user
        can_decide = selectors.pairs_for_user(user, write=True).filter(pk=pair.pk).exists()
        numbers = selectors.pair_numbers(pair)
        context.update(
            numbers=numbers,
            # Signed as on the tiers pages (+1,571 / −1,406), not with a hyphen.
            signed={f"{side}_{name}": signed_index(getattr(numbers[side], name))
                    for side in ("mentor", "mentee") for name in ("index", "subject_z")}
            | {"weakest_z": signed_index(numbers["weakest_z"])},
            activities=list(pair.activities.select_related("updated_by")),
            mentor_teachers=list(pair.mentor_teachers.select_related("organisation").order_by("full_name")),
            practices=list(pair.practices.order_by("title")),
            can_decide=can_decide,
            is_open=pair.status in services.OPEN_STATUSES,
            can_plan=pair.status in services.OPEN_STATUSES
            and selectors.activity_pairs_for_user(user).filter(pk=pair.pk).exists(),
            statuses=PairStatus,
            # A school administrator opens only their own organisation's page: the other is plain text.
            openable_organisation_ids=set(organisations_for_user(user).filter(
                pk__in=[pair.mentor_organisation_id, pair.mentee_organisation_id]).values_list("pk", flat=True)),
        )
        if can_decide and pair.status in services.OPEN_STATUSES:
            chosen = {t.pk for t in context["mentor_teachers"]}
            context["suggestions"] = [(p, p.teacher_id in chosen) for p in selectors.mentor_suggestions(pair)]
            context["registry_mentors"] = [(t, t.pk in chosen) for t in selectors.registry_mentors(pair)]
        return context


class PairFormView(CapabilityRequiredMixin, FormView):
    """A methodist's decision on one pair of their district (404 outside it): a form, then the service."""

    capability = selectors.EDIT
    template_name = "network/pair_form.html"
    title = ""
    submit_label = "Сохранить"
    success_text = "Сохранено."

    @cached_property
    def pair(self):
        return get_object_or_404(selectors.pairs_for_user(self.request.user, write=True), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        kwargs.setdefault("submit_label", self.submit_label)
        kwargs.setdefault("pair", self.pair)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except AppError as error:
            apply_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text)
        return HttpResponseRedirect(self.pair.get_absolute_url())

    def act(self, data: dict) -> None:
        raise NotImplementedError


class PairUpdate(PairFormView):
    form_class = PairForm
    title = "Изменение пары"
    success_text = "Пара изменена."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pair": self.pair}

    def act(self, data):
        services.update_pair(user=self.request.user, pair=self.pair, subject=data["subject"], goal=data["goal"],
                             starts_on=data["starts_on"], ends_on=data["ends_on"],
                             mentor_organisation=data["mentor_organisation"],
                             mentor_teachers=list(data["mentor_teachers"]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["suggestions"] = selectors.mentor_suggestions(self.pair)
        return context


class PairConfirm(PairFormView):
    form_class = PairConfirmForm
    title = "Подтверждение пары"
    submit_label = "Подтвердить пару"
    success_text = "Пара подтверждена."

    def get_initial(self):
        return {"goal": self.pair.goal, "starts_on": self.pair.starts_on, "ends_on": self.pair.ends_on}

    def act(self, data):
        services.confirm_pair(user=self.request.user, pair=self.pair, goal=data["goal"],
                              starts_on=data["starts_on"], ends_on=data["ends_on"])


class PairReject(PairFormView):
    form_class = PairRejectForm
    title = "Отклонение пары"
    submit_label = "Отклонить пару"
    success_text = "Пара отклонена."

    def act(self, data):
        services.reject_pair(user=self.request.user, pair=self.pair, reason=data["reason"])


class PairComplete(PairFormView):
    form_class = PairCompleteForm
    title = "Завершение работы пары"
    submit_label = "Завершить работу пары"
    success_text = "Работа пары завершена."

    def act(self, data):
        services.complete_pair(user=self.request.user, pair=self.pair, ends_on=data["ends_on"])


# --- activities -----------------------------------------------------------------------------------


class ActivityFormView(CapabilityRequiredMixin, FormView):
    """The plan of a pair: its methodist or a school administrator of either organisation (others: 404)."""

    capability = selectors.ACTIVITIES
    form_class = ActivityForm
    template_name = "network/pair_form.html"

    @cached_property
    def activity(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(selectors.activities_for_user(self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def pair(self):
        if self.activity is not None:
            return self.activity.pair
        return get_object_or_404(selectors.activity_pairs_for_user(self.request.user), pk=self.kwargs["pair_pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.activity}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", "Мероприятие пары" if self.activity is None else "Изменение мероприятия")
        kwargs.setdefault("pair", self.pair)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        user = self.request.user
        try:
            if self.activity is None:
                services.create_activity(user=user, pair=self.pair, data=form.cleaned_data)
            else:
                services.update_activity(user=user, activity=self.activity, data=form.cleaned_data)
        except AppError as error:
            apply_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Мероприятие сохранено.")
        return HttpResponseRedirect(self.pair.get_absolute_url())


class ActivityDelete(CapabilityRequiredMixin, TemplateView):
    capability = selectors.ACTIVITIES
    template_name = "network/pair_activity_delete.html"

    @cached_property
    def activity(self):
        return get_object_or_404(selectors.activities_for_user(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("object", self.activity)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        activity = self.activity
        try:
            services.delete_activity(user=request.user, activity=activity)
        except AppError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Мероприятие удалено.")
        return HttpResponseRedirect(activity.pair.get_absolute_url())
