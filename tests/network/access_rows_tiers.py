"""Access-matrix rows (tests/test_access_matrix.py) of the network app's tiers pages.

network.view (M, D, OBS of the district) reads the tiers; network.edit (M) recomputes, overrides and sets the
thresholds. A school administrator does not open the tiers pages (403); another district's objects are 404.
The page with `?cluster=<id>` is walked by the link walk from the cluster picker and tested per persona in
tests/network/test_tiers_views.py.
"""
from tests.test_access_matrix import POST_ONLY, WRITER_NEW, WRITER_OBJECT, Row, pk

#                       anon met dir obs sa  osa ometh padm
NETWORK_READ_LIST = "L 200 200 200 403 403 200 403"

ROWS: dict = {
    "network:tiers": Row(NETWORK_READ_LIST),
    "network:tier_settings": Row(WRITER_NEW),
    "network:tiers_recompute": Row(POST_ONLY, pk("cluster")),
    "network:tier_override": Row(WRITER_OBJECT, pk("membership")),
    "network:tier_clear": Row(POST_ONLY, pk("membership")),
}
