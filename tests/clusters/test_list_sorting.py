"""Lists that scale (issue 14.2): `?sort=`, `?page=`, `?per_page=` on the organisation and teacher lists.

core/lists.py does the work; these are the view-level checks with an allowed and a refused persona.
"""
import re

import pytest
from django.urls import reverse

from clusters.models import Organisation
from core.lists import natural_key, page_window
from tests.factories import OrganisationFactory, TeacherFactory

pytestmark = pytest.mark.django_db

def org_url(query=""):
    return reverse("clusters:organisation_list") + query


def teacher_url(query=""):
    return reverse("clusters:teacher_list") + query


def names(response):
    return [o.short_name for o in response.context["object_list"]]


@pytest.fixture
def numbered_schools(district_a):
    # Created out of order; text order would be № 101, № 12, № 2, лицей.
    for name, code, kind in [("ГБОУ СОШ № 101", "S101", "school"), ("ГБОУ СОШ № 12", "S12", "school"),
                             ("ГБОУ СОШ № 2", "S2", "school"), ("ГБОУ лицей № 7", "L7", "school"),
                             ("ГБДОУ детский сад № 5", "D5", "kindergarten")]:
        OrganisationFactory(district=district_a, short_name=name, code=code, kind=kind)


def test_default_order_is_natural(methodist_client, numbered_schools):
    response = methodist_client.get(org_url())
    assert response.status_code == 200
    # «ГБДОУ» < «ГБОУ» by letters; within «ГБОУ СОШ №» the numbers compare as numbers: 2 < 12 < 101.
    assert names(response) == ["ГБДОУ детский сад № 5", "ГБОУ СОШ № 2", "ГБОУ СОШ № 12", "ГБОУ СОШ № 101",
                               "ГБОУ лицей № 7"]


def test_sort_descending_is_the_exact_reverse(methodist_client, numbered_schools):
    ascending = names(methodist_client.get(org_url("?sort=name")))
    descending = names(methodist_client.get(org_url("?sort=-name")))
    assert descending == list(reversed(ascending))


def test_sort_by_code_both_directions(methodist_client, numbered_schools):
    codes = lambda r: [o.code for o in r.context["object_list"]]  # noqa: E731
    assert codes(methodist_client.get(org_url("?sort=code"))) == ["D5", "L7", "S101", "S12", "S2"]
    assert codes(methodist_client.get(org_url("?sort=-code"))) == ["S2", "S12", "S101", "L7", "D5"]


@pytest.mark.parametrize("bad", ["full_name", "-password", "district__name", "--name", "", "pk;drop"])
def test_unknown_sort_is_ignored_with_the_default_order(methodist_client, numbered_schools, bad):
    response = methodist_client.get(org_url(f"?sort={bad}"))
    assert response.status_code == 200
    assert names(response) == names(methodist_client.get(org_url()))
    assert response.context["list_sort"]["current"] == "name"


def test_sort_links_toggle_and_keep_the_filter(methodist_client, numbered_schools):
    html = methodist_client.get(org_url("?kind=school&sort=name&page=1")).content.decode()
    # The active column offers the reverse, keeps the filter and drops the page.
    assert 'href="?kind=school&amp;sort=-name"' in html
    assert 'aria-sort="ascending"' in html
    assert 'href="?kind=school&amp;sort=code"' in html


def test_refused_persona_gets_403_whatever_the_sort(school_admin_client, numbered_schools):
    assert school_admin_client.get(org_url("?sort=-name&page=2&per_page=25")).status_code == 403


# --- paging ---


@pytest.fixture
def many_schools(district_a):
    # 60 schools № 1 … № 60 (codes S01 … S60): 3 pages of 25 (25 + 25 + 10), 2 pages of 50 (50 + 10).
    for n in range(1, 61):
        OrganisationFactory(district=district_a, short_name=f"ГБОУ СОШ № {n}", code=f"S{n:02d}")


