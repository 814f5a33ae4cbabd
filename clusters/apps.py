from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = "Реестр района"

    def ready(self) -> None:
        from . import export_jobs

        export_jobs.register()  # the registry's list exports run as jobs past the threshold (core/exports.py)
