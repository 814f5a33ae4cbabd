"""Access-matrix rows (tests/test_access_matrix.py) of the network app's results pages.

Results are read with network.view (M, D, OBS: the district's) or network.view_own (S: their
organisation's); the other district's methodist gets their own, empty district (200, nothing of A).
Import, template and the district's procedures are written with network.edit (M).
"""
from tests.network.factories import ProcedureFactory
from tests.test_access_matrix import Row, once

own_procedure = once(lambda w: ProcedureFactory(district=w.district_a, name="Диагностика района А"))

#            anon met dir obs sa  osa ometh padm
READ = "L 200 200 200 200 200 200 403"  # network.view | network.view_own, scoped list / file
EDIT_PAGE = "L 200 403 403 403 403 200 403"  # network.edit, no object
DISTRICT_READ = "L 200 200 200 403 403 200 403"  # network.view

ROWS: dict = {
    "network:results": Row(READ),
    "network:results_export": Row(READ),
    "network:results_import": Row(EDIT_PAGE),
    "network:results_template": Row(EDIT_PAGE),
    "network:procedures": Row(DISTRICT_READ),
    "network:procedure_create": Row(EDIT_PAGE),
    "network:procedure_delete": Row("L 200 403 403 403 403 404 403", lambda w: {"pk": own_procedure(w).pk}),
}
