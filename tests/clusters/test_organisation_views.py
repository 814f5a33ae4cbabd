import pytest
from django.urls import reverse

from clusters.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_methodist_sees_only_own_district_organisations(methodist_client, school_a, school_other_district):
    response = methodist_client.get(reverse("clusters:organisation_list"))
    assert response.status_code == 200
    names = [o.short_name for o in response.context["object_list"]]
    assert school_a.short_name in names
    assert school_other_district.short_name not in names


def test_school_admin_sees_own_organisation_but_not_another(school_admin_client, school_a, school_b):
    assert school_admin_client.get(reverse("clusters:organisation_detail", args=[school_a.pk])).status_code == 200
    assert school_admin_client.get(reverse("clusters:organisation_detail", args=[school_b.pk])).status_code == 404


def test_methodist_creates_organisation_in_own_district(methodist_client, methodist):
    response = methodist_client.post(
        reverse("clusters:organisation_create"),
        {"code": "NEW1", "short_name": "ГБДОУ детский сад № 5", "full_name": "Детский сад № 5",
         "kind": "kindergarten", "address": "", "email": "", "is_active": "on"},
    )
    assert response.status_code == 302
    created = Organisation.objects.get(code="NEW1")
    assert created.district == methodist.district


def test_duplicate_code_is_refused_with_russian_message(methodist_client, school_a):
    response = methodist_client.post(
        reverse("clusters:organisation_create"),
        {"code": school_a.code, "short_name": "Дубликат", "full_name": "Дубликат", "kind": "school"},
    )
    assert response.status_code == 200
    assert "уже существует" in response.content.decode()
    assert Organisation.objects.filter(code=school_a.code).count() == 1


def test_list_of_fifty_rows_runs_constant_queries(methodist_client, district_a, django_assert_max_num_queries):
    OrganisationFactory.create_batch(50, district=district_a)
    with django_assert_max_num_queries(8):
        response = methodist_client.get(reverse("clusters:organisation_list"))
    assert len(response.context["object_list"]) == 50
