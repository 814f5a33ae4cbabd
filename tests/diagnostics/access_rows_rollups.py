"""Access-matrix rows (tests/test_access_matrix.py) of the diagnostics rollups pages: diagnostics.view_rollups
(methodists, the director and observers of the district; another district's methodist sees their own district)."""
from tests.test_access_matrix import Row

#                 anon met dir obs sa  osa ometh padm
ROLLUPS_LIST = "L 200 200 200 403 403 200 403"

ROWS: dict = {
    "diagnostics:deficit_map": Row(ROLLUPS_LIST),
    "diagnostics:competency_index": Row(ROLLUPS_LIST, query="?scope=district"),
}
