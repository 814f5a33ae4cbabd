"""The table `core_tableversion` and its trigger function (core/table_versions.py); the triggers on the
apps' tables are put by the post_migrate handler of core/apps.py after every migrate."""
from django.db import migrations

from core import table_versions


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(table_versions.PG_CREATE)
            cursor.execute(table_versions.PG_FUNCTION_SQL)
        elif connection.vendor == "sqlite":
            cursor.execute(table_versions.SQLITE_CREATE)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(table_versions.PG_DROP)
        elif connection.vendor == "sqlite":
            cursor.execute(table_versions.SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_export_job"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
