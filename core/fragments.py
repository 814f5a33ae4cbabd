"""Rendered page bodies kept per data version (issue 15.1): the dashboard and the survey results.

A data-heavy page body that is a function of a few tables' rows and of who reads it (the scope, the group) is
rendered once and then served from the cache until one of those rows changes. Its key is built from what it
shows, never from a counter someone must remember to bump:

- `data_version(*querysets)` digests the rows the body shows: one query computes an md5 of each queryset's
  rows as text (PostgreSQL's `row::text`, every selected column; SQLite's json_array) inside the database, so
  only 32 characters a queryset travel, not the rows. A changed, added or deleted row — a new value, a new submission's counts, a renamed organisation, an edited question —
  is another digest.
- the caller's `parts`: what the body depends on besides the rows (the programme and scope, the campaign, the
  group, whether the reader is a school administrator). Two readers with different parts never share a body.
- the code: a fingerprint of the templates and modules that build the body (`code_fingerprint`) and the charts'
  style (core.charts.STYLE), so a deployment that changes the page is another key too.

Nothing is invalidated: an old body is no longer asked for and expires after BODY_CACHE_SECONDS (an hour,
settings.PAGE_BODY_CACHE_SECONDS) in the cache alias "charts" (with Redis shared by every worker). Bodies are
large (a results page with its charts ~230 KB) and every submission makes a new one, so they are kept an hour,
not the charts' week: a page read while it is unchanged stays cached, an outdated one is gone within the hour. A cache that is down costs a
rendering, never a 500. Only for bodies without per-request tokens (no CSRF token, no CSP nonce, no messages):
the layout around them is rendered per request as usual.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from . import charts

logger = logging.getLogger(__name__)

SEPARATOR = "\x1f"
BODY_CACHE_SECONDS = getattr(settings, "PAGE_BODY_CACHE_SECONDS", 3600)


def _rows_sql(queryset: QuerySet) -> tuple[str, list]:
    """A scalar subquery: an md5 of the queryset's rows (a `.values()` queryset) and their number."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing by construction
        return "(SELECT ':0')", []
    if connection.vendor == "postgresql":
        # Each row as text (PostgreSQL's record output: every selected column), sorted so that the order the
        # rows come in does not matter; the count keeps «no rows» apart from «one empty row».
        return (f"(SELECT COALESCE(md5(string_agg(t::text, '{SEPARATOR}' ORDER BY t::text)), '') || ':' || count(*) "
                f"FROM ({sql}) t)"), list(params)
    # SQLite (the tests, `make run`): each row as a JSON array of its columns; MD5 is Django's function.
    query = queryset.query
    if not query.values_select and not query.annotation_select:
        raise TypeError("data_version digests .values() querysets")
    columns = ", ".join(f't."{name}"' for name in [*query.values_select, *query.annotation_select])
    return (f"(SELECT COALESCE(MD5(group_concat(x, '{SEPARATOR}')), '') || ':' || count(*) "
            f"FROM (SELECT json_array({columns}) AS x FROM ({sql}) t ORDER BY x))"), list(params)


def _digest(values: Sequence) -> str:
    return hashlib.sha256(SEPARATOR.join(str(v) for v in values).encode()).hexdigest()


def data_version(*querysets: QuerySet) -> str:
    """A digest of every row of `querysets` (`.values()` querysets), in one query whatever their number."""
    if not querysets:
        return ""
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = _rows_sql(queryset)
        parts.append(sql)
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return _digest(cursor.fetchone())


class RowsDigest:
    """`data_version` of the querysets `build(**arguments)` returns, compiled once per process.

    Building and compiling a handful of querysets costs several milliseconds a request — more than the one
    query they make. The first call compiles them with a stand-in for each argument and notes
    where each stand-in lands among the query's parameters; later calls only put their arguments in those
    places. Arguments are ints or strings, never None (None would change the SQL: IS NULL); a query whose
    parameters do not show every stand-in as it was given is compiled on every call, as `data_version` does.
    """

    def __init__(self, build: Callable[..., Sequence[QuerySet]]):
        self.build = build
        self.compiled: tuple[str, list] | None = None  # SQL, and per parameter: an argument's name or a constant

    @staticmethod
    def _stand_ins(arguments: dict, offset: int) -> dict:
        # Small positive ints: Django turns a value outside an integer field's range into «no rows» (no SQL).
        return {name: 30_000 + offset + number if isinstance(value, int) else f"\x00stand-in {offset + number}\x00"
                for number, (name, value) in enumerate(sorted(arguments.items()))}

    def _slots(self, stand_ins: dict) -> tuple[str, list] | None:
        parts, params = [], []
        for queryset in self.build(**stand_ins):
            sql, part_params = _rows_sql(queryset)
            parts.append(sql)
            params.extend(part_params)
        by_value = {value: name for name, value in stand_ins.items()}
        slots = [("argument", by_value[p]) if p in by_value else ("constant", p) for p in params]
        if {name for kind, name in slots if kind == "argument"} != set(stand_ins):
            return None
        return "SELECT " + ", ".join(parts), slots

    def _compile(self, arguments: dict) -> tuple[str, list] | None:
        """Compiled twice with different stand-ins: the same SQL and the same slots, or not compiled at all
        (a constant that happened to equal a stand-in would otherwise take an argument's value)."""
        first, second = self._slots(self._stand_ins(arguments, 0)), self._slots(self._stand_ins(arguments, 500))
        return first if first is not None and first == second else None

    def __call__(self, **arguments) -> str:
        if any(
            value is None or not isinstance(value, int | str) or isinstance(value, bool) for value in arguments.values()
        ):
            return data_version(*self.build(**arguments))
        if self.compiled is None:
            self.compiled = self._compile(arguments) or ("", [])
        sql, slots = self.compiled
        if not sql:
            return data_version(*self.build(**arguments))
        params = [arguments[value] if kind == "argument" else value for kind, value in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return _digest(cursor.fetchone())


def code_fingerprint(templates: Iterable[str], modules: Iterable[str]) -> Callable[[], str]:
    """A function returning a digest of the templates' sources (found by Django's loaders) and the modules'
    files, read once per process (on first use) — the code that builds a cached body."""
    templates, modules = list(templates), list(modules)
    memo: list[str] = []

    def fingerprint() -> str:
        if not memo:
            digest = hashlib.sha256(charts.STYLE.encode())
            for name in templates:
                digest.update(get_template(name).template.source.encode())
            for path in modules:
                digest.update(Path(path).read_bytes())
            memo.append(digest.hexdigest()[:16])
        return memo[0]

    return fingerprint


def body_key(name: str, parts: Sequence, version: str, code: str) -> str:
    payload = json.dumps([name, code, version, list(parts)], default=str, ensure_ascii=False, separators=(",", ":"))
    return f"body:{name}:{hashlib.sha256(payload.encode()).hexdigest()}"


def cached_body(name: str, parts: Sequence, version: str, code: str, render: Callable[[], str]) -> SafeString:
    """The body under (name, parts, data version, code) from the cache, else `render()` stored there."""
    key = body_key(name, parts, version, code)
    cache = charts._chart_cache()
    try:
        body = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down costs a rendering, not the page
        logger.warning("page body cache unavailable for get", exc_info=True)
        return mark_safe(render())  # noqa: S308 - rendered by a template (autoescaped)
    if body is not None:
        return mark_safe(body)  # noqa: S308 - stored below from a template's rendering
    body = str(render())
    try:
        cache.set(key, body, BODY_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("page body cache unavailable for set", exc_info=True)
    return mark_safe(body)  # noqa: S308
