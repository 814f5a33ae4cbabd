"""The portal's URLs plus one view that fails, for the error-page tests."""
from django.urls import path

from imc_portal.urls import handler403, handler404, handler500  # noqa: F401
from imc_portal.urls import urlpatterns as portal_urlpatterns


def failing(request):
    raise RuntimeError("boom")


urlpatterns = [path("test-failing/", failing), *portal_urlpatterns]
