"""The teacher's personal link (no account): /d/<token>/ … (namespace «diagnostics_public»)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
