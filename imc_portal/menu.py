"""The main menu and the navbar's fixed parts, worked out once per process instead of on every page (issue 15.3).

What the menu shows depends on nothing but the capabilities the user's role holds (core/permissions.py: a
capability is role-level) and on the URLconf; which entry is marked active depends on the request's path.
So the shown entries and their URLs are built once per key —

    (the menu registry, the role, which of the menu's capabilities the role holds, URLconf, script prefix)

— and their HTML once per set of active entries; a request only compares its path with the menu's URLs
(a few dozen `str.startswith`) and picks the HTML. Nothing about the person is in it: two users whose roles
hold the same capabilities get the same menu, and a user whose role changes (or a capability table edited in
a test) gets another key on the very next request, because the key is read from the user and the table on
every request. The per-user parts of the navbar (name, district, the district switcher, the CSRF token)
stay in the template.

Kept in this process's memory, bounded (the keys are a handful of roles × a few active entries); the code
and the URLconf it is built from only change with a restart.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

from core.permissions import roles_with

MAX_MENUS = 64  # roles × capability tables × URLconfs; more means something keys wrongly: start over
MAX_RENDERINGS = 256  # per menu: sets of active entries (prefixes nest, so a path activates one or two)


@dataclass(frozen=True)
class Rendered:
    """One menu with one set of active entries: its entries (for the breadcrumbs) and its HTML (for the navbar).

    `items` are shared by every request with the same key: read them, never change them.
    """

    items: tuple[dict, ...]
    html: SafeString


class Menu:
    """The entries a set of capabilities is shown, with their URLs, and their renderings by active entries."""

    def __init__(self, source, entries: list[tuple]):
        self.source = source  # the registry it was built from: held, so that its id() is never reused
        # entries: (label, icon, url) for an item, (label, icon, ((label, icon, url), …)) for a group
        self.entries = entries
        self.urls: tuple[str, ...] = tuple(
            url for _, _, target in entries for url in ([target] if isinstance(target, str) else
                                                        [child[2] for child in target]))
        self._rendered: dict[tuple[int, ...], Rendered] = {}

    def for_path(self, path: str) -> Rendered:
        active = tuple(i for i, url in enumerate(self.urls) if path.startswith(url))
        rendered = self._rendered.get(active)
        if rendered is None:
            if len(self._rendered) >= MAX_RENDERINGS:
                self._rendered.clear()
            rendered = self._rendered[active] = self._render(frozenset(active))
        return rendered

    def _render(self, active: frozenset[int]) -> Rendered:
        items, position = [], 0
        for label, icon, target in self.entries:
            if isinstance(target, str):
                items.append({"label": label, "url": target, "icon": icon, "active": position in active})
                position += 1
                continue
            children = []
            for child_label, child_icon, url in target:
                children.append({"label": child_label, "url": url, "icon": child_icon, "active": position in active})
                position += 1
            items.append({"label": label, "icon": icon, "children": children,
                          "active": any(child["active"] for child in children)})
        html = render_to_string("includes/nav_menu.html", {"nav_items": items})
        return Rendered(tuple(items), mark_safe(html))  # noqa: S308 — rendered by the template with autoescape


_menus: dict[tuple, Menu] = {}
_capability_names: dict[int, tuple[object, tuple[str, ...]]] = {}


def _names_in(source) -> tuple[str, ...]:
    """Every capability the registry's items ask, in a fixed order (once per registry)."""
    known = _capability_names.get(id(source))
    if known is not None and known[0] is source:
        return known[1]
    names = set()
    for node in source:
        for item in getattr(node, "items", None) or (node,):
            names.update((item.capability,) if isinstance(item.capability, str) else item.capability)
    ordered = tuple(sorted(names))
    _capability_names[id(source)] = (source, ordered)
    return ordered


def menu_for(source, role: str | None) -> Menu:
    """The menu of a role from the registry `source` (imc_portal/context_processors.py NAVIGATION)."""
    names = _names_in(source)
    held = tuple(role in roles_with(name) for name in names)
    key = (id(source), role, held, _urlconf(), get_script_prefix())
    menu = _menus.get(key)
    if menu is not None and menu.source is source:
        return menu
    if len(_menus) >= MAX_MENUS:
        _menus.clear()
    menu = _menus[key] = Menu(source, _build(source, frozenset(n for n, h in zip(names, held, strict=True) if h)))
    return menu


