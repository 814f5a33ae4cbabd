"""Sections that apps above the registry add to its pages (an organisation's results, its pairs and
practices; the practices of an event; the tiers' numbers on a cluster page).

The registry may not import those apps (docs/architecture.md), so it exposes this registry and they
fill it from their AppConfig.ready — as monitoring's calculations and the report kinds are filled.
A panel is a function (request, object) → a `Panel` or None (nothing to show for this user or object);
the page renders each returned panel's template with the panel's context.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PanelFunction = Callable[[HttpRequest, object], Panel | None]

# Page name → the functions registered for it. Pages: "organisation", "cluster", "event".
_PANELS: dict[str, list[PanelFunction]] = {}
PAGES = frozenset({"organisation", "cluster", "event", "teacher"})


def register(page: str):
    """Decorator: `@panels.register("organisation")` on a function (request, organisation) → Panel | None."""
    if page not in PAGES:
        raise LookupError(f"Unknown registry page {page!r}; known: {sorted(PAGES)}")

    def decorator(func: PanelFunction) -> PanelFunction:
        if func not in _PANELS.setdefault(page, []):
            _PANELS[page].append(func)
        return func

    return decorator


def panels_for(page: str, request: HttpRequest, obj) -> list[Panel]:
    """The panels to show on `page` for `obj`, in their order."""
    shown = [panel for func in _PANELS.get(page, []) if (panel := func(request, obj)) is not None]
    return sorted(shown, key=lambda panel: panel.order)
