"""Lists that scale: server-side column sorting, numbered pagination with a page-size choice.

The interface other checks rely on (issue 14): `?sort=<field>` / `?sort=-<field>`, `?page=<n>` and
`?per_page=<25|50|100>` on every list. A view whitelists its sortable columns in `sort_fields`
(URL key → ORM orderings); an unknown key is ignored and the default order kept, and `pk` always
breaks ties so that a row never appears on two pages. A page number past the end shows the last
page (a link kept from before a delete or a narrower filter must not 404).

Templates: `{% load lists %}` then `{% sort_th "name" "Наименование" %}` in a table head and
`{% pager %}` under the table (templates/includes/sort_header.html, pager.html).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, Func, IntegerField, OrderBy, QuerySet, Value, When
from django.db.models.functions import Coalesce, Least, NullIf, StrIndex, Substr
from django.db.models.lookups import GreaterThan
from django.http import QueryDict

SORT_PARAM = "sort"
PAGE_PARAM = "page"
PER_PAGE_PARAM = "per_page"
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50
PAGE_WINDOW = 2  # page numbers shown on each side of the current one


# --- natural order of names with numbers («ГБОУ СОШ № 2» < «№ 12» < «№ 101») ---

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """A Python sort key: digit runs compare as numbers, the rest case-insensitively, «ё» as «е»."""
    parts = _DIGITS.split((text or "").casefold().replace("ё", "е"))
    # Even indexes are text, odd ones digit runs; (0, text) / (1, number) never compare str with int.
    return tuple((1, int(p)) if i % 2 else (0, p) for i, p in enumerate(parts))


_NO_DIGIT = 1_000_000  # beyond any name length: «no digit» for Least, which is NULL-unsafe on SQLite


def first_digit_position(field: str) -> Func:
    """1-based position of the first digit in `field`, NULL without one; StrIndex is portable (instr/strpos)."""
    positions = [Coalesce(NullIf(StrIndex(field, Value(str(d))), Value(0)), Value(_NO_DIGIT)) for d in range(10)]
    return NullIf(Least(*positions), Value(_NO_DIGIT), output_field=IntegerField())


class LeadingNumber(Func):
    """The integer the text starts with (the text from the first digit on), NULL if none.

    SQLite's CAST takes the longest integer prefix itself («12 им. Пушкина» → 12); PostgreSQL's
    CAST would fail on the trailing text, so it takes the digit run with substring() first.
    """

    output_field = IntegerField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # numeric, not integer: a long digit run (an INN in a name) must not overflow.
        return super().as_sql(
            compiler, connection, template="CAST(SUBSTRING(%(expressions)s FROM '[0-9]+') AS NUMERIC)", **extra_context
        )


class NaturalPrefix(Func):
    """The text before the first digit of the field (all of it without a digit; "" if it starts with one).

    PostgreSQL: one regular expression. Elsewhere (SQLite) the portable form: the first digit's position
    (first_digit_position) and a CASE around SUBSTR — about forty expressions for Django to compile on each
    query, which on PostgreSQL was a fifth of a sorted list page's CPU.
    """

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        field = self.source_expressions[0]
        position = first_digit_position(field)
        portable = Case(When(GreaterThan(position, 0), then=Substr(field, 1, position - 1)), default=field)
        return compiler.compile(portable.resolve_expression(compiler.query))

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="SUBSTRING(%(expressions)s FROM '^[^0-9]*')",
                              **extra_context)


class NaturalNumber(Func):
    """The first run of digits of the field as a number, NULL without one (see NaturalPrefix)."""

    arity = 1
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        field = self.source_expressions[0]
        portable = LeadingNumber(Substr(field, first_digit_position(field)))
        return compiler.compile(portable.resolve_expression(compiler.query))

    def as_postgresql(self, compiler, connection, **extra_context):
        # numeric, not integer: a long digit run (an INN in a name) must not overflow.
        return super().as_sql(compiler, connection, template="CAST(SUBSTRING(%(expressions)s FROM '[0-9]+') AS NUMERIC)",
                              **extra_context)


def natural_order(field: str) -> tuple[OrderBy, ...]:
    """ORM orderings sorting `field` naturally, the same on SQLite and PostgreSQL, with no model field.

    By (text before the first number, that number, the whole text): «ГБОУ СОШ № 2», «№ 12», «№ 101»;
    names without a number come first among names with the same beginning.
    """
    return (NaturalPrefix(F(field)).asc(), NaturalNumber(F(field)).asc(nulls_first=True), F(field).asc())


# --- sorting ---


@dataclass(frozen=True)
class Fixed:
    """An ordering that `?sort=-field` does not reverse: «-year» keeps the clusters of a year A→Я."""

    ordering: object


def fixed(*orderings) -> tuple[Fixed, ...]:
    return tuple(Fixed(o) for o in orderings)


def _reversed(ordering) -> object:
    if isinstance(ordering, Fixed):
        return ordering
    if isinstance(ordering, str):
        return ordering[1:] if ordering.startswith("-") else f"-{ordering}"
    if isinstance(ordering, OrderBy):
        flipped = ordering.copy()
        flipped.reverse_ordering()
        return flipped
    return ordering.desc()


def parse_sort(value: str | None, fields: Iterable[str], default: str = "") -> str:
    """`value` if it names a whitelisted field («name» or «-name»), otherwise `default`."""
    key = (value or "").strip()
    return key if key.removeprefix("-") in set(fields) and key else default


def sort_ordering(sort: str, fields: dict[str, Sequence]) -> list:
    """The ORM orderings of `sort` («-name»: every ordering of «name» reversed) with the pk tie-breaker."""
    if not sort:
        return []
    descending = sort.startswith("-")
    orderings = list(fields[sort.removeprefix("-")])
    if descending:
        orderings = [_reversed(o) for o in orderings]
    orderings = [o.ordering if isinstance(o, Fixed) else o for o in orderings]
    return [*orderings, "-pk" if descending else "pk"]


# --- paging ---


def parse_per_page(value: str | None, default: int = DEFAULT_PER_PAGE, choices: Sequence[int] = PER_PAGE_CHOICES) -> int:
    return int(value) if value and value.isdigit() and int(value) in choices else default


def get_page(paginator: Paginator, value: str | None) -> Page:
    """The page asked for; «last» or a number past the end → the last page, anything else bad → the first."""
    if value == "last":
        return paginator.page(paginator.num_pages)
    return paginator.get_page(value)


def page_window(number: int, num_pages: int, window: int = PAGE_WINDOW) -> list[int | None]:
    """Page numbers to show: 1, the window around `number`, the last; None where numbers are skipped.

    E.g. page 10 of 58, window 2 → [1, None, 8, 9, 10, 11, 12, None, 58].
    """
    shown = {1, num_pages, *range(max(1, number - window), min(num_pages, number + window) + 1)}
    pages: list[int | None] = []
    for n in sorted(shown):
        if pages and n - pages[-1] == 2:
            pages.append(n - 1)  # a gap of one page: show the page rather than «…»
        elif pages and n - pages[-1] > 2:
            pages.append(None)
        pages.append(n)
    return pages


def query_with(query: QueryDict, **params) -> str:
    """`?…` of the current query with `params` replaced (None removes one); other parameters kept."""
    query = query.copy()
    for name, value in params.items():
        query.pop(name, None)
        if value not in (None, ""):
            query[name] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass(frozen=True)
class PagerLink:
    label: str
    url: str
    current: bool = False
    disabled: bool = False
    title: str = ""


def pager_context(query: QueryDict, page: Page, *, per_page_choices: Sequence[int] = ()) -> dict:
    """What templates/includes/pager.html shows; every URL keeps the list's filter and sort."""
    paginator = page.paginator
    last = paginator.num_pages

    def link(n: int, label: str | None = None, **kw) -> PagerLink:
        return PagerLink(label or str(n), query_with(query, **{PAGE_PARAM: n if n > 1 else None}), **kw)

    numbers = [link(n, current=n == page.number) if n else None for n in page_window(page.number, last)]
    current_per_page = paginator.per_page
    return {
        "page": page,
        "count": paginator.count,
        "start": page.start_index(),
        "end": page.end_index(),
        "num_pages": last,
        "paginated": last > 1,
        "before": [
            link(1, "«", disabled=page.number == 1, title="Первая страница"),
            link(max(1, page.number - 1), "‹", disabled=not page.has_previous(), title="Предыдущая страница"),
        ],
        "numbers": numbers,
        "after": [
            link(min(last, page.number + 1), "›", disabled=not page.has_next(), title="Следующая страница"),
            link(last, "»", disabled=page.number == last, title="Последняя страница"),
        ],
        # No choice when even the smallest page holds every row.
        "show_per_page": bool(per_page_choices) and paginator.count > min(per_page_choices),
        "per_page": [
            PagerLink(str(n), query_with(query, **{PER_PAGE_PARAM: n, PAGE_PARAM: None}), current=n == current_per_page)
            for n in per_page_choices
        ],
    }


