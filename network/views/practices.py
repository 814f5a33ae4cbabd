"""The base of effective practices: list with search and filters, detail, create/edit/delete, verify, files."""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from clusters.selectors import clusters_for_user, events_for_user, get_for_user, organisations_for_user
from clusters.views.common import ListHeaderMixin, create_button
from core.errors import AppError, apply_to_form
from core.lists import natural_order
from core.mixins import ScopedCreateView, ScopedDeleteView, ScopedDetailView, ScopedListView, ScopedUpdateView
from core.permissions import can, require

from .. import selectors_practices as selectors
from ..forms_practices import PracticeEditForm, PracticeFilter
from ..services import practices as services

READ, CONTRIBUTE, EDIT = selectors.VIEW_PRACTICES, selectors.CONTRIBUTE, selectors.EDIT


class PracticeList(ListHeaderMixin, ScopedListView):
    capability = READ
    scope = staticmethod(selectors.practices_for_user)
    filterset_class = PracticeFilter
    template_name = "network/practice_list.html"
    list_title = "База практик"
    header_buttons = (create_button("network:practice_create", CONTRIBUTE),)
    sort_fields = {
        "year": ("year", "title"),
        "title": ("title",),
        "authors": ("authors",),
        "organisation": (*natural_order("organisation__short_name"), "title"),
        "subject": ("subject", "title"),
        "form": ("form", "title"),
        "verified": ("is_verified", "title"),
    }

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


def _pair_links(user, practice) -> list[dict]:
    """The practice's pairs, each with a link only where the user may open the pair's page."""
    pairs = []
    for pair in practice.pairs.select_related("cluster", "mentor_organisation", "mentee_organisation"):
        own = user.organisation_id in (pair.mentor_organisation_id, pair.mentee_organisation_id)
        url = None
        if can(user, "network.view") or (can(user, "network.view_own") and own):
            try:
                url = pair.get_absolute_url()
            except NoReverseMatch:  # the pairs pages are another area's; the link waits for them
                url = None
        pairs.append({"pair": pair, "url": url})
    return pairs


class PracticeDetail(ScopedDetailView):
    capability = READ
    scope = staticmethod(selectors.practices_for_user)
    template_name = "network/practice_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice, user = self.object, self.request.user
        writable = selectors.practices_for_user(user, write=True).filter(pk=practice.pk).exists()
        # Links only to pages this user may open (a school administrator: own organisation, own clusters).
        context.update({
            "can_edit": writable,
            "can_verify": writable and can(user, EDIT),
            "files": practice.files.all(),
            "tags": practice.tags.all(),
            "pairs": _pair_links(user, practice),
            "organisation_url": practice.organisation_id and organisations_for_user(user).filter(
                pk=practice.organisation_id).exists() and practice.organisation.get_absolute_url(),
            "cluster_url": practice.cluster_id and clusters_for_user(user).filter(
                pk=practice.cluster_id).exists() and practice.cluster.get_absolute_url(),
            "event_url": practice.event_id and events_for_user(user).filter(
                pk=practice.event_id).exists() and practice.event.get_absolute_url(),
        })
        return context


class _PracticeSaveMixin:
    form_class = PracticeEditForm
    template_name = "network/practice_form.html"

    def form_valid(self, form):
        try:
            result = services.save_practice(
                self.request.user, form.instance, tags=form.cleaned_data.get("tags_text", ""),
                pairs=form.cleaned_data.get("pairs") if "pairs" in form.fields else None,
                uploads=form.cleaned_data.get("files") or [],
            )
        except AppError as error:
            apply_to_form(form, error)
            return self.form_invalid(form)
        self.object = result.practice
        text = self.success_text.format(title=result.practice.title)
        if result.files_added:
            text += f" Файлов добавлено: {result.files_added}."
        messages.success(self.request, text)
        if result.verification_cleared:
            messages.warning(self.request, "Практика была проверена методистом; после изменений отметка "
                                           "«проверено методистом» снята до новой проверки.")
        elif not result.practice.is_verified and not can(self.request.user, EDIT):
            messages.info(self.request, "Практика появится с отметкой «проверено» после проверки методистом.")
        return HttpResponseRedirect(result.practice.get_absolute_url())


class PracticeCreate(_PracticeSaveMixin, ScopedCreateView):
    capability = CONTRIBUTE
    scope = staticmethod(selectors.practices_for_user)
    success_text = "Практика «{title}» добавлена."
    extra_context = {"title": "Новая практика"}

    def get_initial(self):
        initial = super().get_initial()
        for name in ("organisation", "event", "cluster"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        return initial


class PracticeUpdate(_PracticeSaveMixin, ScopedUpdateView):
    capability = CONTRIBUTE
    scope = staticmethod(selectors.practices_for_user)
    success_text = "Практика «{title}» сохранена."
    extra_context = {"title": "Изменение практики"}


class PracticeDelete(ScopedDeleteView):
    capability = CONTRIBUTE
    scope = staticmethod(selectors.practices_for_user)
    success_url = reverse_lazy("network:practices")

    def form_valid(self, form):
        try:
            services.delete_practice(self.request.user, self.object)
        except AppError as error:
            messages.error(self.request, str(error))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, f"Практика «{self.object.title}» удалена.")
        return HttpResponseRedirect(self.success_url)


@require_POST
def practice_verify(request, pk: int):
    """«Проверено методистом» on (`verified=1`) or off (`verified=0`)."""
    require(request.user, EDIT)
    practice = get_for_user(selectors.practices_for_user(request.user, write=True), pk)
    choice = request.POST.get("verified")
    if choice not in ("0", "1"):  # a crafted value must not silently clear the mark
        messages.error(request, "Отметка не изменена: непонятно, поставить её или снять.")
        return redirect(practice.get_absolute_url())
    verified = choice == "1"
    try:
        services.set_verified(request.user, practice, verified)
    except AppError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Практика отмечена как проверенная методистом." if verified
                         else "Отметка «проверено методистом» снята.")
    return redirect(practice.get_absolute_url())


@require_GET
def practice_file(request, pk: int):
    """A practice's file, only to those who may read the practice; always as a download."""
    require(request.user, READ)
    record = get_for_user(selectors.practice_files_for_user(request.user), pk)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Файл не найден в хранилище.") from None
    response = FileResponse(handle, as_attachment=True, filename=record.original_name,
                            content_type=record.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def practice_file_delete(request, pk: int):
    require(request.user, CONTRIBUTE)
    record = get_for_user(selectors.practice_files_for_user(request.user, write=True), pk)
    try:
        services.delete_file(request.user, record)
    except AppError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Файл «{record.original_name}» удалён.")
    return redirect(reverse("network:practice_detail", args=[record.practice_id]))
