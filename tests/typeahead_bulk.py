"""A district of a few hundred organisations and teachers made by bulk_create, for the type-ahead picker tests
(tests/<app>/test_typeahead_*.py): a page whose picker rendered every row as an <option> shows their names."""
from __future__ import annotations

import re

from clusters.models import Organisation, OrganisationKind, Teacher

BULK = 300
ORGANISATION_PREFIX = "Массовая школа"
TEACHER_PREFIX = "Массовая Педагог"


def bulk_organisations(district, count: int = BULK) -> None:
    Organisation.objects.bulk_create([
        Organisation(district=district, code=f"BULK{i:04d}", short_name=f"{ORGANISATION_PREFIX} {i:04d}",
                     full_name=f"{ORGANISATION_PREFIX} {i:04d}", kind=OrganisationKind.SCHOOL, address="—",
                     is_active=True)
        for i in range(count)])


def bulk_teachers(organisation, count: int = BULK) -> None:
    Teacher.objects.bulk_create([
        Teacher(organisation=organisation, personnel_number=f"B{i:05d}", full_name=f"{TEACHER_PREFIX} {i:05d}",
                position="учитель")
        for i in range(count)])


def option_count(html: str) -> int:
    return len(re.findall(r"<option\b", html))
