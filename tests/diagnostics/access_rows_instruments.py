"""Access-matrix rows (tests/test_access_matrix.py) of the diagnostics instruments pages.

Reading: diagnostics.view (methodist, director; another district's methodist reads its own district's list and
gets 404 on district A's instrument); writing: diagnostics.build (methodist). The objects are district A's own,
unanswered instrument and one of its items (a shipped or answered one would send the write pages back, 302)."""
from tests.diagnostics.factories import InstrumentFactory, ItemFactory
from tests.test_access_matrix import Row, once

#            anon met dir obs sa  osa ometh padm
VIEW_LIST = "L 200 200 403 403 403 200 403"
VIEW_OBJECT = "L 200 200 403 403 403 404 403"
BUILD_OBJECT = "L 200 403 403 403 403 404 403"
POST_ONLY = "L 405 405 405 405 405 405 405"

own_instrument = once(lambda w: InstrumentFactory(district=w.district_a, code="matrix-instrument"))
own_item = once(lambda w: ItemFactory(instrument=own_instrument(w)))

ROWS: dict = {
    "diagnostics:instruments": Row(VIEW_LIST),
    "diagnostics:instrument_detail": Row(VIEW_OBJECT, lambda w: {"pk": own_instrument(w).pk}),
    "diagnostics:instrument_copy": Row(POST_ONLY, lambda w: {"pk": own_instrument(w).pk}),
    "diagnostics:instrument_update": Row(BUILD_OBJECT, lambda w: {"pk": own_instrument(w).pk}),
    "diagnostics:item_create": Row(BUILD_OBJECT, lambda w: {"pk": own_instrument(w).pk}),
    "diagnostics:item_update": Row(BUILD_OBJECT, lambda w: {"pk": own_item(w).pk}),
    "diagnostics:item_delete": Row(BUILD_OBJECT, lambda w: {"pk": own_item(w).pk}),
}
