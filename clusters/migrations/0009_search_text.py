"""search_text on every registry model a list searches (core/search.py says why), filled for existing rows;
on PostgreSQL a pg_trgm GIN index on the teachers' and organisations' column serves `contains`.

The fill repeats core.search.normalise here so later changes there cannot alter this migration.
"""
import unicodedata

from django.db import DatabaseError, migrations, models, transaction

SEARCH_FIELDS = {
    "organisation": ("code", "short_name", "full_name", "address"),
    "teacher": ("full_name", "personnel_number", "position", "subject_area"),
    "cluster": ("name", "description"),
    "community": ("name", "topic"),
    "trainingprogram": ("title", "provider"),
    "trainingcompletion": ("certificate_number",),
    "individualroute": ("goals",),
    "innovationproject": ("title",),
    "mentorship": ("notes",),
    "event": ("title", "description"),
}
TRIGRAM_INDEXED = ("organisation", "teacher")


def _normalise(text):
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().replace("ё", "е").split())


def fill_search_text(apps, schema_editor):
    for model_name, fields in SEARCH_FIELDS.items():
        model = apps.get_model("clusters", model_name)
        rows = []
        for obj in model.objects.only("pk", *fields).iterator(chunk_size=1000):
            obj.search_text = " ".join(p for p in (_normalise(getattr(obj, f)) for f in fields) if p)
            rows.append(obj)
        model.objects.bulk_update(rows, ["search_text"], batch_size=500)


def create_trigram_indexes(apps, schema_editor):
    """PostgreSQL only, and only where the role may create pg_trgm (trusted since PostgreSQL 13): without it
    the search still works, by a sequential scan, so a refusal is not a reason to fail the deploy."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name in TRIGRAM_INDEXED:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS clusters_{name}_search_trgm "
                               f"ON clusters_{name} USING gin (search_text gin_trgm_ops)")
    except DatabaseError:
        pass


def drop_trigram_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in TRIGRAM_INDEXED:
            cursor.execute(f"DROP INDEX IF EXISTS clusters_{name}_search_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('clusters', '0008_event_plan'),
    ]

    operations = [
        migrations.AddField(
            model_name='cluster',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='community',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='event',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='individualroute',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='innovationproject',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='mentorship',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='organisation',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='teacher',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='trainingcompletion',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='trainingprogram',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
