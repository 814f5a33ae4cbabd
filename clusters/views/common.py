"""Small view helpers shared by the registry screens: capabilities, parent objects, list headers."""
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from core.permissions import can_any

from .. import selectors
from ..selectors import DISTRICT_READ, DISTRICT_WRITE, OWN_READ, OWN_WRITE, PERSONAL_DATA_READ

# Capabilities of core.permissions the registry's views name. A tuple opens a view to holders of
# any of them; which rows each one then sees is the selectors' business (district or own school).
IMPORT = "registry.import"
CLUSTERS_READ = "registry.view_clusters"
ORGANISATIONS_READ = (DISTRICT_READ, OWN_READ)  # the district's organisations, or one's own
TEACHER_RECORDS_READ = (PERSONAL_DATA_READ, OWN_READ)  # teachers, their courses, routes, mentorships
TEACHER_RECORDS_WRITE = (DISTRICT_WRITE, OWN_WRITE)

__all__ = [
    "CLUSTERS_READ", "DISTRICT_READ", "DISTRICT_WRITE", "IMPORT", "ORGANISATIONS_READ", "OWN_READ", "OWN_WRITE",
    "PERSONAL_DATA_READ", "TEACHER_RECORDS_READ", "TEACHER_RECORDS_WRITE",
    "EditCapabilityContextMixin", "HeaderButton", "ListHeaderMixin", "ParentObjectMixin", "TeacherInitialMixin",
    "create_button", "export_button", "import_button",
]


class ParentObjectMixin:
    """A record that lives inside a parent (a member of a community, a participant of a project).

    The parent comes from its own write scope, so a parent outside the user's district is a 404
    before any form is shown; the new record is created already attached to it.
    """

    parent_scope = None  # staticmethod(selectors.communities_for_user)
    parent_kwarg = "parent_pk"
    parent_field = ""

    @cached_property
    def parent(self):
        return selectors.get_for_user(self.parent_scope(self.request.user, write=True), self.kwargs[self.parent_kwarg])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.form_class._meta.model(**{self.parent_field: self.parent})
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("parent", self.parent)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return self.parent.get_absolute_url()


class TeacherInitialMixin:
    """«Добавить» on a teacher's page opens the form with that teacher chosen.

    Only a pre-selection: the teacher field's choices stay scoped, so a foreign id shows nothing.
    """

    def get_initial(self):
        initial = super().get_initial()
        teacher = self.request.GET.get("teacher", "")
        if teacher.isdigit():
            initial["teacher"] = int(teacher)
        return initial


class EditCapabilityContextMixin:
    """A list offers «Добавить / изменить / удалить» only to users holding `edit_capability`.

    The write views refuse everybody else anyway; this only keeps dead buttons off the page.
    """

    edit_capability: str | tuple[str, ...] = DISTRICT_WRITE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_any(self.request.user, *_names(self.edit_capability))
        return context


@dataclass(frozen=True)
class HeaderButton:
    """A button of a list page's header: «Добавить», «Выгрузить в XLSX», «Загрузить из XLSX» …

    `capability`: shown only to users holding one of them (the capability of the page it opens);
    empty: shown to everybody who sees the list. `with_filter`: the list's filter goes along (an
    export holds exactly the page's rows); `keep`: only these GET parameters of the page go along.
    """

    label: str
    url_name: str
    icon: str
    capability: str | tuple[str, ...] = ()
    primary: bool = False
    with_filter: bool = False
    keep: tuple[str, ...] = ()
    query: str = ""  # a fixed query string, e.g. "kind=teachers"

    def url(self, request, filter_query: str) -> str:
        # reverse(), not {% url … as x %}: a wrong URL name fails loudly instead of hiding the button.
        url = reverse(self.url_name)
        if self.with_filter:
            return f"{url}?{filter_query}"
        params = [self.query] if self.query else []
        params += [urlencode({name: request.GET[name]}) for name in self.keep if request.GET.get(name)]
        return f"{url}?{'&'.join(params)}" if params else url


def create_button(url_name: str, capability: str | tuple[str, ...] = DISTRICT_WRITE, label: str = "Добавить"):
    return HeaderButton(label, url_name, "plus-lg", capability, primary=True)


def export_button(url_name: str, label: str = "Выгрузить в XLSX"):
    return HeaderButton(label, url_name, "file-earmark-excel", with_filter=True)


def import_button(kind: str):
    return HeaderButton("Загрузить из XLSX", "clusters:import", "upload", IMPORT, query=urlencode({"kind": kind}))


class ListHeaderMixin:
    """The context of templates/includes/list_header.html: title, number of rows, buttons."""

    list_title = ""
    header_buttons: tuple[HeaderButton, ...] = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        paginator = context.get("paginator")
        buttons = [
            b for b in self.header_buttons if not b.capability or can_any(request.user, *_names(b.capability))
        ]
        context["list_header"] = {
            "title": self.list_title,
            "count": paginator.count if paginator is not None else None,
            "buttons": [
                {"label": b.label, "icon": b.icon, "primary": b.primary, "url": b.url(request, context["filter_query"])}
                for b in buttons
            ],
        }
        return context


def _names(capability: str | tuple[str, ...]) -> tuple[str, ...]:
    return (capability,) if isinstance(capability, str) else tuple(capability)
