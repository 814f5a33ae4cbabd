"""The start page's queues stay usable on a phone (390 px): no sideways scrolling, the counters visible."""
import pytest

from tests.test_home_queues import methodist_world, school_world  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("persona", "queue"), [
    ("methodist", "queue-methodist"), ("director", "queue-director"), ("observer", "queue-observer"),
    ("school_admin", "queue-school-admin"),
])
def test_queues_fit_a_phone(request, persona, queue, methodist_world, school_world, login_as, screenshot):  # noqa: F811
    page = login_as(request.getfixturevalue(persona))
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id(queue).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "home-390")
