"""Mentorships: pairs of a mentor and a (usually young) teacher of one district."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clusters.models import Mentorship
from tests.factories import MentorshipFactory, TeacherFactory

pytestmark = pytest.mark.django_db

SELF_PAIR = "Наставник и наставляемый должны быть разными педагогами."


@pytest.fixture
def mentor(school_a):
    return TeacherFactory(organisation=school_a, full_name="Петрова Ольга Ивановна", birth_year=1970)


@pytest.fixture
def young_teacher(school_b):
    return TeacherFactory(organisation=school_b, full_name="Смирнов Илья Олегович",
                          birth_year=timezone.localdate().year - 24)


@pytest.fixture
def pair(mentor, young_teacher):
    return MentorshipFactory(mentor=mentor, mentee=young_teacher, starts_on=datetime.date(2021, 9, 1))


def pair_data(mentor, mentee, **overrides):
    data = {"mentor": mentor.pk, "mentee": mentee.pk, "starts_on": "01.09.2021", "ends_on": "", "notes": ""}
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_methodist_lists_the_districts_pairs_only(methodist_client, pair, school_other_district):
    MentorshipFactory(mentor__organisation=school_other_district)
    response = methodist_client.get(reverse("clusters:mentorship_list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [pair]


def test_list_marks_a_young_mentee(director_client, pair, mentor, school_a):
    MentorshipFactory(mentor=TeacherFactory(organisation=school_a), mentee=TeacherFactory(organisation=school_a,
                      birth_year=1975))
    response = director_client.get(reverse("clusters:mentorship_list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="young"') == 1


def test_school_admin_reads_pairs_touching_own_school_without_edit_buttons(
    school_admin_client, other_school_admin_client, pair, school_b
):
    elsewhere = MentorshipFactory(mentor=TeacherFactory(organisation=school_b))
    own = school_admin_client.get(reverse("clusters:mentorship_list"))
    assert list(own.context["object_list"]) == [pair]  # the mentor works in school A
    assert reverse("clusters:mentorship_update", args=[pair.pk]) not in own.content.decode()
    assert set(other_school_admin_client.get(reverse("clusters:mentorship_list")).context["object_list"]) == {
        pair, elsewhere}  # the mentee of `pair` works in school B


def test_filters_by_young_mentee_current_pairs_and_organisation(methodist_client, pair, school_a, school_b):
    ended = MentorshipFactory(mentor=TeacherFactory(organisation=school_a), mentee=TeacherFactory(
        organisation=school_a, birth_year=1980), ends_on=datetime.date(2022, 6, 30))
    url = reverse("clusters:mentorship_list")
    assert list(methodist_client.get(url, {"young_mentee": "true"}).context["object_list"]) == [pair]
    assert list(methodist_client.get(url, {"young_mentee": "false"}).context["object_list"]) == [ended]
    assert list(methodist_client.get(url, {"current": "true"}).context["object_list"]) == [pair]
    assert list(methodist_client.get(url, {"current": "false"}).context["object_list"]) == [ended]
    assert list(methodist_client.get(url, {"organisation": school_b.pk}).context["object_list"]) == [pair]


def test_list_of_fifty_pairs_runs_constant_queries(methodist_client, school_a, django_assert_max_num_queries):
    for _ in range(50):
        MentorshipFactory(mentor=TeacherFactory(organisation=school_a))
    with django_assert_max_num_queries(9):
        response = methodist_client.get(reverse("clusters:mentorship_list"))
    assert len(response.context["object_list"]) == 50


# --- create / edit / delete ---------------------------------------------------------------------


def test_methodist_pairs_two_teachers_of_the_district(methodist_client, mentor, young_teacher):
    response = methodist_client.post(reverse("clusters:mentorship_create"),
                                     pair_data(mentor, young_teacher, notes="«Молодые — молодым»"))
    assert response.status_code == 302
    created = Mentorship.objects.get()
    assert (created.mentor, created.mentee, created.starts_on) == (mentor, young_teacher, datetime.date(2021, 9, 1))


def test_a_teacher_cannot_mentor_themself(methodist_client, mentor):
    response = methodist_client.post(reverse("clusters:mentorship_create"), pair_data(mentor, mentor))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [SELF_PAIR]}
    assert SELF_PAIR in html
    assert "Нарушено ограничение" not in html
    assert not Mentorship.objects.exists()


def test_editing_a_pair_into_a_self_pair_says_so_once(methodist_client, pair, young_teacher):
    response = methodist_client.post(reverse("clusters:mentorship_update", args=[pair.pk]),
                                     pair_data(young_teacher, young_teacher))
    html = response.content.decode()
    assert response.context["form"].errors == {"__all__": [SELF_PAIR]}
    assert "Нарушено ограничение" not in html
    pair.refresh_from_db()
    assert pair.mentor_id != pair.mentee_id


def test_mentee_of_another_district_is_refused(methodist_client, mentor, school_other_district):
    stranger = TeacherFactory(organisation=school_other_district)
    response = methodist_client.post(reverse("clusters:mentorship_create"), pair_data(mentor, stranger))
    assert response.status_code == 200
    assert "mentee" in response.context["form"].errors
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Mentorship.objects.exists()


def test_pair_ending_before_it_starts_is_refused(methodist_client, mentor, young_teacher):
    response = methodist_client.post(reverse("clusters:mentorship_create"),
                                     pair_data(mentor, young_teacher, starts_on="01.09.2021", ends_on="01.06.2021"))
    html = response.content.decode()
    assert "Окончание наставничества раньше его начала." in html
    assert "Нарушено ограничение" not in html
    assert not Mentorship.objects.exists()


def test_mentee_choices_name_young_teachers(methodist_client, young_teacher, mentor):
    form = methodist_client.get(reverse("clusters:mentorship_create")).context["form"]
    labels = dict(form.fields["mentee"].choices)
    assert labels[young_teacher.pk] == f"Смирнов Илья Олегович ({young_teacher.organisation.short_name}) — молодой педагог"
    assert labels[mentor.pk] == f"Петрова Ольга Ивановна ({mentor.organisation.short_name})"


def test_school_admin_may_not_create_pairs(school_admin_client, mentor, school_a):
    mentee = TeacherFactory(organisation=school_a)
    response = school_admin_client.post(reverse("clusters:mentorship_create"), pair_data(mentor, mentee))
    assert response.status_code == 403
    assert not Mentorship.objects.exists()


def test_methodist_records_the_end_of_a_pair(methodist_client, pair, mentor, young_teacher):
    response = methodist_client.post(reverse("clusters:mentorship_update", args=[pair.pk]),
                                     pair_data(mentor, young_teacher, ends_on="30.06.2022"))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.ends_on == datetime.date(2022, 6, 30)


def test_methodist_of_another_district_cannot_edit_or_delete(other_methodist_client, pair):
    assert other_methodist_client.get(reverse("clusters:mentorship_update", args=[pair.pk])).status_code == 404
    assert other_methodist_client.post(reverse("clusters:mentorship_delete", args=[pair.pk])).status_code == 404
    assert Mentorship.objects.filter(pk=pair.pk).exists()


def test_methodist_deletes_a_pair(methodist_client, pair):
    assert methodist_client.post(reverse("clusters:mentorship_delete", args=[pair.pk])).status_code == 302
    assert not Mentorship.objects.exists()
