"""Navigation: each role sees only the sections it may open."""
from django.urls import NoReverseMatch, reverse

from .models import Role

M, D, S, OBS = Role.METHODIST, Role.DIRECTOR, Role.SCHOOL_ADMIN, Role.OBSERVER

# (label, url name, icon, roles). Later apps add their sections here.
NAVIGATION = [
    ("Организации", "clusters:organisation_list", "building", {M, D, OBS}),
    ("Моя организация", "clusters:my_organisation", "building", {S}),
    ("Кластеры", "clusters:cluster_list", "diagram-3", {M, D, OBS}),
    ("Сообщества", "clusters:community_list", "people", {M, D, OBS}),
    ("Педагоги", "clusters:teacher_list", "person-badge", {M, D, S}),
    ("Повышение квалификации", "clusters:training_list", "mortarboard", {M, D, S}),
    ("ИОМ", "clusters:route_list", "signpost-split", {M, D, S}),
    ("Инновации", "clusters:innovation_list", "lightbulb", {M, D, OBS}),
    ("Наставничество", "clusters:mentorship_list", "person-hearts", {M, D, S}),
    ("Мероприятия", "clusters:event_list", "calendar-event", {M, D, OBS}),
    ("Мониторинг", "monitoring:programme_list", "graph-up", {M, D, OBS}),
    ("Импорт", "clusters:import", "upload", {M}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, icon, roles in NAVIGATION:
        if user.role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # a section whose app is not installed yet
            continue
        items.append({"label": label, "url": url, "icon": icon, "active": request.path.startswith(url)})
    return {"nav_items": items, "role_label": Role(user.role).label if user.role else ""}
