from django.apps import AppConfig


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
