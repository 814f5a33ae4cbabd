"""Type-ahead pickers (issue 14.2): the search endpoint and the forms that carry only the chosen option.

Before: the mentorship form rendered two <select>s of every teacher of the district (453 KB with the
demo's 2,833), scope pickers 141 options with no search; there was no endpoint. The endpoint
answers from the user's scope only and matches with core.search, so it finds on SQLite and
PostgreSQL alike (the same tests run on both: `DATABASE_URL=postgres://… pytest tests/clusters`).
"""
import pytest
from django.urls import reverse

from clusters.models import Mentorship, Teacher
from tests.factories import ClusterFactory, OrganisationFactory, TeacherFactory

pytestmark = pytest.mark.django_db

DEMO_SIZE = 3_000
PAGE_BUDGET = 100 * 1024


def search(client, kind, query, **params):
    response = client.get(reverse("clusters:typeahead", args=[kind]), {"q": query, **params})
    return response


def names(response) -> set[str]:
    assert response.status_code == 200
    return {row["text"].split(" (")[0] for row in response.json()["results"]}


@pytest.fixture
def teachers(school_a, school_b, school_other_district):
    return {
        "irina": TeacherFactory(organisation=school_a, full_name="Абрамова Ирина Сергеевна"),
        "olga": TeacherFactory(organisation=school_b, full_name="Абрамова Ольга Петровна"),
        "zhuravleva": TeacherFactory(organisation=school_a, full_name="Журавлёва Анна Викторовна"),
        "other": TeacherFactory(organisation=school_a, full_name="Петров Иван Ильич"),
        "left": TeacherFactory(organisation=school_a, full_name="Абрамова Вера Олеговна", is_active=False),
        "foreign": TeacherFactory(organisation=school_other_district, full_name="Абрамова Нина Ивановна"),
    }


# --- the endpoint: Cyrillic case, «ё», word order, part of a word ---------------------------------


@pytest.mark.parametrize("query, expected", [
    ("абрамова", {"Абрамова Ирина Сергеевна", "Абрамова Ольга Петровна", "Абрамова Вера Олеговна"}),
    ("АБРАМ", {"Абрамова Ирина Сергеевна", "Абрамова Ольга Петровна", "Абрамова Вера Олеговна"}),
    ("журавлева", {"Журавлёва Анна Викторовна"}),
    ("Журавлёва", {"Журавлёва Анна Викторовна"}),
    ("Ирина Абрамова", {"Абрамова Ирина Сергеевна"}),
    ("ирин абрам", {"Абрамова Ирина Сергеевна"}),
])
def test_teacher_search_folds_case_yo_and_word_order(methodist_client, teachers, query, expected):
    assert names(search(methodist_client, "teachers", query)) == expected


def test_write_mode_offers_working_teachers_only_as_the_form_does(methodist_client, teachers):
    assert names(search(methodist_client, "teachers", "абрамова", mode="write")) == {
        "Абрамова Ирина Сергеевна", "Абрамова Ольга Петровна"}


def test_answer_names_the_organisation_and_the_id(methodist_client, teachers, school_a):
    rows = search(methodist_client, "teachers", "ирина").json()["results"]
    assert rows == [{"id": teachers["irina"].pk, "text": f"Абрамова Ирина Сергеевна ({school_a.short_name})"}]


def test_answer_is_capped_at_twenty_and_says_there_is_more(methodist_client, school_a):
    Teacher.objects.bulk_create([
        Teacher(organisation=school_a, personnel_number=f"N{i}", full_name=f"Абрамова {i:02d}", position="учитель")
        for i in range(25)])
    data = search(methodist_client, "teachers", "абрам").json()
    assert len(data["results"]) == 20 and data["more"] is True
    assert search(methodist_client, "teachers", "абрамова 07").json() == {
        "results": [{"id": Teacher.objects.get(full_name="Абрамова 07").pk, "text": f"Абрамова 07 ({school_a.short_name})"}],
        "more": False}


# --- the endpoint: scope ------------------------------------------------------------------------


def test_another_districts_methodist_gets_none_of_district_a(other_methodist_client, teachers):
    assert names(search(other_methodist_client, "teachers", "абрамова")) == {"Абрамова Нина Ивановна"}


def test_school_admin_gets_own_organisations_teachers_only(school_admin_client, other_school_admin_client, teachers):
    assert names(search(school_admin_client, "teachers", "абрамова")) == {
        "Абрамова Ирина Сергеевна", "Абрамова Вера Олеговна"}
    assert names(search(other_school_admin_client, "teachers", "абрамова")) == {"Абрамова Ольга Петровна"}


def test_observer_is_refused_teachers_but_may_search_organisations(observer_client, teachers, school_a):
    assert search(observer_client, "teachers", "абрамова").status_code == 403
    found = search(observer_client, "organisations", school_a.short_name.lower()).json()["results"]
    assert [row["id"] for row in found] == [school_a.pk]


def test_anonymous_is_sent_to_login(anonymous, teachers):
    response = search(anonymous, "teachers", "абрамова")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unknown_list_is_404(methodist_client):
    assert search(methodist_client, "passwords", "a").status_code == 404


