"""Response.public_id (a random UUID shown in URLs and exports instead of the sequential pk) and
CampaignNotice (one row per organisation notified, so the hourly notifier retries only the
recipients the mail server refused).

The UUID column is added nullable, filled row by row (each existing response gets its own random
id — a column default would give every row the same one), then made unique and required.
"""
import uuid

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def fill_public_ids(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    pending = Response.objects.filter(public_id__isnull=True).only("pk")
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            break
        for response in batch:
            response.public_id = uuid.uuid4()
        Response.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):

    dependencies = [
        ("clusters", "0004_training_program_district"),
        ("surveys", "0002_shipped_questionnaires"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="код анкеты"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="код анкеты"),
        ),
        migrations.CreateModel(
            name="CampaignNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("opening", "приглашение"), ("reminder", "напоминание")],
                                          max_length=10)),
                ("sent_at", models.DateTimeField()),
                ("campaign", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notices",
                                               to="surveys.campaign")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                   to="clusters.organisation")),
            ],
            options={
                "verbose_name": "уведомление о кампании",
                "verbose_name_plural": "уведомления о кампаниях",
                "constraints": [models.UniqueConstraint(fields=("campaign", "organisation", "kind"),
                                                        name="notice_once_per_organisation")],
            },
        ),
    ]
