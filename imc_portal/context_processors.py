"""Navigation: each user sees only the sections their role may open.

An item names the capability of `core.permissions` that opens its page — the same name the page's
view guard asks — and `is_shown(user)` asks the same table (as Wagtail's `MenuItem.is_shown`). A
wrong URL name raises NoReverseMatch on every page: a broken menu must not go unnoticed, and
tests/test_access_matrix.py follows every item a persona sees.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.permissions import can, can_any

from .menu import fixed_parts, menu_for, place_labels

Capabilities = str | tuple[str, ...]


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    icon: str
    capability: Capabilities  # any of them opens the page

    def is_shown(self, user) -> bool:
        names = (self.capability,) if isinstance(self.capability, str) else self.capability
        return can_any(user, *names)


@dataclass(frozen=True)
class Group:
    label: str
    icon: str
    items: tuple[Item, ...] = field(default_factory=tuple)


# The registry is one menu; each later app adds its own top-level section.
NAVIGATION: tuple[Item | Group, ...] = (
    # The city level (city role, portal admin): first, so that its pages under /monitoring/ and /reports/
    # are its crumbs, not the district sections'.
    Group("Город", "buildings", (
        Item("Сравнение районов", "monitoring:city_comparison", "table", "monitoring.compare_districts"),
        Item("Справка по городу", "reports:city_report", "file-earmark-bar-graph", "reports.city"),
    )),
    Item("Моя организация", "clusters:my_organisation", "building", "registry.view_own_organisation"),
    Group("Реестр", "journal-text", (
        Item("Организации", "clusters:organisation_list", "building", "registry.view_district"),
        Item("Кластеры", "clusters:cluster_list", "diagram-3", "registry.view_clusters"),
        Item("Сообщества", "clusters:community_list", "people", "registry.view_district"),
        Item("Педагоги", "clusters:teacher_list", "person-badge",
             ("registry.view_personal_data", "registry.view_own_organisation")),
        Item("Повышение квалификации", "clusters:training_list", "mortarboard",
             ("registry.view_personal_data", "registry.view_own_organisation")),
        Item("ИОМ", "clusters:route_list", "signpost-split",
             ("registry.view_personal_data", "registry.view_own_organisation")),
        Item("Инновационные проекты", "clusters:innovation_list", "lightbulb", "registry.view_district"),
        Item("Наставничество", "clusters:mentorship_list", "person-hearts",
             ("registry.view_personal_data", "registry.view_own_organisation")),
        Item("Мероприятия (реестр)", "clusters:event_list", "calendar-event", "registry.view_district"),
        Item("Импорт из XLSX", "clusters:import", "upload", "registry.import"),
    )),
    Group("Сетевое взаимодействие", "share", (
        Item("Результаты оценочных процедур", "network:results", "clipboard-data", ("network.view", "network.view_own")),
        Item("Уровни организаций", "network:tiers", "bar-chart-steps", "network.view"),
        Item("Наставнические пары ОУ", "network:pairs", "arrow-left-right", ("network.view", "network.view_own")),
        Item("База практик", "network:practices", "collection", "network.view_practices"),
        Item("База наставников", "network:mentors", "person-video3", "network.view"),
        Item("Импорт результатов", "network:results_import", "upload", "network.edit"),
    )),
    Group("Диагностика", "clipboard2-pulse", (
        Item("Диагностические кампании", "diagnostics:campaigns", "send-check",
             ("diagnostics.view", "diagnostics.school")),
        Item("Инструменты диагностики", "diagnostics:instruments", "list-check", "diagnostics.view"),
        Item("Карта дефицитов", "diagnostics:deficit_map", "grid-3x3", "diagnostics.view_rollups"),
        Item("Индекс компетенций", "diagnostics:competency_index", "bar-chart", "diagnostics.view_rollups"),
        Item("ИОМ по диагностике", "diagnostics:routes", "signpost-2", ("diagnostics.view", "diagnostics.school")),
        Item("Пороги уровней", "diagnostics:level_settings", "sliders", "diagnostics.build"),
    )),
    Group("Мероприятия", "calendar-event", (
        Item("План мероприятий", "events:plan", "calendar3", "events.view"),
        Item("Журнал консультаций", "events:consultations", "chat-square-text",
             ("events.journal", "registry.view_personal_data")),
        Item("Достижения педагогов", "events:achievements", "trophy",
             ("events.journal", "events.school_journal", "registry.view_personal_data")),
        Item("Формы мероприятий района", "events:forms", "tags", "events.plan"),
    )),
    Item("Мониторинг", "monitoring:programme_list", "graph-up", "monitoring.view"),
    Group("Анкетирование", "ui-checks", (
        Item("Анкеты", "surveys:questionnaire_list", "ui-checks", "surveys.view_district"),
        Item("Кампании", "surveys:campaign_list", "megaphone", "surveys.view_district"),
        Item("Анкеты организации", "surveys:organisation_campaign_list", "clipboard-check",
             "surveys.respond_for_organisation"),
    )),
    Item("Справки", "reports:report_list", "file-earmark-text", "reports.view"),
    Item("Подключение района", "setup:wizard", "plus-square", "setup.run"),
)


def navigation_entries(request) -> list[dict]:
    """The menu of the request's user: shown items only, groups without a shown item left out.

    Built once per role's capabilities and rendered once per active entry (imc_portal/menu.py); the entries are
    shared by the requests with the same key — read them, never change them.
    """
    return list(_rendered(request).items)


def _rendered(request):
    return menu_for(NAVIGATION, request.user.role).for_path(request.path)


def navigation(request):
    """The navbar of every page: the menu (its HTML and entries) and the user menu's names and links."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    from .district_switch import switcher_context

    rendered = _rendered(request)
    district, organisation = place_labels(request)
    role_label = user.get_role_display() if user.role else ""
    return {
        "nav_items": rendered.items,
        "nav_menu": rendered.html,
        "nav": {"name": user.display_name, "role_label": role_label, "district": district,
                "organisation": organisation, "signing": can(user, "reports.approve"), "staff": user.is_staff,
                "urls": fixed_parts()},
        "role_label": role_label,
        **switcher_context(request),
    }
