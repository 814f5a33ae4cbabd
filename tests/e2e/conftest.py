"""Real-browser harness: Playwright (sync API) driving Debian's Chromium against `live_server`.

Reusable by every journey in tests/e2e/:

    def test_something(login_as, methodist):
        page = login_as(methodist)          # logged in through the real login form
        page.get_by_role("link", name="Организации").click()

Rules of this machine (README, «Требования»): the browser is Debian's /usr/bin/chromium, never one
downloaded by Playwright (`playwright install` is never run; there is no internet). Outside CI a
missing Chromium skips these tests with the reason; in CI (CI=true) it is an error, so a broken
machine cannot pass as green. On failure a screenshot lands in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEFAULT_TIMEOUT_MS = 15_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    """Skip with the reason on a developer's machine; fail in CI."""
    if in_ci():
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Keep each phase's report on the item so browser_page knows whether the test failed.
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def _async_unsafe_allowed():
    """Playwright's sync API runs an asyncio loop in the test thread; Django then refuses ORM
    calls from that thread (SynchronousOnlyOperation) although they are plain synchronous calls.

    Set before the browser starts and before any e2e test touches the database, and removed when
    this package is done (with the browser), so other tests and the subprocesses they start
    (check --deploy refuses the variable) never see it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_async_unsafe_allowed):
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} not found (Debian package `chromium`: apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package `playwright` is not installed (pip install -e '.[dev]')")

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # report any launch problem the same way
        playwright.stop()
        _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser_page(request, browser, live_server):
    """A fresh browser context and page per test; a screenshot is saved if the test fails."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    failed = any(
        getattr(request.node, f"rep_{when}", None) and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        save_screenshot(page, request.node.nodeid)
    context.close()


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".png")
    # A screenshot must never hide the real failure.
    with contextlib.suppress(Exception):
        page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot(request):
    """screenshot(page, "label") -> saves test-artifacts/<test>-<label>.png (for looking at pages)."""

    def take(page, label: str = "") -> Path:
        return save_screenshot(page, f"{request.node.name}-{label}" if label else request.node.name)

    return take


@pytest.fixture
def login_as(browser_page):
    """login_as(user, password=TEST_PASSWORD) -> the page after the real login form was submitted."""

    def login(user, password: str = TEST_PASSWORD):
        page = browser_page
        page.goto("/accounts/login/")
        page.locator("input[name=username]").fill(user.get_username())
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Войти").click()
        page.wait_for_load_state("domcontentloaded")
        if "/accounts/login/" in page.url:
            raise AssertionError(f"login as {user.get_username()!r} failed; page stayed on {page.url}")
        return page

    return login
