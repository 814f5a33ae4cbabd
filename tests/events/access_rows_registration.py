"""Access-matrix rows (tests/test_access_matrix.py) of registration, attendance, the QR check-in and the public
event page. The public page needs "events_public" in the matrix's PUBLIC_NAMESPACES."""
from events.services.registration import hash_ticket
from tests.events.factories import OpenEventFactory, RegistrationFactory, TodayEventFactory
from tests.test_access_matrix import POST_ONLY, Row, once

MATRIX_TICKET = "matrix-event-ticket-0123456789abcdef"


def _open_event(w):
    """A planned event of district A ten days ahead with registration open (and a public page)."""
    event = OpenEventFactory(district=w.district_a, title="Мастер-класс (матрица)", public_code="matrix-open")
    RegistrationFactory(event=event, teacher=w.teacher)
    return event


def _today_event(w):
    """An event of district A held today; the teacher registered with the known ticket."""
    event = TodayEventFactory(district=w.district_a, title="Методический день (матрица)", public_code="matrix-today")
    RegistrationFactory(event=event, teacher=w.mentee, ticket_hash=hash_ticket(MATRIX_TICKET))
    return event


open_event = once(_open_event)
today_event = once(_today_event)
registration = once(lambda w: open_event(w).registrations.get())

#                       anon met dir obs sa  osa ometh padm
ROWS: dict = {
    # events.register (school administrators: any event of their district) | events.plan (methodists)
    "events:register": Row("L 200 403 403 200 200 404 403", lambda w: {"pk": open_event(w).pk}),
    "events:registration_cancel": Row(POST_ONLY, lambda w: {"pk": registration(w).pk}),
    "events:tickets": Row("L 200 403 403 200 200 404 403", lambda w: {"pk": open_event(w).pk}),
    # events.attendance: methodists of the event's district
    "events:attendance": Row("L 200 403 403 403 403 404 403", lambda w: {"pk": today_event(w).pk}),
    "events:checkin": Row("L 200 403 403 403 403 404 403",
                          lambda w: (today_event(w), {"ticket": MATRIX_TICKET})[1]),
    # the public page: everybody, no account
    "events_public:event": Row(" ".join(["200"] * 8), lambda w: {"code": open_event(w).public_code}),
}
