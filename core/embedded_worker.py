"""The embedded default's worker: background jobs on a thread of the web process, no Redis needed.

With no broker (CELERY_TASK_ALWAYS_EAGER) a task used to run inside the request that queued it: the
page froze for the length of a PDF (7–11 s) and came back with the job already finished. With
EMBEDDED_TASKS = "thread" (the embedded default, settings) a job or an e-mail published while the
portal answers a request is handed to one background thread instead: the request returns at once,
and the page shows the job's progress through the same polling partial as with a Celery worker
(templates/core/job_status.html). Outside a request (management commands such as load_demo, the
shell) and with EMBEDDED_TASKS = "eager" (the test suite's default) tasks still run in-process,
synchronously, as before — a command must not exit with its jobs half done.

One thread, one task at a time: SQLite takes one writer anyway. The thread opens its own database
connections and closes them after every task. At exit the process waits for the queue to drain, so
a job taken is finished rather than left «выполняется» with nobody running it; and as there is no
Celery beat, the thread runs the outbox sweeper itself when it starts and every OUTBOX_SWEEP_SECONDS
it is idle (a job a killed process left behind is run again, or failed after its attempts).
"""
from __future__ import annotations

import atexit
import logging
import queue
import threading
import time

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections

logger = logging.getLogger(__name__)

THREAD = "thread"
EAGER = "eager"

_tasks: queue.Queue = queue.Queue()
_start_lock = threading.Lock()
_thread: threading.Thread | None = None
_answering = threading.local()  # .active: this thread is answering a request


def _request_started(**kwargs) -> None:
    _answering.active = True


def _request_finished(**kwargs) -> None:
    _answering.active = False


request_started.connect(_request_started, dispatch_uid="core.embedded_worker.started")
request_finished.connect(_request_finished, dispatch_uid="core.embedded_worker.finished")


def mode() -> str:
    """EMBEDDED_TASKS: "thread" or "eager" (anything else is read as eager)."""
    return THREAD if getattr(settings, "EMBEDDED_TASKS", EAGER) == THREAD else EAGER


def runs_on_thread() -> bool:
    """A task published now (with no broker) goes to the background thread: thread mode, and the
    publishing code is answering a request (not a command, not the worker thread itself)."""
    return mode() == THREAD and bool(getattr(_answering, "active", False))


def submit(task, object_id: int) -> None:
    """Queue `task(object_id)` for the background thread; returns at once."""
    _ensure_thread()
    _tasks.put((task, object_id))


def _ensure_thread() -> None:
    global _thread
    with _start_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="embedded-tasks", daemon=True)
            _thread.start()


def _work() -> None:
    _sweep_here()  # what a process that stopped (killed, restarted) left queued or running
    while True:
        try:
            task, object_id = _tasks.get(timeout=getattr(settings, "OUTBOX_SWEEP_SECONDS", 60))
        except queue.Empty:
            _sweep_here()  # idle: the beat sweeper's round, as a broker setup has it (core.tasks.outbox_sweep)
            continue
        try:
            run(task, object_id)
        finally:
            _tasks.task_done()


def _sweep_here() -> None:
    try:
        sweep()
    finally:
        connections.close_all()  # this thread's own connections


def sweep() -> dict[str, int] | None:
    """The outbox sweeper (core.outbox.sweep) on this thread, in thread mode only: publishes (here: runs) jobs
    and e-mails that never left and re-queues jobs whose run died with its process. With no broker there is no
    Celery beat, so without this a job taken by a process that was killed would say «выполняется» forever."""
    if mode() != THREAD:
        return None
    from . import outbox  # outbox imports this module

    try:
        return outbox.sweep()
    except Exception:  # noqa: BLE001 — the next round tries again
        logger.exception("Embedded worker: sweep failed")
        return None


def run(task, object_id: int) -> None:
    """Run one task here and now (Celery's eager apply: its retries happen in place). A failure is
    logged — the job row carries it to the page — and this thread's connections are closed."""
    try:
        task.apply(args=[object_id])
    except Exception:  # noqa: BLE001 — the thread must live on; the task marked its job failed
        logger.exception("Embedded worker: %s(%s) failed", getattr(task, "name", task), object_id)
    finally:
        connections.close_all()


def wait_idle(timeout: float | None = None) -> bool:
    """Block until every queued task has run (tests, and the process's exit); False on timeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with _tasks.all_tasks_done:
        while _tasks.unfinished_tasks:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            _tasks.all_tasks_done.wait(remaining)
    return True


@atexit.register
def _drain_at_exit() -> None:
    if _thread is not None and _thread.is_alive() and _tasks.unfinished_tasks:
        logger.info("Embedded worker: finishing %s queued task(s) before exit", _tasks.unfinished_tasks)
        wait_idle()
