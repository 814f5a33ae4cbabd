"""Fixtures of the registry tests (clusters): teachers of the personas' schools.

The districts, schools and personas (district_a, school_a, methodist_client …) are
tests/conftest.py's; registry rows are made with tests/factories.py.
"""
import pytest

from tests.factories import TeacherFactory


@pytest.fixture
def teacher_a(school_a):
    """A teacher of school A (school_admin's school)."""
    return TeacherFactory(organisation=school_a, full_name="Петрова Ольга Ивановна")


@pytest.fixture
def teacher_b(school_b):
    """A teacher of school B in the same district (other_school_admin's school)."""
    return TeacherFactory(organisation=school_b, full_name="Сидоров Павел Андреевич")


@pytest.fixture
def foreign_teacher(school_other_district):
    """A teacher of district B, out of every district-A persona's reach."""
    return TeacherFactory(organisation=school_other_district, full_name="Чужой Педагог Соседнего Района")
