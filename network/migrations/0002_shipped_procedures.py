"""The assessment procedures every district has (issue 11): ОГЭ, ЕГЭ, ВПР, РДР, районная диагностика."""
from django.db import migrations

SHIPPED = [
    ("ОГЭ", "Основной государственный экзамен, 9 класс"),
    ("ЕГЭ", "Единый государственный экзамен, 11 класс"),
    ("ВПР", "Всероссийские проверочные работы"),
    ("РДР", "Региональные диагностические работы"),
    ("Районная диагностика", "Диагностические работы, проводимые районом"),
]


def create(apps, schema_editor):
    Procedure = apps.get_model("network", "Procedure")
    for name, description in SHIPPED:
        Procedure.objects.get_or_create(district=None, name=name, defaults={"description": description})


def remove(apps, schema_editor):
    Procedure = apps.get_model("network", "Procedure")
    Procedure.objects.filter(district=None, name__in=[name for name, _ in SHIPPED], results__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
