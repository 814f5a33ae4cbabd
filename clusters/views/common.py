"""Small view helpers shared by the registry screens of communities, development, innovation, events."""
from functools import cached_property

from .. import selectors


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


class EditRolesContextMixin:
    """A list offers «Добавить / изменить / удалить» only to roles that may write.

    The write views refuse everybody else anyway; this only keeps dead buttons off the page.
    """

    edit_roles: frozenset = frozenset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.role in self.edit_roles
        return context
