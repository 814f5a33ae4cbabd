"""The setup wizard's pages (portal admin only): district and requisites, first users, a programme from the
library, the import checklist. Thin: capability → selector/service → render; every step can be opened
again and saved again."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from core.links import portal_base_url
from core.permissions import require
from imc_portal.models import User

from . import invitations, selectors, services
from .forms import DistrictForm, InviteForm, LibraryForm
from .library import LIBRARY

CAPABILITY = "setup.run"


def _page(request, template: str, district, step: str, context: dict):
    return render(request, template, {
        "district": district, "steps": selectors.progress(district), "current_step": step, **context,
    })


def wizard(request):
    require(request.user, CAPABILITY)
    return render(request, "setup/wizard.html", {
        "title": "Подключение района", "rows": selectors.wizard_rows(list(selectors.districts())),
    })


def _apply(form, error: services.SetupError) -> None:
    for name, texts in error.field_errors.items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)
    if not error.field_errors:
        form.add_error(None, str(error))


def _district_step(request, district):
    form = DistrictForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.district_save(
                user=request.user, district=district, region_name=data["region_name"], name=data["name"],
                code=data["code"], centre={name: data.get(name) or "" for name in form.centre_fields()},
            )
        except services.SetupError as error:
            _apply(form, error)
        else:
            messages.success(request, f"Район «{saved.name}» и реквизиты ИМЦ сохранены.")
            return redirect("setup:users", pk=saved.pk)
    return _page(request, "setup/district.html", district, "district", {
        "form": form, "title": "Район и реквизиты ИМЦ",
    })


def district_new(request):
    require(request.user, CAPABILITY)
    return _district_step(request, None)


def district_edit(request, pk: int):
    require(request.user, CAPABILITY)
    return _district_step(request, selectors.district_get(pk))


def users(request, pk: int):
    require(request.user, CAPABILITY)
    district = selectors.district_get(pk)
    form = InviteForm(district=district)
    base_url = portal_base_url(request)
    if request.method == "POST" and request.POST.get("action") == "resend":
        invited = User.objects.filter(district=district, pk=request.POST.get("user")).first()
        if invited is None:
            messages.error(request, "Пользователь не найден в этом районе.")
        else:
            try:
                sent = services.invitation_send(user=request.user, invited=invited, base_url=base_url)
            except services.SetupError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Приглашение отправлено повторно на {sent.user.email}.")
        return redirect("setup:users", pk=district.pk)
    if request.method == "POST":
        form = InviteForm(request.POST, district=district)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sent = services.user_invite(
                    user=request.user, district=district, role=data["role"], email=data["email"],
                    last_name=data["last_name"], first_name=data["first_name"], patronymic=data["patronymic"],
                    position=data["position"], organisation=data["organisation"], base_url=base_url,
                )
            except services.SetupError as error:
                _apply(form, error)
            else:
                messages.success(request, f"{sent.user.display_name} ({sent.user.get_role_display()}) приглашён(а): "
                                          f"письмо со ссылкой отправлено на {sent.user.email}. Ссылку можно "
                                          f"передать и самому — она в таблице ниже.")
                return redirect("setup:users", pk=district.pk)
    people = [(person, invitations.invitation_url(person, base=base_url) if invitations.is_pending(person) else "")
              for person in selectors.district_users(district)]
    return _page(request, "setup/users.html", district, "users", {
        "form": form, "people": people, "title": "Первые пользователи",
    })


def programme(request, pk: int):
    require(request.user, CAPABILITY)
    district = selectors.district_get(pk)
    form = LibraryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.programme_from_library(user=request.user, district=district, key=data["key"],
                                                     first_year=data["first_year"], last_year=data["last_year"])
        except services.SetupError as error:
            _apply(form, error)
        else:
            periods = ", ".join(result.periods_added) or "новых нет"
            verb = "создана" if result.created else "дополнена"
            messages.success(request, f"Программа «{result.programme.name}» {verb}: периоды — {periods}; "
                                      f"показателей добавлено: {result.indicators_added}.")
            return redirect("setup:programme", pk=district.pk)
    return _page(request, "setup/programme.html", district, "programme", {
        "form": form, "library": LIBRARY.values(), "programmes": selectors.district_programmes(district),
        "title": "Программа мониторинга",
    })


def checklist(request, pk: int):
    require(request.user, CAPABILITY)
    district = selectors.district_get(pk)
    counts = selectors.district_counts([district])[district.pk]
    return render(request, "setup/checklist.html", {
        "district": district, "steps": selectors.progress(district, counts), "current_step": "checklist",
        "items": selectors.checklist(district, counts), "base_url": portal_base_url(request), "title": "Импорт данных",
    })


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invited user sets their password (Django's reset-confirm view with the invitation's tokens) and is
    logged in."""

    token_generator = invitations.invitation_token_generator
    template_name = "setup/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def _someone_else_signed_in(self) -> bool:
        # The admin who opens the link they were shown must not set the invitee's password for them.
        current = self.request.user
        return bool(current.is_authenticated and self.user is not None and current.pk != self.user.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("validlink") and self._someone_else_signed_in():
            context.update(validlink=False, signed_in_as=self.request.user)
        return context

    def form_valid(self, form):
        if self._someone_else_signed_in():
            return self.render_to_response(self.get_context_data(form=form))
        response = super().form_valid(form)
        messages.success(self.request, "Пароль задан, вы вошли в портал. Логин для следующего входа — "
                                       f"{form.user.get_username()}.")
        return response
