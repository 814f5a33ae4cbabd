"""URLs of the network app: tiers (included by network/urls.py under the «network» namespace)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
