"""Access-matrix rows (tests/test_access_matrix.py) of the diagnostics routes pages.

Read: diagnostics.view (methodists, director: the district) and diagnostics.school (own organisation);
edit and approve: diagnostics.school only (methodists and the director read). w.route is a route of a teacher
of school A, so the other school's administrator gets 404 and the other district's methodist an empty list.
"""
from tests.test_access_matrix import Row, once, pk

#            anon met dir obs sa  osa ometh padm
READ_LIST = "L 200 200 403 200 200 200 403"
READ_OBJECT = "L 200 200 403 200 404 404 403"
SCHOOL_FORM = "L 403 403 403 200 404 403 403"
SCHOOL_POST = "L 403 403 403 405 405 403 403"


def _step(w):
    from diagnostics.models import RouteStep, StepKind

    return RouteStep.objects.create(route=w.route, position=1, kind=StepKind.OTHER, title="Посетить открытые уроки")


route_step = once(_step)

ROWS: dict = {
    "diagnostics:routes": Row(READ_LIST),
    "diagnostics:route_detail": Row(READ_OBJECT, pk("route")),
    "diagnostics:route_approve": Row(SCHOOL_POST, pk("route")),
    "diagnostics:route_step_create": Row(SCHOOL_FORM, pk("route")),
    "diagnostics:route_mentors": Row(SCHOOL_FORM, pk("route")),
    "diagnostics:route_step_update": Row(SCHOOL_FORM, lambda w: {"pk": route_step(w).pk}),
    "diagnostics:route_step_delete": Row(SCHOOL_POST, lambda w: {"pk": route_step(w).pk}),
}
