"""Campaign screens: list, create, progress, close (methodists; directors read), and the printable list of
personal links (school administrator: own organisation; methodist: any organisation of the campaign)."""
from __future__ import annotations

import base64

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from clusters.models import Organisation
from clusters.personal_data import readable_query
from core.errors import AppError, apply_to_form
from core.lists import sorted_paged
from core.mixins import CapabilityRequiredMixin
from core.permissions import can

from ..forms_campaigns import CampaignForm
from ..models import DiagnosticCampaign
from ..services import campaigns as service

VIEW, BUILD, SCHOOL = "diagnostics.view", "diagnostics.build", "diagnostics.school"


def qr_data_uri(url: str) -> str:
    """A QR code of the URL as an SVG data URI for <img> (CSP img-src allows data:)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, image_factory=SvgPathImage)
    code.add_data(url)
    code.make(fit=True)
    return "data:image/svg+xml;base64," + base64.b64encode(code.make_image().to_string()).decode("ascii")


def campaigns_for_user(user):
    """Campaigns of the user's district (methodists, director); a school administrator's: those of
    their organisation."""
    qs = DiagnosticCampaign.objects.select_related("instrument", "district")
    if can(user, VIEW):
        return qs.filter(district_id=user.district_id)
    if can(user, SCHOOL) and user.organisation_id:
        return qs.filter(organisations=user.organisation_id).distinct()
    return qs.none()


class CampaignListView(CapabilityRequiredMixin, View):
    capability = (VIEW, SCHOOL)

    sort_fields = {
        "title": ("title",),
        "instrument": ("instrument__title", "title"),
        "year": ("year", "period_label", "title"),
        "opens": ("opens_at", "title"),
        "closes": ("closes_at", "title"),
    }

    def get(self, request):
        listing = sorted_paged(request, campaigns_for_user(request.user), self.sort_fields)
        campaigns = list(listing["object_list"])
        for campaign in campaigns:
            campaign.is_open_now = service.is_open(campaign)
        return render(request, "diagnostics/campaign_list.html", {
            **listing, "campaigns": campaigns, "can_create": can(request.user, BUILD),
            "title": "Диагностические кампании"})


class CampaignCreateView(CapabilityRequiredMixin, View):
    capability = BUILD

    def _render(self, request, form):
        return render(request, "diagnostics/campaign_form.html", {"form": form, "title": "Новая кампания"})

    def get(self, request):
        return self._render(request, CampaignForm(district=request.user.district))

    def post(self, request):
        form = CampaignForm(request.POST, district=request.user.district)
        if form.is_valid():
            try:
                campaign = service.create_campaign(user=request.user, district=request.user.district,
                                                   **form.cleaned_data)
            except AppError as error:
                apply_to_form(form, error)
            else:
                count = campaign.invitations.count()
                messages.success(request, f"Кампания создана: персональных ссылок — {count}.")
                return redirect(campaign)
        return self._render(request, form)


class CampaignDetailView(CapabilityRequiredMixin, View):
    """District staff: progress per organisation. A school administrator: their organisation's row and
    each of its teachers' state, to know whom to hand a printed link to."""

    capability = (VIEW, SCHOOL)

    def get(self, request, pk: int):
        campaign = get_object_or_404(campaigns_for_user(request.user), pk=pk)
        school = None if can(request.user, VIEW) else request.user.organisation
        rows = service.progress(campaign, organisation=school)
        totals = {key: sum(row[key] for row in rows) for key in ("total", "declined", "draft", "submitted")}
        return render(request, "diagnostics/campaign_detail.html", {
            "campaign": campaign, "rows": rows, "totals": totals, "is_open_now": service.is_open(campaign),
            "can_build": can(request.user, BUILD), "school": school,
            "invitations": service.teacher_states(campaign, school) if school else [], "title": campaign.title})


class CampaignCloseView(CapabilityRequiredMixin, View):
    capability = BUILD
    http_method_names = ["post"]

    def post(self, request, pk: int):
        campaign = get_object_or_404(campaigns_for_user(request.user), pk=pk)
        try:
            service.close_campaign(campaign)
        except AppError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Кампания закрыта: ссылки больше не принимают ответы.")
        return redirect(campaign)


class CampaignLinksView(CapabilityRequiredMixin, View):
    """GET: what printing does and which organisation; POST: new tokens, the printable list (logged)."""

    capability = (SCHOOL, BUILD)

    def _organisation(self, request, campaign):
        if can(request.user, SCHOOL):
            if not campaign.organisations.filter(pk=request.user.organisation_id).exists():
                raise Http404("Кампания не касается вашей организации.")
            return request.user.organisation
        raw = request.GET.get("organisation") or request.POST.get("organisation") or ""
        if not raw:
            return None
        try:
            return campaign.organisations.get(pk=int(raw))
        except (ValueError, Organisation.DoesNotExist):
            raise Http404("Организация не участвует в кампании.") from None

    def _context(self, request, pk):
        campaign = get_object_or_404(campaigns_for_user(request.user), pk=pk)
        organisation = self._organisation(request, campaign)
        return {"campaign": campaign, "organisation": organisation, "title": "Персональные ссылки",
                "organisations": campaign.organisations.order_by("short_name") if can(request.user, BUILD) else []}

    def get(self, request, pk: int):
        return render(request, "diagnostics/campaign_links.html", self._context(request, pk))

    def post(self, request, pk: int):
        context = self._context(request, pk)
        if context["organisation"] is None:
            messages.error(request, "Выберите организацию.")
            return redirect(request.path)
        if not service.is_open(context["campaign"]):
            messages.error(request, "Кампания закрыта или ещё не началась: ссылки не выдаются.")
            return redirect(request.get_full_path())
        rows = service.regenerate_links(user=request.user, campaign=context["campaign"],
                                        organisation=context["organisation"],
                                        query_string=readable_query(request.GET) or
                                        f"organisation={context['organisation'].pk}")
        context["rows"] = [{"teacher": inv.teacher, "url": url, "qr": qr_data_uri(url)} for inv, url in rows]
        return render(request, "diagnostics/campaign_links_print.html", context)
