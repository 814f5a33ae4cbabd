"""Pair proposals against numbers worked out by hand, and the methodist's decisions with their refusals.

The cluster (year 2021, district A): ТОП T1, T2; отстающие L1, L2, L3; синхронная S1. Results of 2020,
ОГЭ, grade 9, 50 participants on every row (so a subject z is the row's z and an index is the plain mean
of the organisation's row z's). z = (mean − group mean) / population σ of the group:

    Русский язык  T1 4.5, T2 4.5, L1 3.5, S1 3.5   mean 4,  σ = √(4·0.25/4) = 0.5  → z T1 +1, T2 +1, L1 −1, S1 −1
    Математика    T1 13, S1 11, L3 10, L1 9, L2 7  mean 10, σ = √((9+1+0+1+9)/5) = 2
                                                   → z T1 +1.5, S1 +0.5, L3 0, L1 −0.5, L2 −1.5   (T2: no result)
    Физика        T1 23, T2 21, S1 20, L2 19, L3 17 mean 20, σ = √((9+1+0+1+9)/5) = 2
                                                   → z T1 +1.5, T2 +0.5, S1 0, L2 −0.5, L3 −1.5

Weakest subjects: L1 Русский язык (−1 < −0.5); L2 Математика (−1.5 < −0.5); L3 Физика (−1.5 < 0).
Indices 2020: L1 (−1 − 0.5)/2 = −0.75; L2 (−1.5 − 0.5)/2 = −1.0; L3 (0 − 1.5)/2 = −0.75.
Neediest first: L2 (−1.0), then L1 and L3 (−0.75 each; by code L1 < L3).
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from clusters.models import Tier
from core.errors import ForbiddenError, InvalidError
from network.models import ActivityStatus, OrganisationPair, PairStatus, TierSettings
from network.selectors import mentor_suggestions, pair_numbers, registry_mentors
from network.services import pairs as services
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    MentorshipFactory,
    OrganisationFactory,
    TeacherFactory,
)
from tests.network.factories import MentorProfileFactory, OrganisationPairFactory, result

pytestmark = pytest.mark.django_db

RU, MATH, PHYS = "Русский язык", "Математика", "Физика"


def build_cluster(district) -> SimpleNamespace:
    org = {code: OrganisationFactory(district=district, code=code, short_name=f"Школа {code}")
           for code in ("T1", "T2", "L1", "L2", "L3", "S1")}
    cluster = ClusterFactory(district=district, year=2021, name="Функциональная грамотность")
    tiers = {"T1": Tier.TOP, "T2": Tier.TOP, "L1": Tier.LAGGING, "L2": Tier.LAGGING, "L3": Tier.LAGGING,
             "S1": Tier.SYNCHRONOUS}
    memberships = {code: ClusterMembershipFactory(cluster=cluster, organisation=org[code], tier=tier)
                   for code, tier in tiers.items()}
    for code, mean in (("T1", "4.5"), ("T2", "4.5"), ("L1", "3.5"), ("S1", "3.5")):
        result(org[code], RU, mean)
    for code, mean in (("T1", 13), ("S1", 11), ("L3", 10), ("L1", 9), ("L2", 7)):
        result(org[code], MATH, mean)
    for code, mean in (("T1", 23), ("T2", 21), ("S1", 20), ("L2", 19), ("L3", 17)):
        result(org[code], PHYS, mean)
    return SimpleNamespace(cluster=cluster, memberships=memberships, **org)


@pytest.fixture
def net(district_a):
    return build_cluster(district_a)


def pairs_by_mentee(cluster) -> dict[str, tuple[str, str, Decimal, str]]:
    return {p.mentee_organisation.code: (p.mentor_organisation.code, p.subject, p.advantage, p.status)
            for p in OrganisationPair.objects.filter(cluster=cluster).select_related(
                "mentor_organisation", "mentee_organisation")}


def test_proposals_by_hand_capacity_two(net, methodist):
    outcome = services.propose_pairs(user=methodist, cluster=net.cluster)
    # L2 (first): Математика — T2 has no result there, so only T1: 1.5 − (−1.5) = 3.000.  T1 load 1.
    # L1: Русский язык — T1 1 − (−1) = 2, T2 1 − (−1) = 2: a tie, the lower code T1 wins.  T1 load 2.
    # L3: Физика — T1 would give 1.5 − (−1.5) = 3 but tutors 2 already; T2 0.5 − (−1.5) = 2.000.
    assert pairs_by_mentee(net.cluster) == {
        "L2": ("T1", MATH, Decimal("3.000"), PairStatus.PROPOSED),
        "L1": ("T1", RU, Decimal("2.000"), PairStatus.PROPOSED),
        "L3": ("T2", PHYS, Decimal("2.000"), PairStatus.PROPOSED),
    }
    assert [p.mentee_organisation.code for p in outcome.created] == ["L2", "L1", "L3"]  # neediest first
    assert outcome.skipped == [] and outcome.already_open == 0
    assert "Предложено новых пар: 3." in outcome.message()


def test_capacity_one_leaves_the_last_without_a_pair_and_says_why(net, methodist):
    TierSettings.objects.create(district=net.cluster.district, max_mentees=1)
    outcome = services.propose_pairs(user=methodist, cluster=net.cluster)
    # L2 → T1 (Математика, 3.000), T1 full. L1: Русский язык, T1 full → T2 (2.000), T2 full.
    # L3: Физика — T1 and T2 both full: no pair.
    assert pairs_by_mentee(net.cluster) == {
        "L2": ("T1", MATH, Decimal("3.000"), PairStatus.PROPOSED),
        "L1": ("T2", RU, Decimal("2.000"), PairStatus.PROPOSED),
    }
    assert [(s.organisation.code, s.reason) for s in outcome.skipped] == [
        ("L3", "все ТОП-организации с результатами по предмету «Физика» уже ведут по 1 паре"),
    ]
    assert "Школа L3 (L3) — без пары: все ТОП-организации" in outcome.message()


def test_top_without_results_in_the_subject_is_not_a_candidate(net, methodist):
    net.memberships["T1"].tier = Tier.SYNCHRONOUS  # only T2 is ТОП now
    net.memberships["T1"].save()
    outcome = services.propose_pairs(user=methodist, cluster=net.cluster)
    # L2: Математика — T2 has no result: no candidate. L1: Русский язык → T2 (1 − (−1) = 2.000).
    # L3: Физика → T2 (0.5 − (−1.5) = 2.000); T2 now tutors 2.
    assert pairs_by_mentee(net.cluster) == {
        "L1": ("T2", RU, Decimal("2.000"), PairStatus.PROPOSED),
        "L3": ("T2", PHYS, Decimal("2.000"), PairStatus.PROPOSED),
    }
    assert [(s.organisation.code, s.reason) for s in outcome.skipped] == [
        ("L2", "нет ТОП-организаций с результатами по предмету «Математика»"),
    ]


def test_rerun_does_not_duplicate_and_keeps_confirmed_pairs(net, methodist):
    services.propose_pairs(user=methodist, cluster=net.cluster)
    pair = OrganisationPair.objects.get(cluster=net.cluster, mentee_organisation=net.L1)
    services.confirm_pair(user=methodist, pair=pair, goal="Поднять z по русскому языку",
                          starts_on=datetime.date(2021, 9, 1))
    outcome = services.propose_pairs(user=methodist, cluster=net.cluster)
    assert outcome.created == [] and outcome.already_open == 3
    assert OrganisationPair.objects.filter(cluster=net.cluster).count() == 3
    assert pairs_by_mentee(net.cluster)["L1"] == ("T1", RU, Decimal("2.000"), PairStatus.ACTIVE)


def test_rejected_proposal_is_not_offered_again_but_the_next_top_is(net, methodist):
    services.propose_pairs(user=methodist, cluster=net.cluster)
    services.reject_pair(user=methodist, pair=OrganisationPair.objects.get(mentee_organisation=net.L1),
                         reason="T1 занята проектом")
    outcome = services.propose_pairs(user=methodist, cluster=net.cluster)
    # L1: Русский язык — T1 was refused for it; T2 (2.000, tutors only L3) takes it.
    assert [(p.mentee_organisation.code, p.mentor_organisation.code, p.advantage) for p in outcome.created] == [
        ("L1", "T2", Decimal("2.000"))]
    services.reject_pair(user=methodist, pair=OrganisationPair.objects.get(mentee_organisation=net.L2),
                         reason="Нет")
    outcome = services.propose_pairs(user=methodist, cluster=net.cluster)
    # L2: Математика — only T1 has a z there, and T1 was refused for L2.
    assert [(s.organisation.code, s.reason) for s in outcome.skipped] == [
        ("L2", "пары с ТОП-организациями по предмету «Математика» уже отклонены или завершены"),
    ]
    assert outcome.already_open == 2


def test_propose_refusals(net, methodist, director, other_methodist):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.propose_pairs(user=director, cluster=net.cluster)
    with pytest.raises(ForbiddenError):
        services.propose_pairs(user=other_methodist, cluster=net.cluster)
    assert not OrganisationPair.objects.exists()


def test_confirm_reject_complete_with_refusals(net, methodist):
    services.propose_pairs(user=methodist, cluster=net.cluster)
    pair = OrganisationPair.objects.get(mentee_organisation=net.L2)
    with pytest.raises(InvalidError) as error:
        services.confirm_pair(user=methodist, pair=pair, goal="  ", starts_on=None)
    assert set(error.value.field_errors) == {"goal", "starts_on"}
    with pytest.raises(InvalidError, match="раньше даты начала") as error:
        services.confirm_pair(user=methodist, pair=pair, goal="Цель", starts_on=datetime.date(2021, 9, 1),
                              ends_on=datetime.date(2021, 8, 31))
    assert set(error.value.field_errors) == {"ends_on"}
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED and pair.decided_by is None
    with pytest.raises(InvalidError, match="нельзя завершить"):
        services.complete_pair(user=methodist, pair=pair)
    confirmed = services.confirm_pair(user=methodist, pair=pair, goal="Цель", starts_on=datetime.date(2021, 9, 1))
    assert confirmed.status == PairStatus.ACTIVE and confirmed.decided_by == methodist and confirmed.decided_at
    with pytest.raises(InvalidError, match="нельзя отклонить"):
        services.reject_pair(user=methodist, pair=pair, reason="поздно")
    with pytest.raises(InvalidError, match="раньше даты начала"):
        services.complete_pair(user=methodist, pair=pair, ends_on=datetime.date(2021, 8, 1))
    done = services.complete_pair(user=methodist, pair=pair, ends_on=datetime.date(2022, 5, 31))
    assert (done.status, done.ends_on) == (PairStatus.COMPLETED, datetime.date(2022, 5, 31))

    other = OrganisationPair.objects.get(mentee_organisation=net.L3)
    with pytest.raises(InvalidError, match="причину"):
        services.reject_pair(user=methodist, pair=other, reason=" ")
    rejected = services.reject_pair(user=methodist, pair=other, reason="Другая форма поддержки")
    assert (rejected.status, rejected.rejection_reason) == (PairStatus.REJECTED, "Другая форма поддержки")
    with pytest.raises(InvalidError, match="отклонена — её нельзя подтвердить"):
        services.confirm_pair(user=methodist, pair=other, goal="Цель", starts_on=datetime.date(2021, 9, 1))
    other.refresh_from_db()
    assert other.status == PairStatus.REJECTED


def test_update_pair_validates_mentor_and_teachers(net, methodist):
    services.propose_pairs(user=methodist, cluster=net.cluster)
    pair = OrganisationPair.objects.get(mentee_organisation=net.L1)  # T1 → L1, Русский язык
    t1_teacher = MentorProfileFactory(teacher=TeacherFactory(organisation=net.T1)).teacher
    t2_teacher = TeacherFactory(organisation=net.T2)  # a mentor in the registry, no profile
    MentorshipFactory(mentor=t2_teacher, mentee=TeacherFactory(organisation=net.T2))
    stranger = MentorProfileFactory(teacher=TeacherFactory(organisation=net.S1)).teacher
    not_a_mentor = TeacherFactory(organisation=net.T1)
    base = dict(user=methodist, pair=pair, subject=RU, goal="", starts_on=None, ends_on=None)
    with pytest.raises(InvalidError, match="разными организациями"):
        services.update_pair(**base, mentor_organisation=net.L1, mentor_teachers=[])
    outsider = OrganisationFactory(district=net.cluster.district, code="X9")
    with pytest.raises(InvalidError, match="не входит в кластер"):
        services.update_pair(**base, mentor_organisation=outsider, mentor_teachers=[])
    with pytest.raises(InvalidError, match="одной из организаций пары"):
        services.update_pair(**base, mentor_organisation=net.T1, mentor_teachers=[t1_teacher, stranger])
    with pytest.raises(InvalidError, match="Нет в базе наставников"):
        services.update_pair(**base, mentor_organisation=net.T1, mentor_teachers=[t1_teacher, not_a_mentor])
    pair.refresh_from_db()
    assert pair.mentor_organisation == net.T1 and not pair.mentor_teachers.exists()
    # T2 instead, Физика: L1 has no Физика result → no advantage; T2's teacher is fine, T1's is not any more.
    with pytest.raises(InvalidError, match="одной из организаций пары"):
        services.update_pair(**base | {"subject": PHYS}, mentor_organisation=net.T2, mentor_teachers=[t1_teacher])
    updated = services.update_pair(**base | {"subject": MATH}, mentor_organisation=net.T2,
                                   mentor_teachers=[t2_teacher])
    # Математика: T2 has no z → advantage None.
    assert (updated.mentor_organisation, updated.subject, updated.advantage) == (net.T2, MATH, None)
    assert list(updated.mentor_teachers.all()) == [t2_teacher] and updated.decided_by == methodist
    # Back to T1 in Математика: 1.5 − (−0.5) = 2.000.
    updated = services.update_pair(**base | {"subject": MATH}, mentor_organisation=net.T1, mentor_teachers=[])
    assert updated.advantage == Decimal("2.000")


def test_activities_by_both_schools_and_refusals(net, methodist):
    from core.roles import Role
    from tests.factories import UserFactory

    services.propose_pairs(user=methodist, cluster=net.cluster)
    pair = OrganisationPair.objects.get(mentee_organisation=net.L1)
    mentor_admin = UserFactory(role=Role.SCHOOL_ADMIN, organisation=net.T1)
    mentee_admin = UserFactory(role=Role.SCHOOL_ADMIN, organisation=net.L1)
    third_admin = UserFactory(role=Role.SCHOOL_ADMIN, organisation=net.T2)
    data = {"form": "mutual_visit", "topic": "Взаимопосещение уроков", "held_on": datetime.date(2021, 10, 5),
            "responsible": "Иванова А.А.", "status": ActivityStatus.PLANNED, "result": ""}
    activity = services.create_activity(user=mentor_admin, pair=pair, data=data)
    with pytest.raises(InvalidError, match="результат"):
        services.update_activity(user=mentee_admin, activity=activity, data=data | {"status": ActivityStatus.DONE})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED
    services.update_activity(user=mentee_admin, activity=activity,
                             data=data | {"status": ActivityStatus.DONE, "result": "Посещено 4 урока"})
    activity.refresh_from_db()
    assert (activity.status, activity.updated_by) == (ActivityStatus.DONE, mentee_admin)
    with pytest.raises(ForbiddenError):
        services.create_activity(user=third_admin, pair=pair, data=data)
    services.create_activity(user=methodist, pair=pair, data=data)
    services.delete_activity(user=mentee_admin, activity=activity)
    assert pair.activities.count() == 1
    services.reject_pair(user=methodist, pair=pair, reason="Нет")
    with pytest.raises(InvalidError, match="план мероприятий не меняется"):
        services.create_activity(user=mentor_admin, pair=pair, data=data)


def test_mentor_suggestions_subject_first_then_others(net, methodist):
    services.propose_pairs(user=methodist, cluster=net.cluster)
    pair = OrganisationPair.objects.get(mentee_organisation=net.L1)  # T1, Русский язык
    physics = MentorProfileFactory(teacher=TeacherFactory(organisation=net.T1, full_name="Аникина А.А."),
                                   subjects="Физика")
    russian = MentorProfileFactory(teacher=TeacherFactory(organisation=net.T1, full_name="Яковлева Я.Я."),
                                   subjects="литература, русский язык")
    MentorProfileFactory(teacher=TeacherFactory(organisation=net.T1), subjects=RU, is_active=False)
    MentorProfileFactory(teacher=TeacherFactory(organisation=net.T2), subjects=RU)  # another organisation
    assert mentor_suggestions(pair) == [russian, physics]
    mentor = TeacherFactory(organisation=net.T1, full_name="Борисова Б.Б.")
    MentorshipFactory(mentor=mentor, mentee=TeacherFactory(organisation=net.T1))
    assert registry_mentors(pair) == [mentor]


def test_pair_numbers_explain_the_proposal(net, methodist):
    services.propose_pairs(user=methodist, cluster=net.cluster)
    numbers = pair_numbers(OrganisationPair.objects.get(mentee_organisation=net.L3))
    # T2 → L3, Физика: z 0.5 and −1.5, difference 2.000; L3's index −0.75, T2's (1 + 0.5)/2 = 0.75.
    assert (numbers["mentor"].subject_z, numbers["mentee"].subject_z, numbers["difference"]) == (
        Decimal("0.500"), Decimal("-1.500"), Decimal("2.000"))
    assert (numbers["mentor"].index, numbers["mentee"].index) == (Decimal("0.750"), Decimal("-0.750"))
    assert (numbers["mentor"].tier, numbers["mentee"].tier) == ("ТОП", "отстающая")
    assert (numbers["weakest_subject"], numbers["year"]) == (PHYS, 2020)


def test_load_counts_open_pairs_in_every_cluster_of_the_year(net, methodist):
    other = ClusterFactory(district=net.cluster.district, year=2021, name="Естественно-научная грамотность")
    for code in ("X1", "X2"):
        OrganisationPairFactory(cluster=other, mentor_organisation=net.T1, status=PairStatus.ACTIVE,
                                mentee_organisation=OrganisationFactory(district=net.cluster.district, code=code))
    # A completed pair of T1 in 2021 and an open one in 2020 do not count.
    OrganisationPairFactory(cluster=other, mentor_organisation=net.T1, status=PairStatus.COMPLETED)
    OrganisationPairFactory(cluster=ClusterFactory(district=net.cluster.district, year=2020),
                            mentor_organisation=net.T1, status=PairStatus.ACTIVE)
    outcome = services.propose_pairs(user=methodist, cluster=net.cluster)
    # T1 already tutors 2 in 2021. L2: Математика — only T1 → full. L1 → T2 (2.000); L3 → T2 (2.000).
    assert pairs_by_mentee(net.cluster) == {
        "L1": ("T2", RU, Decimal("2.000"), PairStatus.PROPOSED),
        "L3": ("T2", PHYS, Decimal("2.000"), PairStatus.PROPOSED),
    }
    assert [(s.organisation.code, s.reason) for s in outcome.skipped] == [
        ("L2", "все ТОП-организации с результатами по предмету «Математика» уже ведут по 2 пары"),
    ]
