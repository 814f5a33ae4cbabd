"""Registration screens: a school administrator registers their own teachers (a methodist: any teacher of the
district) on an event, cancels a registration, prints the tickets (a QR code of the check-in link per teacher)."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View

from clusters.models import Organisation, Teacher
from core.errors import AppError
from core.mixins import CapabilityRequiredMixin
from core.permissions import can
from diagnostics.views.campaigns import qr_data_uri

from ..models import Registration
from ..services import registration as service
from ..services.attendance import search_teachers

SCHOOL, DISTRICT = service.SCHOOL, service.DISTRICT


def detail_url(event) -> str:
    """The event's page (events:detail) when it is wired, else the registry's event page."""
    try:
        return reverse("events:detail", args=[event.pk])
    except NoReverseMatch:
        return ""


def _ids(values) -> list[int]:
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError):
        raise AppError("Список педагогов передан неверно. Обновите страницу и отметьте педагогов ещё раз.") from None


class RegisterView(CapabilityRequiredMixin, View):
    """The checklist of teachers (already registered ones shown with their status and a cancel button)."""

    capability = (SCHOOL, DISTRICT)

    def _event(self, request, pk):
        return get_object_or_404(service.events_for_registration(request.user), pk=pk)

    def _teachers(self, request, event):
        """School administrator: the own organisation's active teachers; methodist: a chosen organisation's, or
        a name search across the district."""
        user = request.user
        qs = Teacher.objects.select_related("organisation").filter(is_active=True,
                                                                   organisation__district_id=event.district_id)
        organisation, query = None, request.GET.get("q", "").strip()
        if can(user, SCHOOL):
            return qs.filter(organisation_id=user.organisation_id).order_by("full_name"), None, ""
        organisation_id = request.GET.get("organisation", "")
        if organisation_id.isdigit():
            organisation = Organisation.objects.filter(pk=organisation_id, district_id=event.district_id).first()
        if organisation is not None:
            qs = qs.filter(organisation=organisation)
        elif query:
            return search_teachers(event, query), None, query
        else:
            return qs.none(), None, ""
        return qs.order_by("full_name"), organisation, query

    def get(self, request, pk: int):
        event = self._event(request, pk)
        teachers, organisation, query = self._teachers(request, event)
        registrations = list(service.registrations_visible_to(request.user, event).order_by("created_at", "pk"))
        by_teacher = {r.teacher_id: r for r in registrations if r.teacher_id}
        rows = [{"teacher": t, "registration": by_teacher.get(t.pk)} for t in teachers]
        context = {
            "event": event, "title": f"Регистрация: {event.title}", "rows": rows, "registrations": registrations,
            "counts": service.counts(event), "closed": service.refusal(event), "detail_url": detail_url(event),
            "organisation": organisation, "query": query, "is_school": can(request.user, SCHOOL),
            "organisations": ([] if can(request.user, SCHOOL) else
                              Organisation.objects.filter(district_id=event.district_id, is_active=True)
                              .order_by("short_name")),
        }
        return render(request, "events/registration.html", context)

    def post(self, request, pk: int):
        event = self._event(request, pk)
        try:
            result = service.register_teachers(user=request.user, event=event,
                                               teacher_ids=_ids(request.POST.getlist("teacher")))
        except AppError as error:
            messages.error(request, str(error))
        else:
            text = f"Зарегистрировано: {len(result.registered)}."
            if result.waitlisted:
                text += f" Мест не хватило — в листе ожидания: {len(result.waitlisted)}."
            messages.success(request, text)
        return redirect(request.get_full_path())


class CancelView(CapabilityRequiredMixin, View):
    capability = (SCHOOL, DISTRICT)
    http_method_names = ["post"]

    def post(self, request, pk: int):
        registration = get_object_or_404(Registration.objects.select_related("event", "teacher"), pk=pk)
        event = get_object_or_404(service.events_for_registration(request.user), pk=registration.event_id)
        get_object_or_404(service.registrations_visible_to(request.user, event), pk=pk)
        try:
            promoted = service.cancel(user=request.user, registration=registration)
        except AppError as error:
            messages.error(request, str(error))
        else:
            text = f"Регистрация участника {registration.person_name} отменена."
            if promoted is not None:
                text += " Освободившееся место передано первому из листа ожидания."
            messages.success(request, text)
        return redirect("events:register", pk=event.pk)


class TicketsView(CapabilityRequiredMixin, View):
    """GET: what printing does; POST: fresh tickets with a QR code each (the old ones stop working)."""

    capability = (SCHOOL, DISTRICT)

    def _event(self, request, pk):
        return get_object_or_404(service.events_for_registration(request.user), pk=pk)

    def get(self, request, pk: int):
        event = self._event(request, pk)
        count = service.registrations_visible_to(request.user, event).filter(
            status=service.REGISTERED, teacher__isnull=False).count()
        return render(request, "events/registration_tickets.html", {
            "event": event, "count": count, "title": f"Билеты: {event.title}", "detail_url": detail_url(event)})

    def post(self, request, pk: int):
        event = self._event(request, pk)
        rows = []
        for registration, token in service.reissue_tickets(user=request.user, event=event):
            url = service.ticket_url(token)
            rows.append({"registration": registration, "url": url, "qr": qr_data_uri(url)})
        return render(request, "events/registration_tickets_print.html", {
            "event": event, "rows": rows, "title": f"Билеты: {event.title}",
            "when_where": service.event_when_where(event)})
