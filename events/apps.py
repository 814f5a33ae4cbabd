from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Мероприятия, консультации, достижения"

    def ready(self):
        # Registrations made at start-up: calculations into monitoring's registry, the teacher page's panel, the
        # event page's panels, the /v/ verifier of certificates with its Celery task module, the monitoring
        # справка's «Формы взаимодействия» section.
        from . import (  # noqa: F401
            certificate_panels,
            indicators,
            registration_panels,
            report_sections,
            teacher_panel,
        )
