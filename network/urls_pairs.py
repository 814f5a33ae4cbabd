"""URLs of the network app: pairs (included by network/urls.py under the «network» namespace)."""
from django.urls import path

from .views import pairs as views

urlpatterns: list = [
    path("pairs/", views.PairList.as_view(), name="pairs"),
    path("pairs/propose/", views.PairPropose.as_view(), name="pairs_propose"),
    path("pairs/<int:pk>/", views.PairDetail.as_view(), name="pair_detail"),
    path("pairs/<int:pk>/edit/", views.PairUpdate.as_view(), name="pair_update"),
    path("pairs/<int:pk>/confirm/", views.PairConfirm.as_view(), name="pair_confirm"),
    path("pairs/<int:pk>/reject/", views.PairReject.as_view(), name="pair_reject"),
    path("pairs/<int:pk>/complete/", views.PairComplete.as_view(), name="pair_complete"),
    path("pairs/<int:pair_pk>/activities/new/", views.ActivityFormView.as_view(), name="activity_create"),
    path("pairs/activities/<int:pk>/edit/", views.ActivityFormView.as_view(), name="activity_update"),
    path("pairs/activities/<int:pk>/delete/", views.ActivityDelete.as_view(), name="activity_delete"),
]
