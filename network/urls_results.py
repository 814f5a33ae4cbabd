"""URLs of the network app: results (included by network/urls.py under the «network» namespace)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
