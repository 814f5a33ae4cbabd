# RecomputeJob becomes a core.jobs.BackgroundJob: one status vocabulary with reports' render jobs
# ("done" is now "succeeded"), `created_by` is `requested_by` (renamed, so who asked is kept), and
# `started_at` is recorded when a worker takes the job.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TO_NEW = {"done": "succeeded"}


def statuses_forward(apps, schema_editor):
    RecomputeJob = apps.get_model("monitoring", "RecomputeJob")
    for old, new in OLD_TO_NEW.items():
        RecomputeJob.objects.filter(status=old).update(status=new)


def statuses_backward(apps, schema_editor):
    RecomputeJob = apps.get_model("monitoring", "RecomputeJob")
    for old, new in OLD_TO_NEW.items():
        RecomputeJob.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="recomputejob", old_name="created_by", new_name="requested_by"),
        migrations.AlterField(
            model_name="recomputejob",
            name="requested_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="запросил"),
        ),
        migrations.AddField(
            model_name="recomputejob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="начато"),
        ),
        migrations.AlterField(
            model_name="recomputejob",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="создано"),
        ),
        migrations.AlterField(
            model_name="recomputejob",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="завершено"),
        ),
        migrations.AlterField(
            model_name="recomputejob",
            name="message",
            field=models.TextField(blank=True, verbose_name="сообщение"),
        ),
        migrations.AlterField(
            model_name="recomputejob",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="готовность, %"),
        ),
        migrations.AlterField(
            model_name="recomputejob",
            name="status",
            field=models.CharField(
                choices=[("queued", "в очереди"), ("running", "выполняется"), ("succeeded", "готово"),
                         ("failed", "ошибка")],
                default="queued", max_length=10, verbose_name="статус",
            ),
        ),
        migrations.RunPython(statuses_forward, statuses_backward),
    ]
