"""Organisations: list, detail, create, edit, delete; a school administrator's own organisation."""
from django.shortcuts import redirect
from django.urls import reverse_lazy

from imc_portal.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    require_role,
)
from imc_portal.models import Role

from .. import selectors
from ..filters import OrganisationFilter
from ..forms import OrganisationForm

READERS = selectors.DISTRICT_READERS | selectors.ORGANISATION_ROLES


class OrganisationList(ScopedListView):
    allowed_roles = selectors.DISTRICT_READERS
    scope = staticmethod(selectors.organisations_for_user)
    filterset_class = OrganisationFilter
    template_name = "clusters/organisation_list.html"


class OrganisationDetail(ScopedDetailView):
    allowed_roles = READERS
    scope = staticmethod(selectors.organisations_for_user)
    template_name = "clusters/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        user = self.request.user
        context["memberships"] = selectors.organisation_detail_memberships(organisation)
        context["teacher_count"] = organisation.teachers.filter(is_active=True).count()
        context["can_edit"] = selectors.organisations_for_user(user, write=True).filter(pk=organisation.pk).exists() or (
            user.is_school_admin and user.organisation_id == organisation.pk
        )
        context["can_delete"] = user.is_methodist
        context["development"] = selectors.organisation_development_summary(user, organisation)
        return context


class OrganisationCreate(ScopedCreateView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.organisations_for_user)
    form_class = OrganisationForm
    success_message = "Организация «%(short_name)s» добавлена."
    extra_context = {"title": "Новая организация"}


class OrganisationUpdate(ScopedUpdateView):
    allowed_roles = selectors.REGISTRY_WRITERS | selectors.ORGANISATION_ROLES
    form_class = OrganisationForm
    success_message = "Организация «%(short_name)s» сохранена."
    extra_context = {"title": "Изменение организации"}

    def get_queryset(self):
        # A school administrator edits their own organisation (but not its code or status).
        return selectors.organisations_for_user(self.request.user, write=not self.request.user.is_school_admin)


class OrganisationDelete(ScopedDeleteView):
    allowed_roles = selectors.REGISTRY_WRITERS
    scope = staticmethod(selectors.organisations_for_user)
    success_url = reverse_lazy("clusters:organisation_list")


def my_organisation(request):
    """The school administrator's start in the registry: their own organisation's page."""
    require_role(request.user, {Role.SCHOOL_ADMIN})
    return redirect("clusters:organisation_detail", pk=request.user.organisation_id)

