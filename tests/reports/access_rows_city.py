"""Access-matrix rows (tests/test_access_matrix.py) of the city справка (reports/views/city.py).

reports.city: the city role and the portal admin; district roles are refused (403). Without parameters the
page is the form (200).
"""
from tests.test_access_matrix import Row

#             anon met dir obs sa  osa ometh padm
CITY_ONLY = "L 403 403 403 403 403 403 200"

ROWS: dict = {
    "reports:city_report": Row(CITY_ONLY),
}
