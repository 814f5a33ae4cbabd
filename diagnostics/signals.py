"""Signal receivers of diagnostics; imported by DiagnosticsConfig.ready()."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from clusters.models import TrainingCompletion

from .services.routes import complete_course_steps


@receiver(post_save, sender=TrainingCompletion, dispatch_uid="diagnostics_route_course_done")
def training_completed(sender, instance: TrainingCompletion, raw: bool = False, **kwargs) -> None:
    """A course recorded in the training registry completes the matching course steps of the teacher's ИОМ."""
    if raw:
        return
    complete_course_steps(instance)
