"""View building blocks shared by every app: capability gates, scoped querysets, safe deletes.

A view states which capability of `core.permissions` opens it (others get 403) and which
`*_for_user` selector scopes its objects (anything outside the scope is a 404). Views stay thin:
access → selector/service → render.
"""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.http import HttpResponseRedirect
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from .lists import DEFAULT_PER_PAGE, SortedPagedListMixin
from .page_cache import CachedPageMixin
from .permissions import require

LIST_PAGE_SIZE = DEFAULT_PER_PAGE


class CapabilityRequiredMixin:
    """Refuse (403) users whose role holds none of the view's capabilities.

    `capability` is one name of `core.permissions.CAPABILITIES` or a tuple of names (any of them
    opens the view). A view without one is a programming error, not an open door.
    """

    capability: str | tuple[str, ...] = ()

    def get_capabilities(self) -> tuple[str, ...]:
        return (self.capability,) if isinstance(self.capability, str) else tuple(self.capability)

    def dispatch(self, request, *args, **kwargs):
        capabilities = self.get_capabilities()
        if not capabilities:
            raise ImproperlyConfigured(f"{type(self).__name__} names no capability")
        require(request.user, *capabilities)
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(CapabilityRequiredMixin):
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


class ScopedListView(CachedPageMixin, ScopedQuerysetMixin, SortedPagedListMixin, FilterView):
    """A scoped, filtered list with `?sort=`, `?page=` and `?per_page=` (core/lists.py), kept per reader and
    table versions (core/page_cache.py)."""

    paginate_by = LIST_PAGE_SIZE
    template_name_suffix = "_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        # The export and the other header buttons take the filter and the sort, not the page.
        context["filter_query"] = query.urlencode()
        return context


class ScopedDetailView(CachedPageMixin, ScopedQuerysetMixin, DetailView):
    """One object of the reader's scope, kept per reader and table versions (core/page_cache.py)."""


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
