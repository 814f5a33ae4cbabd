"""Per-client rate limits for anonymous endpoints (uploads on /v/<code>/, survey submissions on /s/…).

Two functions, nothing else:

- `hit(key, limit=, window_seconds=)` counts one request against `key` in a fixed window and says
  whether it is still allowed (True) or over the limit (False). Counters live in Django's cache
  (`CACHES["default"]`): LocMemCache in the embedded default (per process — good enough for
  runserver and tests), Redis on a server (`CACHE_URL`), so every gunicorn worker shares them.
- `client_ip(request)` is the address to key limits on: REMOTE_ADDR, or — behind
  `TRUSTED_PROXY_COUNT` reverse proxies — the address the outermost trusted proxy saw, read from
  X-Forwarded-For counting from the right (entries to the left of it are client-supplied and could
  be forged). IPv6 clients are keyed by their /64: one host usually owns a whole /64.

A fixed window (not a sliding log) keeps this to one cache counter per key: at worst a client gets
2× the limit across a window boundary, which is fine for abuse resistance. If the cache is down the
request is allowed: the limiter must never take the public pages down with it.
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

__all__ = ["UNKNOWN_CLIENT", "client_ip", "hit"]

UNKNOWN_CLIENT = "unknown"  # a request with no usable address (a bare HttpRequest outside the web)


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request for `key`; True while at most `limit` requests fell in the current window."""
    if limit <= 0:
        return False
    window = int(time.time() // window_seconds)
    # Hashed: cache backends (memcached) refuse long keys or keys with spaces and control characters.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    cache_key = f"ratelimit:{digest}:{window_seconds}:{window}"
    try:
        # add() creates the counter only if absent, so concurrent first hits do not reset each other;
        # incr() is atomic in LocMemCache and Redis.
        cache.add(cache_key, 0, timeout=window_seconds + 1)
        count = cache.incr(cache_key)
    except ValueError:  # the counter expired between add() and incr()
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    except Exception:  # noqa: BLE001 — a broken cache must not turn public pages into 500s
        logger.warning("Rate limit cache unavailable; request for %s allowed", key, exc_info=True)
        return True
    return count <= limit


def client_ip(request) -> str:
    """The client address for rate limits, honouring settings.TRUSTED_PROXY_COUNT (default 0)."""
    trusted = max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)
    candidate = request.META.get("REMOTE_ADDR", "")
    if trusted:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            # Each trusted proxy appended the address it saw; the rightmost `trusted` entries are theirs,
            # and the last of them is what the outermost trusted proxy saw: the real client.
            candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
    return _normalise(candidate) or _normalise(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_CLIENT


def _normalise(value: str) -> str:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return ""
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
