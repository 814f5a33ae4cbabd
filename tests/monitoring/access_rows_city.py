"""Access-matrix rows (tests/test_access_matrix.py) of the city comparison (monitoring/views_city.py).

monitoring.compare_districts: the city role and the portal admin; every district role is refused (403). The
city role itself is not a column of the matrix: tests/test_city_access.py walks every row as a city user.
"""
from tests.test_access_matrix import Row

#             anon met dir obs sa  osa ometh padm
CITY_ONLY = "L 403 403 403 403 403 403 200"

ROWS: dict = {
    "monitoring:city_comparison": Row(CITY_ONLY),
    "monitoring:city_comparison_export": Row(CITY_ONLY),
}
