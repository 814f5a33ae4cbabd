"""`reverse()` for the links of list rows, at the cost of a dict lookup (issue 15.3).

A list page links every row to its record (`get_absolute_url`, `{% url … row.pk %}`): fifty rows were
fifty `reverse()` calls, each matching the URL pattern's candidates and quoting its arguments (~30 µs;
about 2 ms of a list page). `reverse_ids("clusters:teacher_detail", 7)` reverses a pattern once with
marker numbers in place of the ids, keeps the result split around them, and afterwards only joins the
pieces with the ids. Only non-negative integers are filled in this way (what `<int:…>` matches and
what quoting leaves unchanged); anything else goes through `reverse()` as before, as do names that do
not reverse with integers at all.

The pieces are kept per URL name, number of ids, script prefix (a portal served under a sub-path)
and URLconf (a request's own `urlconf`, a test's ROOT_URLCONF), so every one of them gives what
`reverse()` gives.
"""
from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Numbers no real id of a row page takes while the portal runs; each is looked for in the reversed URL.
_MARKERS = (9_170_261_843, 9_170_261_844, 9_170_261_845, 9_170_261_846)
_pieces: dict[tuple, tuple[str, ...] | None] = {}


def _split(viewname: str, count: int, urlconf) -> tuple[str, ...] | None:
    markers = [str(m) for m in _MARKERS[:count]]
    try:
        url = reverse(viewname, args=[int(m) for m in markers], urlconf=urlconf)
    except NoReverseMatch:
        return None
    pieces = []
    for marker in markers:
        head, found, url = url.partition(marker)
        if not found or marker in url:
            return None  # not an id of the path (or twice): leave it to reverse()
        pieces.append(head)
    pieces.append(url)
    return tuple(pieces)


def reverse_ids(viewname: str, *ids) -> str:
    """`reverse(viewname, args=ids)` for integer ids; the same URL, without matching the patterns again."""
    if not ids or len(ids) > len(_MARKERS) or not all(type(i) is int and i >= 0 for i in ids):
        return reverse(viewname, args=ids)
    urlconf = get_urlconf()
    key = (viewname, len(ids), get_script_prefix(), urlconf or settings.ROOT_URLCONF)
    try:
        pieces = _pieces[key]
    except KeyError:
        pieces = _pieces[key] = _split(viewname, len(ids), urlconf)
    if pieces is None:
        return reverse(viewname, args=ids)
    if len(ids) == 1:
        return f"{pieces[0]}{ids[0]}{pieces[1]}"
    parts = [pieces[0]]
    for number, piece in zip(ids, pieces[1:], strict=True):
        parts.append(str(number))
        parts.append(piece)
    return "".join(parts)
