"""Harness of the fault tests (`pytest -m faults`): a private Redis, a real worker, helpers to break them.

- `redis_server` (session): a `redis-server` of this test session on its own free port (no RDB, no
  AOF, so a restart starts empty, as a crashed broker without persistence does); `stop()` and
  `start()` take it down and bring it back on the same port.
- `broker` (test): points this process's Celery app at that Redis (broker and results), not eager,
  so the views publish for real; restores the app afterwards.
- `worker` (test): a real `celery worker -B` (prefork, one child, beat for the outbox sweeper) on
  the private Redis, reading the test database (`transactional_db`: the worker only sees committed
  rows) and writing MEDIA_ROOT and e-mails (EMAIL_URL=filemail://…) where this test reads them.
  `kill()` is kill -9 of its whole process group, `start()` starts it again.
- `wait_until(predicate, timeout)`.

PostgreSQL only: another process cannot see SQLite's in-memory test database. Skipped with a
reason outside CI, an error in CI (its DATABASE_URL is PostgreSQL).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import worker_database_url

OUTBOX_SWEEP_SECONDS = "2"
RENDER_DELAY_SECONDS = "6"  # long enough to kill the worker mid-render, short enough to re-render


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def wait_until(predicate, timeout: float, interval: float = 0.25, what: str = "condition", log=None):
    """Polls `predicate` until it returns something truthy (returned); fails after `timeout` s,
    with `log()` (e.g. the worker's output) in the failure."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not reached within {timeout:.0f} s" + (f"\n{log()}" if log else ""),
                        pytrace=False)
        time.sleep(interval)


def _free_port(start: int = 6391) -> int:
    for port in range(start, start + 200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for the private redis-server")


class RedisServer:
    def __init__(self, port: int, folder: Path):
        self.port, self.folder, self.process = port, folder, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_until(self.ping, 10, 0.05, "private redis-server answers PING")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.kill()
        self.process.wait(timeout=10)
        self.process = None
        wait_until(lambda: not self.ping(), 5, 0.05, "private redis-server is down")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if shutil.which("redis-server") is None:
        if _in_ci():
            pytest.fail("CI runs the fault tests: redis-server is missing", pytrace=False)
        pytest.skip("the fault tests need redis-server (apt-get install redis-server)")
    server = RedisServer(_free_port(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_only(transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql":
        if _in_ci():
            pytest.fail("CI must run the fault tests on PostgreSQL", pytrace=False)
        pytest.skip("fault tests need PostgreSQL: a worker process cannot see SQLite's test database")


def _point_celery_at(app, url: str | None) -> None:
    """Broker and result backend of this process's Celery app; drops the cached connections."""
    # Celery derived the read/write URLs from CELERY_BROKER_URL at start-up; publishing uses the write one.
    app.conf.broker_url = app.conf.broker_read_url = app.conf.broker_write_url = url
    app.conf.result_backend = url
    # Not closed: kombu keeps one pool per broker URL and would hand the closed one back next time.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


BROKER_SETTINGS = ("broker_url", "broker_read_url", "broker_write_url", "result_backend")


@pytest.fixture
def broker(postgres_only, redis_server, celery_eager, settings):
    """This process publishes to the private Redis (running at the start of the test)."""
    from core import outbox
    from imc_portal.celery import app

    redis_server.start()
    saved = {name: app.conf[name] for name in BROKER_SETTINGS}
    settings.CELERY_BROKER_URL = redis_server.url
    app.conf.task_always_eager = False
    _point_celery_at(app, redis_server.url)
    outbox._broker_down_until = 0.0  # a refusal remembered from an earlier test
    with app.connection_for_write() as conn:  # a fresh Redis, but a test left a message before
        conn.default_channel.client.flushdb()
    yield redis_server
    redis_server.start()  # a test that stopped the broker leaves it running for the next one
    _point_celery_at(app, None)
    app.conf.update(saved)
    outbox._broker_down_until = 0.0


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def mail_folder(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


class Worker:
    """A real worker with beat (the outbox sweeper), in its own process group."""

    def __init__(self, env: dict, cwd: Path, log: Path):
        self.env, self.cwd, self.log, self.process, self.offset = env, cwd, log, None, 0

    def start(self) -> None:
        script = Path(__file__).with_name("slow_worker.py")
        self.offset = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(script), "-A", "imc_portal", "worker", "-B", "--pool=prefork",
                 "--concurrency=1", "-l", "info", "-s", str(self.log.with_name("beat-schedule")),
                 "-n", f"faults-{os.getpid()}-{time.monotonic_ns()}@%h"],
                env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        wait_until(self._ready, 60, 0.25, "worker is ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"worker exited:\n{self.output()}", pytrace=False)
        return b" ready." in self.log.read_bytes()[self.offset:]

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def kill(self) -> None:
        """kill -9 of the worker, its pool child and beat: nothing gets to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.kill()
        self.start()


@pytest.fixture
def worker(broker, media_root, mail_folder, settings, tmp_path):
    from django.conf import settings as django_settings

    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": broker.url,
        "CELERY_RESULT_BACKEND": broker.url,
        "OUTBOX_SWEEP_SECONDS": OUTBOX_SWEEP_SECONDS,
        "MEDIA_ROOT": str(media_root),
        "REPORT_SIGNING_DEMO_CA_DIR": str(django_settings.REPORT_SIGNING_DEMO_CA_DIR),
        "EMAIL_URL": f"filemail:///{mail_folder}",  # django-environ drops one leading slash
        "FAULTS_RENDER_DELAY": RENDER_DELAY_SECONDS,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = Worker(env, Path(django_settings.BASE_DIR), tmp_path / "worker.log")
    process.start()
    yield process
    process.kill()
