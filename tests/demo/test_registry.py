"""`manage.py load_demo`: the seeds' figures come out of the demo registry, checked by hand.

The command runs once for tests/demo (tests/demo/conftest.py) inside a transaction that is
rolled back at the end, so the other test folders never see the demo districts.
"""
import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.test import Client, override_settings

from clusters.models import (
    Cluster,
    ClusterMembership,
    Community,
    CommunityKind,
    CommunityMembership,
    IndividualRoute,
    InnovationParticipation,
    MethodCentre,
    Organisation,
    OrganisationKind,
    RouteStatus,
    Teacher,
    Tier,
    TrainingCompletion,
)
from demo.registry.frunzensky import CLUSTERS_2021
from imc_portal.models import Role, User
from tests.demo.conftest import FAST_HASHERS

# Seed 000, «В системе образования Фрунзенского района в 2021 году работало 9 кластеров».
SEED_CLUSTERS_2021 = [
    ("Реализация ФГОС основного и среднего общего образования", 3),
    ("Современные технологии в образовательном процессе ДОУ", 9),
    ("Современная цифровая образовательная среда", 9),
    ("Современное культурное пространство, театрализованная деятельность и арт-педагогика в образовательном "
     "учреждении", 5),
    ("Родители в современном образовательном пространстве ОУ", 9),
    ("Экологическое воспитание обучающихся, здоровьесозидание и здоровьесбережение", 9),
    ("Финансовая грамотность обучающихся", 3),
    ("Управление образованием. Кадровые технологии", 4),
    ("Вектор учителя будущего", 22),
]
DOU_CLUSTER = "Современные технологии в образовательном процессе ДОУ"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def frunzensky_members(year: int) -> set[int]:
    """Teachers with a Frunzensky community membership that overlaps the calendar year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return set(
        CommunityMembership.objects.filter(community__district__code="frunzensky", joined_on__lte=end)
        .exclude(left_on__lt=start)  # keeps the open-ended ones (left_on is NULL)
        .values_list("teacher_id", flat=True)
    )


def test_frunzensky_2021_clusters_are_the_seeds_nine_with_their_sizes():
    sizes = dict(
        Cluster.objects.filter(district__code="frunzensky", year=2021)
        .annotate(size=Count("memberships"))
        .values_list("name", "size")
    )
    assert len(sizes) == 9
    assert [(name, sizes[name]) for name, _ in SEED_CLUSTERS_2021] == SEED_CLUSTERS_2021
    assert sum(sizes.values()) == 3 + 9 + 9 + 5 + 9 + 9 + 3 + 4 + 22 == 73
    assert CLUSTERS_2021 == SEED_CLUSTERS_2021


def test_net_schools_share_2021_is_54_8_percent():
    frunzensky = Organisation.objects.filter(district__code="frunzensky")
    clustered = (
        ClusterMembership.objects.filter(cluster__district__code="frunzensky", cluster__year=2021)
        .values("organisation").distinct().count()
    )
    active = frunzensky.filter(is_active=True).count()
    assert clustered == 69
    assert active == 126
    assert frunzensky.filter(is_active=False).count() == 4
    assert round(clustered / active * 100, 1) == 54.8  # 69 / 126 = 0.5476…


def test_four_organisations_work_in_two_2021_clusters():
    per_org = (
        ClusterMembership.objects.filter(cluster__district__code="frunzensky", cluster__year=2021)
        .values("organisation").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert sorted(per_org, reverse=True)[:5] == [2, 2, 2, 2, 1]


def test_kindergartens_form_the_dou_cluster_and_no_other():
    memberships = ClusterMembership.objects.filter(cluster__district__code="frunzensky", cluster__year=2021)
    kindergarten = {"organisation__kind": OrganisationKind.KINDERGARTEN}
    assert memberships.filter(cluster__name=DOU_CLUSTER).exclude(**kindergarten).count() == 0
    assert memberships.filter(**kindergarten).exclude(cluster__name=DOU_CLUSTER).count() == 0


def test_every_2021_cluster_has_top_synchronous_and_lagging_members_with_themes():
    for cluster in Cluster.objects.filter(district__code="frunzensky", year=2021):
        tiers = dict(cluster.memberships.values_list("tier").annotate(n=Count("id")))
        assert tiers.get(Tier.TOP, 0) >= 1 and tiers.get(Tier.LAGGING, 0) >= 1, cluster.name
        assert tiers[Tier.SYNCHRONOUS] >= max(tiers[Tier.TOP], tiers[Tier.LAGGING]), cluster.name
        assert not cluster.memberships.filter(theme="").exists()
        assert not cluster.memberships.filter(project="").exists()


def test_earlier_years_have_fewer_clustered_organisations():
    distinct = {
        year: ClusterMembership.objects.filter(cluster__district__code="frunzensky", cluster__year=year)
        .values("organisation").distinct().count()
        for year in (2019, 2020, 2021)
    }
    assert distinct == {2019: 8, 2020: 13, 2021: 69}


def test_community_members_2021_give_30_percent_for_cpd_and_innovation():
    members = frunzensky_members(2021)
    start, end = datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)
    trained = set(
        TrainingCompletion.objects.filter(
            teacher_id__in=members, completed_on__gte=datetime.date(2019, 1, 1), completed_on__lte=end
        ).values_list("teacher_id", flat=True)
    )
    innovating = set(
        InnovationParticipation.objects.filter(teacher_id__in=members, project__starts_on__lte=end)
        .exclude(project__ends_on__lt=start)
        .values_list("teacher_id", flat=True)
    )
    on_route = set(
        IndividualRoute.objects.filter(
            teacher_id__in=members, status__in=[RouteStatus.ACTIVE, RouteStatus.COMPLETED],
            starts_on__lte=end, ends_on__gte=start,
        ).values_list("teacher_id", flat=True)
    )
    assert len(members) == 300
    assert len(trained) == 90 and len(trained) * 100 / len(members) == 30
    assert len(innovating) == 90 and len(innovating) * 100 / len(members) == 30
    assert len(on_route) == 75 and len(on_route) * 100 / len(members) == 25


def test_community_members_2020_give_the_seeds_2020_facts():
    members = frunzensky_members(2020)
    trained = TrainingCompletion.objects.filter(
        teacher_id__in=members, completed_on__gte=datetime.date(2018, 1, 1),
        completed_on__lte=datetime.date(2020, 12, 31),
    ).values("teacher").distinct().count()
    innovating = (
        InnovationParticipation.objects.filter(teacher_id__in=members, project__starts_on__lte=datetime.date(2020, 12, 31))
        .exclude(project__ends_on__lt=datetime.date(2020, 1, 1))
        .values("teacher").distinct().count()
    )
    assert (len(members), trained, innovating) == (200, 20, 40)  # 10 % and 20 %, as in seed 000


def test_teachers_outside_the_communities_also_have_courses_and_they_do_not_count():
    members = frunzensky_members(2021)
    trained_anyone = set(
        TrainingCompletion.objects.filter(
            teacher__organisation__district__code="frunzensky",
            completed_on__gte=datetime.date(2019, 1, 1), completed_on__lte=datetime.date(2021, 12, 31),
        ).values_list("teacher_id", flat=True)
    )
    assert len(trained_anyone - members) >= 40
    assert len(trained_anyone & members) == 90


def test_frunzensky_has_the_community_forms_of_seed_002():
    kinds = set(Community.objects.filter(district__code="frunzensky").values_list("kind", flat=True))
    assert {CommunityKind.RMO, CommunityKind.CREATIVE_GROUP, CommunityKind.YOUNG_TEACHERS_CLUB,
            CommunityKind.PERMANENT_SEMINAR, CommunityKind.CROSS_FUNCTIONAL_TEAM} <= kinds
    assert not Community.objects.filter(district__code="frunzensky", leader__isnull=True).exists()


def test_frunzensky_method_centre_carries_the_seeds_requisites():
    centre = MethodCentre.objects.get(district__code="frunzensky")
    assert centre.full_name == (
        "Государственное бюджетное учреждение дополнительного профессионального педагогического образования "
        "центр повышения квалификации специалистов «Информационно-методический центр» Фрунзенского района "
        "Санкт-Петербурга"
    )
    assert centre.address == "192241, Санкт-Петербург, ул. Турку, д. 20, корп. 2, лит. А"
    assert (centre.phone, centre.email) == ("(812) 705-60-35", "info@edu-frn.spb.ru")
    assert (centre.okpo, centre.ogrn, centre.inn, centre.kpp) == ("02087152", "1027807973181", "7816157263",
                                                                  "781601001")
    assert centre.director_name == "О.А. Римкявичене"
    assert centre.director_position == "Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга"


def test_each_district_has_a_realistic_staff():
    counts = dict(
        Teacher.objects.values_list("organisation__district__code").annotate(n=Count("id"))
    )
    for code in ("frunzensky", "kirovsky", "krasnoselsky"):
        assert 2000 <= counts[code] <= 4000, code
    assert counts["sayansk"] == 608


def test_sayansk_has_the_associations_of_seed_001():
    communities = Community.objects.filter(district__code="sayansk")
    kinds = dict(communities.values_list("kind").annotate(n=Count("id")))
    assert kinds == {CommunityKind.GPPO: 13, CommunityKind.NETWORK: 6, CommunityKind.GMO_ASSOCIATION: 3}
    modern = communities.get(kind=CommunityKind.GMO_ASSOCIATION, name="Современный учитель")
    assert modern.leader.full_name.startswith("Резниченко")
    assert modern.leader.organisation.short_name == "МОУ СОШ № 2"
    leaders = {c.leader.full_name.split()[0] for c in communities.select_related("leader")}
    assert {"Андреева", "Апиш", "Бондарь", "Гусева", "Долгих", "Козлова", "Королева", "Лаптева", "Литвина",
            "Лошакова", "Олиярник", "Резниченко", "Рыжкова", "Талалова", "Хроменко"} <= leaders
    assert communities.filter(name__contains="Синтез искусств").exists()


def test_sayansk_participation_2019_20_is_582_of_608():
    start, end = datetime.date(2019, 9, 1), datetime.date(2020, 8, 31)
    participants = (
        CommunityMembership.objects.filter(community__district__code="sayansk", joined_on__lte=end)
        .exclude(left_on__lt=start).values("teacher").distinct().count()
    )
    teachers = Teacher.objects.filter(organisation__district__code="sayansk", is_active=True).count()
    assert (participants, teachers) == (582, 608)
    assert round(participants / teachers * 100, 1) == 95.7


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_demo_user_who_can_log_in(role):
    user = User.objects.filter(role=role, username__in=["admin", "metodist", "direktor", "admin_ou",
                                                          "nablyudatel", "gorod"]).get()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        assert Client().login(username=user.username, password="demo12345")


def test_demo_users_sit_where_the_demo_needs_them():
    director = User.objects.get(username="direktor")
    assert (director.last_name, director.first_name, director.patronymic) == ("Римкявичене", "Ольга",
                                                                              "Александровна")
    school_admin = User.objects.get(username="admin_ou")
    assert school_admin.organisation.district.code == "frunzensky"
    assert ClusterMembership.objects.filter(organisation=school_admin.organisation, cluster__year=2021).exists()
    assert User.objects.get(username="admin").is_superuser
    for username, code in (("metodist_sayansk", "sayansk"), ("metodist_kirov", "kirovsky"),
                           ("metodist_krasnoe", "krasnoselsky")):
        assert User.objects.get(username=username, role=Role.METHODIST).district.code == code


def test_output_lists_the_logins(demo_output):
    for username in ("admin", "metodist", "direktor", "admin_ou", "nablyudatel", "metodist_sayansk",
                     "metodist_kirov", "metodist_krasnoe"):
        assert username in demo_output
    assert "Администратор ОУ" in demo_output


def test_second_run_changes_no_row_count():
    models = [*apps.get_app_config("clusters").get_models(), User]
    before = {model.__name__: model.objects.count() for model in models}
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    assert {model.__name__: model.objects.count() for model in models} == before
    assert "ничего не создано" in out.getvalue()


def test_the_city_demo_user_reads_the_saint_petersburg_districts(demo_output):
    from clusters.city import districts_for_user

    gorod = User.objects.get(username="gorod", role=Role.CITY)
    assert (gorod.district, gorod.organisation, gorod.region.name) == (None, None, "Санкт-Петербург")
    assert sorted(districts_for_user(gorod).values_list("code", flat=True)) == ["frunzensky", "kirovsky",
                                                                                "krasnoselsky"]
    assert "Санкт-Петербург: все районы" in demo_output
