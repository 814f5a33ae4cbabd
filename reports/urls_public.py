"""Public pages (no login): verification of a signed report through its short link /v/<code>/.

Only codes of the shape reports.models.new_verification_code makes (URL-safe base64) get to the
view; anything else — `/v/%00/`, a 1000-character code — is a 404 from the resolver, before any
query (a NUL byte used to reach PostgreSQL and answer 500).
"""
from django.urls import re_path

from . import views_public

urlpatterns = [
    re_path(r"^(?P<code>[A-Za-z0-9_-]{8,20})/$", views_public.verify, name="verify"),
    re_path(r"^(?P<code>[A-Za-z0-9_-]{8,20})/signature/$", views_public.signature_download, name="verify_signature"),
]
