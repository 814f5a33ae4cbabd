from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Анкетирование"

    def ready(self):
        from . import indicators  # noqa: F401 - registers survey-based calculations in monitoring
