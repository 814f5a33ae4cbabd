"""URLs of diagnostics: instruments (included by diagnostics/urls.py under the «diagnostics» namespace)."""
from django.urls import path

from .views import instruments as views

urlpatterns: list = [
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/copy/", views.instrument_copy, name="instrument_copy"),
    path("instruments/<int:pk>/edit/", views.instrument_update, name="instrument_update"),
    path("instruments/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("instrument-items/<int:pk>/edit/", views.item_update, name="item_update"),
    path("instrument-items/<int:pk>/delete/", views.item_delete, name="item_delete"),
]
