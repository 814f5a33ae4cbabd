from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Сетевое взаимодействие"

    def ready(self):
        # Effect calculations into monitoring's registry; sections of the registry's pages.
        from . import indicators, panels_pairs, panels_practices, panels_results, panels_tiers  # noqa: F401
