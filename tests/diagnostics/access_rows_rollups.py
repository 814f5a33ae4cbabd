"""Access-matrix rows (tests/test_access_matrix.py) of the diagnostics rollups pages."""
from tests.test_access_matrix import Row  # noqa: F401

ROWS: dict = {}
