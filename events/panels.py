"""Sections of an event's page (events:detail) that other areas of the app fill: registration, attendance,
certificates …

An area registers once at start-up (its module is imported from EventsConfig.ready):

    panels.register("registration", "events/_registration_panel.html", registration_context, order=20)

`context_fn(event, user)` returns the template's context, or None when there is nothing to show to this user
for this event (the panel is then left out). The detail view renders every panel in `order`; each template
also gets `event` and `user`. Registering a name again replaces it (a reloaded module does not double it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ContextFunction = Callable[[object, object], dict | None]


@dataclass(frozen=True)
class EventPanel:
    name: str
    template: str
    context_fn: ContextFunction
    order: int = 100


_PANELS: dict[str, EventPanel] = {}


def register(name: str, template: str, context_fn: ContextFunction, *, order: int = 100) -> ContextFunction:
    """Add (or replace) the panel `name`; returns `context_fn`, so it also reads well next to a def."""
    _PANELS[name] = EventPanel(name, template, context_fn, order)
    return context_fn


def unregister(name: str) -> None:
    _PANELS.pop(name, None)


def registered() -> list[EventPanel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.name))


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    context: dict


def panels_for(event, user) -> list[ShownPanel]:
    """The panels to show on the event's page for this user, in their order."""
    shown = []
    for panel in registered():
        context = panel.context_fn(event, user)
        if context is not None:
            shown.append(ShownPanel(panel.name, panel.template, {"event": event, "user": user, **context}))
    return shown
