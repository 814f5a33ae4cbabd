"""The assessment procedures every district has (issue 11): ОГЭ, ЕГЭ, ВПР, РДР, районная диагностика.

They are created by migration 0002 and again after every `migrate` and `flush` (post_migrate, the way Django
keeps content types and permissions): a flushed database — a restored dump without them, or the test
runner's truncation between browser tests — must not lose the procedures that results refer to by name.
"""
from __future__ import annotations

SHIPPED = [
    ("ОГЭ", "Основной государственный экзамен, 9 класс"),
    ("ЕГЭ", "Единый государственный экзамен, 11 класс"),
    ("ВПР", "Всероссийские проверочные работы"),
    ("РДР", "Региональные диагностические работы"),
    ("Районная диагностика", "Диагностические работы, проводимые районом"),
]


def create_shipped_procedures(sender=None, *, using="default", apps=None, **kwargs) -> None:
    """post_migrate receiver (and the migration's body): the shipped procedures that are missing."""
    if apps is None:
        from django.apps import apps
    try:
        procedure = apps.get_model("network", "Procedure")
    except LookupError:  # migrating backwards past the model
        return
    existing = set(procedure.objects.using(using).filter(district=None).values_list("name", flat=True))
    procedure.objects.using(using).bulk_create(
        [procedure(district=None, name=name, description=description)
         for name, description in SHIPPED if name not in existing]
    )
