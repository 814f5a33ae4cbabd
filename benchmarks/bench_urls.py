"""The portal's URLconf plus the two reference pages of the page benchmark (benchmarks/pages.py).

- /bench/bare/   a logged-in Django page: the portal's whole middleware stack (session, login, CSP …), one
                 trivial query, a plain HttpResponse — what any page costs at the least;
- /bench/layout/ the portal's base.html with an empty body: what the layout (navbar, menus, context processors)
                 adds to every page.

Both need a login like every portal page (LoginRequiredMiddleware). Used only with benchmarks.bench_settings.
"""
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from clusters.models import District
from imc_portal.urls import handler403, handler404, handler500  # noqa: F401 — the portal's error pages
from imc_portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    exists = District.objects.filter(pk=request.user.district_id).exists()  # the one trivial query
    return HttpResponse(f"bare {int(exists)}", content_type="text/plain; charset=utf-8")


def layout(request):
    return render(request, "base.html", {"title": "Пустая страница"})


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/layout/", layout, name="bench_layout"),
    *portal_urlpatterns,
]
