"""`{% load lists %}`: `{% sort_th "name" "Наименование" %}` (a sortable column head) and `{% pager %}`.

Both build their links from the current query string, so the filter, the sort and the page size
survive a click; the logic is in core/lists.py.
"""
from django import template

from core import lists

register = template.Library()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_th(context, field: str, label: str, css_class: str = ""):
    """A `<th>` whose link sorts by `field`; a second click reverses; the column sorted now is marked."""
    request = context["request"]
    state = context.get("list_sort") or {}
    current = state.get("current", "")
    sortable = field in state.get("fields", ())
    active = current.removeprefix("-") == field
    descending = active and current.startswith("-")
    target = field if not active or descending else f"-{field}"
    return {
        "label": label,
        "css_class": css_class,
        "sortable": sortable,
        "active": active,
        "descending": descending,
        "url": lists.query_with(request.GET, **{lists.SORT_PARAM: target, lists.PAGE_PARAM: None}),
    }


@register.inclusion_tag("includes/pager.html", takes_context=True)
def pager(context):
    """Numbered pages with first/previous/next/last, the rows shown of the total, the page-size choice."""
    page = context.get("page_obj")
    if page is None:
        return {"pager": None}
    choices = context.get("per_page_choices") or ()
    return {"pager": lists.pager_context(context["request"].GET, page, per_page_choices=choices)}
