"""Navigation: each role sees only the sections it may open."""
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .models import Role

M, D, S, OBS = Role.METHODIST, Role.DIRECTOR, Role.SCHOOL_ADMIN, Role.OBSERVER


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    icon: str
    roles: frozenset


@dataclass(frozen=True)
class Group:
    label: str
    icon: str
    items: tuple[Item, ...] = field(default_factory=tuple)


def _item(label, url_name, icon, roles) -> Item:
    return Item(label, url_name, icon, frozenset(roles))


# The registry is one menu; each later app adds its own top-level section.
NAVIGATION = [
    _item("Моя организация", "clusters:my_organisation", "building", {S}),
    Group("Реестр", "journal-text", (
        _item("Организации", "clusters:organisation_list", "building", {M, D, OBS}),
        _item("Кластеры", "clusters:cluster_list", "diagram-3", {M, D, OBS, S}),
        _item("Сообщества", "clusters:community_list", "people", {M, D, OBS}),
        _item("Педагоги", "clusters:teacher_list", "person-badge", {M, D, S}),
        _item("Повышение квалификации", "clusters:training_list", "mortarboard", {M, D, S}),
        _item("ИОМ", "clusters:route_list", "signpost-split", {M, D, S}),
        _item("Инновационные проекты", "clusters:innovation_list", "lightbulb", {M, D, OBS}),
        _item("Наставничество", "clusters:mentorship_list", "person-hearts", {M, D, S}),
        _item("Мероприятия", "clusters:event_list", "calendar-event", {M, D, OBS}),
        _item("Импорт из XLSX", "clusters:import", "upload", {M}),
    )),
    _item("Мониторинг", "monitoring:programme_list", "graph-up", {M, D, OBS}),
    Group("Анкетирование", "ui-checks", (
        _item("Анкеты", "surveys:questionnaire_list", "ui-checks", {M, D, OBS}),
        _item("Кампании", "surveys:campaign_list", "megaphone", {M, D, OBS}),
        _item("Анкеты организации", "surveys:organisation_campaign_list", "clipboard-check", {S}),
    )),
    _item("Справки", "reports:report_list", "file-earmark-text", {M, D, OBS, S}),
]


def _entry(item: Item, request) -> dict | None:
    if request.user.role not in item.roles:
        return None
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:  # a section whose app is not installed yet
        return None
    return {"label": item.label, "url": url, "icon": item.icon, "active": request.path.startswith(url)}


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    entries = []
    for node in NAVIGATION:
        if isinstance(node, Group):
            children = [e for e in (_entry(item, request) for item in node.items) if e]
            if children:
                entries.append({"label": node.label, "icon": node.icon, "children": children,
                                "active": any(c["active"] for c in children)})
        else:
            entry = _entry(node, request)
            if entry:
                entries.append(entry)
    return {"nav_items": entries, "role_label": Role(user.role).label if user.role else ""}