class SortedPagedListMixin:
    """Sorting and paging of a ListView/FilterView (core.mixins.ScopedListView has it).

    `sort_fields = {"name": natural_order("short_name"), "code": ("code",)}` and `default_sort`
    («name» or «-year»; empty: the view's own order). The sort is applied to the filtered queryset
    after the view's get_queryset, so a view's own order_by() there is only the default.
    """

    sort_fields: dict[str, Sequence] = {}
    default_sort = ""
    paginate_by = DEFAULT_PER_PAGE
    per_page_choices: Sequence[int] = PER_PAGE_CHOICES

    def get_sort(self) -> str:
        return parse_sort(self.request.GET.get(SORT_PARAM), self.sort_fields, self.default_sort)

    def sort_queryset(self, queryset: QuerySet) -> QuerySet:
        ordering = sort_ordering(self.get_sort(), self.sort_fields)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["queryset"] = self.sort_queryset(kwargs["queryset"])
        return kwargs

    def get_paginate_by(self, queryset) -> int | None:
        if self.paginate_by is None:
            return None
        return parse_per_page(self.request.GET.get(PER_PAGE_PARAM), self.paginate_by, self.per_page_choices)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = get_page(paginator, self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["list_sort"] = {"current": self.get_sort(), "fields": tuple(self.sort_fields)}
        context["per_page_choices"] = self.per_page_choices
        filterset = context.get("filter")
        context["active_filters"] = active_filters(filterset) if filterset is not None else []
        return context


def active_filters(filterset) -> list[dict]:
    """The filters in force, as «label: value» with a link that drops just that one.

    Read from the bound form's cleaned data, so an invalid value (ignored by the list) is not shown.
    """
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return []
    query = filterset.data
    shown = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, bool):
            text = "да" if value else "нет"
        elif getattr(field, "choices", None) is not None and not hasattr(field, "queryset"):
            text = str(dict((str(k), v) for k, v in field.choices).get(str(value), value))
        else:
            text = str(value)
        shown.append({"label": field.label or name, "value": text,
                      "remove_url": query_with(query, **{name: None, PAGE_PARAM: None})})
    return shown


