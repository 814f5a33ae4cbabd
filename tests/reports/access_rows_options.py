"""Access-matrix rows (tests/test_access_matrix.py) of a report's options page and the author's withdrawal.

«Параметры документа» is the text editor's sibling (the workflow's "edit" row: reports.author, the district's
draft); withdrawing is a POST-only button (the service checks that the methodist is the author, see
tests/reports/test_report_options.py).
"""
from tests.reports.workflow_support import matrix_reports
from tests.test_access_matrix import Row

#                   anon met dir obs sa  osa ometh padm
EDIT_DRAFT = "L 200 403 403 403 403 404 403"
POST_ONLY = "L 405 405 405 405 405 405 405"

ROWS: dict = {
    "reports:report_options": Row(EDIT_DRAFT, lambda w: {"pk": matrix_reports(w).draft.pk}),
    "reports:report_withdraw": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).draft.pk}),
}
