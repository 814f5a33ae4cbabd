"""URLs of diagnostics: routes (included by diagnostics/urls.py under the «diagnostics» namespace)."""
from django.urls import path

from .views import route_mentors, routes

urlpatterns: list = [
    path("routes/", routes.RouteList.as_view(), name="routes"),
    path("routes/<int:pk>/", routes.RouteDetail.as_view(), name="route_detail"),
    path("routes/<int:pk>/approve/", routes.RouteApprove.as_view(), name="route_approve"),
    path("routes/<int:pk>/mentors/", route_mentors.route_mentors, name="route_mentors"),
    path("routes/<int:pk>/steps/new/", routes.StepCreate.as_view(), name="route_step_create"),
    path("route-steps/<int:pk>/edit/", routes.StepUpdate.as_view(), name="route_step_update"),
    path("route-steps/<int:pk>/delete/", routes.StepDelete.as_view(), name="route_step_delete"),
]
