"""`{% load breadcrumbs %}{% breadcrumb_trail %}`: the «Главная › section › list › page» trail of every page.

Generic, so no view has to declare anything: the section and the list come from the main menu's
active group and item (imc_portal/context_processors.py puts `nav_items` in every page's context),
the page itself from its `{% block title %}` (or the `title` / `object` of its context). A view may
add the crumbs between the list and the page as `breadcrumbs = [(label, url), …]` in its context
(e.g. a programme above its dashboard). templates/base.html renders it in `{% block breadcrumbs %}`;
a page with a trail of its own overrides that block.
"""
from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse

register = template.Library()

SITE_TITLE = "Портал ИМЦ"


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None = None


def _page_title(context) -> str:
    """The text of the page's {% block title %}, else its `title`/`object`; empty when none."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block("title") if block_context is not None else None
    if block is not None:
        try:
            with context.push(block=block):
                text = " ".join(block.nodelist.render(context).split())
        except Exception:  # noqa: BLE001 — a breadcrumb must never break a page
            text = ""
        if text and text != SITE_TITLE:  # base.html's own default is no page title
            return text
    current = context.get("title") or context.get("object")
    return " ".join(str(current).split()) if current else ""


def _menu_trail(nav_items) -> list[Crumb]:
    for item in nav_items or ():
        if not item.get("active"):
            continue
        children = [child for child in item.get("children") or () if child.get("active")]
        if item.get("children"):
            if not children:
                continue
            # The most specific item when two addresses nest.
            child = max(children, key=lambda c: len(c["url"]))
            return [Crumb(item["label"]), Crumb(child["label"], child["url"])]
        return [Crumb(item["label"], item["url"])]
    return []


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumb_trail(context):
    request = context.get("request")
    home = reverse("home")
    if request is None or request.path == home or not context.get("nav_items"):
        return {"crumbs": []}
    trail = [Crumb("Главная", home), *_menu_trail(context.get("nav_items"))]
    trail += [Crumb(str(label), url) for label, url in context.get("breadcrumbs") or ()]
    title = _page_title(context)
    if title and title.casefold() != trail[-1].label.casefold():
        trail.append(Crumb(title))
    elif trail[-1].url == request.path:
        trail[-1] = Crumb(trail[-1].label)  # the list itself: the last crumb is the page, not a link
    if len(trail) < 2:
        return {"crumbs": []}
    return {"crumbs": trail}