def test_page_numbers_and_per_page(methodist_client, many_schools):
    response = methodist_client.get(org_url("?per_page=25&page=2"))
    page = response.context["page_obj"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (2, 3, 25)
    # Natural order: page 2 of 25 holds № 26 … № 50.
    assert names(response)[0] == "ГБОУ СОШ № 26" and names(response)[-1] == "ГБОУ СОШ № 50"
    html = response.content.decode()
    assert "Показаны 26–50 из 60" in html
    for n in (1, 3):  # every page number is a link keeping per_page
        assert f'href="?per_page=25{"&amp;page=" + str(n) if n > 1 else ""}"' in html
    assert 'aria-current="page">2<' in html


def test_default_page_size_is_50_and_bad_per_page_falls_back(methodist_client, many_schools):
    for query in ("", "?per_page=7", "?per_page=abc", "?per_page=1000"):
        assert methodist_client.get(org_url(query)).context["paginator"].per_page == 50
    assert methodist_client.get(org_url("?per_page=100")).context["paginator"].num_pages == 1


@pytest.mark.parametrize("page", ["99", "last", "4"])
def test_page_past_the_end_shows_the_last_page(methodist_client, many_schools, page):
    response = methodist_client.get(org_url(f"?per_page=25&page={page}"))
    assert response.status_code == 200
    assert response.context["page_obj"].number == 3
    assert names(response) == [f"ГБОУ СОШ № {n}" for n in range(51, 61)]  # 60 - 2·25 = 10 rows


def test_bad_page_shows_the_first_page(methodist_client, many_schools):
    response = methodist_client.get(org_url("?page=abc"))
    assert response.status_code == 200 and response.context["page_obj"].number == 1


def test_pager_links_keep_filter_and_sort(methodist_client, many_schools):
    response = methodist_client.get(org_url("?q=СОШ&is_active=true&sort=-code&per_page=25"))
    assert response.context["paginator"].count == 60
    html = response.content.decode()
    pager = html[html.index('data-testid="pager"'):]
    links = re.findall(r'class="page-link" href="([^"]+)"', pager)
    assert links and all("q=%D0%A1%D0%9E%D0%A8" in u and "is_active=true" in u and "sort=-code" in u
                         and "per_page=25" in u for u in links)
    assert "sort=-code&amp;per_page=25&amp;page=3" in pager
    # Filters in force are shown, each with a link that drops only it.
    assert 'data-testid="active-filters"' in html
    assert "Действующая: да" in html


def test_filtered_total_in_the_header(methodist_client, many_schools):
    Organisation.objects.filter(code__in=["S01", "S02"]).update(is_active=False)
    response = methodist_client.get(org_url("?is_active=false"))
    assert response.context["list_header"]["count"] == 2
    assert "Показаны 1–2 из 2" in response.content.decode()


# --- teachers ---


@pytest.fixture
def teachers(school_a, school_b):
    TeacherFactory(organisation=school_b, full_name="Борисова Анна", experience_years=3, birth_year=1990)
    TeacherFactory(organisation=school_a, full_name="Андреева Вера", experience_years=20, birth_year=1970)
    TeacherFactory(organisation=school_a, full_name="Волков Пётр", experience_years=None, birth_year=1985)


def teacher_names(response):
    return [t.full_name for t in response.context["object_list"]]


def test_teachers_sorted_by_name_by_default_and_both_directions(methodist_client, teachers):
    assert teacher_names(methodist_client.get(teacher_url())) == ["Андреева Вера", "Борисова Анна", "Волков Пётр"]
    assert teacher_names(methodist_client.get(teacher_url("?sort=-name"))) == [
        "Волков Пётр", "Борисова Анна", "Андреева Вера"]


def test_teachers_sorted_by_experience_and_organisation(methodist_client, teachers):
    # Empty experience first ascending, last descending: 3 < 20.
    assert teacher_names(methodist_client.get(teacher_url("?sort=experience"))) == [
        "Волков Пётр", "Борисова Анна", "Андреева Вера"]
    assert teacher_names(methodist_client.get(teacher_url("?sort=-experience"))) == [
        "Андреева Вера", "Борисова Анна", "Волков Пётр"]
    # School № 1 (Андреева, Волков by name) before № 2 (Борисова).
    assert teacher_names(methodist_client.get(teacher_url("?sort=organisation"))) == [
        "Андреева Вера", "Волков Пётр", "Борисова Анна"]


def test_teachers_unknown_sort_ignored_and_pages(methodist_client, teachers, school_a):
    assert teacher_names(methodist_client.get(teacher_url("?sort=personnel_number"))) == [
        "Андреева Вера", "Борисова Анна", "Волков Пётр"]
    TeacherFactory.create_batch(27, organisation=school_a)  # 30 teachers: pages of 25 + 5
    response = methodist_client.get(teacher_url(f"?organisation={school_a.pk}&per_page=25&page=5"))
    assert response.status_code == 200
    assert response.context["page_obj"].number == 2 and len(response.context["object_list"]) == 4  # 29 - 25
    html = response.content.decode()
    assert f"organisation={school_a.pk}&amp;per_page=25" in html  # the pager keeps the filter
    assert "Организация: ГБОУ СОШ № 1" in html


def test_school_admin_sorts_only_their_own_teachers(school_admin_client, teachers):
    response = school_admin_client.get(teacher_url("?sort=-name"))
    assert response.status_code == 200
    assert teacher_names(response) == ["Волков Пётр", "Андреева Вера"]


def test_observer_is_refused_the_teacher_list(observer_client, teachers):
    assert observer_client.get(teacher_url("?sort=name&page=2")).status_code == 403


# --- pure helpers ---


def test_page_window():
    # Page 10 of 58, 2 each side: 1 … 8 9 10 11 12 … 58.
    assert page_window(10, 58) == [1, None, 8, 9, 10, 11, 12, None, 58]
    # A gap of one page shows the page: 1 2 3 4 5 … 58 from page 3 (4 and 5 in the window, no «…» for 1–2).
    assert page_window(3, 58) == [1, 2, 3, 4, 5, None, 58]
    assert page_window(4, 58) == [1, 2, 3, 4, 5, 6, None, 58]
    assert page_window(1, 1) == [1]


def test_natural_key():
    raw = ["ГБОУ СОШ № 101", "ГБОУ СОШ № 12", "гбоу СОШ № 2", "ГБОУ СОШ № 12а", "ГБОУ СОШ"]
    # Case ignored, numbers as numbers; «12» before «12а» (the shorter key is a prefix).
    assert sorted(raw, key=natural_key) == ["ГБОУ СОШ", "гбоу СОШ № 2", "ГБОУ СОШ № 12", "ГБОУ СОШ № 12а",
                                            "ГБОУ СОШ № 101"]
