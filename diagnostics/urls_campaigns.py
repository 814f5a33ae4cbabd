"""URLs of diagnostics: campaigns (included by diagnostics/urls.py under the «diagnostics» namespace)."""
from django.urls import path
from django.views.decorators.http import require_POST

from .views import campaigns

urlpatterns = [
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/new/", campaigns.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/close/", require_POST(campaigns.CampaignCloseView.as_view()), name="campaign_close"),
    path("campaigns/<int:pk>/links/", campaigns.CampaignLinksView.as_view(), name="campaign_links"),
]
