from django.apps import AppConfig


class ImcPortalConfig(AppConfig):
    name = "imc_portal"
    verbose_name = "Пользователи и роли"

    def ready(self) -> None:
        from . import auth  # noqa: F401 — connects the failed-login and lockout log receivers
