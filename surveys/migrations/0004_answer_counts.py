"""AnswerCount: survey results from kept counts (surveys/aggregates.py); existing campaigns counted from their answers."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


def count_existing_campaigns(apps, schema_editor):
    """Every campaign's counts from its submitted answers (the rebuild, with the historical models)."""
    from surveys.aggregates import counted_rows

    models_then = (apps.get_model("surveys", "Answer"), apps.get_model("surveys", "Response"),
                   apps.get_model("surveys", "AnswerCount"))
    answer_count = models_then[2]
    for campaign in apps.get_model("surveys", "Campaign").objects.only("pk").iterator():
        answer_count.objects.bulk_create(counted_rows(campaign, models=models_then), batch_size=2_000)


class Migration(migrations.Migration):

    dependencies = [
        ('clusters', '0010_exportlog_role_city'),
        ('surveys', '0003_response_public_id_notices'),
    ]

    operations = [
        migrations.CreateModel(
            name='AnswerCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('measure', models.CharField(choices=[('r', 'отправленные анкеты группы'), ('a', 'строки ответов на (вопрос, строку таблицы, вариант)'), ('q', 'ответившие на вопрос; для чисел — сумма, минимум, максимум')], max_length=1)),
                ('count', models.PositiveIntegerField(default=0)),
                ('total', models.DecimalField(decimal_places=4, max_digits=20, null=True)),
                ('minimum', models.DecimalField(decimal_places=4, max_digits=14, null=True)),
                ('maximum', models.DecimalField(decimal_places=4, max_digits=14, null=True)),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.campaign')),
                ('option', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.option')),
                ('organisation', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clusters.organisation')),
                ('question', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.question')),
                ('row', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.gridrow')),
            ],
            options={
                'verbose_name': 'счётчик ответов',
                'verbose_name_plural': 'счётчики ответов',
                'constraints': [models.UniqueConstraint(models.F('campaign'), django.db.models.functions.comparison.Coalesce('organisation', 0), models.F('measure'), django.db.models.functions.comparison.Coalesce('question', 0), django.db.models.functions.comparison.Coalesce('row', 0), django.db.models.functions.comparison.Coalesce('option', 0), name='answer_count_unique_key')],
            },
        ),
        migrations.RunPython(count_existing_campaigns, migrations.RunPython.noop),
    ]
