"""Whole pages kept per reader and per version of the tables they read (issue 15.3).

A list or a detail page is a function of the rows it reads, of who reads it and of its URL. `@cached_page`
(function views) and `CachedPageMixin` (class-based views, outermost) render it the usual way once, keep
its parts — the blocks title, head, breadcrumbs, content and scripts of base.html, caught by
`{% page_piece %}` — and serve them again, inside a layout rendered for the request (navbar, messages, CSRF
token), while nothing they were built from has changed. The key:

- the reader: the user, their role, district (the one a city user views) and organisation — a page is never
  shared between users, so nothing a view computes for its reader can leak to another;
- the request: path and query string, and today's date (a page may count ages or deadlines from it);
- the data: the versions (core/table_versions.py) of every table the rendering queried. Which tables those are
  is learnt from the SQL the rendering ran (every table of the portal's apps it names), per page, in this
  process; a rendering that reads a table not yet known is shown but not kept, so a page is always keyed by
  every table it reads. A write to any of them — through any path, committed — is another key;
- the code: a fingerprint of the project's templates and Python files (a deployment is another key).

Kept only what can be kept: a 200 response rendered through base.html, by a GET that is not an htmx
request, that added no message, set no cookie and left the session unchanged, and that read only tables
with versions. CSRF tokens inside the kept parts (forms with POST buttons) are replaced by a placeholder
and the request's own token is put back on every serving. Entries live PAGE_CACHE_SECONDS (10 minutes) in
the cache alias "charts" (Redis shared by the workers in production); a cache that is down costs a
rendering. With settings.PAGE_CACHE_ENABLED off (the test suite, except the tests of this module) every
request renders.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

from . import charts, table_versions

logger = logging.getLogger(__name__)

PIECES = ("title", "head", "breadcrumbs", "content", "scripts")
CAPTURE_ATTR = "_page_pieces"
TEMPLATE = "cached_page.html"
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
_CSRF_IN_LAYOUT = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')
_WORD = re.compile(r"[a-z_][a-z0-9_]*")

# Per page name: the tables its renderings have read in this process (learnt, only ever growing).
_tables_read: dict[str, frozenset[str]] = {}


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True) and table_versions.supported()


@functools.cache
def _all_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))


@functools.cache
def code_fingerprint() -> str:
    """A digest of the names, sizes and modification times of the project's templates and Python files."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256(charts.STYLE.encode())
    for folder in ["templates", *sorted(p.name for p in root.iterdir() if (p / "apps.py").exists())]:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html"}:
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _reader(request) -> list:
    user = request.user
    return [user.pk, getattr(user, "role", ""), getattr(user, "district_id", None),
            getattr(user, "organisation_id", None)]


def _key(name: str, request, versions: list[tuple]) -> str:
    payload = json.dumps([name, code_fingerprint(), _reader(request), request.get_full_path(),
                          dt.date.today().isoformat(), versions], default=str, separators=(",", ":"))
    return f"page:{name}:{hashlib.sha256(payload.encode()).hexdigest()}"


def _tables_in(sql: str) -> set[str]:
    return set(_WORD.findall(sql.lower())) & _all_tables()


