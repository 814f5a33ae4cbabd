"""The start page's work queues in a real browser on a laptop (1366 px) and a phone (390 px): each role's
numbers as worked out by hand, every number a link that opens the list it counts, the page never wider
than the screen, the queue cards side by side on the laptop and stacked on the phone."""
import os
from urllib.parse import parse_qs, urlparse

import pytest

from tests.test_home_queues import _signed, director_world, methodist_world, school_world  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e

WIDTHS = {1366: 800, 390: 844}

# persona → (the world it is shown — tests/test_home_queues.py's, one at a time, so the numbers are the ones
#            worked out there —, its queue, {counter: number}, the counter to follow, the list it opens)
CASES = {
    "methodist": ("methodist_world", "queue-methodist",
                  {"queue-own-drafts": 2, "queue-own-returned": 1, "queue-surveys-closing": 2,
                   "queue-diagnostics-closing": 1, "queue-failed-jobs": 1, "queue-events": 1},
                  "queue-own-returned", ("/reports/", {"status": ["returned"]})),
    "director": ("director_world", "queue-director",
                 {"queue-reports-submitted": 2, "queue-reports-approved": 1, "queue-periods": 1},
                 "queue-reports-submitted", ("/reports/", {"status": ["submitted"]})),
    "school_admin": ("school_world", "queue-school-admin",
                     {"queue-school-surveys": 1, "queue-school-routes": 2, "queue-school-diagnostics": 1,
                      "queue-school-events": 1},
                     "queue-school-routes", ("/diagnostics/routes/", {"status": ["planned"]})),
    "observer": ("observer_world", "queue-observer", {"queue-signed-since": 1},
                 "queue-signed-since", ("/reports/", {"status": ["signed"]})),
}


@pytest.fixture
def observer_world(district_a, methodist):
    _signed(district_a, methodist, "Подписана 2 дня назад", 2)  # within the 30 days of a first visit
    _signed(district_a, methodist, "Подписана 40 дней назад", 40)  # before them: not counted


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("persona", list(CASES))
def test_home_queue_counts_links_and_layout(request, persona, width, login_as, screenshot):
    world, queue, counts, follow, (list_path, list_query) = CASES[persona]
    request.getfixturevalue(world)
    page = login_as(request.getfixturevalue(persona))
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.goto("/")
    block = page.get_by_test_id(queue)
    block.wait_for()

    # The page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    for testid, expected in counts.items():
        number = page.get_by_test_id(f"{testid}-count")
        assert number.inner_text().strip() == str(expected), testid
        # The number is on the screen horizontally and sits inside its link.
        box = _box(number)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, testid
        assert page.get_by_test_id(testid).evaluate("e => e.tagName") == "A"

    # Laptop: the first two cards of the queue side by side; phone: one under the other.
    cards = block.locator(":scope > div")
    if cards.count() >= 2:
        first, second = _box(cards.nth(0)), _box(cards.nth(1))
        if width >= 1366:
            assert abs(first["y"] - second["y"]) < 1 and second["x"] > first["x"] + first["width"] - 1
        else:
            assert second["y"] >= first["y"] + first["height"] - 1 and abs(first["x"] - second["x"]) < 1
    if os.environ.get("E2E_SCREENSHOTS"):
        screenshot(page, f"home-{persona}-{width}")

    # The number opens the list it counts, and that list answers.
    with page.expect_navigation():
        page.get_by_test_id(follow).click()
    opened = urlparse(page.url)
    assert opened.path == list_path
    assert parse_qs(opened.query) == list_query
    assert page.locator("h1").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
