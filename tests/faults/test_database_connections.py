"""Fault: PostgreSQL drops the portal's connections between requests (restart, an admin's
pg_terminate_backend). A real gunicorn with two workers keeps its connections (CONN_MAX_AGE=60, as
compose sets it); every one of them is terminated, and the next requests must not answer 500
(CONN_HEALTH_CHECKS replaces a dead connection before a request uses it)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.conftest import worker_database_url

from .conftest import _free_port, wait_until

pytestmark = pytest.mark.faults


def _get(port: int, path: str, cookie: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture
def gunicorn(postgres_only, tmp_path):
    port = _free_port(8391)
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CONN_MAX_AGE": "60", "DEBUG": "true",
           "MEDIA_ROOT": str(tmp_path / "media")}
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 — closed after the server stops
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "imc_portal.wsgi:application", "-c", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: _get(port, "/accounts/login/", "") == 200 or server.poll() is not None, 30,
                   what="gunicorn answers")
        assert server.poll() is None, (tmp_path / "gunicorn.log").read_text(errors="replace")[-3000:]
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def test_terminated_connections_cost_no_request_a_500(gunicorn, methodist):
    client = Client()
    client.force_login(methodist)  # the session row is committed (transactional_db)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    pages = ["/", "/reports/", "/monitoring/"]

    statuses = [_get(gunicorn, page, cookie) for page in pages * 3]
    assert set(statuses) == {200}, statuses
    for _ in range(2):
        assert _terminate_other_connections() >= 1, "gunicorn's workers keep their connections"
        started = time.monotonic()
        statuses = [_get(gunicorn, page, cookie) for page in pages * 3]
        assert set(statuses) == {200}, f"after pg_terminate_backend: {statuses}"
        assert time.monotonic() - started < 20
