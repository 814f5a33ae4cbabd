from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Диагностика профессиональных дефицитов"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .areas import create_shipped_areas

        post_migrate.connect(create_shipped_areas, sender=self, dispatch_uid="diagnostics_shipped_areas")
        from .instruments_shipped import create_shipped_instruments

        post_migrate.connect(create_shipped_instruments, sender=self, dispatch_uid="diagnostics_shipped_instruments")
