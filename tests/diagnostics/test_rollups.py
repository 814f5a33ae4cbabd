"""Roll-ups worked out by hand: 6 teachers in 2 organisations, competency area «методические», 2021.

    organisation A: 0,400  0,600  0,450  0,800  → deficits (< 0,5) 2 of 4 = 0,500; mean 2,25 / 4 = 0,5625 → 0,563
    organisation B: 0,300  0,900                → deficits 1 of 2 = 0,500;           mean 1,2 / 2 = 0,600
    district:                                     deficits 3 of 6 = 0,500;           mean 3,45 / 6 = 0,575
Teacher A1 also submitted earlier in 2021 (0,900: superseded by the later 0,400) and in 2020 (0,200 — the 2020
column). Cluster «Север» of 2021 has organisation A only.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from diagnostics import disclosure, rollups
from diagnostics.models import Family, InvitationStatus, LevelSettings
from tests.diagnostics.factories import AreaScoreFactory, DiagnosticCampaignFactory, InvitationFactory, area
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory, TeacherFactory

D = Decimal
METHODICAL = "comp-methodical"


def submit(campaign, teacher, score, *, days_ago=1, code=METHODICAL):
    invitation = InvitationFactory(campaign=campaign, teacher=teacher, status=InvitationStatus.SUBMITTED,
                                   submitted_at=timezone.now() - dt.timedelta(days=days_ago))
    AreaScoreFactory(invitation=invitation, area=area(code), score=D(score))
    return invitation


def small_district(district):
    org_a = OrganisationFactory(district=district, short_name="Школа А")
    org_b = OrganisationFactory(district=district, short_name="Школа Б")
    teachers_a = [TeacherFactory(organisation=org_a) for _ in range(4)]
    teachers_b = [TeacherFactory(organisation=org_b) for _ in range(2)]
    c2021 = DiagnosticCampaignFactory(district=district, instrument__district=district,
                                      instrument__family=Family.COMPETENCIES, year=2021)
    c2021b = DiagnosticCampaignFactory(district=district, instrument=c2021.instrument, year=2021)
    c2020 = DiagnosticCampaignFactory(district=district, instrument=c2021.instrument, year=2020)
    submit(c2021b, teachers_a[0], "0.900", days_ago=10)  # earlier in 2021: superseded
    for teacher, score in zip(teachers_a + teachers_b, ["0.400", "0.600", "0.450", "0.800", "0.300", "0.900"],
                              strict=True):
        submit(c2021, teacher, score)
    submit(c2020, teachers_a[0], "0.200", days_ago=400)
    cluster = ClusterFactory(district=district, year=2021, name="Север")
    ClusterMembershipFactory(cluster=cluster, organisation=org_a)
    return org_a, org_b, cluster


@pytest.mark.django_db
def test_deficit_shares_and_means_by_hand(district_a):
    org_a, org_b, cluster = small_district(district_a)
    methodical = area(METHODICAL).pk
    district = rollups.district_by_area(district_a.pk, 2021, Family.COMPETENCIES)[methodical]
    assert (district.teachers, district.deficits, district.deficit_share, district.mean) == (6, 3, D("0.500"),
                                                                                             D("0.575"))
    organisations = rollups.organisation_by_area(district_a.pk, 2021, Family.COMPETENCIES)
    a, b = organisations[(org_a.pk, methodical)], organisations[(org_b.pk, methodical)]
    assert (a.teachers, a.deficits, a.deficit_share, a.mean) == (4, 2, D("0.500"), D("0.563"))
    assert (b.teachers, b.deficits, b.deficit_share, b.mean) == (2, 1, D("0.500"), D("0.600"))
    north = rollups.cluster_by_area(district_a.pk, 2021, Family.COMPETENCIES)
    assert north == {(cluster.pk, methodical): a}


@pytest.mark.django_db
def test_index_by_year_and_threshold(district_a):
    org_a, _, _ = small_district(district_a)
    methodical = area(METHODICAL).pk
    table = rollups.index_by_year(district_a.pk, Family.COMPETENCIES)
    assert table[(methodical, 2021)].mean == D("0.575")
    assert (table[(methodical, 2020)].teachers, table[(methodical, 2020)].mean) == (1, D("0.200"))
    only_a = rollups.index_by_year(district_a.pk, Family.COMPETENCIES, organisation_ids=[org_a.pk])
    assert only_a[(methodical, 2021)].teachers == 4
    # The district raises its threshold to 0,65: 0,400 0,600 0,450 0,300 are deficits → 4 of 6.
    LevelSettings.objects.create(district=district_a, deficit_below=D("0.65"), high_from=D("0.8"))
    assert rollups.district_by_area(district_a.pk, 2021, Family.COMPETENCIES)[methodical].deficits == 4
    assert rollups.years_with_results(district_a.pk, Family.COMPETENCIES) == [2021, 2020]


@pytest.mark.django_db
def test_other_district_and_family_left_out(district_a, district_b):
    small_district(district_a)
    assert rollups.district_by_area(district_b.pk, 2021, Family.COMPETENCIES) == {}
    assert rollups.district_by_area(district_a.pk, 2021, Family.TEACHER_DEFICITS) == {}


@pytest.mark.django_db
def test_observer_disclosure_hides_small_groups(district_a):
    """A 4 and B 2 teachers: both below 5, hidden; the cluster «Север» (= A, 4) too."""
    org_a, org_b, cluster = small_district(district_a)
    shown = disclosure.shown_groups(district_a.pk, Family.COMPETENCIES)
    assert shown[(area(METHODICAL).pk, 2021)] == frozenset()


@pytest.mark.django_db
def test_observer_disclosure_hides_a_large_group_whose_residual_is_small(district_a):
    """A 5, C 6 and B 1 teacher(s): A and C pass the size test, but the district (12) minus A and C leaves B's one
    teacher — so the smaller shown one, A, is hidden as well (residual then B + A = 6 ≥ 5). Cluster «Юг» = C + B
    (7 teachers) does not nest with... it does: {C, B} ⊂ district; shown, its residual over C is B alone (1) → C
    is hidden instead, and the district's residual over «Юг» is A (5) — fine."""
    org_a = OrganisationFactory(district=district_a, short_name="А")
    org_b = OrganisationFactory(district=district_a, short_name="Б")
    org_c = OrganisationFactory(district=district_a, short_name="В")
    campaign = DiagnosticCampaignFactory(district=district_a, instrument__district=district_a,
                                         instrument__family=Family.COMPETENCIES, year=2021)
    for organisation, count in ((org_a, 5), (org_b, 1), (org_c, 6)):
        for _ in range(count):
            submit(campaign, TeacherFactory(organisation=organisation), "0.500")
    key = (area(METHODICAL).pk, 2021)
    assert disclosure.shown_groups(district_a.pk, Family.COMPETENCIES)[key] == {("organisation", org_c.pk)}
    south = ClusterFactory(district=district_a, year=2021, name="Юг")
    ClusterMembershipFactory(cluster=south, organisation=org_c)
    ClusterMembershipFactory(cluster=south, organisation=org_b)
    assert disclosure.shown_groups(district_a.pk, Family.COMPETENCIES)[key] == {
        ("organisation", org_a.pk), ("cluster", south.pk)}
