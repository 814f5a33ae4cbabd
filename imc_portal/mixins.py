"""View building blocks shared by every app: role gates, scoped querysets, safe deletes.

A view states which roles may open it (others get 403) and which `*_for_user` selector scopes
its objects (anything outside the scope is a 404). Views stay thin: access → selector/service →
render.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.http import HttpResponseRedirect
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

LIST_PAGE_SIZE = 50


def require_role(user, roles: Iterable[str]) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise PermissionDenied("Этот раздел недоступен для вашей роли.")


class RoleRequiredMixin:
    """Refuse (403) users whose role may not open this view at all."""

    allowed_roles: Iterable[str] = ()

    def dispatch(self, request, *args, **kwargs):
        require_role(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(RoleRequiredMixin):
    """Objects come only from a `*_for_user` selector; `write` views ask for the write scope.

    Declare it as `scope = staticmethod(selectors.organisations_for_user)`.
    """

    scope: Callable[..., QuerySet]
    write = False

    def get_queryset(self) -> QuerySet:
        return self.scope(self.request.user, write=self.write)


class UserFormKwargsMixin:
    """Forms get the user so that their choices (organisation, teacher …) are scoped too."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class ScopedListView(ScopedQuerysetMixin, FilterView):
    paginate_by = LIST_PAGE_SIZE
    template_name_suffix = "_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        return context


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    pass


class ScopedCreateView(ScopedQuerysetMixin, UserFormKwargsMixin, SuccessMessageMixin, CreateView):
    write = True
    template_name = "form.html"
    success_message = "Запись создана."

    @transaction.atomic
    def form_valid(self, form):
        return super().form_valid(form)


class ScopedUpdateView(ScopedQuerysetMixin, UserFormKwargsMixin, SuccessMessageMixin, UpdateView):
    write = True
    template_name = "form.html"
    success_message = "Изменения сохранены."

    @transaction.atomic
    def form_valid(self, form):
        return super().form_valid(form)


class ScopedDeleteView(ScopedQuerysetMixin, SuccessMessageMixin, DeleteView):
    """Deletes inside the write scope; an object still referenced is kept with a clear message."""

    write = True
    template_name = "confirm_delete.html"
    success_message = "Запись удалена."
    protected_message = "Нельзя удалить «{obj}»: на неё ссылаются другие записи ({related}). Сначала удалите или измените их."

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError) as exc:
            related = sorted({type(o)._meta.verbose_name_plural for o in exc.args[1]})
            messages.error(self.request, self.protected_message.format(obj=self.object, related=", ".join(related)))
            return HttpResponseRedirect(self.get_protected_redirect_url())

    def get_protected_redirect_url(self) -> str:
        if hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        return self.get_success_url()
