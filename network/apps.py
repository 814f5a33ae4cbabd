from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Сетевое взаимодействие"

    def ready(self):
        from . import indicators  # noqa: F401 - registers the effect calculations in monitoring
