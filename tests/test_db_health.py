"""A persistent database connection the server dropped costs no request a 500 (CONN_HEALTH_CHECKS).

gunicorn keeps a connection open for CONN_MAX_AGE seconds; when PostgreSQL restarts (or an admin
terminates the backend) the next request of that worker would otherwise fail on the dead socket.
Django's test client deliberately does not run `close_old_connections` around a request, so these
tests send `request_started` / `request_finished` themselves, exactly as a gunicorn worker's
WSGIHandler does, and terminate the connection with pg_terminate_backend from a second session.
"""
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import connection, connections
from django.test import Client


def test_settings_check_a_reused_connection_before_a_request_uses_it():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _request_like_gunicorn(client: Client, url: str) -> int:
    """One request framed by the signals a real server sends (close_old_connections hangs on them)."""
    request_started.send(sender=WSGIHandler)
    try:
        return client.get(url).status_code
    finally:
        request_finished.send(sender=WSGIHandler)


def _terminate(pid: int) -> None:
    other = connections.create_connection("default")  # "the DBA": a session of its own
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.fixture
def persistent_connection(monkeypatch):
    """CONN_MAX_AGE as compose sets it (60 s): the connection outlives a request."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL; SQLite has no server connection to drop")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()  # the next connect reads CONN_MAX_AGE and CONN_HEALTH_CHECKS afresh
    yield
    connection.close()


@pytest.mark.parametrize("health_checks, expected", [(True, 200), (False, 500)],
                         ids=["health-checks-on", "health-checks-off-shows-the-old-500"])
def test_a_terminated_connection_costs_no_request_a_500(persistent_connection, transactional_db, monkeypatch,
                                                       methodist, health_checks, expected):
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", health_checks)
    client = Client(raise_request_exception=False)
    client.force_login(methodist)
    connection.close()
    assert _request_like_gunicorn(client, "/") == 200
    assert connection.connection is not None, "CONN_MAX_AGE keeps the connection between requests"
    pid = connection.connection.get_backend_pid()

    _terminate(pid)

    assert _request_like_gunicorn(client, "/") == expected
    if health_checks:
        assert connection.connection.get_backend_pid() != pid, "a fresh connection served the request"
    # Either way the worker recovers: the broken connection is closed at the end of the request.
    assert _request_like_gunicorn(client, "/") == 200
