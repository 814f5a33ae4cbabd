"""Public pages of events (no login): an event's registration page /e/<code>/."""
from django.urls import path

from .views import public

urlpatterns: list = [
    path("<str:code>/", public.event_page, name="event"),
]
