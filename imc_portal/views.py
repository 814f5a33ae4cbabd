"""Start pages per role, the health check and the Russian error pages."""
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core import page_cache
from core.permissions import can

from . import home as queues
from .menu import place_labels


def home(request):
    """Each role lands where its weekly work starts: the queues of imc_portal/home.py."""
    user = request.user
    if can(user, "setup.run"):
        # The portal admin's work queue is the wizard's table of districts with the steps still open.
        return redirect("setup:wizard")
    if user.is_superuser and not user.district_id:
        return redirect("admin:index")
    if can(user, "monitoring.compare_districts") and not user.district_id:
        # The city level starts from the comparison of its districts (a district chosen in the navbar: its page).
        return redirect("monitoring:city_comparison")
    if queues.reads_signed_only(user):
        return _start_page(request)  # an observer's page marks what is new since their last visit (session)
    return page_cache.serve(request, "home", lambda: _start_page(request))


def _start_page(request):
    user = request.user
    start = queues.start_context(user, *place_labels(request))
    if queues.reads_signed_only(user) and "overview" in start:
        start["observer"] = queues.observer_queues(user, *queues.seen_since(request))
    response = render(request, "home.html", {"start": start})
    if "observer" in start:
        queues.remember_seen(request, response)
    return response


@login_not_required
@require_GET
def healthz(request):
    """For docker-compose and load balancers: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "У вас нет доступа к этой странице."
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors here: the failure may be in them or in the database.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