def _build(source, held: frozenset[str]) -> list[tuple]:
    def shown(item) -> bool:
        names = (item.capability,) if isinstance(item.capability, str) else item.capability
        return any(name in held for name in names)

    entries = []
    for node in source:
        items = getattr(node, "items", None)
        if items is None:
            if shown(node):
                entries.append((node.label, node.icon, reverse(node.url_name)))
            continue
        children = tuple((item.label, item.icon, reverse(item.url_name)) for item in items if shown(item))
        if children:
            entries.append((node.label, node.icon, children))
    return entries


def _urlconf():
    """The URLconf reverse() reads now: the request's, else the settings' (a test may override it)."""
    from django.conf import settings

    return get_urlconf() or settings.ROOT_URLCONF


def clear() -> None:
    """Forget every menu (tests that swap the URLconf or the registry without a new key may call it)."""
    _menus.clear()
    _capability_names.clear()
    _fixed.clear()


# --- the navbar's fixed links and the assets of every page ---------------------------------------------------

_fixed: dict[tuple, dict] = {}

STYLESHEETS = ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css",
               "vendor/tom-select/tom-select.bootstrap5.min.css", "css/portal.css")
SCRIPTS = ("vendor/bootstrap/bootstrap.bundle.min.js", "vendor/htmx/htmx.min.js", "js/portal.js",
           "vendor/tom-select/tom-select.complete.min.js", "js/typeahead.js")
FIXED_URLS = {"home": "home", "password_change": "password_change", "signing_certificate":
              "reports:signing_certificate", "admin": "admin:index", "logout": "logout",
              "district_switch": "district_switch", "exports": "core:export_list"}


def fixed_parts() -> dict:
    """The URLs the navbar links to and the <link>/<script> tags of every page, once per URLconf and prefix.

    A static file's URL is the storage's (with ManifestStaticFilesStorage, its hashed name from the manifest the
    process loaded at start, exactly what `{% static %}` gives).
    """
    from django.conf import settings

    key = (_urlconf(), get_script_prefix(), settings.STATIC_URL)
    parts = _fixed.get(key)
    if parts is None:
        if len(_fixed) >= MAX_MENUS:
            _fixed.clear()
        from django.utils.html import format_html_join

        parts = {name: reverse(url_name) for name, url_name in FIXED_URLS.items()}
        parts["stylesheets"] = format_html_join(
            "\n  ", '<link rel="stylesheet" href="{}">', ((static(path),) for path in STYLESHEETS))
        parts["scripts"] = format_html_join("\n", '<script src="{}"></script>', ((static(path),) for path in SCRIPTS))
        _fixed[key] = parts
    return parts


# --- the user's district and organisation, as the user menu names them ----------------------------------------

PLACES_SESSION_KEY = "_nav_places"


def place_labels(request) -> tuple[str, str]:
    """(district, organisation) names of the request's user for the navbar, without a query on most pages.

    Read once per session and kept there with the ids they name: a user moved to another district or
    organisation gets the new names on the next page (the ids differ), a renamed one at the next login.
    A district read through the city level's switcher is already loaded (imc_portal/district_switch.py);
    so is a district or organisation the page itself loaded.
    """
    user = request.user
    viewed = getattr(request, "viewed_district", None)
    if viewed is not None:
        return str(viewed), ""
    district_id, organisation_id = user.district_id, user.organisation_id
    if not district_id and not organisation_id:
        return "", ""
    fields = user._meta
    district_loaded = not district_id or fields.get_field("district").is_cached(user)
    organisation_loaded = not organisation_id or fields.get_field("organisation").is_cached(user)
    session = getattr(request, "session", None)
    stored = session.get(PLACES_SESSION_KEY) if session is not None else None
    if not (district_loaded and organisation_loaded) and isinstance(stored, list) and len(stored) == 4 \
            and stored[:2] == [district_id, organisation_id]:
        return stored[2], stored[3]
    labels = (str(user.district) if district_id else "", str(user.organisation) if organisation_id else "")
    entry = [district_id, organisation_id, *labels]
    if session is not None and stored != entry:  # written once, not on every page that loaded the objects
        session[PLACES_SESSION_KEY] = entry
    return labels
