from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data of the seeds; sits on top of every product app and is imported by none of them."""

    name = "demo"
    verbose_name = "Демо-данные"
