"""The demo loader writes the registry with bulk_create; every row it wrote must carry its search text
(core/search.py), or the lists would find nothing in a freshly loaded demo."""
import pytest

from clusters.models import Cluster, Community, Event, Organisation, Teacher, TrainingProgram
from core.search import matching

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


@pytest.mark.parametrize("model", [Organisation, Teacher, Cluster, Community, TrainingProgram, Event])
def test_every_demo_row_has_its_search_text(model):
    assert model.objects.exists()
    assert not model.objects.filter(search_text="").exists()


def test_demo_teachers_are_found_in_lower_case_and_without_yo():
    teacher = Teacher.objects.filter(full_name__contains="ё").first() or Teacher.objects.first()
    surname = teacher.full_name.split()[0]
    lowered = surname.lower().replace("ё", "е")
    assert teacher in matching(Teacher.objects.all(), lowered)
    assert teacher in matching(Teacher.objects.all(), " ".join(reversed(teacher.full_name.split())).upper())
