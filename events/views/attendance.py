"""Attendance at the venue (a methodist's phone): the checklist of the registered with a «присутствовал»
toggle, walk-ins, the pupils count, «проведено»; and the QR check-in of a ticket."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.errors import AppError, ForbiddenError
from core.mixins import CapabilityRequiredMixin

from ..services import attendance as service
from .registration import detail_url

ATTENDANCE = service.ATTENDANCE


class AttendanceView(CapabilityRequiredMixin, View):
    capability = ATTENDANCE

    def _event(self, request, pk):
        return get_object_or_404(service.events_for_attendance(request.user), pk=pk)

    def get(self, request, pk: int):
        event = self._event(request, pk)
        refusal = service.refusal(event)
        rows, walkins = ([], []) if refusal else service.checklist(event)
        query = request.GET.get("q", "").strip()
        return render(request, "events/attendance.html", {
            "event": event, "title": f"Присутствие: {event.title}", "refusal": refusal, "rows": rows,
            "walkins": walkins, "query": query, "found": service.search_teachers(event, query) if query else [],
            "summary": service.summary(event), "detail_url": detail_url(event),
            "present_count": sum(1 for row in rows if row.attendance),
        })

    def post(self, request, pk: int):
        event = self._event(request, pk)
        action, data, user = request.POST.get("action", ""), request.POST, request.user
        try:
            if action.startswith("toggle:"):
                # One person, sent by htmx when their checkbox changes (the whole form comes along: only this
                # person's box counts).
                registration_id = _int(action.partition(":")[2])
                present = str(registration_id) in data.getlist("present")
                registration = service.set_present(user=user, event=event, registration_id=registration_id,
                                                   present=present)
                done = f"{registration.person_name}: {'присутствовал(а)' if present else 'отметка снята'}."
            elif action == "save":
                added, removed = service.save_checklist(user=user, event=event,
                                                        present_ids={_int(v) for v in data.getlist("present")})
                done = f"Отметки сохранены: добавлено {added}, снято {removed}."
            elif action == "add_teacher":
                attendance = service.add_teacher(user=user, event=event, teacher_id=_int(data.get("teacher")))
                done = f"{attendance.person_name} отмечен(а) как присутствующий(ая)."
            elif action == "add_external":
                attendance = service.add_external(user=user, event=event, full_name=data.get("full_name", ""),
                                                  organisation_name=data.get("organisation_name", ""))
                done = f"{attendance.person_name} добавлен(а)."
            elif action.startswith("remove:"):
                service.remove_walkin(user=user, event=event, attendance_id=_int(action.partition(":")[2]))
                done = "Участник удалён из списка присутствующих."
            elif action == "pupils":
                count = service.set_pupils(user=user, event=event, value=data.get("pupils_count", ""))
                done = f"Число обучающихся: {count}."
            elif action == "held":
                service.mark_held(user=user, event=event)
                done = "Мероприятие отмечено как проведённое."
            else:
                raise AppError("Неизвестное действие. Обновите страницу.")
        except AppError as error:
            messages.error(request, str(error))
            if request.headers.get("HX-Request"):  # reload: the page shows the refusal and the true state
                return HttpResponse(status=200, headers={"HX-Refresh": "true"})
        else:
            if request.headers.get("HX-Request"):  # the checkbox already shows it; nothing to swap
                return HttpResponse(status=204)
            messages.success(request, done)
        return redirect("events:attendance", pk=event.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AppError("Участник указан неверно. Обновите страницу.") from None


class CheckInView(CapabilityRequiredMixin, View):
    """Opened from the ticket's QR code on a methodist's phone: marks the person present and says who it was.
    The token is the secret; marking on GET is what a scan can do (idempotent: a second scan says so)."""

    capability = ATTENDANCE

    def get(self, request, ticket: str):
        try:
            result = service.check_in(user=request.user, token=ticket)
        except (ForbiddenError, service.TicketNotFound) as error:  # not a ticket of this methodist's events
            return render(request, "events/attendance_checkin.html", {"refusal": str(error)}, status=404)
        except AppError as error:  # a cancelled or waiting registration, an event that takes no attendance
            return render(request, "events/attendance_checkin.html", {"refusal": str(error)}, status=409)
        registration = result.registration
        return render(request, "events/attendance_checkin.html", {
            "registration": registration, "event": registration.event, "created": result.created,
            "title": "Отметка по билету"})