def test_organisation_search_is_scoped(methodist_client, other_methodist_client, school_a, school_b,
                                       school_other_district):
    own = {row["id"] for row in search(methodist_client, "organisations", "").json()["results"]}
    assert own == {school_a.pk, school_b.pk}
    other = {row["id"] for row in search(other_methodist_client, "organisations", "").json()["results"]}
    assert other == {school_other_district.pk}


def test_scope_search_gives_scope_keys_of_own_district(methodist_client, district_a, school_a, school_other_district):
    ClusterFactory(district=district_a, name="Северный", year=2021)
    rows = search(methodist_client, "scopes", "северн").json()["results"]
    assert [row["id"] for row in rows] == [f"cluster:{district_a.clusters.get().pk}"]
    keys = {row["id"] for row in search(methodist_client, "scopes", "").json()["results"]}
    assert f"organisation:{school_a.pk}" in keys and f"organisation:{school_other_district.pk}" not in keys
    assert "district" in keys


def test_scope_search_refuses_a_school_admin(school_admin_client):
    assert search(school_admin_client, "scopes", "").status_code == 403


# --- the mentorship form ------------------------------------------------------------------------


@pytest.fixture
def district_of_3000(school_a, school_b):
    """The demo's size: ~3,000 teachers in one district (bulk_create, as the imports write them)."""
    Teacher.objects.bulk_create([
        Teacher(organisation=school_a if i % 2 else school_b, personnel_number=f"P{i:05d}",
                full_name=f"Кузнецова Мария Александровна {i:05d}", position="учитель начальных классов",
                subject_area="начальные классы")
        for i in range(DEMO_SIZE)])


def test_mentorship_form_is_under_100_kb_with_3000_teachers(methodist_client, district_of_3000):
    response = methodist_client.get(reverse("clusters:mentorship_create"))
    assert response.status_code == 200
    assert len(response.content) < PAGE_BUDGET
    html = response.content.decode()
    assert 'data-typeahead="/registry/typeahead/teachers/?mode=write"' in html
    assert "Кузнецова Мария Александровна" not in html  # no teacher is rendered as an option


def test_mentorship_edit_renders_only_the_chosen_pair(methodist_client, district_of_3000):
    mentor, mentee = Teacher.objects.order_by("pk")[:2]
    pair = Mentorship.objects.create(mentor=mentor, mentee=mentee, starts_on="2021-09-01")
    response = methodist_client.get(reverse("clusters:mentorship_update", args=[pair.pk]))
    assert response.status_code == 200 and len(response.content) < PAGE_BUDGET
    html = response.content.decode()
    assert html.count("<option") == 4  # an empty choice and the chosen teacher, in each of the two pickers
    assert f'value="{mentor.pk}" selected' in html and f'value="{mentee.pk}" selected' in html


def test_mentorship_saves_a_picked_teacher(methodist_client, teachers):
    response = methodist_client.post(reverse("clusters:mentorship_create"), {
        "mentor": teachers["olga"].pk, "mentee": teachers["irina"].pk, "starts_on": "01.09.2021"})
    assert response.status_code == 302
    assert Mentorship.objects.get().mentee == teachers["irina"]


@pytest.mark.parametrize("outsider", ["foreign", "left"])
def test_mentorship_refuses_a_teacher_outside_the_scope(methodist_client, teachers, outsider):
    response = methodist_client.post(reverse("clusters:mentorship_create"), {
        "mentor": teachers["olga"].pk, "mentee": teachers[outsider].pk, "starts_on": "01.09.2021"})
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Mentorship.objects.exists()
    # The refused id is not echoed as an option either.
    assert teachers[outsider].full_name not in response.content.decode()


def test_teacher_form_picks_organisation_by_typeahead(methodist_client, school_a):
    for _ in range(150):
        OrganisationFactory(district=school_a.district)
    response = methodist_client.get(reverse("clusters:teacher_create"))
    html = response.content.decode()
    assert 'data-typeahead="/registry/typeahead/organisations/?mode=write"' in html
    assert html.count("<option") < 20


def test_organisation_filters_carry_only_the_chosen_school(methodist_client, school_a, school_b):
    for _ in range(150):
        OrganisationFactory(district=school_a.district)
    html = methodist_client.get(reverse("clusters:teacher_list"), {"organisation": school_b.pk}).content.decode()
    assert 'data-typeahead="/registry/typeahead/organisations/"' in html
    assert f'<option value="{school_b.pk}" selected>{school_b.short_name}</option>' in html
    assert html.count("<option") < 20  # the empty choice, the chosen school and the other filters' choices


def test_organisation_filter_ignores_another_districts_school(methodist_client, school_a, school_other_district):
    TeacherFactory(organisation=school_a, full_name="Абрамова Ирина Сергеевна")
    response = methodist_client.get(reverse("clusters:teacher_list"), {"organisation": school_other_district.pk})
    assert school_other_district.short_name not in response.content.decode()
