# RenderJob becomes a core.jobs.BackgroundJob, with the same status vocabulary as monitoring's
# recompute jobs: "rendering" is now "running" and "ready" is "succeeded". `error` becomes the
# job's `message` (a failure's text, a retry note, or the result) and `created_by` its
# `requested_by` — renamed, so both are kept. The one-pending-job constraint names the statuses,
# so it is dropped before the statuses change and created again after.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TO_NEW = {"rendering": "running", "ready": "succeeded"}


def statuses_forward(apps, schema_editor):
    RenderJob = apps.get_model("reports", "RenderJob")
    for old, new in OLD_TO_NEW.items():
        RenderJob.objects.filter(status=old).update(status=new)


def statuses_backward(apps, schema_editor):
    RenderJob = apps.get_model("reports", "RenderJob")
    for old, new in OLD_TO_NEW.items():
        RenderJob.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_report_kind_from_registry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="renderjob", name="one_pending_render_job"),
        migrations.RenameField(model_name="renderjob", old_name="error", new_name="message"),
        migrations.RenameField(model_name="renderjob", old_name="created_by", new_name="requested_by"),
        migrations.AlterField(
            model_name="renderjob",
            name="message",
            field=models.TextField(blank=True, verbose_name="сообщение"),
        ),
        migrations.AlterField(
            model_name="renderjob",
            name="requested_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="запросил"),
        ),
        migrations.AddField(
            model_name="renderjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="начато"),
        ),
        migrations.AlterField(
            model_name="renderjob",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="создано"),
        ),
        migrations.AlterField(
            model_name="renderjob",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="завершено"),
        ),
        migrations.AlterField(
            model_name="renderjob",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="готовность, %"),
        ),
        migrations.AlterField(
            model_name="renderjob",
            name="status",
            field=models.CharField(
                choices=[("queued", "в очереди"), ("running", "выполняется"), ("succeeded", "готово"),
                         ("failed", "ошибка")],
                default="queued", max_length=10, verbose_name="статус",
            ),
        ),
        migrations.RunPython(statuses_forward, statuses_backward),
        migrations.AddConstraint(
            model_name="renderjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running"])), fields=("report", "target"),
                name="one_pending_render_job",
            ),
        ),
    ]
