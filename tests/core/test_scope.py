"""The registry scope (core/scope.py) and the registry reads it needs (clusters/selectors.py).

The keys are stored in rows and travel in URLs, so their spelling is checked literally.
"""
from types import SimpleNamespace

import pytest

from clusters.selectors import scope_choices, scope_from_key, scope_organisation_ids
from core.scope import Scope, ScopeKind, ScopeNotFound, parse_scope_key, scope_key
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory

DISTRICT = SimpleNamespace(pk=3, name="Фрунзенский район")
CLUSTER = SimpleNamespace(pk=12, name="Север", year=2021, district_id=3)
SCHOOL = SimpleNamespace(pk=7, short_name="ГБОУ СОШ № 1", district_id=3)


# --- the value object (no database) -----------------------------------------------------------


def test_keys_are_spelled_as_in_stored_rows_and_urls():
    assert Scope.of_district(DISTRICT).key == "district"
    assert Scope.of_cluster(CLUSTER).key == "cluster:12"
    assert Scope.of_organisation(SCHOOL).key == "organisation:7"


def test_labels_name_the_object_and_a_cluster_its_year():
    assert Scope.of_district(DISTRICT).label == "Фрунзенский район"
    assert Scope.of_cluster(CLUSTER).label == "кластер «Север» (2021)"
    assert Scope.of_cluster(CLUSTER).title == "Кластер «Север» (2021)"
    assert Scope.of_organisation(SCHOOL).label == "ГБОУ СОШ № 1"


def test_a_scope_knows_its_district_and_its_own_foreign_key():
    cluster = Scope.of_cluster(CLUSTER)
    assert (cluster.district_id, cluster.year, cluster.cluster_id, cluster.organisation_id) == (3, 2021, 12, None)
    school = Scope.of_organisation(SCHOOL)
    assert (school.district_id, school.cluster_id, school.organisation_id) == (3, None, 7)
    district = Scope.of_district(DISTRICT)
    assert (district.is_district, district.cluster_id, district.organisation_id) == (True, None, None)


def test_a_relabelled_scope_is_the_same_scope():
    whole = Scope.of_district(DISTRICT).relabelled("Все ответы")
    assert (whole.key, whole.label, str(whole)) == ("district", "Все ответы", "Все ответы")


@pytest.mark.parametrize(("key", "parsed"), [
    (None, (ScopeKind.DISTRICT, None)),
    ("", (ScopeKind.DISTRICT, None)),
    ("district", (ScopeKind.DISTRICT, None)),
    ("cluster:12", (ScopeKind.CLUSTER, 12)),
    (" organisation:7 ", (ScopeKind.ORGANISATION, 7)),
])
def test_parse_a_key(key, parsed):
    assert parse_scope_key(key) == parsed


@pytest.mark.parametrize("key", [
    "district:3", "cluster", "cluster:", "cluster:x", "cluster:-1", "cluster:1.5", "cluster:١٢", "school:7",
])
def test_a_malformed_key_is_not_found(key):
    with pytest.raises(ScopeNotFound):
        parse_scope_key(key)


def test_every_key_parses_back_to_its_scope():
    for scope in (Scope.of_district(DISTRICT), Scope.of_cluster(CLUSTER), Scope.of_organisation(SCHOOL)):
        kind, object_id = parse_scope_key(scope.key)
        assert (kind, object_id) == (scope.kind, None if scope.is_district else scope.id)


def test_a_cluster_key_needs_an_id():
    with pytest.raises(ValueError):
        scope_key(ScopeKind.CLUSTER, None)


# --- the registry reads (clusters.selectors) ----------------------------------------------------


@pytest.mark.django_db
def test_from_key_finds_the_object_within_the_district(district_a, school_a, school_other_district):
    cluster = ClusterFactory(district=district_a, name="Север", year=2022)
    assert scope_from_key("", district=district_a) == Scope.of_district(district_a)
    assert scope_from_key(f"cluster:{cluster.pk}", district=district_a).label == "кластер «Север» (2022)"
    assert scope_from_key(f"organisation:{school_a.pk}", district=district_a).label == "ГБОУ СОШ № 1"
    with pytest.raises(ScopeNotFound):
        scope_from_key(f"organisation:{school_other_district.pk}", district=district_a)
    with pytest.raises(ScopeNotFound):
        scope_from_key(f"cluster:{cluster.pk + 1000}", district=district_a)


@pytest.mark.django_db
def test_choices_list_the_district_clusters_newest_first_then_active_organisations(district_a, school_a, school_b,
                                                                                    school_other_district):
    ClusterFactory(district=district_a, name="Юг", year=2021)
    ClusterFactory(district=district_a, name="Север", year=2021)
    ClusterFactory(district=district_a, name="Запад", year=2022)
    OrganisationFactory(district=district_a, short_name="ГБОУ СОШ № 0 (закрыта)", is_active=False)
    labels = [scope.label for scope in scope_choices(district_a)]
    assert labels == ["Фрунзенский район", "кластер «Запад» (2022)", "кластер «Север» (2021)",
                      "кластер «Юг» (2021)", "ГБОУ СОШ № 1", "ГБОУ СОШ № 2"]


@pytest.mark.django_db
def test_choices_of_a_year_and_of_given_organisations(district_a, school_a, school_b, school_other_district):
    from clusters.models import Organisation

    ClusterFactory(district=district_a, name="Давний", year=2019)
    current = ClusterFactory(district=district_a, name="Текущий", year=2024)
    given = Organisation.objects.filter(pk__in=[school_b.pk, school_other_district.pk])
    keys = [scope.key for scope in scope_choices(district_a, year=2024, organisations=given)]
    # Another district's organisation is never offered, even when passed in.
    assert keys == ["district", f"cluster:{current.pk}", f"organisation:{school_b.pk}"]


@pytest.mark.django_db
def test_organisation_ids_of_each_kind(district_a, school_a, school_b):
    cluster = ClusterFactory(district=district_a)
    empty = ClusterFactory(district=district_a)
    ClusterMembershipFactory(cluster=cluster, organisation=school_b)
    ClusterMembershipFactory(cluster=cluster, organisation=school_a)
    assert scope_organisation_ids(Scope.of_district(district_a)) is None
    assert scope_organisation_ids(Scope.of_organisation(school_a)) == (school_a.pk,)
    assert set(scope_organisation_ids(Scope.of_cluster(cluster))) == {school_a.pk, school_b.pk}
    assert scope_organisation_ids(Scope.of_cluster(empty)) == ()
