"""Campaigns (ИМЦ) and the organisation's own questionnaires (school administrators)."""
from django.urls import path

from .views import campaigns, respond

urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_update, name="campaign_update"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/links.xlsx", campaigns.campaign_links_export, name="campaign_links_export"),
    path("campaigns/<int:pk>/responses/<uuid:response_id>/", campaigns.campaign_response_detail,
         name="campaign_response_detail"),
    path("organisation/", respond.organisation_campaign_list, name="organisation_campaign_list"),
    path("organisation/<int:pk>/", respond.organisation_fill, name="organisation_fill"),
]
