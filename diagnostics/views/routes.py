"""ИОМ built from a diagnosis: the list, a route with its steps, step editing and approval.

The school administrator (diagnostics.school) reads, edits and approves their own organisation's teachers'
routes; methodists and the director (diagnostics.view) read the district's. Outside the scope: 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView, View

from core.errors import AppError
from core.lists import SortedPagedListMixin, natural_order
from core.mixins import LIST_PAGE_SIZE, CapabilityRequiredMixin
from core.permissions import can

from ..forms_routes import RouteFilterForm, RouteStepForm
from ..models import RouteStep
from ..services import routes as service

READ = ("diagnostics.view", "diagnostics.school")
WRITE = "diagnostics.school"


def route_url(route) -> str:
    return reverse("diagnostics:route_detail", args=[route.pk])


class RouteList(CapabilityRequiredMixin, SortedPagedListMixin, ListView):
    capability = READ
    template_name = "diagnostics/route_list.html"
    paginate_by = LIST_PAGE_SIZE
    sort_fields = {
        "teacher": ("teacher__full_name", "-starts_on"),
        "organisation": (*natural_order("teacher__organisation__short_name"), "teacher__full_name"),
        "period": ("starts_on", "ends_on", "teacher__full_name"),
        "status": ("status", "teacher__full_name"),
        "approved": (F("origin__approved_at").asc(nulls_first=True), "teacher__full_name"),
    }

    def get_queryset(self):
        self.filter_form = RouteFilterForm(self.request.GET or None, user=self.request.user)
        qs = service.routes_for_user(self.request.user).order_by("-starts_on", "teacher__full_name", "pk")
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data.get("status"):
                qs = qs.filter(status=data["status"])
            if data.get("organisation"):
                qs = qs.filter(teacher__organisation=data["organisation"])
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class RouteDetail(CapabilityRequiredMixin, DetailView):
    capability = READ
    template_name = "diagnostics/route_detail.html"
    context_object_name = "route"

    def get_queryset(self):
        return service.routes_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        route = self.object
        return super().get_context_data(
            steps=route.steps.select_related("area", "training_program", "mentor", "community", "completion"),
            origin=getattr(route, "origin", None),
            can_edit=can(self.request.user, WRITE),
            **kwargs,
        )


class StepFormView(CapabilityRequiredMixin, FormView):
    """Create or change a step of a route in the user's write scope."""

    capability = WRITE
    form_class = RouteStepForm
    template_name = "diagnostics/route_step_form.html"

    def get_step(self):
        return get_object_or_404(RouteStep.objects.filter(route__in=service.routes_for_user(
            self.request.user, write=True)).select_related("route", "route__teacher__organisation"),
            pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(route=self.route, instance=self.step)
        return kwargs

    def form_valid(self, form):
        step = form.save(commit=False)
        step.route = self.route
        try:
            service.save_step(step)
        except AppError as error:
            for field, errors in error.field_errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            if not error.field_errors:
                form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Шаг ИОМ сохранён.")
        return HttpResponseRedirect(route_url(self.route))

    def get_context_data(self, **kwargs):
        return super().get_context_data(route=self.route, step=self.step, **kwargs)


class StepCreate(StepFormView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.step = None

    def dispatch(self, request, *args, **kwargs):
        if can(request.user, WRITE):
            self.route = get_object_or_404(service.routes_for_user(request.user, write=True), pk=kwargs["pk"])
            self.step = RouteStep(route=self.route, position=self.route.steps.count() + 1)
        return super().dispatch(request, *args, **kwargs)


class StepUpdate(StepFormView):
    def dispatch(self, request, *args, **kwargs):
        if can(request.user, WRITE):
            self.step = self.get_step()
            self.route = self.step.route
        return super().dispatch(request, *args, **kwargs)


class StepDelete(CapabilityRequiredMixin, View):
    capability = WRITE
    http_method_names = ["post"]

    def post(self, request, pk):
        step = get_object_or_404(RouteStep.objects.filter(
            route__in=service.routes_for_user(request.user, write=True)).select_related("route"), pk=pk)
        route = step.route
        service.delete_step(step)
        messages.success(request, "Шаг ИОМ удалён.")
        return HttpResponseRedirect(route_url(route))


class RouteApprove(CapabilityRequiredMixin, View):
    capability = WRITE
    http_method_names = ["post"]

    def post(self, request, pk):
        route = get_object_or_404(service.routes_for_user(request.user, write=True), pk=pk)
        try:
            service.approve_route(route, user=request.user)
        except AppError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "ИОМ утверждён.")
        return HttpResponseRedirect(route_url(route))
