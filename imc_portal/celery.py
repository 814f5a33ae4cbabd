"""Celery application.

With no CELERY_BROKER_URL set the settings switch Celery to eager mode, so the embedded
default (SQLite, one process) runs every task in-process and nothing needs Redis: a job a page
queues runs on the embedded worker's background thread (EMBEDDED_TASKS = "thread",
core/embedded_worker.py) and the page polls its progress; the tests and management commands run
tasks synchronously.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")

app = Celery("imc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
