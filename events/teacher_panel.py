"""The «Мероприятия и достижения» section of the registry's teacher page (clusters/panels.py): events attended with
their certificates, consultations (for those who read the log) and achievements. Registered on import; the app's
AppConfig.ready imports this module. Shown to whoever may open that teacher's page."""
from __future__ import annotations

from clusters import panels

from .services import journal


@panels.register("teacher")
def teacher_events_panel(request, teacher) -> panels.Panel | None:
    if not journal.visible_teacher(request.user, teacher):
        return None
    return panels.Panel("events/_teacher_panel.html", journal.teacher_events_summary(teacher, request.user), order=60)
