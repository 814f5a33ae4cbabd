"""Public pages (no login): answering an anonymous questionnaire through its link.

A token has one shape (surveys.models.new_token: 16 URL-safe characters; the column holds up to
40): anything else — `/s/%00/`, a path with spaces, an overlong probe — is a 404 from the URL
resolver, before any database query.
"""
from django.urls import re_path

from .views import respond

TOKEN = r"(?P<token>[A-Za-z0-9_-]{16,40})"

urlpatterns = [
    re_path(rf"^{TOKEN}/$", respond.respond, name="respond"),
    re_path(rf"^{TOKEN}/thanks/$", respond.respond_thanks, name="thanks"),
]
