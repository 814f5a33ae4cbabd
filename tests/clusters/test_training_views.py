"""Professional development: completions of courses and the course catalogue."""
import datetime

import pytest
from django.urls import reverse

from clusters.models import TrainingCompletion, TrainingProgram
from tests.factories import TeacherFactory, TrainingCompletionFactory, TrainingProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(district_a):
    return TrainingProgramFactory(title="Формирование функциональной грамотности", hours=72, district=district_a)


def completion_data(teacher, program, **overrides):
    data = {"teacher": teacher.pk, "program": program.pk, "completed_on": "17.12.2021",
            "based_on_diagnostics": "on", "certificate_number": "780400012345"}
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_methodist_lists_the_districts_completions_only(methodist_client, teacher_a, teacher_b, foreign_teacher):
    own = [TrainingCompletionFactory(teacher=teacher_a), TrainingCompletionFactory(teacher=teacher_b)]
    TrainingCompletionFactory(teacher=foreign_teacher)
    response = methodist_client.get(reverse("clusters:training_list"))
    assert response.status_code == 200
    assert set(response.context["object_list"]) == set(own)


def test_school_admin_lists_only_own_teachers_completions(school_admin_client, teacher_a, teacher_b):
    own = TrainingCompletionFactory(teacher=teacher_a)
    TrainingCompletionFactory(teacher=teacher_b)
    response = school_admin_client.get(reverse("clusters:training_list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [own]


def test_director_reads_but_gets_no_edit_buttons(director_client, teacher_a):
    completion = TrainingCompletionFactory(teacher=teacher_a)
    response = director_client.get(reverse("clusters:training_list"))
    assert response.status_code == 200
    assert reverse("clusters:training_update", args=[completion.pk]) not in response.content.decode()


def test_list_filters_by_organisation_year_and_diagnostics(methodist_client, school_a, teacher_a, teacher_b):
    hit = TrainingCompletionFactory(teacher=teacher_a, completed_on=datetime.date(2021, 5, 20),
                                    based_on_diagnostics=True)
    TrainingCompletionFactory(teacher=teacher_a, completed_on=datetime.date(2020, 5, 20), based_on_diagnostics=True)
    TrainingCompletionFactory(teacher=teacher_a, completed_on=datetime.date(2021, 3, 1), based_on_diagnostics=False)
    TrainingCompletionFactory(teacher=teacher_b, completed_on=datetime.date(2021, 5, 20), based_on_diagnostics=True)
    response = methodist_client.get(
        reverse("clusters:training_list"),
        {"organisation": school_a.pk, "year": 2021, "based_on_diagnostics": "true"},
    )
    assert list(response.context["object_list"]) == [hit]


def test_list_of_fifty_completions_runs_constant_queries(
    methodist_client, school_a, program, django_assert_max_num_queries
):
    for n in range(50):
        TrainingCompletionFactory(teacher=TeacherFactory(organisation=school_a), program=program,
                                  completed_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    with django_assert_max_num_queries(9):
        response = methodist_client.get(reverse("clusters:training_list"))
    assert len(response.context["object_list"]) == 50


# --- create / edit / delete ---------------------------------------------------------------------


def test_methodist_records_a_completion(methodist_client, teacher_b, program):
    response = methodist_client.post(reverse("clusters:training_create"), completion_data(teacher_b, program))
    assert response.status_code == 302
    completion = TrainingCompletion.objects.get()
    assert (completion.teacher, completion.program, completion.completed_on, completion.based_on_diagnostics) == (
        teacher_b, program, datetime.date(2021, 12, 17), True)


def test_completion_in_the_future_is_refused(methodist_client, teacher_a, program):
    response = methodist_client.post(reverse("clusters:training_create"),
                                     completion_data(teacher_a, program, completed_on="01.01.2099"))
    assert response.status_code == 200
    assert "Дата окончания курса ещё не наступила." in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_unreadable_date_is_refused_in_russian(methodist_client, teacher_a, program):
    response = methodist_client.post(reverse("clusters:training_create"),
                                     completion_data(teacher_a, program, completed_on="32.13.2021"))
    assert "Введите правильную дату." in response.content.decode()
    assert not TrainingCompletion.objects.exists()


def test_same_course_twice_on_one_day_is_refused(methodist_client, teacher_a, program):
    TrainingCompletionFactory(teacher=teacher_a, program=program, completed_on=datetime.date(2021, 12, 17))
    response = methodist_client.post(reverse("clusters:training_create"), completion_data(teacher_a, program))
    assert "уже существует" in response.content.decode()
    assert TrainingCompletion.objects.count() == 1


def test_teacher_of_another_district_cannot_be_posted(methodist_client, foreign_teacher, program):
    response = methodist_client.post(reverse("clusters:training_create"), completion_data(foreign_teacher, program))
    assert response.status_code == 200
    assert "teacher" in response.context["form"].errors
    assert not TrainingCompletion.objects.exists()


def test_school_admin_records_a_course_of_own_teacher(school_admin_client, teacher_a, program):
    response = school_admin_client.post(reverse("clusters:training_create"), completion_data(teacher_a, program))
    assert response.status_code == 302
    assert TrainingCompletion.objects.get().teacher == teacher_a


def test_school_admin_cannot_record_another_schools_teacher(school_admin_client, teacher_b, program):
    response = school_admin_client.post(reverse("clusters:training_create"), completion_data(teacher_b, program))
    assert response.status_code == 200
    assert "teacher" in response.context["form"].errors
    assert not TrainingCompletion.objects.exists()


def test_school_admin_is_offered_only_own_teachers(school_admin_client, teacher_a, teacher_b):
    form = school_admin_client.get(reverse("clusters:training_create")).context["form"]
    assert list(form.fields["teacher"].queryset) == [teacher_a]


def test_teacher_page_link_preselects_the_teacher(methodist_client, teacher_a):
    response = methodist_client.get(reverse("clusters:training_create"), {"teacher": teacher_a.pk})
    assert response.context["form"].initial["teacher"] == teacher_a.pk


def test_director_may_not_record_courses(director_client, teacher_a, program):
    response = director_client.post(reverse("clusters:training_create"), completion_data(teacher_a, program))
    assert response.status_code == 403
    assert not TrainingCompletion.objects.exists()


def test_school_admin_edits_own_teachers_completion(school_admin_client, teacher_a, program):
    completion = TrainingCompletionFactory(teacher=teacher_a, program=program)
    response = school_admin_client.post(
        reverse("clusters:training_update", args=[completion.pk]),
        completion_data(teacher_a, program, certificate_number="НОВЫЙ-1", based_on_diagnostics=""),
    )
    assert response.status_code == 302
    completion.refresh_from_db()
    assert (completion.certificate_number, completion.based_on_diagnostics) == ("НОВЫЙ-1", False)


def test_another_schools_admin_cannot_edit_or_delete_it(other_school_admin_client, teacher_a):
    completion = TrainingCompletionFactory(teacher=teacher_a)
    assert other_school_admin_client.get(reverse("clusters:training_update", args=[completion.pk])).status_code == 404
    assert other_school_admin_client.post(reverse("clusters:training_delete", args=[completion.pk])).status_code == 404
    assert TrainingCompletion.objects.filter(pk=completion.pk).exists()


def test_methodist_deletes_a_completion(methodist_client, teacher_b):
    completion = TrainingCompletionFactory(teacher=teacher_b)
    response = methodist_client.post(reverse("clusters:training_delete", args=[completion.pk]))
    assert response.status_code == 302
    assert not TrainingCompletion.objects.exists()


def test_methodist_of_another_district_cannot_delete(other_methodist_client, teacher_a):
    completion = TrainingCompletionFactory(teacher=teacher_a)
    assert other_methodist_client.post(reverse("clusters:training_delete", args=[completion.pk])).status_code == 404
    assert TrainingCompletion.objects.filter(pk=completion.pk).exists()


# --- the course catalogue -----------------------------------------------------------------------


def test_catalogue_counts_completions_of_the_users_own_scope(
    methodist_client, school_admin_client, program, teacher_a, teacher_b, foreign_teacher
):
    for teacher in (teacher_a, teacher_b, foreign_teacher):
        TrainingCompletionFactory(teacher=teacher, program=program)
    by_methodist = methodist_client.get(reverse("clusters:training_program_list")).context["object_list"]
    by_school = school_admin_client.get(reverse("clusters:training_program_list")).context["object_list"]
    assert [(p, p.completion_count) for p in by_methodist] == [(program, 2)]  # district A: teachers A and B
    assert [(p, p.completion_count) for p in by_school] == [(program, 1)]  # school A: teacher A


def test_methodist_adds_a_programme(methodist_client):
    response = methodist_client.post(reverse("clusters:training_program_create"),
                                     {"title": "Цифровая грамотность педагога", "hours": 36, "provider": "ЛОИРО"})
    assert response.status_code == 302
    created = TrainingProgram.objects.get()
    assert (created.hours, created.district.code) == (36, "frunzensky")


def test_programme_without_hours_is_refused(methodist_client):
    response = methodist_client.post(reverse("clusters:training_program_create"),
                                     {"title": "Курс", "hours": 0, "provider": "ЛОИРО"})
    assert "больше либо равно 1" in response.content.decode()
    assert not TrainingProgram.objects.exists()


def test_school_admin_may_not_add_programmes(school_admin_client):
    response = school_admin_client.post(reverse("clusters:training_program_create"),
                                        {"title": "Курс", "hours": 36, "provider": "ЛОИРО"})
    assert response.status_code == 403
    assert not TrainingProgram.objects.exists()


def test_methodist_edits_a_programme(methodist_client, program):
    response = methodist_client.post(reverse("clusters:training_program_update", args=[program.pk]),
                                     {"title": program.title, "hours": 36, "provider": "ИМЦ"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.hours, program.provider) == (36, "ИМЦ")


def test_programme_somebody_completed_is_kept_with_a_message(methodist_client, program, teacher_a):
    TrainingCompletionFactory(teacher=teacher_a, program=program)
    response = methodist_client.post(reverse("clusters:training_program_delete", args=[program.pk]), follow=True)
    assert "Нельзя удалить" in response.content.decode()
    assert TrainingProgram.objects.filter(pk=program.pk).exists()


def test_unused_programme_is_deleted(methodist_client, program):
    response = methodist_client.post(reverse("clusters:training_program_delete", args=[program.pk]))
    assert response.status_code == 302
    assert not TrainingProgram.objects.exists()


def test_only_methodists_change_or_delete_programmes(school_admin_client, director_client, program):
    response = school_admin_client.post(reverse("clusters:training_program_update", args=[program.pk]),
                                        {"title": "Чужое название", "hours": 36, "provider": "ОУ"})
    assert response.status_code == 403
    assert director_client.post(reverse("clusters:training_program_delete", args=[program.pk])).status_code == 403
    program.refresh_from_db()
    assert program.title == "Формирование функциональной грамотности"


def test_another_districts_methodist_cannot_change_the_programme(other_methodist_client, program):
    url = reverse("clusters:training_program_update", args=[program.pk])
    response = other_methodist_client.post(url, {"title": "Чужое", "hours": 1, "provider": "X"})
    assert response.status_code == 404
    assert other_methodist_client.post(reverse("clusters:training_program_delete", args=[program.pk])).status_code == 404
    program.refresh_from_db()
    assert (program.title, program.hours) == ("Формирование функциональной грамотности", 72)


def test_shared_catalogue_is_read_only_but_usable(methodist_client, teacher_a):
    shared = TrainingProgramFactory(title="Общая программа", district=None)
    assert methodist_client.get(reverse("clusters:training_program_update", args=[shared.pk])).status_code == 404
    response = methodist_client.post(reverse("clusters:training_create"), {
        "teacher": teacher_a.pk, "program": shared.pk, "completed_on": "20.05.2021", "based_on_diagnostics": "on",
    })
    assert response.status_code == 302
    assert teacher_a.training_completions.get().program == shared
