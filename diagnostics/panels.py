"""The diagnostics section of the registry's teacher page (clusters/panels.py): the latest diagnosis's indices and
a link to the full profile, for those who may read it (diagnostics/profiles.py). Registered on import; the app's
AppConfig.ready imports this module."""
from __future__ import annotations

from clusters import panels

from . import profiles


@panels.register("teacher")
def teacher_profile_panel(request, teacher) -> panels.Panel | None:
    if not profiles.teachers_for_user(request.user).filter(pk=teacher.pk).exists():
        return None
    return panels.Panel("diagnostics/_profile_panel.html", {"profile": profiles.profile_of(teacher)}, order=50)
