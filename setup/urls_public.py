"""The invitation link: opened by the invited user before they have a password (no login)."""
from django.urls import path

from . import views

urlpatterns = [
    path("<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
]
