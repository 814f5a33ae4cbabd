"""The layout of every page at (almost) no cost (issue 15.3): what base.html asks the database, and the menu
kept per role's capabilities in the process (imc_portal/menu.py) — never one user's entries shown to another.

The empty layout page is benchmarks/bench_urls.py's /bench/layout/ (base.html with an empty body), the bare page
its /bench/bare/ (the whole middleware stack and one trivial query): the layout must ask nothing the bare page
does not, past what the session and the user cost.
"""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from core.permissions import CAPABILITIES
from core.roles import Role
from imc_portal import menu
from imc_portal.context_processors import NAVIGATION, Group, navigation_entries
from tests.city_support import city_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_bench_urls")]

LAYOUT, BARE = "/bench/layout/", "/bench/bare/"


@pytest.fixture
def _bench_urls():
    with override_settings(ROOT_URLCONF="benchmarks.bench_urls"):
        yield


def queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def menu_links(response) -> set[str]:
    """The hrefs of the main menu (the <ul> before the user menu)."""
    html = response.content.decode()
    main = re.search(r'<ul class="navbar-nav me-auto flex-wrap">(.*?)</ul>\s*(?:<form|<ul class="navbar-nav">)', html,
                     re.S)
    assert main, "no main menu on the page"
    return set(re.findall(r'href="(/[^"]*)"', main.group(1)))


def user_menu(response) -> str:
    html = response.content.decode()
    return html[html.index('data-testid="user-menu"'):html.index("</nav>")]


# --- what the layout costs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["methodist", "school_admin", "observer", "director"])
def test_the_empty_layout_asks_only_the_session_and_the_user(persona, request, login):
    """Pinned: the session row and the user, nothing else (the bare page adds its one trivial query).

    Before issue 15.3 the layout also read the user's district (and a school admin's organisation) on every
    page. The names are read once and kept in the session: the first page may ask them and save the session.
    """
    client = login(request.getfixturevalue(persona))
    first = queries(client, LAYOUT)
    assert len(first) <= 2 + 2 + 3  # + district, organisation; + the session saved (BEGIN/UPDATE/COMMIT)

    layout = queries(client, LAYOUT)
    assert len(layout) == 2, layout
    assert "django_session" in layout[0] and "imc_portal_user" in layout[1]
    assert len(queries(client, BARE)) == 3  # the bare page: the same two, then its own trivial query


def test_the_city_level_layout_adds_the_district_list_of_its_switcher(district_a, login):
    client = login(city_user(district_a.region))
    queries(client, LAYOUT)
    layout = queries(client, LAYOUT)
    assert len(layout) == 3, layout  # session, user, the districts of the switcher
    assert "clusters_district" in layout[2]


# --- the menu kept per capabilities: never another user's ------------------------------------------------


def test_two_personas_alternating_see_only_their_own_menu(methodist, school_admin, login):
    """The methodist is shown the import and not «Моя организация»; the school administrator the reverse —
    request after request in the same process, whatever the other one opened last."""
    methodist_client, school_client = login(methodist), login(school_admin)
    import_url, own_url = reverse("clusters:import"), reverse("clusters:my_organisation")
    for _ in range(2):
        for client, allowed, refused in ((methodist_client, import_url, own_url),
                                         (school_client, own_url, import_url)):
            for path in (LAYOUT, reverse("home"), reverse("clusters:teacher_list")):
                links = menu_links(client.get(path))
                assert allowed in links and refused not in links, (path, sorted(links))


def test_the_user_menu_names_the_requests_own_user(methodist, school_admin, login):
    methodist.last_name, methodist.first_name, methodist.patronymic = "Иванова", "Анна", "Петровна"
    methodist.save()
    methodist_client, school_client = login(methodist), login(school_admin)
    for _ in range(2):
        mine, theirs = user_menu(methodist_client.get(LAYOUT)), user_menu(school_client.get(LAYOUT))
        assert "Иванова А.П." in mine and "Иванова А.П." not in theirs
        assert school_admin.organisation.short_name in theirs and school_admin.organisation.short_name not in mine
        assert "Методист" in mine and "Методист" not in theirs


def test_a_role_changed_changes_the_menu_on_the_next_page(methodist, login):
    client = login(methodist)
    assert reverse("clusters:import") in menu_links(client.get(LAYOUT))

    methodist.role = Role.OBSERVER
    methodist.save()
    links = menu_links(client.get(LAYOUT))
    assert reverse("clusters:import") not in links and reverse("clusters:organisation_list") in links


def test_a_district_changed_changes_the_user_menu_on_the_next_page(methodist, district_b, login):
    client = login(methodist)
    assert methodist.district.name in user_menu(client.get(LAYOUT))

    methodist.district = district_b
    methodist.save()
    shown = user_menu(client.get(LAYOUT))
    assert district_b.name in shown and methodist.__class__.objects.get(pk=methodist.pk).district.name in shown
    assert "Фрунзенский район" not in shown


def test_a_capability_given_to_a_role_shows_its_item_on_the_next_page(director, login, monkeypatch):
    """The key is the capabilities the role holds, read on every request: the table edited, the menu follows."""
    client = login(director)
    assert reverse("clusters:import") not in menu_links(client.get(LAYOUT))
    monkeypatch.setitem(CAPABILITIES, "registry.import", CAPABILITIES["registry.import"] | {Role.DIRECTOR})
    assert reverse("clusters:import") in menu_links(client.get(LAYOUT))


@pytest.mark.parametrize("role", [r for r in Role.values])
def test_the_kept_menu_is_exactly_the_items_shown_to_the_role(role, district_a, school_a):
    """navigation_entries (kept per capabilities) = the registry's items whose `is_shown` says yes, in order."""
    from django.test import RequestFactory

    from tests.factories import UserFactory

    extra = {Role.SCHOOL_ADMIN: {"organisation": school_a}, Role.CITY: {"region": district_a.region},
             Role.PORTAL_ADMIN: {}}.get(role, {"district": district_a})
    user = UserFactory(role=role, **extra)
    expected = []
    for node in NAVIGATION:
        items = node.items if isinstance(node, Group) else (node,)
        expected += [reverse(item.url_name) for item in items if item.is_shown(user)]
    request = RequestFactory().get("/")
    request.user = user
    shown = [child["url"] for entry in navigation_entries(request) for child in entry.get("children", [entry])]
    assert shown == expected


def test_the_active_entry_follows_the_path(methodist_client):
    html = methodist_client.get(reverse("clusters:cluster_list")).content.decode()
    assert f'class="dropdown-item active" href="{reverse("clusters:cluster_list")}"' in html
    assert f'class="dropdown-item" href="{reverse("clusters:organisation_list")}"' in html
    html = methodist_client.get(reverse("clusters:organisation_list")).content.decode()
    assert f'class="dropdown-item active" href="{reverse("clusters:organisation_list")}"' in html
    assert f'class="dropdown-item" href="{reverse("clusters:cluster_list")}"' in html
    assert 'class="dropdown-item active"' not in methodist_client.get(LAYOUT).content.decode()


def test_the_fixed_parts_are_what_static_and_url_give():
    from django.templatetags.static import static

    parts = menu.fixed_parts()
    assert parts["logout"] == reverse("logout") and parts["home"] == reverse("home")
    assert all(f'href="{static(path)}"' in parts["stylesheets"] for path in menu.STYLESHEETS)
    assert all(f'src="{static(path)}"' in parts["scripts"] for path in menu.SCRIPTS)
