"""Start-up registrations of the certificates area (imported from EventsConfig.ready): the «Сертификаты» panel
of an event's page, and the verifier of certificate codes on reports' public page /v/<code>/."""
from __future__ import annotations

from . import panels, verification
from .services.certificates import certificates_panel

panels.register("certificates", "events/_certificates_panel.html", certificates_panel, order=40)
verification.register()
