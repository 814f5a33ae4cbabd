"""The district's base of mentors: list with filters; a methodist adds, edits and removes mentors."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from clusters.selectors import organisations_for_user
from clusters.views.common import ListHeaderMixin, create_button
from core.errors import AppError, apply_to_form
from core.lists import natural_order
from core.mixins import ScopedCreateView, ScopedDeleteView, ScopedListView, ScopedUpdateView
from core.permissions import can

from .. import selectors_practices as selectors
from ..forms_practices import MentorEditForm, MentorFilter, MentorOrganisationForm
from ..services import mentors as services

VIEW, EDIT = selectors.VIEW, selectors.EDIT


class MentorList(ListHeaderMixin, ScopedListView):
    capability = VIEW
    scope = staticmethod(selectors.mentors_for_user)
    filterset_class = MentorFilter
    template_name = "network/mentor_list.html"
    list_title = "База наставников"
    header_buttons = (create_button("network:mentor_create", EDIT),)
    sort_fields = {
        "name": ("teacher__full_name",),
        "organisation": (*natural_order("teacher__organisation__short_name"), "teacher__full_name"),
        "position": ("teacher__position", "teacher__full_name"),
        "subjects": ("subjects", "teacher__full_name"),
        "active": ("is_active", "teacher__full_name"),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_edit"] = can(user, EDIT)
        # Organisation names link only for those who may open organisation pages.
        context["organisation_links"] = set(organisations_for_user(user).values_list("pk", flat=True))
        return context


class _MentorSaveMixin:
    form_class = MentorEditForm
    template_name = "network/mentor_form.html"
    success_url = reverse_lazy("network:mentors")

    def form_valid(self, form):
        try:
            profile = services.save_mentor(self.request.user, form.instance)
        except AppError as error:
            apply_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text.format(name=profile.teacher.full_name))
        return HttpResponseRedirect(self.success_url)


class MentorCreate(_MentorSaveMixin, ScopedCreateView):
    """Step one asks for the organisation (GET ?organisation=…), step two lists its teachers."""

    capability = EDIT
    scope = staticmethod(selectors.mentors_for_user)
    success_text = "{name} — в базе наставников."
    extra_context = {"title": "Новый наставник"}

    def organisation_id(self) -> int | None:
        raw = self.request.POST.get("organisation") or self.request.GET.get("organisation") or ""
        if raw.isdigit() and selectors.district_organisations(self.request.user).filter(pk=int(raw)).exists():
            return int(raw)
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation_id"] = self.organisation_id()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation_id = self.organisation_id()
        context["organisation_id"] = organisation_id
        if organisation_id is None and "organisation" in self.request.GET:
            # Step one was sent with nothing or a foreign/junk value: show why instead of the same blank form.
            context["organisation_form"] = MentorOrganisationForm(self.request.GET, user=self.request.user)
            context["organisation_form"].is_valid()
        else:
            context["organisation_form"] = MentorOrganisationForm(
                user=self.request.user, initial={"organisation": organisation_id}
            )
        return context


class MentorUpdate(_MentorSaveMixin, ScopedUpdateView):
    capability = EDIT
    scope = staticmethod(selectors.mentors_for_user)
    success_text = "Наставник {name} сохранён."
    extra_context = {"title": "Изменение наставника"}


class MentorDelete(ScopedDeleteView):
    capability = EDIT
    scope = staticmethod(selectors.mentors_for_user)
    success_url = reverse_lazy("network:mentors")

    def form_valid(self, form):
        try:
            services.delete_mentor(self.request.user, self.object)
        except AppError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, f"{self.object.teacher.full_name} удалён(а) из базы наставников.")
        return HttpResponseRedirect(self.success_url)
