"""The city справка (reports/city.py): a form to choose the programme and period, then the PDF. GET only."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from clusters.city import districts_for_user
from core.permissions import require
from monitoring.views_city import choose

from .. import city

CAPABILITY = "reports.city"


@require_GET
def city_report(request):
    """Without `programme`: the form (defaults chosen); with it: the PDF (`?format=html`: the same page as HTML)."""
    require(request.user, CAPABILITY)
    chosen = choose(districts_for_user(request.user), request.GET)
    ready = bool(chosen.programme_code and chosen.period_label)
    if "programme" not in request.GET or chosen.problems or not ready:
        for problem in chosen.problems:
            messages.warning(request, problem)
        return render(request, "reports/city_report_form.html", {"chosen": chosen, "ready": ready,
                                                                 "label": city.LABEL})
    context = city.build_context(chosen.districts, chosen.programme_code, chosen.period_label)
    if request.GET.get("format") == "html":
        return HttpResponse(city.render_city_html(context))
    response = HttpResponse(city.render_city_pdf(context), content_type="application/pdf")
    filename = f"справка_по_городу_{chosen.programme_code}_{chosen.period_label}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
