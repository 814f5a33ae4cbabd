from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Сетевое взаимодействие"

    def ready(self):
        # Effect calculations into monitoring's registry; sections of the registry's pages.
        from django.db.models.signals import post_migrate

        from . import indicators, panels_pairs, panels_practices, panels_results, panels_tiers  # noqa: F401
        from .procedures import create_shipped_procedures

        post_migrate.connect(create_shipped_procedures, sender=self, dispatch_uid="network_shipped_procedures")
