"""A bulk insert of searched rows leaves no entries in the GIN pending list of the trigram index (issue 15.3):
every search would read that list in full until VACUUM merged it (core.search.flush_search_index)."""
import pytest
from django.db import connection

from clusters.models import Teacher
from core.search import GIN_FLUSH_ROWS, flush_search_index
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def pending_pages(index: str) -> int:
    """Pages merged by a second gin_clean_pending_list: 0 when nothing was left pending."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        return cursor.fetchone()[0]


def teachers(organisation, count: int, prefix: str) -> list[Teacher]:
    return [Teacher(organisation=organisation, personnel_number=f"{prefix}{n}", full_name=f"Иванов Иван {prefix}{n}",
                    position="учитель") for n in range(count)]


def test_bulk_insert_merges_the_trigram_index(district_a):
    if connection.vendor != "postgresql":
        flush_search_index(Teacher)  # nothing to do elsewhere, and no error
        pytest.skip("GIN and pg_trgm are PostgreSQL's")
    school = OrganisationFactory(district=district_a)
    Teacher.objects.bulk_create(teachers(school, GIN_FLUSH_ROWS - 1, "a"))  # a small insert stays pending
    assert pending_pages("clusters_teacher_search_trgm") > 0
    Teacher.objects.bulk_create(teachers(school, GIN_FLUSH_ROWS, "b"))
    assert pending_pages("clusters_teacher_search_trgm") == 0
    assert Teacher.objects.filter(search_text__contains="иванов иван b1").count() == 111  # b1, b10–b19, b100–b199
