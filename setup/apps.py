from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "setup"
    verbose_name = "Подключение района"
