"""The teacher's personal link (no account): /d/<token>/ … (namespace «diagnostics_public»).

A token is secrets.token_urlsafe(32) (43 URL-safe characters); anything else is a 404 from the resolver."""
from django.urls import re_path

from .views import profiles, public

TOKEN = r"(?P<token>[A-Za-z0-9_-]{20,64})"

urlpatterns = [
    re_path(rf"^{TOKEN}/$", public.start, name="start"),
    re_path(rf"^{TOKEN}/form/$", public.form, name="form"),
    re_path(rf"^{TOKEN}/profile/$", profiles.PublicProfile.as_view(), name="profile"),
    re_path(rf"^{TOKEN}/profile/pdf/$", profiles.PublicProfilePdf.as_view(), name="profile_pdf"),
]
