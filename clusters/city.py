"""The districts the city level reads: a city user's region, every district for the portal admin.

The district pages themselves stay district-scoped (imc_portal/district_switch.py lets these users
pick one district to read); the city pages (monitoring/city.py, reports/city.py) read all of them.
"""
from __future__ import annotations

from django.db.models import QuerySet

from core.permissions import can

from .models import District

CAPABILITY = "account.views_any_district"


def districts_for_user(user) -> QuerySet[District]:
    """The districts a city user (their region's) or the portal admin (all) may read; none for others."""
    if not getattr(user, "is_authenticated", False) or not can(user, CAPABILITY):
        return District.objects.none()
    districts = District.objects.select_related("region").order_by("region__name", "name")
    if can(user, "account.works_in_region"):
        return districts.filter(region_id=user.region_id) if user.region_id else districts.none()
    return districts
