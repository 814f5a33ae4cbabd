"""`{% load lists %}`: `{% sort_th "name" "Наименование" %}` (a sortable column head), `{% pager %}` and
`{{ field|filter_field }}` (a field of a list's filter bar), `{{ pk|url_with_id:"app:name" }}` (a row's link).

The sort and pager links are built from the current query string, so the filter, the sort and the page size
survive a click; the logic is in core/lists.py.
"""
import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from core import lists
from core.field_html import field_html
from core.field_html import filter_bar as render_filter_bar
from core.reversing import reverse_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, field: str, label: str, css_class: str = ""):
    """A `<th>` whose link sorts by `field`; a second click reverses; the column sorted now is marked.

    Built in Python (formerly an inclusion tag of includes/sort_header.html, the same markup): a table
    head of seven columns rendered seven templates per request.
    """
    request = context["request"]
    state = context.get("list_sort") or {}
    current = state.get("current", "")
    sortable = field in state.get("fields", ())
    active = current.removeprefix("-") == field
    descending = active and current.startswith("-")
    attrs = mark_safe(  # noqa: S308 — both parts come from format_html
        (format_html(' class="{}"', css_class) if css_class else "")
        + (format_html(' aria-sort="{}"', "descending" if descending else "ascending") if active else "")
    )
    if not sortable:
        return format_html('<th scope="col"{}>{}</th>', attrs, label)
    target = field if not active or descending else f"-{field}"
    url = lists.query_with(request.GET, **{lists.SORT_PARAM: target, lists.PAGE_PARAM: None})
    icon = (f'<i class="bi bi-sort-{"down" if descending else "up"}" aria-hidden="true"></i>' if active
            else '<i class="bi bi-arrow-down-up text-body-tertiary small" aria-hidden="true"></i>')
    return format_html(
        '<th scope="col"{}><a class="sort-link link-body-emphasis text-decoration-none text-nowrap" href="{}" '
        'data-testid="sort-{}" title="Сортировать{}">{} {}</a></th>',
        attrs, url, _slug(label), " по убыванию" if active and not descending else " по возрастанию", label,
        mark_safe(icon),
    )


@functools.lru_cache(maxsize=512)
def _slug(label: str) -> str:
    return slugify(label)


@register.filter
def url_with_id(pk, url_name: str) -> str:
    """`{{ row.pk|url_with_id:"clusters:membership_update" }}`: `{% url %}` of a row's page at the cost of a
    dict lookup (core/reversing.py) — for links repeated on every row of a table."""
    return reverse_ids(url_name, pk)


@register.simple_tag
def filter_bar(filterset):
    """`{% filter_bar filter %}`: the fields of a list's filter bar, each in its column (core/field_html.py)."""
    return render_filter_bar(filterset)


@register.filter
def filter_field(field):
    """`{{ field|filter_field }}`: a filter bar's field as crispy's bootstrap5 markup (core/field_html.py)."""
    return field_html(field)


@register.inclusion_tag("includes/pager.html", takes_context=True)
def pager(context):
    """Numbered pages with first/previous/next/last, the rows shown of the total, the page-size choice."""
    page = context.get("page_obj")
    if page is None:
        return {"pager": None}
    choices = context.get("per_page_choices") or ()
    return {"pager": lists.pager_context(context["request"].GET, page, per_page_choices=choices)}
