from django.apps import AppConfig


class ImcPortalConfig(AppConfig):
    name = "imc_portal"
    verbose_name = "Пользователи и роли"
