"""Start-up registrations of the certificates area (imported from EventsConfig.ready): the «Сертификаты» panel
of an event's page, the verifier of certificate codes on reports' public page /v/<code>/, and the Celery task
(its module is not named tasks.py, so autodiscovery would not import it in the worker)."""
from __future__ import annotations

from . import certificate_tasks, panels, verification  # noqa: F401 — certificate_tasks: registers the task
from .services.certificates import certificates_panel

panels.register("certificates", "events/_certificates_panel.html", certificates_panel, order=40)
verification.register()
