"""Public pages (no login): answering an anonymous questionnaire through its link."""
from django.urls import path

from .views import respond

urlpatterns = [
    path("<str:token>/", respond.respond, name="respond"),
    path("<str:token>/thanks/", respond.respond_thanks, name="thanks"),
]
