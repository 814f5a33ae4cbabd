"""Lists that scale, in a real browser (issue 14.2): the organisations list sorted by clicking its column heads
(names with numbers in natural order, ?sort= in the address), the numbered pager, the page-size choice, and the
same list still usable on a 390 px phone."""
from urllib.parse import parse_qs, urlparse

import pytest

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.e2e

LIST = "/registry/organisations/"
COUNT = 120  # three pages of the default 50


@pytest.fixture
def schools(district_a, district_b):
    """«ГБОУ СОШ № 1» … «№ 120», coded in the opposite order (№ 1 is K120, № 120 is K001)."""
    for n in range(1, COUNT + 1):
        OrganisationFactory(district=district_a, short_name=f"ГБОУ СОШ № {n}", code=f"K{COUNT + 1 - n:03d}",
                            address=f"192000, Санкт-Петербург, Будапештская ул., д. {n}, корп. 2, лит. А")
    OrganisationFactory(district=district_b, short_name="ГБОУ СОШ № 7 Кировского района", code="KIR-7")


def _query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def _names(page) -> list[str]:
    return [text.strip() for text in page.locator("table tbody tr td:nth-child(2)").all_inner_texts()]


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _head(page, label: str):
    return page.locator("table thead th a.sort-link", has_text=label)


def _pager_link(page, label: str):
    return page.get_by_test_id("pager").get_by_role("navigation").get_by_role("link", name=label, exact=True)


def test_sorting_by_column_natural_order_pages_and_page_size(login_as, methodist, schools):
    page = login_as(methodist)
    page.goto(LIST)

    # The default order is the name, naturally: № 1, № 2, … № 50 on page 1 (as text it would be
    # № 1, № 10, № 100, № 101, … and «№ 2» only after «№ 19»).
    names = _names(page)
    assert names[:3] == ["ГБОУ СОШ № 1", "ГБОУ СОШ № 2", "ГБОУ СОШ № 3"]
    assert names.index("ГБОУ СОШ № 2") < names.index("ГБОУ СОШ № 12")
    assert len(names) == 50 and "ГБОУ СОШ № 101" not in names
    assert "ГБОУ СОШ № 7 Кировского района" not in names  # another district's school
    assert page.get_by_test_id("pager-summary").inner_text() == f"Показаны 1–50 из {COUNT}"

    # A click on «Код» sorts by the code: K001 is № 120.
    _click(page, _head(page, "Код"))
    assert _query(page)["sort"] == ["code"]
    assert _names(page)[:2] == ["ГБОУ СОШ № 120", "ГБОУ СОШ № 119"]
    assert page.locator("table thead th[aria-sort=ascending]").inner_text().startswith("Код")

    # The name again, then a second click on it: descending.
    _click(page, _head(page, "Краткое наименование"))
    assert _query(page)["sort"] == ["name"]
    assert _names(page)[:2] == ["ГБОУ СОШ № 1", "ГБОУ СОШ № 2"]
    _click(page, _head(page, "Краткое наименование"))
    assert _query(page)["sort"] == ["-name"]
    assert _names(page)[:3] == ["ГБОУ СОШ № 120", "ГБОУ СОШ № 119", "ГБОУ СОШ № 118"]

    # Page numbers keep the sort: page 2 of the descending name is № 70 … № 21.
    _click(page, _pager_link(page, "2"))
    assert _query(page) == {"sort": ["-name"], "page": ["2"]}
    assert _names(page)[0] == "ГБОУ СОШ № 70" and _names(page)[-1] == "ГБОУ СОШ № 21"
    assert page.get_by_test_id("pager-summary").inner_text() == f"Показаны 51–100 из {COUNT}"
    assert page.get_by_test_id("pager").locator("[aria-current=page]").inner_text() == "2"
    # The last page: 120 − 100 = 20 rows, № 20 … № 1.
    _click(page, page.get_by_test_id("pager").get_by_title("Последняя страница"))
    assert _query(page) == {"sort": ["-name"], "page": ["3"]}
    assert len(_names(page)) == 20 and _names(page)[-1] == "ГБОУ СОШ № 1"
    assert page.get_by_test_id("pager-summary").inner_text() == f"Показаны 101–120 из {COUNT}"

    # The page size: 25 a page starts again from page 1, still sorted; 120 / 25 → 5 pages.
    _click(page, page.get_by_test_id("per-page").get_by_role("link", name="25", exact=True))
    assert _query(page) == {"sort": ["-name"], "per_page": ["25"]}
    assert len(_names(page)) == 25 and _names(page)[0] == "ГБОУ СОШ № 120"
    assert page.get_by_test_id("pager-summary").inner_text() == f"Показаны 1–25 из {COUNT}"
    _click(page, page.get_by_test_id("pager").get_by_title("Последняя страница"))
    assert _query(page) == {"sort": ["-name"], "per_page": ["25"], "page": ["5"]}
    assert _names(page) == [f"ГБОУ СОШ № {n}" for n in range(20, 0, -1)]


def test_the_list_stays_usable_on_a_phone(login_as, methodist, schools):
    page = login_as(methodist)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(LIST + "?sort=name")

    # The page itself never scrolls sideways; the wide table scrolls inside its own wrapper.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrapper = page.locator(".table-responsive").first
    overflow = wrapper.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]")
    assert overflow[0] > overflow[1], "the table fits 390 px: nothing to check"
    assert overflow[2] in ("auto", "scroll")
    wrapper.evaluate("e => { e.scrollLeft = 200; }")
    assert wrapper.evaluate("e => e.scrollLeft") > 0

    # Sorting and the pager still work with a finger: the controls are on the screen.
    _click(page, _head(page, "Код"))
    assert _query(page)["sort"] == ["code"]
    assert _names(page)[0] == "ГБОУ СОШ № 120"
    pager = page.get_by_test_id("pager")
    pager.scroll_into_view_if_needed()
    box = pager.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    _click(page, _pager_link(page, "2"))
    assert _query(page) == {"sort": ["code"], "page": ["2"]}
    assert _names(page)[0] == "ГБОУ СОШ № 70"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_another_districts_methodist_sees_none_of_these_schools(login_as, other_methodist, schools):
    page = login_as(other_methodist)
    page.goto(LIST + "?sort=-name")
    assert _names(page) == ["ГБОУ СОШ № 7 Кировского района"]
    assert page.get_by_test_id("pager-summary").inner_text() == "Показаны 1–1 из 1"
