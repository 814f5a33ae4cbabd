"""Organisations: list, detail, create, edit, delete; a school administrator's own organisation."""
from django.shortcuts import redirect
from django.urls import reverse_lazy

from core.lists import natural_order
from core.mixins import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from core.permissions import can, can_any, require

from .. import panels, selectors
from ..filters import OrganisationFilter
from ..forms import OrganisationForm
from .common import (
    DISTRICT_READ,
    DISTRICT_WRITE,
    ORGANISATIONS_READ,
    OWN_READ,
    OWN_WRITE,
    TEACHER_RECORDS_READ,
    ListHeaderMixin,
    create_button,
    export_button,
    import_button,
)


class OrganisationList(ListHeaderMixin, ScopedListView):
    capability = DISTRICT_READ
    scope = staticmethod(selectors.organisations_for_user)
    filterset_class = OrganisationFilter
    template_name = "clusters/organisation_list.html"
    list_title = "Организации"
    sort_fields = {
        "code": ("code",),
        "name": natural_order("short_name"),  # «№ 2» before «№ 12» before «№ 101»
        "kind": ("kind",),
        "address": ("address",),
        "email": ("email",),
        "active": ("-is_active",),  # ascending: the working ones first
    }
    default_sort = "name"
    header_buttons = (
        create_button("clusters:organisation_create"),
        export_button("clusters:organisation_export"),
        import_button("organisations"),
    )


class OrganisationDetail(ScopedDetailView):
    capability = ORGANISATIONS_READ
    scope = staticmethod(selectors.organisations_for_user)
    template_name = "clusters/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        user = self.request.user
        context["memberships"] = selectors.organisation_detail_memberships(organisation)
        context["teacher_count"] = organisation.teachers.filter(is_active=True).count()
        # A school administrator's write scope is their own organisation (selectors.organisations_for_user).
        context["can_edit"] = selectors.organisations_for_user(user, write=True).filter(pk=organisation.pk).exists()
        context["can_delete"] = context["can_edit"] and can(user, DISTRICT_WRITE)
        context["can_edit_memberships"] = can_any(user, DISTRICT_WRITE, OWN_WRITE)
        context["can_open_teachers"] = can_any(user, *TEACHER_RECORDS_READ)
        context["development"] = selectors.organisation_development_summary(user, organisation)
        context["panels"] = panels.panels_for("organisation", self.request, organisation)
        return context


class OrganisationCreate(ScopedCreateView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.organisations_for_user)
    form_class = OrganisationForm
    success_message = "Организация «%(short_name)s» добавлена."
    extra_context = {"title": "Новая организация"}


class OrganisationUpdate(ScopedUpdateView):
    """A school administrator edits their own organisation (but not its code or status: the form)."""

    capability = (DISTRICT_WRITE, OWN_WRITE)
    scope = staticmethod(selectors.organisations_for_user)
    form_class = OrganisationForm
    success_message = "Организация «%(short_name)s» сохранена."
    extra_context = {"title": "Изменение организации"}


class OrganisationDelete(ScopedDeleteView):
    capability = DISTRICT_WRITE
    scope = staticmethod(selectors.organisations_for_user)
    success_url = reverse_lazy("clusters:organisation_list")


def my_organisation(request):
    """The school administrator's start in the registry: their own organisation's page."""
    require(request.user, OWN_READ)
    return redirect("clusters:organisation_detail", pk=request.user.organisation_id)
