import pytest
from django.urls import reverse

from clusters.models import Cluster, ClusterMembership, Tier
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster_a(district_a, school_a, school_b):
    cluster = ClusterFactory(district=district_a, year=2021, name="Финансовая грамотность обучающихся")
    ClusterMembershipFactory(cluster=cluster, organisation=school_a, tier=Tier.TOP, theme="Тема А")
    ClusterMembershipFactory(cluster=cluster, organisation=school_b, tier=Tier.LAGGING, theme="Тема Б")
    return cluster


def test_cluster_page_groups_organisations_by_tier_with_roles(methodist_client, cluster_a, school_a, school_b):
    response = methodist_client.get(reverse("clusters:cluster_detail", args=[cluster_a.pk]))
    assert response.status_code == 200
    tiers = {t["code"]: t for t in response.context["tiers"]}
    assert [m.organisation for m in tiers[Tier.TOP]["members"]] == [school_a]
    assert tiers[Tier.SYNCHRONOUS]["members"] == []
    assert [m.organisation for m in tiers[Tier.LAGGING]["members"]] == [school_b]
    body = response.content.decode()
    assert "Тьюторы для района по выбранной теме" in body
    assert "Реализуют ИОМ" in body
    assert response.context["size"] == 2


def test_other_district_methodist_gets_404_on_cluster(other_methodist_client, cluster_a):
    response = other_methodist_client.get(reverse("clusters:cluster_detail", args=[cluster_a.pk]))
    assert response.status_code == 404


def test_school_admin_sees_cluster_of_own_school_only(school_admin_client, cluster_a, district_a):
    foreign = ClusterFactory(district=district_a, year=2021, name="Чужой кластер")
    ClusterMembershipFactory(cluster=foreign)
    assert school_admin_client.get(reverse("clusters:cluster_detail", args=[cluster_a.pk])).status_code == 200
    assert school_admin_client.get(reverse("clusters:cluster_detail", args=[foreign.pk])).status_code == 404


def test_cluster_list_shows_sizes(director_client, cluster_a):
    response = director_client.get(reverse("clusters:cluster_list"), {"year": 2021})
    assert response.status_code == 200
    (row,) = response.context["object_list"]
    assert row.size == 2


def test_director_cannot_create_cluster(director_client):
    response = director_client.post(reverse("clusters:cluster_create"), {"year": 2022, "name": "Новый"})
    assert response.status_code == 403
    assert not Cluster.objects.filter(name="Новый").exists()


def test_methodist_creates_cluster_and_duplicate_name_is_refused(methodist_client, district_a, cluster_a):
    url = reverse("clusters:cluster_create")
    assert methodist_client.post(url, {"year": 2022, "name": cluster_a.name}).status_code == 302
    response = methodist_client.post(url, {"year": 2021, "name": cluster_a.name})
    assert response.status_code == 200
    assert "уже существует" in response.content.decode()
    assert Cluster.objects.filter(name=cluster_a.name).count() == 2  # 2021 and 2022


def test_year_out_of_range_is_refused(methodist_client):
    response = methodist_client.post(reverse("clusters:cluster_create"), {"year": 1812, "name": "Старый"})
    assert response.status_code == 200
    assert not Cluster.objects.filter(name="Старый").exists()


def test_membership_of_other_district_organisation_is_refused(methodist_client, cluster_a, school_other_district):
    response = methodist_client.post(
        reverse("clusters:membership_create"),
        {"cluster": cluster_a.pk, "organisation": school_other_district.pk, "tier": Tier.TOP, "theme": "x"},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not ClusterMembership.objects.filter(organisation=school_other_district).exists()


def test_methodist_adds_organisation_to_cluster(methodist_client, cluster_a, district_a):
    school = OrganisationFactory(district=district_a)
    response = methodist_client.post(
        reverse("clusters:membership_create"),
        {"cluster": cluster_a.pk, "organisation": school.pk, "tier": Tier.SYNCHRONOUS, "theme": "Тема В", "project": ""},
    )
    assert response.status_code == 302
    assert cluster_a.memberships.count() == 3


def test_school_admin_edits_own_theme_but_cannot_move_tier(school_admin_client, cluster_a, school_a):
    membership = cluster_a.memberships.get(organisation=school_a)
    response = school_admin_client.post(
        reverse("clusters:membership_update", args=[membership.pk]),
        {"cluster": cluster_a.pk, "organisation": school_a.pk, "tier": Tier.LAGGING,
         "theme": "Новая методическая тема", "project": "Проект «Шаг»"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.theme == "Новая методическая тема"
    assert membership.project == "Проект «Шаг»"
    assert membership.tier == Tier.TOP  # disabled field: the posted value is ignored


def test_school_admin_cannot_edit_other_school_membership(school_admin_client, cluster_a, school_b):
    membership = cluster_a.memberships.get(organisation=school_b)
    url = reverse("clusters:membership_update", args=[membership.pk])
    assert school_admin_client.get(url).status_code == 404


def test_cluster_with_members_can_be_deleted_with_its_memberships(methodist_client, cluster_a):
    response = methodist_client.post(reverse("clusters:cluster_delete", args=[cluster_a.pk]))
    assert response.status_code == 302
    assert not ClusterMembership.objects.filter(cluster_id=cluster_a.pk).exists()


def test_organisation_in_a_cluster_cannot_be_deleted(methodist_client, cluster_a, school_a):
    response = methodist_client.post(reverse("clusters:organisation_delete", args=[school_a.pk]), follow=True)
    assert response.status_code == 200
    assert "Нельзя удалить" in response.content.decode()
    school_a.refresh_from_db()  # still there


def test_school_admin_sees_the_real_size_of_own_cluster(school_admin_client, cluster_a):
    response = school_admin_client.get(reverse("clusters:cluster_list"))
    (row,) = response.context["object_list"]
    assert row.size == 2  # school A and school B, not just the admin's own school