def sorted_paged(
    request,
    queryset: QuerySet,
    sort_fields: dict[str, Sequence],
    *,
    default_sort: str = "",
    per_page: int = DEFAULT_PER_PAGE,
    per_page_choices: Sequence[int] = PER_PAGE_CHOICES,
) -> dict:
    """SortedPagedListMixin for a function view: `?sort=`, `?page=`, `?per_page=` on `queryset`.

    Returns the context the list templates use (`page_obj`, `paginator`, `is_paginated`,
    `object_list`, `list_sort`, `per_page_choices`, `filter_query`), so `{% sort_th %}` and
    `{% pager %}` work as on a ScopedListView.
    """
    sort = parse_sort(request.GET.get(SORT_PARAM), sort_fields, default_sort)
    ordering = sort_ordering(sort, sort_fields)
    if ordering:
        queryset = queryset.order_by(*ordering)
    size = parse_per_page(request.GET.get(PER_PAGE_PARAM), per_page, per_page_choices)
    page = get_page(Paginator(queryset, size), request.GET.get(PAGE_PARAM))
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return {
        "page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages(),
        "object_list": page.object_list, "list_sort": {"current": sort, "fields": tuple(sort_fields)},
        "per_page_choices": per_page_choices, "filter_query": query.urlencode(),
    }
