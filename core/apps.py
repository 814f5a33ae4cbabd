from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The bottom floor: shared building blocks that import nothing else of the portal's."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Общие компоненты"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 — registers the system checks
            embedded_worker,  # noqa: F401 — notes which threads answer requests (thread mode)
        )

        # After every migrate: the write triggers of core/table_versions.py on every table of the apps.
        post_migrate.connect(_install_table_triggers, sender=self)


def _install_table_triggers(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from .table_versions import install_triggers

    install_triggers(connections[using])
