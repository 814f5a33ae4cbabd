"""Results of campaigns: the page (filter by organisation or cluster) and its XLSX."""
from django.urls import path

from .views import results

urlpatterns = [
    path("campaigns/<int:pk>/results/", results.campaign_results, name="campaign_results"),
    path("campaigns/<int:pk>/results.xlsx", results.campaign_results_export, name="campaign_results_export"),
]
