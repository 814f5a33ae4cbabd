from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from core import ratelimit
from core.ratelimit import client_ip, hit


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_hit_allows_up_to_the_limit_then_refuses():
    answers = [hit("upload:1.2.3.4", limit=3, window_seconds=600) for _ in range(5)]
    assert answers == [True, True, True, False, False]


def test_keys_are_counted_separately():
    assert all(hit("a", limit=2, window_seconds=60) for _ in range(2))
    assert not hit("a", limit=2, window_seconds=60)
    assert hit("b", limit=2, window_seconds=60)


def test_a_new_window_starts_a_new_count():
    with mock.patch.object(ratelimit.time, "time", return_value=1_000_000.0):
        assert hit("k", limit=1, window_seconds=60)
        assert not hit("k", limit=1, window_seconds=60)
    with mock.patch.object(ratelimit.time, "time", return_value=1_000_000.0 + 60):
        assert hit("k", limit=1, window_seconds=60)


def test_odd_keys_are_safe_for_any_cache_backend():
    assert hit("s:\x00 ключ with spaces " + "x" * 500, limit=1, window_seconds=60)


def test_a_zero_limit_refuses_everything():
    assert not hit("z", limit=0, window_seconds=60)


def test_a_broken_cache_allows_the_request():
    with mock.patch.object(ratelimit.cache, "add", side_effect=ConnectionError("redis down")):
        assert hit("k", limit=1, window_seconds=60)


def _request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert client_ip(_request("203.0.113.5", forwarded="1.1.1.1")) == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_trusted_proxy_takes_the_address_it_appended_not_the_forged_one():
    request = _request("127.0.0.1", forwarded="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_trusted_proxies_count_from_the_right():
    request = _request("127.0.0.1", forwarded="6.6.6.6, 198.51.100.7, 10.0.0.2")
    assert client_ip(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_without_the_header_remote_addr_is_used():
    assert client_ip(_request("192.0.2.1")) == "192.0.2.1"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_garbage_in_the_header_falls_back_to_remote_addr():
    assert client_ip(_request("192.0.2.1", forwarded="not-an-ip")) == "192.0.2.1"


def test_ipv6_clients_are_keyed_by_their_64():
    assert client_ip(_request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_ip(_request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"


def test_ipv4_mapped_ipv6_is_the_ipv4_address():
    assert client_ip(_request("::ffff:192.0.2.1")) == "192.0.2.1"
