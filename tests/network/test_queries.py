"""No N+1 on the network pages: the number of queries a page makes does not grow with its rows.

Each page is opened at N = 3 and again after the data grew to 4N = 12 (organisations with results in a
cluster, pairs with activities and mentor teachers, practices with tags, files and pairs, mentors,
district procedures); the two counts must be equal. Every page is measured as the methodist, and as the
school administrator where the page serves them (their organisation school_a is the ТОП side of every
pair, has results in a growing number of subjects and authors the practices).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import Cluster, ClusterMembership, Tier, TierSource
from network.models import OrganisationPair, Practice, PracticeFile
from network.services.tiers import apply_computed_tiers, override_tier
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory, TeacherFactory
from tests.network.factories import (
    MentorProfileFactory,
    OrganisationPairFactory,
    PairActivityFactory,
    PracticeFactory,
    PracticeTagFactory,
    ProcedureFactory,
    result,
)

pytestmark = pytest.mark.django_db

N, GROWN = 3, 12


@dataclass
class Net:
    """The growing data: one cluster, one pair and one practice whose detail pages grow too."""

    cluster: Cluster
    pair: OrganisationPair | None = None
    practice: Practice | None = None
    size: int = 0
    members: list = field(default_factory=list)


def grow(net: Net, district, school, methodist, to: int) -> None:
    """Add rows until every kind has `to` of them (each step: one more of everything)."""
    for i in range(net.size, to):
        org = OrganisationFactory(district=district)
        membership = ClusterMembershipFactory(cluster=net.cluster, organisation=org)
        net.members.append(membership)
        # Results of the year before the cluster's (tiers come from them) in two subjects, and the
        # school's own results in one more subject each step (the school administrator's list grows).
        result(org, "Математика", 3.2 + i / 10, year=2020)
        result(org, "Русский язык", 3.4 + i / 20, year=2020)
        result(school, f"Предмет {i}", 4.1, year=2020)
        ProcedureFactory(district=district)
        pair = OrganisationPairFactory(cluster=net.cluster, mentor_organisation=school, mentee_organisation=org,
                                       decided_by=methodist)
        net.pair = net.pair or pair
        PairActivityFactory(pair=net.pair, topic=f"Мастер-класс {i}", updated_by=methodist,
                            held_on=datetime.date(2021, 10, 1) + datetime.timedelta(days=i))
        teacher = TeacherFactory(organisation=school)
        MentorProfileFactory(teacher=teacher)
        net.pair.mentor_teachers.add(teacher)
        practice = PracticeFactory(district=district, organisation=school, cluster=net.cluster,
                                   is_verified=bool(i % 2), verified_by=methodist if i % 2 else None,
                                   created_by=methodist)
        net.practice = net.practice or practice
        tag = PracticeTagFactory(district=district)
        practice.tags.add(tag)
        net.practice.tags.add(tag)
        net.practice.pairs.add(pair)
        PracticeFile.objects.create(practice=net.practice, file=ContentFile(b"%PDF-1.4 x", name=f"p{i}.pdf"),
                                    original_name=f"Разработка {i}.pdf", content_type="application/pdf", size=10)
    net.size = to
    apply_computed_tiers(district=district, year=net.cluster.year, user=methodist)
    # An override with a reason: the history shown on the tiers page grows with the members too.
    override_tier(user=methodist, membership=net.members[-1], tier=Tier.TOP, reason="Решение методсовета")


PAGES = {
    "results": lambda net, school: reverse("network:results"),
    "procedures": lambda net, school: reverse("network:procedures"),
    "tiers picker": lambda net, school: reverse("network:tiers"),
    "tiers of a cluster": lambda net, school: f"{reverse('network:tiers')}?cluster={net.cluster.pk}",
    "pairs": lambda net, school: reverse("network:pairs"),
    "pair detail": lambda net, school: reverse("network:pair_detail", args=[net.pair.pk]),
    "practices": lambda net, school: reverse("network:practices"),
    "practice detail": lambda net, school: reverse("network:practice_detail", args=[net.practice.pk]),
    "mentors": lambda net, school: reverse("network:mentors"),
    "organisation": lambda net, school: reverse("clusters:organisation_detail", args=[school.pk]),
    "cluster": lambda net, school: reverse("clusters:cluster_detail", args=[net.cluster.pk]),
}
# Pages a school administrator opens (network.view_own / view_practices); tiers, procedures and
# mentors are the district's readers' only.
SCHOOL_PAGES = ["results", "pairs", "pair detail", "practices", "practice detail", "organisation", "cluster"]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def counts(client, url_of, district_a, school_a, methodist) -> tuple[int, int, list[str]]:
    net = Net(cluster=ClusterFactory(district=district_a, year=2021))
    ClusterMembershipFactory(cluster=net.cluster, organisation=school_a)
    grow(net, district_a, school_a, methodist, N)
    url = url_of(net, school_a)
    client.get(url)  # warm the per-process caches (content types, settings rows) out of the count
    small = queries(client, url)
    grow(net, district_a, school_a, methodist, GROWN)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    big = len(captured.captured_queries)
    return small, big, [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("page", list(PAGES))
def test_methodist_page_queries_do_not_grow(page, methodist_client, district_a, school_a, methodist):
    small, big, sql = counts(methodist_client, PAGES[page], district_a, school_a, methodist)
    assert small == big, f"{page} (methodist): {small} queries at N={N}, {big} at {GROWN}\n" + "\n".join(sql)


@pytest.mark.parametrize("page", SCHOOL_PAGES)
def test_school_admin_page_queries_do_not_grow(page, school_admin_client, district_a, school_a, methodist):
    small, big, sql = counts(school_admin_client, PAGES[page], district_a, school_a, methodist)
    assert small == big, f"{page} (school administrator): {small} queries at N={N}, {big} at {GROWN}\n" \
        + "\n".join(sql)


def test_the_pages_show_the_grown_rows(methodist_client, school_admin_client, district_a, school_a, methodist):
    """The counts above are of pages that do show the rows (not of empty or paginated-away ones: a list
    page holds 50 rows, the largest list here has 12 × 3 = 36 results)."""
    net = Net(cluster=ClusterFactory(district=district_a, year=2021))
    ClusterMembershipFactory(cluster=net.cluster, organisation=school_a)
    grow(net, district_a, school_a, methodist, GROWN)
    last_org = net.members[-1].organisation
    last_teacher = net.pair.mentor_teachers.order_by("-pk").first().full_name
    last_tag = district_a.practice_tags.order_by("-pk").first().name
    expected = {
        "results": [last_org.short_name, "Предмет 11"],
        "pairs": [last_org.short_name],
        "pair detail": ["Мастер-класс 11", last_teacher],
        "practices": [Practice.objects.order_by("-pk").first().title],
        "practice detail": ["Разработка 11.pdf", last_tag, last_org.short_name],
        "mentors": [last_teacher],
        "tiers picker": [net.cluster.name],
        "tiers of a cluster": [last_org.short_name, "Решение методсовета"],
        "organisation": ["Предмет 11", last_org.short_name, net.practice.title],
        "cluster": [last_org.short_name],
    }
    for page, texts in expected.items():
        html = methodist_client.get(PAGES[page](net, school_a)).content.decode()
        for text in texts:
            assert text in html, f"{page}: «{text}» missing"
    for page in ["results", "pairs", "pair detail", "practices", "organisation"]:
        html = school_admin_client.get(PAGES[page](net, school_a)).content.decode()
        assert expected[page][-1] in html, f"{page} (school administrator): «{expected[page][-1]}» missing"
    # The tiers were computed from the results (all but the overridden last member).
    sources = [ClusterMembership.objects.get(pk=m.pk).tier_source for m in net.members]
    assert sources == [TierSource.COMPUTED] * (GROWN - 1) + [TierSource.OVERRIDE]
