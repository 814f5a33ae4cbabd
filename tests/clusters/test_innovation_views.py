"""Innovation projects: list, page with participants, create/edit/delete, participants add/edit/remove."""
import datetime

import pytest
from django.urls import reverse

from clusters.models import ActivityLevel, InnovationParticipation, InnovationProject
from tests.factories import InnovationProjectFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(district_a, school_a):
    return InnovationProjectFactory(district=district_a, title="Цифровая трансформация", lead_organisation=school_a,
                                    level=ActivityLevel.REGION)


@pytest.fixture
def foreign_project(district_b):
    return InnovationProjectFactory(district=district_b, title="Проект соседнего района")


def project_data(**overrides):
    data = {"title": "Персонализация образования", "lead_organisation": "", "level": ActivityLevel.DISTRICT,
            "starts_on": "01.09.2021", "ends_on": "31.12.2023"}
    data.update(overrides)
    return data


def participate(project, teacher, role=""):
    return InnovationParticipation.objects.create(project=project, teacher=teacher, role=role)


# --- list and page ------------------------------------------------------------------------------


def test_methodist_lists_own_district_projects_with_participant_counts(
    methodist_client, project, foreign_project, school_a
):
    for _ in range(3):
        participate(project, TeacherFactory(organisation=school_a))
    response = methodist_client.get(reverse("clusters:innovation_list"))
    assert response.status_code == 200
    assert [(p, p.participant_count) for p in response.context["object_list"]] == [(project, 3)]


def test_observer_reads_projects(observer_client, project):
    assert observer_client.get(reverse("clusters:innovation_list")).status_code == 200
    assert observer_client.get(reverse("clusters:innovation_detail", args=[project.pk])).status_code == 200


def test_list_filters_by_level_and_year_of_work(methodist_client, district_a, project):
    finished = InnovationProjectFactory(district=district_a, starts_on=datetime.date(2018, 9, 1),
                                        ends_on=datetime.date(2020, 6, 30), level=ActivityLevel.DISTRICT)
    url = reverse("clusters:innovation_list")
    assert list(methodist_client.get(url, {"level": ActivityLevel.REGION}).context["object_list"]) == [project]
    assert list(methodist_client.get(url, {"year": 2019}).context["object_list"]) == [finished]
    assert list(methodist_client.get(url, {"year": 2021}).context["object_list"]) == [project]


def test_list_of_fifty_projects_runs_constant_queries(
    methodist_client, district_a, school_a, django_assert_max_num_queries
):
    for _ in range(50):
        participate(InnovationProjectFactory(district=district_a, lead_organisation=school_a),
                    TeacherFactory(organisation=school_a))
    with django_assert_max_num_queries(9):
        response = methodist_client.get(reverse("clusters:innovation_list"))
    assert len(response.context["object_list"]) == 50


