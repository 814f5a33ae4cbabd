import pytest
from django.urls import reverse

from clusters.models import Teacher
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


def _teacher_post(organisation, **overrides):
    data = {
        "organisation": organisation.pk, "personnel_number": "777", "full_name": "Петрова Ольга Ивановна",
        "position": "учитель", "subject_area": "физика", "experience_years": 12, "birth_year": 1985,
        "category": "first", "education": "higher", "is_active": "on",
    }
    data.update(overrides)
    return data


def test_school_admin_lists_only_own_teachers(school_admin_client, school_a, school_b):
    own = TeacherFactory(organisation=school_a)
    TeacherFactory(organisation=school_b)
    response = school_admin_client.get(reverse("clusters:teacher_list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [own]


def test_school_admin_gets_404_for_other_school_teacher(school_admin_client, school_b):
    stranger = TeacherFactory(organisation=school_b)
    assert school_admin_client.get(reverse("clusters:teacher_detail", args=[stranger.pk])).status_code == 404
    assert school_admin_client.get(reverse("clusters:teacher_update", args=[stranger.pk])).status_code == 404


def test_school_admin_adds_teacher_to_own_school_even_if_posting_another(school_admin_client, school_a, school_b):
    response = school_admin_client.post(reverse("clusters:teacher_create"), _teacher_post(school_b))
    assert response.status_code == 302
    teacher = Teacher.objects.get(personnel_number="777")
    assert teacher.organisation == school_a  # the organisation field is fixed for a school admin


def test_methodist_cannot_add_teacher_to_other_district(methodist_client, school_other_district):
    response = methodist_client.post(reverse("clusters:teacher_create"), _teacher_post(school_other_district))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Teacher.objects.filter(personnel_number="777").exists()


def test_duplicate_personnel_number_in_one_school_is_refused(methodist_client, school_a):
    TeacherFactory(organisation=school_a, personnel_number="777")
    response = methodist_client.post(reverse("clusters:teacher_create"), _teacher_post(school_a))
    assert response.status_code == 200
    assert "уже существует" in response.content.decode()
    assert Teacher.objects.filter(personnel_number="777").count() == 1


def test_birth_year_out_of_range_is_refused(methodist_client, school_a):
    response = methodist_client.post(reverse("clusters:teacher_create"), _teacher_post(school_a, birth_year=1850))
    assert response.status_code == 200
    assert "birth_year" in response.context["form"].errors


def test_teacher_filter_by_organisation(director_client, school_a, school_b):
    TeacherFactory.create_batch(2, organisation=school_a)
    TeacherFactory(organisation=school_b)
    response = director_client.get(reverse("clusters:teacher_list"), {"organisation": school_a.pk})
    assert {t.organisation_id for t in response.context["object_list"]} == {school_a.pk}
    assert len(response.context["object_list"]) == 2


def test_teacher_list_of_fifty_rows_runs_constant_queries(methodist_client, school_a, django_assert_max_num_queries):
    TeacherFactory.create_batch(50, organisation=school_a)
    with django_assert_max_num_queries(9):
        response = methodist_client.get(reverse("clusters:teacher_list"))
    assert len(response.context["object_list"]) == 50


def test_young_teacher_flag(school_a):
    from django.utils import timezone

    this_year = timezone.localdate().year
    assert TeacherFactory(organisation=school_a, birth_year=this_year - 30).is_young
    assert not TeacherFactory(organisation=school_a, birth_year=this_year - 35).is_young
