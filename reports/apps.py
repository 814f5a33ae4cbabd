from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Справки и отчёты"

    def ready(self) -> None:
        # Every kind registers itself on import; a broken spec fails start-up, not a page or a worker.
        from . import checks, kinds  # noqa: F401 - checks registers itself

        kinds.autodiscover()
