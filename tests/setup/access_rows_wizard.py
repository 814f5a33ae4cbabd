"""Access-matrix rows (tests/test_access_matrix.py) of the setup wizard: the portal admin only; the
invitation link is public (a wrong token shows the page that says so)."""
from tests.test_access_matrix import Row, pk

#                anon met dir obs sa  osa ometh padm
ADMIN_ONLY = "L 403 403 403 403 403 403 200"

ROWS: dict = {
    "setup:wizard": Row(ADMIN_ONLY),
    "setup:district_new": Row(ADMIN_ONLY),
    "setup:district": Row(ADMIN_ONLY, pk("district_a")),
    "setup:users": Row(ADMIN_ONLY, pk("district_a")),
    "setup:programme": Row(ADMIN_ONLY, pk("district_a")),
    "setup:checklist": Row(ADMIN_ONLY, pk("district_a")),
    "setup_public:invitation": Row("200 200 200 200 200 200 200 200",
                                   lambda w: {"uidb64": "MQ", "token": "wrong-token"}),
}
