from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Анкетирование"

    def ready(self):
        from . import (
            export_jobs,
            indicators,  # noqa: F401 - registers survey-based calculations in monitoring
        )

        export_jobs.register()  # a large campaign's results XLSX runs as a job (core/exports.py)
