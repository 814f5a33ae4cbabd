"""Access-matrix rows (tests/test_access_matrix.py) of the annual plan.

Reading (events.view): methodists, the director, observers and school administrators — their district's plan (the
other district's methodist sees their own, empty, plan; an event of district A is a 404 to them). Writing
(events.plan): methodists of the district only."""
from tests.events.factories import DistrictEventFormFactory
from tests.test_access_matrix import POST_ONLY, Row, once, pk

#                     anon met dir obs sa  osa ometh padm
PLAN_READ = "L 200 200 200 200 200 200 403"
EVENT_READ = "L 200 200 200 200 200 404 403"
PLAN_WRITE = "L 200 403 403 403 403 200 403"
OBJECT_WRITE = "L 200 403 403 403 403 404 403"

district_form = once(lambda w: DistrictEventFormFactory(district=w.district_a, name="Педагогическая гостиная"))

ROWS: dict = {
    "events:plan": Row(PLAN_READ, query="?year=2021"),
    "events:plan_xlsx": Row(PLAN_READ, query="?year=2021"),
    "events:plan_pdf": Row(PLAN_READ, query="?year=2021"),
    "events:plan_import": Row(PLAN_WRITE),
    "events:plan_import_template": Row(PLAN_WRITE),
    "events:forms": Row(PLAN_WRITE),
    "events:form_rename": Row(OBJECT_WRITE, lambda w: {"pk": district_form(w).pk}),
    "events:form_delete": Row(POST_ONLY, lambda w: {"pk": district_form(w).pk}),
    "events:create": Row(PLAN_WRITE),
    "events:detail": Row(EVENT_READ, pk("event")),
    "events:update": Row(OBJECT_WRITE, pk("event")),
    "events:status": Row(POST_ONLY, pk("event")),
}
