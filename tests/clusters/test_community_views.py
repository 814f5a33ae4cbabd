"""Professional communities: list, page with members, create/edit/delete, members add/edit/remove."""
import datetime

import pytest
from django.urls import reverse

from clusters.models import Community, CommunityKind, CommunityMemberRole, CommunityMembership
from imc_portal.models import Role
from tests.factories import (
    CommunityFactory,
    CommunityMembershipFactory,
    EventFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(district_a, school_a):
    leader = TeacherFactory(organisation=school_a, full_name="Петрова Ольга Ивановна")
    return CommunityFactory(district=district_a, name="РМО учителей математики", topic="Функциональная грамотность",
                            leader=leader, started_on=datetime.date(2020, 9, 1))


@pytest.fixture
def foreign_community(district_b):
    return CommunityFactory(district=district_b, name="РМО соседнего района")


def community_data(**overrides):
    data = {"kind": CommunityKind.RMO, "name": "РМО учителей истории", "topic": "Проектная деятельность",
            "leader": "", "curator": "", "started_on": "01.09.2021", "ended_on": ""}
    data.update(overrides)
    return data


def member_data(teacher, **overrides):
    data = {"teacher": teacher.pk, "role": CommunityMemberRole.MEMBER, "joined_on": "15.09.2021", "left_on": ""}
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_methodist_lists_only_own_district_communities(methodist_client, community, foreign_community):
    response = methodist_client.get(reverse("clusters:community_list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [community]


@pytest.mark.parametrize("persona", ["director_client", "observer_client"])
def test_director_and_observer_read_the_list(request, persona, community):
    response = request.getfixturevalue(persona).get(reverse("clusters:community_list"))
    assert response.status_code == 200
    assert community.name in response.content.decode()


def test_list_filters_by_kind_and_by_having_a_leader(methodist_client, district_a, community):
    without_leader = CommunityFactory(district=district_a, kind=CommunityKind.NETWORK, name="Сетевое сообщество")
    url = reverse("clusters:community_list")
    assert list(methodist_client.get(url, {"kind": CommunityKind.NETWORK}).context["object_list"]) == [without_leader]
    assert list(methodist_client.get(url, {"has_leader": "true"}).context["object_list"]) == [community]
    assert list(methodist_client.get(url, {"has_leader": "false"}).context["object_list"]) == [without_leader]


def test_search_finds_a_community_by_its_topic(methodist_client, district_a, community):
    CommunityFactory(district=district_a, name="Клуб", topic="Наставничество")
    response = methodist_client.get(reverse("clusters:community_list"), {"q": "грамотность"})
    assert list(response.context["object_list"]) == [community]


def test_member_count_leaves_out_those_who_left(methodist_client, community, school_a):
    CommunityMembershipFactory.create_batch(2, community=community, teacher__organisation=school_a)
    CommunityMembershipFactory(community=community, teacher__organisation=school_a, left_on=datetime.date(2021, 6, 1))
    response = methodist_client.get(reverse("clusters:community_list"))
    assert response.context["object_list"][0].member_count == 2


def test_list_of_fifty_communities_runs_constant_queries(
    methodist_client, district_a, school_a, django_assert_max_num_queries
):
    for n in range(50):
        leader = TeacherFactory(organisation=school_a)
        community = CommunityFactory(district=district_a, name=f"Сообщество {n:02d}", leader=leader, curator=None)
        CommunityMembershipFactory(community=community, teacher=leader)
    with django_assert_max_num_queries(8):
        response = methodist_client.get(reverse("clusters:community_list"))
    assert len(response.context["object_list"]) == 50
    assert all(c.member_count == 1 for c in response.context["object_list"])


# --- detail -------------------------------------------------------------------------------------


def test_page_shows_topic_leader_curator_dates_and_members(methodist_client, methodist, community, school_b):
    community.curator = methodist
    community.save()
    member = CommunityMembershipFactory(
        community=community, teacher__organisation=school_b, teacher__full_name="Сидоров Павел Андреевич",
        role=CommunityMemberRole.DEPUTY, joined_on=datetime.date(2021, 2, 3), left_on=datetime.date(2021, 12, 17),
    )
    response = methodist_client.get(reverse("clusters:community_detail", args=[community.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Функциональная грамотность", "Петрова Ольга Ивановна", methodist.display_name, "01.09.2020",
                 "Сидоров Павел Андреевич", school_b.short_name, "заместитель руководителя", "03.02.2021",
                 "17.12.2021"):
        assert text in html
    assert list(response.context["members"]) == [member]


def test_methodist_of_another_district_gets_404_on_the_page(other_methodist_client, community):
    assert other_methodist_client.get(reverse("clusters:community_detail", args=[community.pk])).status_code == 404


def test_observer_sees_how_many_members_but_not_their_names(observer_client, community, school_a):
    CommunityMembershipFactory(community=community, teacher__organisation=school_a, teacher__full_name="Козлова Е.А.")
    response = observer_client.get(reverse("clusters:community_detail", args=[community.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Козлова Е.А." not in html
    assert "Участников: 1" in html


# --- create / edit / delete ---------------------------------------------------------------------


def test_methodist_creates_a_community_in_own_district(methodist_client, methodist, school_a):
    leader = TeacherFactory(organisation=school_a)
    response = methodist_client.post(
        reverse("clusters:community_create"), community_data(leader=leader.pk, curator=methodist.pk)
    )
    created = Community.objects.get(name="РМО учителей истории")
    assert response.status_code == 302
    assert response.url == created.get_absolute_url()
    assert (created.district, created.leader, created.curator) == (methodist.district, leader, methodist)
    assert created.started_on == datetime.date(2021, 9, 1)


def test_leader_from_another_district_is_refused(methodist_client, school_other_district):
    stranger = TeacherFactory(organisation=school_other_district)
    response = methodist_client.post(reverse("clusters:community_create"), community_data(leader=stranger.pk))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Community.objects.exists()


def test_curator_must_be_a_methodist_of_the_district(methodist_client, other_methodist, director):
    for outsider in (other_methodist, director):
        response = methodist_client.post(reverse("clusters:community_create"), community_data(curator=outsider.pk))
        assert "curator" in response.context["form"].errors
    assert not Community.objects.exists()


def test_end_before_start_is_refused_in_russian(methodist_client):
    response = methodist_client.post(
        reverse("clusters:community_create"), community_data(started_on="01.09.2021", ended_on="31.08.2021")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Окончание работы сообщества раньше его начала." in html
    assert "Нарушено ограничение" not in html
    assert not Community.objects.exists()


def test_second_community_of_same_kind_and_name_is_refused(methodist_client, community):
    response = methodist_client.post(
        reverse("clusters:community_create"), community_data(kind=community.kind, name=community.name)
    )
    assert response.status_code == 200
    assert "уже существует" in response.content.decode()
    assert Community.objects.filter(name=community.name).count() == 1


def test_director_may_not_create_communities(director_client):
    response = director_client.post(reverse("clusters:community_create"), community_data())
    assert response.status_code == 403
    assert not Community.objects.exists()


def test_methodist_edits_a_community(methodist_client, community):
    response = methodist_client.post(
        reverse("clusters:community_update", args=[community.pk]),
        community_data(kind=CommunityKind.GPPO, name="ГППО математиков", leader=community.leader_id),
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.kind, community.name) == (CommunityKind.GPPO, "ГППО математиков")


def test_methodist_of_another_district_cannot_edit(other_methodist_client, community):
    response = other_methodist_client.post(reverse("clusters:community_update", args=[community.pk]),
                                           community_data(name="Чужое"))
    assert response.status_code == 404
    community.refresh_from_db()
    assert community.name == "РМО учителей математики"


def test_deleting_a_community_removes_its_members_and_keeps_its_events(methodist_client, community, school_a):
    CommunityMembershipFactory(community=community, teacher__organisation=school_a)
    event = EventFactory(district=community.district, community=community)
    response = methodist_client.post(reverse("clusters:community_delete", args=[community.pk]))
    assert response.status_code == 302
    assert not Community.objects.filter(pk=community.pk).exists()
    assert not CommunityMembership.objects.exists()
    event.refresh_from_db()
    assert event.community is None


def test_observer_cannot_delete_a_community(observer_client, community):
    assert observer_client.post(reverse("clusters:community_delete", args=[community.pk])).status_code == 403
    assert Community.objects.filter(pk=community.pk).exists()


# --- members ------------------------------------------------------------------------------------


def test_methodist_adds_a_district_teacher_as_member(methodist_client, community, school_b):
    teacher = TeacherFactory(organisation=school_b)
    response = methodist_client.post(
        reverse("clusters:community_member_create", args=[community.pk]), member_data(teacher)
    )
    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    membership = CommunityMembership.objects.get()
    assert (membership.community, membership.teacher, membership.joined_on) == (
        community, teacher, datetime.date(2021, 9, 15))


def test_teacher_of_another_district_cannot_be_added(methodist_client, community, school_other_district):
    stranger = TeacherFactory(organisation=school_other_district)
    response = methodist_client.post(
        reverse("clusters:community_member_create", args=[community.pk]), member_data(stranger)
    )
    assert response.status_code == 200
    assert "teacher" in response.context["form"].errors
    assert not CommunityMembership.objects.exists()


def test_leaving_before_joining_is_refused(methodist_client, community, school_a):
    teacher = TeacherFactory(organisation=school_a)
    response = methodist_client.post(
        reverse("clusters:community_member_create", args=[community.pk]),
        member_data(teacher, joined_on="15.09.2021", left_on="01.09.2021"),
    )
    assert "Дата выхода раньше даты вступления." in response.content.decode()
    assert not CommunityMembership.objects.exists()


def test_teacher_already_in_the_community_for_that_period_is_refused(methodist_client, community, school_a):
    existing = CommunityMembershipFactory(community=community, teacher__organisation=school_a,
                                          joined_on=datetime.date(2021, 1, 15))
    response = methodist_client.post(
        reverse("clusters:community_member_create", args=[community.pk]),
        member_data(existing.teacher, joined_on="01.03.2021"),
    )
    assert "Педагог уже состоит в этом сообществе в этот период (с 15.01.2021)." in response.content.decode()
    assert CommunityMembership.objects.count() == 1


def test_teacher_may_rejoin_after_leaving(methodist_client, community, school_a):
    earlier = CommunityMembershipFactory(community=community, teacher__organisation=school_a,
                                         joined_on=datetime.date(2019, 9, 1), left_on=datetime.date(2020, 6, 30))
    response = methodist_client.post(
        reverse("clusters:community_member_create", args=[community.pk]),
        member_data(earlier.teacher, joined_on="01.09.2021"),
    )
    assert response.status_code == 302
    assert CommunityMembership.objects.filter(teacher=earlier.teacher).count() == 2


def test_members_of_another_districts_community_cannot_be_added(methodist_client, foreign_community, school_a):
    teacher = TeacherFactory(organisation=school_a)
    response = methodist_client.post(
        reverse("clusters:community_member_create", args=[foreign_community.pk]), member_data(teacher)
    )
    assert response.status_code == 404
    assert not CommunityMembership.objects.exists()


def test_observer_cannot_add_members(observer_client, community, school_a):
    teacher = TeacherFactory(organisation=school_a)
    response = observer_client.post(
        reverse("clusters:community_member_create", args=[community.pk]), member_data(teacher)
    )
    assert response.status_code == 403
    assert not CommunityMembership.objects.exists()


def test_methodist_records_that_a_member_left(methodist_client, community, school_a):
    membership = CommunityMembershipFactory(community=community, teacher__organisation=school_a)
    response = methodist_client.post(
        reverse("clusters:community_member_update", args=[membership.pk]),
        member_data(membership.teacher, joined_on="15.01.2021", left_on="30.06.2021", role=CommunityMemberRole.LEADER),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.left_on, membership.role) == (datetime.date(2021, 6, 30), CommunityMemberRole.LEADER)


def test_methodist_of_another_district_cannot_touch_members(other_methodist_client, community, school_a):
    membership = CommunityMembershipFactory(community=community, teacher__organisation=school_a)
    assert other_methodist_client.get(
        reverse("clusters:community_member_update", args=[membership.pk])).status_code == 404
    assert other_methodist_client.post(
        reverse("clusters:community_member_delete", args=[membership.pk])).status_code == 404
    assert CommunityMembership.objects.filter(pk=membership.pk).exists()


def test_methodist_removes_a_member(methodist_client, community, school_a):
    membership = CommunityMembershipFactory(community=community, teacher__organisation=school_a)
    response = methodist_client.post(reverse("clusters:community_member_delete", args=[membership.pk]))
    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    assert not CommunityMembership.objects.filter(pk=membership.pk).exists()


def test_member_form_offers_only_district_teachers(methodist_client, community, school_a, school_other_district):
    own = TeacherFactory(organisation=school_a)
    stranger = TeacherFactory(organisation=school_other_district)
    form = methodist_client.get(reverse("clusters:community_member_create", args=[community.pk])).context["form"]
    choices = set(form.fields["teacher"].queryset)
    assert own in choices
    assert stranger not in choices


def test_curator_choices_are_the_districts_methodists(methodist_client, methodist, district_a, other_methodist):
    colleague = UserFactory(role=Role.METHODIST, district=district_a)
    form = methodist_client.get(reverse("clusters:community_create")).context["form"]
    assert set(form.fields["curator"].queryset) == {methodist, colleague}
