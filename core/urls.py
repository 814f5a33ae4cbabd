"""Export jobs: the user's own list, a job's page, its polled status and its file (core/views.py)."""
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("<int:pk>/", views.export_detail, name="export_detail"),
    path("<int:pk>/status/", views.export_status, name="export_status"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
]