class _TablesRead:
    """connection.execute_wrapper: notes every table of the portal named by the SQL run."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        self.tables |= _tables_in(sql)
        return execute(sql, params, many, context)


def _cacheable(request) -> bool:
    if request.method != "GET" or request.headers.get("HX-Request"):
        return False
    return getattr(request.user, "is_authenticated", False)


def _session_items(request) -> dict:
    session = getattr(request, "session", None)
    return dict(session.items()) if session is not None else {}


def _storable(request, response, pieces: dict, session_before: dict) -> str:
    """Why the rendered response cannot be kept, or "" when it can."""
    if response.status_code != 200 or set(pieces) != set(PIECES):
        return "not a 200 page of base.html"
    if response.cookies:
        return "sets a cookie"
    if _session_items(request) != session_before:  # (the idle-timeout middleware's mark is older than the view)
        return "changes the session"
    storage = getattr(request, "_messages", None)
    if storage is not None and (getattr(storage, "_queued_messages", None) or getattr(storage, "added_new", False)):
        return "adds a message"
    return ""


def _hide_csrf(pieces: dict, response) -> dict | None:
    """The pieces with the request's CSRF token replaced by a placeholder; None when a token could be left."""
    match = _CSRF_IN_LAYOUT.search(response.content.decode("utf-8", "replace"))
    if match is None:
        return None
    token = match.group(1)
    hidden = {name: text.replace(token, CSRF_PLACEHOLDER) for name, text in pieces.items()}
    if any("csrfmiddlewaretoken" in text and CSRF_PLACEHOLDER not in text for text in hidden.values()):
        return None
    return hidden


def _serve(request, pieces: dict) -> TemplateResponse:
    token = get_token(request) if any(CSRF_PLACEHOLDER in text for text in pieces.values()) else ""
    shown = {name: mark_safe(text.replace(CSRF_PLACEHOLDER, token))  # noqa: S308 - rendered by templates
             for name, text in pieces.items()}
    response = TemplateResponse(request, TEMPLATE, {"pieces": shown})
    response["X-Page-Cache"] = "hit"
    return response


def serve(request, name: str, render):
    """The page `name` for this request: from the cache when its key is there, else `render()` (the view)."""
    if not enabled() or not _cacheable(request):
        return render()
    cache = charts._chart_cache()
    known = _tables_read.get(name)
    key = None
    if known is not None:
        key = _key(name, request, table_versions.versions_of(known))
        try:
            pieces = cache.get(key)
        except Exception:  # noqa: BLE001 - a cache that is down costs a rendering
            logger.warning("page cache unavailable for get", exc_info=True)
            pieces = None
        if pieces is not None:
            return _serve(request, pieces)

    captured: dict[str, str] = {}
    session_before = _session_items(request)
    setattr(request, CAPTURE_ATTR, captured)
    tables_read = _TablesRead()
    try:
        with connection.execute_wrapper(tables_read):
            response = render()
            if hasattr(response, "render"):
                response.render()
    finally:
        delattr(request, CAPTURE_ATTR)

    tracked = table_versions.tracked_tables()
    learnt = (known or frozenset()) | tables_read.tables
    if tables_read.tables - tracked:
        reason = f"reads tables without versions: {sorted(tables_read.tables - tracked)}"
    else:
        reason = _storable(request, response, captured, session_before)
        if not reason and (key is None or not tables_read.tables <= known):
            reason = "learnt the tables it reads"  # the key was not built from all of them; the next one is
        _tables_read[name] = learnt
    if not reason:
        pieces = _hide_csrf(captured, response)
        if pieces is None:
            reason = "a CSRF token could not be hidden"
        else:
            try:
                cache.set(key, pieces, getattr(settings, "PAGE_CACHE_SECONDS", 600))
            except Exception:  # noqa: BLE001
                logger.warning("page cache unavailable for set", exc_info=True)
    if reason:
        logger.debug("page %s not kept: %s", name, reason)
    response["X-Page-Cache"] = "miss"
    return response


def cached_page(name: str):
    """Decorator of a GET function view: the page kept per reader and table versions (see the module)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            return serve(request, name, lambda: view(request, *args, **kwargs))

        return wrapper

    return decorator


class CachedPageMixin:
    """The same for a class-based view; list it first, so that the view's capability check (dispatch)
    runs before a kept page is served. `page_cache_name` defaults to the view's dotted path."""

    page_cache_name = ""

    def get(self, request, *args, **kwargs):
        name = self.page_cache_name or f"{type(self).__module__}.{type(self).__qualname__}"
        return serve(request, name, lambda: super(CachedPageMixin, self).get(request, *args, **kwargs))
