"""search_text on consultations (topic, outside consultant) and achievements (title, venue), filled for
existing rows — the journal's search box then finds «журавлева» in «Журавлёва», as the registry does
(core/search.py says why a stored column).

The fill repeats core.search.normalise here so later changes there cannot alter this migration.
"""
import unicodedata

from django.db import migrations, models

SEARCH_FIELDS = {
    "consultation": ("topic", "methodist_name"),
    "achievement": ("title", "venue"),
}


def _normalise(text):
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().replace("ё", "е").split())


def fill_search_text(apps, schema_editor):
    for model_name, fields in SEARCH_FIELDS.items():
        model = apps.get_model("events", model_name)
        rows = []
        for obj in model.objects.only("pk", *fields).iterator(chunk_size=1000):
            obj.search_text = " ".join(p for p in (_normalise(getattr(obj, f)) for f in fields) if p)
            rows.append(obj)
        model.objects.bulk_update(rows, ["search_text"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0003_russian_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="achievement",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="consultation",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
