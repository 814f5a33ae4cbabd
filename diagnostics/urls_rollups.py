"""URLs of diagnostics: rollups (included by diagnostics/urls.py under the «diagnostics» namespace)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
