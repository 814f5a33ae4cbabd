"""Access-matrix rows (tests/test_access_matrix.py) of the network app's pairs pages.

The pair: school A (school_admin's) tutors a third school of district A in w.cluster (2021), so the other
school administrator (school B) is outside it (404), as is the other district's methodist.
"""
from clusters.models import Tier
from network.models import PairStatus
from tests.factories import ClusterMembershipFactory, OrganisationFactory
from tests.network.factories import OrganisationPairFactory, PairActivityFactory
from tests.test_access_matrix import Row, once


def _pair(w):
    mentee = OrganisationFactory(district=w.district_a, code="OU-PAIR", short_name="ГБОУ СОШ № 9")
    w.membership.tier = Tier.TOP
    w.membership.save()
    ClusterMembershipFactory(cluster=w.cluster, organisation=mentee, tier=Tier.LAGGING)
    return OrganisationPairFactory(cluster=w.cluster, mentor_organisation=w.school_a, mentee_organisation=mentee,
                                   status=PairStatus.PROPOSED, subject="Математика")


pair = once(_pair)
activity = once(lambda w: PairActivityFactory(pair=pair(w)))

#                 anon met dir obs sa  osa ometh padm
READ_LIST = "L 200 200 200 200 200 200 403"  # network.view | network.view_own, scoped list
READ_PAIR = "L 200 200 200 200 404 404 403"  # … a pair of school A (not school B's)
DECIDE = "L 200 403 403 403 403 404 403"  # network.edit: the district's methodist
ACTIVITIES = "L 200 403 403 200 404 404 403"  # network.update_pair_activities: methodist, school of the pair

ROWS: dict = {
    "network:pairs": Row(READ_LIST),
    "network:pairs_propose": Row("L 405 403 403 403 403 405 403"),  # POST only, network.edit
    "network:pair_detail": Row(READ_PAIR, lambda w: {"pk": pair(w).pk}),
    "network:pair_update": Row(DECIDE, lambda w: {"pk": pair(w).pk}),
    "network:pair_confirm": Row(DECIDE, lambda w: {"pk": pair(w).pk}),
    "network:pair_reject": Row(DECIDE, lambda w: {"pk": pair(w).pk}),
    "network:pair_complete": Row(DECIDE, lambda w: {"pk": pair(w).pk}),
    "network:activity_create": Row(ACTIVITIES, lambda w: {"pair_pk": pair(w).pk}),
    "network:activity_update": Row(ACTIVITIES, lambda w: {"pk": activity(w).pk}),
    "network:activity_delete": Row(ACTIVITIES, lambda w: {"pk": activity(w).pk}),
}
