"""Public pages (no login): verification of a signed report through its short link /v/<code>/."""
from django.urls import path

from . import views_public

urlpatterns = [
    path("<str:code>/", views_public.verify, name="verify"),
]
