"""A partial index for the results page's first free texts per question (surveys/results.py: free_texts)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0004_answer_counts'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='answer',
            index=models.Index(condition=models.Q(('option__isnull', True), ('row__isnull', True)), fields=['campaign', 'question', 'id'], name='answer_texts_idx'),
        ),
    ]
