"""Tiers of cluster members and the numbers behind them (docs/domain.md, «Уровни организаций по результатам
оценочных процедур»): the page, recompute, the methodist's override and the district's thresholds."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_POST

from clusters.models import Cluster, ClusterMembership
from clusters.selectors import clusters_for_user, memberships_for_user
from core.errors import AppError, apply_to_form
from core.formatting import count_phrase
from core.mixins import CapabilityRequiredMixin
from core.permissions import can, require

from ..forms_tiers import TierOverrideForm, TierSettingsForm
from ..services import tiers as service

VIEW, EDIT = "network.view", "network.edit"


def _district_clusters(user):
    return clusters_for_user(user).filter(district_id=user.district_id)


def _cluster_from_query(user, raw: str) -> Cluster:
    if not raw.isdigit():
        raise Http404("Кластер не найден.")
    return get_object_or_404(_district_clusters(user).select_related("district"), pk=int(raw))


def tiers_url(cluster_id: int) -> str:
    return f"{reverse('network:tiers')}?cluster={cluster_id}"


class TierPage(CapabilityRequiredMixin, View):
    """Without `?cluster=`: the district's clusters, newest year first; with it: that cluster's tiers."""

    capability = VIEW

    def get(self, request):
        raw = request.GET.get("cluster")
        can_edit = can(request.user, EDIT)
        if raw is None:
            clusters = _district_clusters(request.user).annotate(size=Count("memberships")).order_by("-year", "name")
            settings = service.tier_settings(request.user.district)
            return render(request, "network/tier_clusters.html", {
                "clusters": clusters, "settings": settings, "can_edit": can_edit,
                # Printed as on a cluster's tiers page (+0,500 / −0,500).
                "top_text": service.signed_index(settings.top_threshold),
                "lagging_text": service.signed_index(settings.lagging_threshold),
            })
        cluster = _cluster_from_query(request.user, raw)
        table = service.cluster_tiers(cluster)
        return render(request, "network/tiers.html", {
            "cluster": cluster, "table": table, "can_edit": can_edit,
            # No member has a result row of the year: say so instead of «рассчитаны по результатам» alone.
            "has_results": any(member.rows for member in table.members),
            "tiers": TierOverrideForm.base_fields["tier"].choices,
        })


def _run_message(run: service.TierRun, year: int) -> str:
    changed = count_phrase(run.changed, "организации", "организаций", "организаций")
    # The run covers every cluster of the district and year, not only the page's cluster: say so.
    return (f"Уровни всех кластеров района {year} года пересчитаны по результатам {run.results_year} года: "
            f"уровень изменился у {changed}. "
            f"По результатам — {run.computed}, без результатов (уровень оставлен) — {run.manual}, "
            f"заданы методистом (оставлены) — {run.overridden}.")


@require_POST
def tiers_recompute(request, pk: int):
    require(request.user, EDIT)
    cluster = get_object_or_404(_district_clusters(request.user).select_related("district"), pk=pk)
    try:
        run = service.apply_computed_tiers(district=cluster.district, year=cluster.year, user=request.user)
    except AppError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _run_message(run, cluster.year))
    return redirect(tiers_url(cluster.pk))


def _membership(user, pk: int) -> ClusterMembership:
    qs = memberships_for_user(user, write=True).filter(cluster__district_id=user.district_id)
    return get_object_or_404(qs.select_related("cluster", "cluster__district", "organisation"), pk=pk)


class TierOverride(CapabilityRequiredMixin, View):
    """GET: the form on its own page; POST (also from the tiers page): the methodist's tier with a reason."""

    capability = EDIT

    def get(self, request, pk: int):
        membership = _membership(request.user, pk)
        return self._page(request, membership, TierOverrideForm(initial={"tier": membership.tier}))

    def post(self, request, pk: int):
        membership = _membership(request.user, pk)
        form = TierOverrideForm(request.POST)
        if form.is_valid():
            try:
                service.override_tier(user=request.user, membership=membership, tier=form.cleaned_data["tier"],
                                      reason=form.cleaned_data["reason"])
            except AppError as error:
                apply_to_form(form, error)
            else:
                messages.success(request, f"Уровень организации «{membership.organisation.short_name}» изменён: "
                                          f"{membership.get_tier_display()}.")
                return redirect(tiers_url(membership.cluster_id))
        messages.error(request, "Уровень не изменён: исправьте отмеченные поля.")
        return self._page(request, membership, form)

    def _page(self, request, membership, form):
        return render(request, "network/tier_override.html", {
            "membership": membership, "form": form, "back_url": tiers_url(membership.cluster_id),
            "index_text": service.signed_index(membership.tier_index),  # +1,640 as on the tiers page
        })


@require_POST
def tier_clear(request, pk: int):
    require(request.user, EDIT)
    membership = _membership(request.user, pk)
    try:
        service.clear_override(user=request.user, membership=membership)
    except AppError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Для организации «{membership.organisation.short_name}» возвращён расчётный "
                                  f"уровень: {membership.get_tier_display()} ({membership.get_tier_source_display()}).")
    return redirect(tiers_url(membership.cluster_id))


class TierSettingsPage(CapabilityRequiredMixin, View):
    """The district's thresholds (lagging below top) and the mentees per ТОП organisation."""

    capability = EDIT

    def get(self, request):
        current = service.tier_settings(self._district(request))
        initial = {"top_threshold": current.top_threshold, "lagging_threshold": current.lagging_threshold,
                   "max_mentees": current.max_mentees}
        return self._page(request, TierSettingsForm(initial=initial))

    def post(self, request):
        district = self._district(request)
        form = TierSettingsForm(request.POST)
        if form.is_valid():
            try:
                service.save_tier_settings(user=request.user, district=district, **form.cleaned_data)
            except AppError as error:
                apply_to_form(form, error)
            else:
                messages.success(request, "Пороги уровней сохранены. Чтобы применить их, пересчитайте уровни "
                                          "кластера.")
                return redirect("network:tier_settings")
        return self._page(request, form)

    @staticmethod
    def _district(request):
        if request.user.district is None:
            raise Http404("Район не указан.")
        return request.user.district

    @staticmethod
    def _page(request, form):
        return render(request, "network/tier_settings.html", {"form": form, "district": request.user.district})