def test_page_lists_participants_with_their_roles(director_client, project, school_b):
    teacher = TeacherFactory(organisation=school_b, full_name="Сидоров Павел Андреевич")
    participate(project, teacher, role="руководитель рабочей группы")
    response = director_client.get(reverse("clusters:innovation_detail", args=[project.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Цифровая трансформация", "регион", "Сидоров Павел Андреевич", "руководитель рабочей группы",
                 school_b.short_name, "01.09.2020"):
        assert text in html


def test_observer_sees_the_participant_count_but_not_names(observer_client, project, school_a):
    participate(project, TeacherFactory(organisation=school_a, full_name="Козлова Елена Андреевна"))
    html = observer_client.get(reverse("clusters:innovation_detail", args=[project.pk])).content.decode()
    assert "Козлова Елена Андреевна" not in html
    assert "Участников: 1" in html


def test_methodist_of_another_district_gets_404(other_methodist_client, project):
    assert other_methodist_client.get(reverse("clusters:innovation_detail", args=[project.pk])).status_code == 404


# --- create / edit / delete ---------------------------------------------------------------------


def test_methodist_creates_a_project_in_own_district(methodist_client, methodist, school_b):
    response = methodist_client.post(reverse("clusters:innovation_create"),
                                     project_data(lead_organisation=school_b.pk))
    project = InnovationProject.objects.get()
    assert response.status_code == 302
    assert response.url == project.get_absolute_url()
    assert (project.district, project.lead_organisation, project.ends_on) == (
        methodist.district, school_b, datetime.date(2023, 12, 31))


def test_project_ending_before_it_starts_is_refused(methodist_client):
    response = methodist_client.post(reverse("clusters:innovation_create"),
                                     project_data(starts_on="01.09.2021", ends_on="01.01.2021"))
    html = response.content.decode()
    assert "Окончание проекта раньше его начала." in html
    assert "Нарушено ограничение" not in html
    assert not InnovationProject.objects.exists()


def test_lead_organisation_of_another_district_is_refused(methodist_client, school_other_district):
    response = methodist_client.post(reverse("clusters:innovation_create"),
                                     project_data(lead_organisation=school_other_district.pk))
    assert "lead_organisation" in response.context["form"].errors
    assert not InnovationProject.objects.exists()


def test_observer_may_not_create_projects(observer_client):
    assert observer_client.post(reverse("clusters:innovation_create"), project_data()).status_code == 403
    assert not InnovationProject.objects.exists()


def test_methodist_edits_a_project(methodist_client, project):
    response = methodist_client.post(reverse("clusters:innovation_update", args=[project.pk]),
                                     project_data(title="Цифровая трансформация ИМЦ", level=ActivityLevel.FEDERAL))
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.level) == ("Цифровая трансформация ИМЦ", ActivityLevel.FEDERAL)


def test_methodist_of_another_district_cannot_edit_or_delete(other_methodist_client, project):
    assert other_methodist_client.post(reverse("clusters:innovation_update", args=[project.pk]),
                                       project_data()).status_code == 404
    assert other_methodist_client.post(reverse("clusters:innovation_delete", args=[project.pk])).status_code == 404
    project.refresh_from_db()
    assert project.title == "Цифровая трансформация"


def test_deleting_a_project_removes_its_participations(methodist_client, project, school_a):
    participate(project, TeacherFactory(organisation=school_a))
    assert methodist_client.post(reverse("clusters:innovation_delete", args=[project.pk])).status_code == 302
    assert not InnovationProject.objects.exists()
    assert not InnovationParticipation.objects.exists()


# --- participants -------------------------------------------------------------------------------


def test_methodist_adds_a_district_teacher_with_a_role(methodist_client, project, school_b):
    teacher = TeacherFactory(organisation=school_b)
    response = methodist_client.post(reverse("clusters:innovation_participant_create", args=[project.pk]),
                                     {"teacher": teacher.pk, "role": "разработчик"})
    assert response.status_code == 302
    assert response.url == project.get_absolute_url()
    participation = InnovationParticipation.objects.get()
    assert (participation.project, participation.teacher, participation.role) == (project, teacher, "разработчик")


def test_teacher_of_another_district_cannot_join(methodist_client, project, school_other_district):
    stranger = TeacherFactory(organisation=school_other_district)
    response = methodist_client.post(reverse("clusters:innovation_participant_create", args=[project.pk]),
                                     {"teacher": stranger.pk, "role": ""})
    assert "teacher" in response.context["form"].errors
    assert not InnovationParticipation.objects.exists()


def test_teacher_already_in_the_project_is_refused(methodist_client, project, school_a):
    teacher = TeacherFactory(organisation=school_a)
    participate(project, teacher)
    response = methodist_client.post(reverse("clusters:innovation_participant_create", args=[project.pk]),
                                     {"teacher": teacher.pk, "role": "эксперт"})
    assert "Педагог уже участвует в этом проекте." in response.content.decode()
    assert InnovationParticipation.objects.count() == 1


def test_participants_of_another_districts_project_cannot_be_added(methodist_client, foreign_project, school_a):
    teacher = TeacherFactory(organisation=school_a)
    response = methodist_client.post(reverse("clusters:innovation_participant_create", args=[foreign_project.pk]),
                                     {"teacher": teacher.pk, "role": ""})
    assert response.status_code == 404
    assert not InnovationParticipation.objects.exists()


def test_director_may_not_add_participants(director_client, project, school_a):
    teacher = TeacherFactory(organisation=school_a)
    response = director_client.post(reverse("clusters:innovation_participant_create", args=[project.pk]),
                                    {"teacher": teacher.pk, "role": ""})
    assert response.status_code == 403
    assert not InnovationParticipation.objects.exists()


def test_methodist_changes_a_participants_role_keeping_the_teacher(methodist_client, project, school_a):
    participation = participate(project, TeacherFactory(organisation=school_a), role="участник")
    response = methodist_client.post(reverse("clusters:innovation_participant_update", args=[participation.pk]),
                                     {"teacher": participation.teacher_id, "role": "координатор"})
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.role == "координатор"


def test_methodist_removes_a_participant(methodist_client, project, school_a):
    participation = participate(project, TeacherFactory(organisation=school_a))
    response = methodist_client.post(reverse("clusters:innovation_participant_delete", args=[participation.pk]))
    assert response.status_code == 302
    assert not InnovationParticipation.objects.exists()


def test_methodist_of_another_district_cannot_remove_a_participant(other_methodist_client, project, school_a):
    participation = participate(project, TeacherFactory(organisation=school_a))
    response = other_methodist_client.post(
        reverse("clusters:innovation_participant_delete", args=[participation.pk]))
    assert response.status_code == 404
    assert InnovationParticipation.objects.filter(pk=participation.pk).exists()


def test_methodist_of_another_district_cannot_change_a_participants_role(other_methodist_client, project, school_a):
    participation = participate(project, TeacherFactory(organisation=school_a), role="участник")
    response = other_methodist_client.post(
        reverse("clusters:innovation_participant_update", args=[participation.pk]),
        {"teacher": participation.teacher_id, "role": "координатор"})
    assert response.status_code == 404
    participation.refresh_from_db()
    assert participation.role == "участник"
