"""Feedback on a long action, in a real browser at 1366 and 390 px (issue 14.4): once «Пересчитать» is pressed
its button is disabled and shows a spinner with «Выполняется…» while the request runs — a second submit sends
nothing — and the page it comes back to says one thing: the job's result, no «в очереди» beside «завершён».

The busy state must not lose the pressed button's name=value (the buttons are disabled only after the browser has
read the form): the catalogue's «Ниже» (direction=down) still moves the indicator."""
from __future__ import annotations

import time

import pytest

from tests.monitoring.factories import IndicatorFactory, PeriodFactory, ProgrammeFactory

pytestmark = pytest.mark.e2e

WIDTHS = (1366, 390)
SERVER_SECONDS = 2.0  # how long the recompute takes on the server
SNAPSHOT_MS = 300  # when, after the submit, the page notes what the user sees

# Installed before the click (Playwright's evaluate is not subject to the page's CSP). While the request runs the
# old page stays in view but Playwright waits for the navigation, so the page itself notes, SNAPSHOT_MS after the
# submit, what the user sees — the button disabled, a visible spinner, its label, the form's aria-busy — and tries
# a second submit; the note survives the navigation in sessionStorage.
RECORD_BUSY_STATE = """([selector, delay]) => {
  const button = document.querySelector(selector);
  const form = button.form;
  let second = null;
  window.addEventListener('submit', (event) => {
    if (second === 'sent') { second = event.defaultPrevented ? 'refused' : 'went'; }
  });
  form.addEventListener('submit', () => {
    window.setTimeout(() => {
      const spinner = button.querySelector('.spinner-border');
      const box = spinner && spinner.getBoundingClientRect();
      const seen = {
        disabled: button.disabled,
        spinner: Boolean(box && box.width > 0 && box.height > 0 && getComputedStyle(spinner).visibility === 'visible'),
        label: button.textContent.trim(), busy: form.getAttribute('aria-busy'),
      };
      second = 'sent';
      form.requestSubmit();
      seen.second = second;
      sessionStorage.setItem('busy-snapshot', JSON.stringify(seen));
    }, delay);
  }, {once: true});
}"""


@pytest.fixture
def programme(district_a):
    programme = ProgrammeFactory(district=district_a, code="feedback", name="Программа развития")
    PeriodFactory(programme=programme, year=2021)
    IndicatorFactory(programme=programme, code="first", name="Первый показатель", position=0)
    IndicatorFactory(programme=programme, code="second", name="Второй показатель", position=1)
    return programme


@pytest.fixture
def slow_recompute(monkeypatch):
    """The recompute takes SERVER_SECONDS (the live server runs in this process)."""
    from monitoring import services

    original = services.recompute_programme

    def slow(programme, **kwargs):
        time.sleep(SERVER_SECONDS)
        return original(programme, **kwargs)

    monkeypatch.setattr(services, "recompute_programme", slow)


@pytest.mark.parametrize("width", WIDTHS)
def test_recompute_button_is_busy_while_it_runs_then_one_message(width, methodist, programme, slow_recompute,
                                                                 login_as):
    from playwright.sync_api import expect

    page = login_as(methodist)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/monitoring/{programme.pk}/")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    button = page.get_by_test_id("recompute")
    expect(button).to_be_enabled()
    page.evaluate(RECORD_BUSY_STATE, ["[data-testid=recompute]", SNAPSHOT_MS])

    # Without the busy state the page's second submit replaces the first request (net::ERR_ABORTED here).
    with page.expect_navigation(timeout=15_000):
        button.click()
    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('busy-snapshot'))")
    assert seen == {"disabled": True, "spinner": True, "label": "Выполняется…", "busy": "true",
                    "second": "refused"}, seen
    assert len(posts) == 1, posts

    expect(page.get_by_test_id("recompute-status")).to_have_attribute("data-status", "succeeded")
    body = page.locator("main").inner_text()
    assert body.count("Пересчёт завершён") == 1, body
    assert "в очереди" not in body
    button = page.get_by_test_id("recompute")
    expect(button).to_be_enabled()
    expect(button.locator(".spinner-border")).to_have_count(0)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_pressed_buttons_value_is_still_sent(width, methodist, programme, login_as):
    from playwright.sync_api import expect

    page = login_as(methodist)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/monitoring/{programme.pk}/catalogue/")
    with page.expect_navigation():
        page.get_by_role("button", name="Переместить показатель first ниже").click()
    expect(page.get_by_role("button", name="Переместить показатель first ниже")).to_be_disabled()  # now last
    order = programme.indicators.order_by("position").values_list("code", flat=True)
    assert list(order) == ["second", "first"]


# An hx-post button like the portal's own (templates/events/attendance.html posts a checkbox this way), added to
# the programme's page and processed by htmx: busy while its request runs, usable again after the answer.
ADD_HX_POST_BUTTON = """([url, token]) => {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn btn-outline-secondary';
  button.dataset.testid = 'hx-recompute';
  button.textContent = 'Пересчитать (htmx)';
  button.setAttribute('hx-post', url);
  button.setAttribute('hx-vals', JSON.stringify({scope: 'district'}));
  button.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': token}));
  button.setAttribute('hx-swap', 'none');
  document.querySelector('main').prepend(button);
  window.htmx.process(button);
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_an_htmx_post_is_busy_until_its_answer(width, methodist, programme, slow_recompute, login_as):
    from playwright.sync_api import expect

    page = login_as(methodist)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/monitoring/{programme.pk}/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    page.evaluate(ADD_HX_POST_BUTTON, [f"/monitoring/{programme.pk}/recompute/", token])
    button = page.get_by_test_id("hx-recompute")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    button.click()
    expect(button).to_be_disabled()  # the request takes SERVER_SECONDS
    expect(button).to_have_attribute("aria-busy", "true")
    button.dispatch_event("click")  # a click that gets through is not sent again
    with page.expect_response(lambda response: response.request.method == "GET"
                              and response.url.endswith(f"/monitoring/{programme.pk}/?scope=district")):
        pass  # htmx follows the redirect: the answer has come
    expect(button).to_be_enabled()
    expect(button).not_to_have_attribute("aria-busy", "true")
    assert len(posts) == 1, posts
    assert programme.recompute_jobs.get().status == "succeeded"
