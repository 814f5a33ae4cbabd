"""The base of mentors: who reads and writes, the two-step teacher choice, filters and name search."""
from __future__ import annotations

import pytest
from django.urls import reverse

from network.models import MentorProfile
from tests.factories import TeacherFactory
from tests.network.factories import MentorProfileFactory

LIST = reverse("network:mentors")
CREATE = reverse("network:mentor_create")


def names(response) -> list[str]:
    return [m.teacher.full_name for m in response.context["object_list"]]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [
    ("methodist", 200), ("director", 200), ("observer", 200), ("school_admin", 403), ("portal_admin", 403),
])
def test_list_readers(request, persona, status):
    assert request.getfixturevalue(f"{persona}_client").get(LIST).status_code == status


@pytest.mark.django_db
def test_list_shows_only_the_district(school_a, school_other_district, methodist_client):
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_a, full_name="Свой Наставник"))
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_other_district, full_name="Чужой Наставник"))
    assert names(methodist_client.get(LIST)) == ["Свой Наставник"]


@pytest.mark.django_db
def test_name_search_ignores_cyrillic_case_and_yo(school_a, methodist_client):
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_a, full_name="Журавлёва Елена Викторовна"))
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_a, full_name="Петров Иван Сергеевич"))
    assert names(methodist_client.get(LIST, {"q": "журавлева"})) == ["Журавлёва Елена Викторовна"]
    assert names(methodist_client.get(LIST, {"q": "ЖУРАВЛЁВА елена"})) == ["Журавлёва Елена Викторовна"]
    assert names(methodist_client.get(LIST, {"q": "петров"})) == ["Петров Иван Сергеевич"]


@pytest.mark.django_db
def test_filters_subject_and_organisation(school_a, school_b, methodist_client):
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_a, full_name="А"), subjects="Математика, Физика")
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_b, full_name="Б"), subjects="Химия")
    MentorProfileFactory(teacher=TeacherFactory(organisation=school_b, full_name="В"), subjects="Физическая культура")
    # «Физика» is a whole subject of the list, not a substring of «Физическая культура»
    assert names(methodist_client.get(LIST, {"subject": "Физика"})) == ["А"]
    assert names(methodist_client.get(LIST, {"organisation": school_b.pk})) == ["Б", "В"]


@pytest.mark.django_db
def test_create_in_two_steps_organisation_then_its_teachers(school_a, school_b, methodist_client):
    teacher = TeacherFactory(organisation=school_a, full_name="Сидорова Анна")
    TeacherFactory(organisation=school_b, full_name="Другая Школа")
    first = methodist_client.get(CREATE)
    assert "mentor-organisation-form" in first.content.decode()
    assert list(first.context["form"].fields["teacher"].queryset) == []  # no district-wide select
    second = methodist_client.get(CREATE, {"organisation": school_a.pk})
    assert [t.full_name for t in second.context["form"].fields["teacher"].queryset] == ["Сидорова Анна"]

    response = methodist_client.post(CREATE, {"organisation": school_a.pk, "teacher": teacher.pk,
                                              "subjects": "математика, Математика , физика",
                                              "competencies": "ОГЭ", "is_active": "on"})
    assert response.status_code == 302 and response["Location"] == LIST
    profile = MentorProfile.objects.get()
    assert profile.teacher == teacher and profile.subjects == "математика, физика"


@pytest.mark.django_db
def test_create_refuses_another_districts_teacher(school_other_district, methodist_client):
    foreign = TeacherFactory(organisation=school_other_district)
    response = methodist_client.post(CREATE, {"organisation": school_other_district.pk, "teacher": foreign.pk,
                                              "subjects": "Математика", "is_active": "on"})
    assert response.status_code == 200 and response.context["form"].errors["teacher"]
    assert not MentorProfile.objects.exists()


@pytest.mark.django_db
def test_create_refused_to_school_admin_and_director(school_a, school_admin_client, director_client):
    teacher = TeacherFactory(organisation=school_a)
    for client in (school_admin_client, director_client):
        assert client.post(CREATE, {"organisation": school_a.pk, "teacher": teacher.pk,
                                    "subjects": "Математика"}).status_code == 403
    assert not MentorProfile.objects.exists()


@pytest.mark.django_db
def test_update_and_delete_by_methodist_refused_elsewhere(school_a, methodist_client, other_methodist_client,
                                                          observer_client):
    profile = MentorProfileFactory(teacher=TeacherFactory(organisation=school_a))
    update = reverse("network:mentor_update", args=[profile.pk])
    delete = reverse("network:mentor_delete", args=[profile.pk])
    data = {"subjects": "История", "competencies": "Проекты", "is_active": ""}

    assert observer_client.post(update, data).status_code == 403
    assert other_methodist_client.post(update, data).status_code == 404
    assert other_methodist_client.post(delete).status_code == 404

    assert methodist_client.post(update, data).status_code == 302
    profile.refresh_from_db()
    assert profile.subjects == "История" and profile.is_active is False

    assert methodist_client.post(delete).status_code == 302
    assert not MentorProfile.objects.exists()


@pytest.mark.django_db
def test_a_teacher_is_in_the_base_once(school_a, methodist_client):
    teacher = TeacherFactory(organisation=school_a)
    MentorProfileFactory(teacher=teacher)
    response = methodist_client.get(CREATE, {"organisation": school_a.pk})
    assert teacher not in response.context["form"].fields["teacher"].queryset
