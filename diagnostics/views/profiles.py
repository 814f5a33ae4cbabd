"""Profile pages (issue 12, item 3): the teacher's own by their personal link, the same for staff, PDFs of both,
and the district's level thresholds. Reads go through diagnostics/profiles.py."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import FormView, TemplateView, View

from clusters.personal_data import log_export
from core.errors import AppError
from core.mixins import CapabilityRequiredMixin

from .. import profiles
from ..forms_levels import LevelSettingsForm, save_level_settings

STAFF = ("diagnostics.view", "diagnostics.school")
PDF_TEMPLATE = "diagnostics/pdf/profile.html"
PDF_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "profile_pdf.css"


def render_pdf(context: dict) -> bytes:
    """One page through WeasyPrint; the styles come from a static file read here and the charts are inline SVG,
    so the fetcher serves nothing but data: URIs (no file://, no network). The template has no <style>: the
    CSP scan of templates (tests/test_security_headers.py) holds for print layouts too."""
    from weasyprint import CSS, HTML  # loaded when a PDF is asked for
    from weasyprint.urls import URLFetcher

    html = render_to_string(PDF_TEMPLATE, {**context, "for_pdf": True})
    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    stylesheet = CSS(string=PDF_STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
    return HTML(string=html, base_url="https://profile.invalid/", url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet])


def pdf_response(content: bytes, teacher) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    day = timezone.localdate().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="profile-{teacher.pk}-{day}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _context(profile: profiles.Profile) -> dict:
    return {"profile": profile, "teacher": profile.teacher, "radar": profile.radar_svg()}


@method_decorator(login_not_required, name="dispatch")
class PublicProfile(TemplateView):
    """The teacher's own profile by their personal link (valid once the diagnosis is submitted)."""

    template_name = "diagnostics/profile_public.html"

    def get_context_data(self, **kwargs):
        invitation = profiles.submitted_invitation_for_token(self.kwargs["token"])
        context = super().get_context_data(**kwargs)
        context.update(_context(profiles.profile_of(invitation.teacher, invitation)))
        context["token"] = self.kwargs["token"]
        context["campaign"] = invitation.campaign
        return context


@method_decorator(login_not_required, name="dispatch")
class PublicProfilePdf(View):
    def get(self, request, token: str):
        invitation = profiles.submitted_invitation_for_token(token)
        return pdf_response(render_pdf(_context(profiles.profile_of(invitation.teacher, invitation))),
                            invitation.teacher)


class StaffProfileMixin(CapabilityRequiredMixin):
    capability = STAFF

    def get_teacher(self):
        return get_object_or_404(profiles.teachers_for_user(self.request.user), pk=self.kwargs["pk"])

    def get_profile(self, teacher) -> profiles.Profile:
        invitation = profiles.chosen_invitation(teacher, self.request.GET.get("diagnosis"))
        return profiles.profile_of(teacher, invitation)


class TeacherProfile(StaffProfileMixin, TemplateView):
    """The same profile on the staff side: the school administrator (own organisation), the district's
    methodists and director."""

    template_name = "diagnostics/profile_staff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        teacher = self.get_teacher()
        context.update(_context(self.get_profile(teacher)))
        context["diagnoses"] = profiles.latest_per_family(teacher)
        return context


class TeacherProfilePdf(StaffProfileMixin, View):
    """The profile's PDF; each download is a personal-data export (clusters.ExportLog)."""

    def get(self, request, pk: int):
        teacher = self.get_teacher()
        profile = self.get_profile(teacher)
        content = render_pdf(_context(profile))
        log_export(user=request.user, list_name="diagnostic_profile",
                   list_title=f"Профиль самодиагностики: {teacher.full_name}", query_string=f"teacher={teacher.pk}&diagnosis={profile.invitation.pk if profile.invitation else ''}",
                   row_count=1)
        return pdf_response(content, teacher)


class LevelSettingsView(CapabilityRequiredMixin, FormView):
    """The district's thresholds of the profile levels (methodist)."""

    capability = "diagnostics.build"
    template_name = "diagnostics/profile_levels.html"
    form_class = LevelSettingsForm

    def district(self):
        if not self.request.user.district_id:  # checked after the capability: a methodist without a district
            raise Http404("У пользователя не указан район.")
        return self.request.user.district

    def get_initial(self):
        thresholds = profiles.thresholds_for(self.district().pk)
        return {"deficit_below": thresholds.deficit_below, "high_from": thresholds.high_from}

    def form_valid(self, form):
        try:
            save_level_settings(self.district(), **form.cleaned_data)
        except AppError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Пороги уровней сохранены.")
        return redirect("diagnostics:level_settings")
