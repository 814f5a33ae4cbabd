from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Диагностика профессиональных дефицитов"

    def ready(self):
        from django.db.models.signals import post_migrate

        # Calculations into monitoring's registry; the teacher page's profile panel; a course recorded in the
        # registry completes ИОМ steps.
        from . import indicators, panels, signals  # noqa: F401
        from .areas import create_shipped_areas
        from .instruments_shipped import create_shipped_instruments

        # The vocabulary and the shipped instruments survive `flush` (as Django's content types do).
        post_migrate.connect(create_shipped_areas, sender=self, dispatch_uid="diagnostics_shipped_areas")
        post_migrate.connect(create_shipped_instruments, sender=self, dispatch_uid="diagnostics_shipped_instruments")
