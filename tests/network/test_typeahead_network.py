"""Type-ahead pickers in the network forms (issue 14.2): a practice's organisation, a new mentor's organisation
(step one), a pair's mentor organisation carry only the chosen option, not the district's (or the cluster's)
hundreds; a picked id is saved; an id outside the scope is refused in Russian and nothing is saved."""
from __future__ import annotations

import pytest
from django.urls import reverse

from clusters.models import ClusterMembership, Organisation
from network.models import MentorProfile, OrganisationPair, Practice
from network.services import pairs as services
from tests.factories import TeacherFactory
from tests.network.test_pairs import RU, build_cluster
from tests.typeahead_bulk import ORGANISATION_PREFIX, bulk_organisations, option_count

pytestmark = pytest.mark.django_db

REFUSED = "Выберите корректный вариант"
SEARCH = 'data-typeahead="/registry/typeahead/organisations/"'


def _practice(**extra):
    return {"title": "Урок-исследование", "authors": "Сидоров А.А.", "form": "lesson", "year": 2022,
            "description": "Как провести", "subject": "Биология", "tags_text": "", **extra}


def test_practice_form_does_not_list_every_organisation(methodist_client, director_client, district_a):
    bulk_organisations(district_a)
    url = reverse("network:practice_create")
    html = methodist_client.get(url).content.decode()
    assert SEARCH in html and ORGANISATION_PREFIX not in html and option_count(html) < 40
    assert director_client.get(url).status_code == 403


def test_practice_saves_a_picked_organisation_and_refuses_another_district(methodist_client, school_b,
                                                                           school_other_district):
    url = reverse("network:practice_create")
    response = methodist_client.post(url, _practice(organisation=school_other_district.pk))
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not Practice.objects.exists()
    assert methodist_client.post(url, _practice(organisation=school_b.pk)).status_code == 302
    assert Practice.objects.get().organisation == school_b


def test_new_mentor_step_one_does_not_list_every_organisation(methodist_client, director_client, district_a,
                                                              school_a):
    bulk_organisations(district_a)
    url = reverse("network:mentor_create")
    html = methodist_client.get(url).content.decode()
    assert SEARCH in html and ORGANISATION_PREFIX not in html and option_count(html) < 10
    # the chosen organisation is shown as the only (selected) option of step two's page
    html = methodist_client.get(url, {"organisation": school_a.pk}).content.decode()
    assert f'value="{school_a.pk}" selected' in html and ORGANISATION_PREFIX not in html
    assert director_client.get(url).status_code == 403


def test_new_mentor_saves_with_a_picked_organisation_and_refuses_another_district(methodist_client, school_a,
                                                                                  school_other_district):
    url = reverse("network:mentor_create")
    html = methodist_client.get(url, {"organisation": school_other_district.pk}).content.decode()
    assert REFUSED in html and 'name="teacher"' not in html
    teacher = TeacherFactory(organisation=school_a, full_name="Наставникова Ирина")
    response = methodist_client.post(url, {"organisation": school_a.pk, "teacher": teacher.pk,
                                           "subjects": "Математика", "competencies": "", "is_active": "on"})
    assert response.status_code == 302
    assert MentorProfile.objects.get().teacher == teacher


@pytest.fixture
def pair(district_a, methodist):
    net = build_cluster(district_a)
    services.propose_pairs(user=methodist, cluster=net.cluster)
    net.pair = OrganisationPair.objects.get(mentee_organisation=net.L1)
    return net


def test_pair_form_does_not_list_every_cluster_member(pair, methodist_client, director_client, district_a):
    bulk_organisations(district_a)
    ClusterMembership.objects.bulk_create([
        ClusterMembership(cluster=pair.cluster, organisation=organisation, theme="—")
        for organisation in Organisation.objects.filter(short_name__startswith=ORGANISATION_PREFIX)])
    url = reverse("network:pair_update", args=[pair.pair.pk])
    html = methodist_client.get(url).content.decode()
    assert SEARCH in html and ORGANISATION_PREFIX not in html
    assert f'value="{pair.T1.pk}" selected' in html
    assert director_client.get(url).status_code == 403


def test_pair_saves_a_picked_member_and_refuses_a_non_member(pair, methodist_client, school_other_district):
    url = reverse("network:pair_update", args=[pair.pair.pk])
    base = {"subject": RU, "goal": "", "starts_on": "", "ends_on": ""}
    response = methodist_client.post(url, base | {"mentor_organisation": school_other_district.pk})
    assert response.status_code == 200 and REFUSED in response.content.decode()
    pair.pair.refresh_from_db()
    assert pair.pair.mentor_organisation == pair.T1
    assert methodist_client.post(url, base | {"mentor_organisation": pair.T2.pk}).status_code == 302
    pair.pair.refresh_from_db()
    assert pair.pair.mentor_organisation == pair.T2


def test_mentor_list_organisation_filter_is_a_search(methodist_client, school_admin_client, district_a, school_a):
    bulk_organisations(district_a)
    html = methodist_client.get(reverse("network:mentors"), {"organisation": school_a.pk}).content.decode()
    assert SEARCH in html and ORGANISATION_PREFIX not in html and f'value="{school_a.pk}" selected' in html
    assert school_admin_client.get(reverse("network:mentors")).status_code == 403
