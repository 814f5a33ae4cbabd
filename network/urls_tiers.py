"""URLs of the network app: tiers (included by network/urls.py under the «network» namespace)."""
from django.urls import path

from .views import tiers

urlpatterns: list = [
    path("tiers/", tiers.TierPage.as_view(), name="tiers"),
    path("tiers/settings/", tiers.TierSettingsPage.as_view(), name="tier_settings"),
    path("tiers/cluster/<int:pk>/recompute/", tiers.tiers_recompute, name="tiers_recompute"),
    path("tiers/membership/<int:pk>/override/", tiers.TierOverride.as_view(), name="tier_override"),
    path("tiers/membership/<int:pk>/clear/", tiers.tier_clear, name="tier_clear"),
]
