"""Query counts of every list and detail page, at 1× and 10× the data: equal (no N+1), and pinned.

The pages come from the URLconf, walked as the access matrix walks it (tests/test_access_matrix.py):
every named URL is MEASURED (a GET-able HTML list or detail page, with the persona that opens it; the
kwargs are the matrix row's), a form (FORMS: create/edit/delete/import pages, found by their names and
counted too), or in SKIPPED with the reason (POST only, file downloads, polls, public token pages). A new
URL that is none of these fails `test_every_url_is_measured_or_skipped`, so nobody adds an unpinned page.

The data: the matrix's `world` (one object of each kind in district A / school A) plus
`tests/perf/growth.py`, which adds n rows of every kind the pages list and n children to every object a
detail page shows. The world at 1× is world + grow(SMALL) (3 of each kind); at 10× it is grown by
9·(SMALL + 1) more (30 of each) inside a savepoint. A page whose counts differ is counted again at 10×
and, after the savepoint is rolled back, at 1× (a first read fills caches: a persona's first request, a
body cached per data version), so each page costs two GETs unless a cache was cold. Paginated lists show
one page at both sizes. The primary assertion is 1× == 10× for every page; a measured page whose bytes do
not grow at 10× fails too (the growth misses what it lists, so it could not show an N+1). The main pages'
counts at 1×, read warm, are pinned in PINNED (the same on SQLite and PostgreSQL), so a page that starts
asking more shows up (update the number with the change that explains it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.perf.growth import grow
from tests.test_access_matrix import EXPECTED, PERSONAS, URL_NAMES, once, world  # noqa: F401 - `world` is a fixture

SMALL = 2  # rows of each kind grown on top of the world's one: 3 of each at 1×, 30 at 10×


@dataclass(frozen=True)
class Page:
    persona: str = "methodist"
    query: Callable[[object], str] | str = ""
    kwargs: Callable[[object], dict] | None = None  # instead of the matrix row's

    def suffix(self, w) -> str:
        return self.query(w) if callable(self.query) else self.query


M = Page()
SCHOOL = Page("school_admin")
ADMIN = Page("portal_admin")

MEASURED: dict[str, Page] = {
    "home": M,
    "clusters:organisation_list": M,
    "clusters:organisation_detail": M,
    "clusters:cluster_list": M,
    "clusters:cluster_detail": M,
    "clusters:teacher_list": M,
    "clusters:teacher_detail": M,
    "clusters:typeahead": M,  # a JSON list, the teachers' search
    "clusters:community_list": M,
    "clusters:community_detail": M,
    "clusters:training_list": M,
    "clusters:training_program_list": M,
    "clusters:route_list": M,
    "clusters:mentorship_list": M,
    "clusters:innovation_list": M,
    "clusters:innovation_detail": M,
    "clusters:event_list": M,
    "clusters:event_detail": M,
    "monitoring:programme_list": M,
    "monitoring:programme_detail": M,
    "monitoring:grid_edit": M,
    "monitoring:dashboard": M,
    "monitoring:catalogue": M,
    "monitoring:value_history": M,
    "monitoring:city_comparison": ADMIN,
    "network:results": M,
    "network:procedures": M,
    "network:tiers": Page(query=lambda w: f"?cluster={w.cluster.pk}"),
    "network:pairs": M,
    "network:pair_detail": M,
    "network:practices": M,
    "network:practice_detail": M,
    "network:mentors": M,
    "surveys:questionnaire_list": M,
    "surveys:questionnaire_detail": M,
    "surveys:questionnaire_preview": M,
    "surveys:campaign_list": M,
    "surveys:campaign_detail": M,
    "surveys:campaign_response_detail": M,
    "surveys:campaign_results": M,
    "surveys:organisation_campaign_list": SCHOOL,
    "surveys:organisation_fill": SCHOOL,
    "diagnostics:instruments": M,
    "diagnostics:instrument_detail": M,
    "diagnostics:campaigns": M,
    "diagnostics:campaign_detail": M,
    "diagnostics:campaign_links": SCHOOL,
    "diagnostics:teacher_profile": M,
    "diagnostics:deficit_map": M,
    "diagnostics:competency_index": M,
    "diagnostics:routes": M,
    "diagnostics:route_detail": M,
    "diagnostics:route_mentors": SCHOOL,  # a JSON list of the mentors to pick
    "reports:report_list": M,
    "reports:report_detail": M,
    "reports:report_preview": M,
    "reports:city_report": ADMIN,
    "reports:signing_certificate": Page("director"),
    "events:plan": M,
    "events:forms": M,
    "events:detail": M,
    "events:register": SCHOOL,
    "events:tickets": SCHOOL,
    "events:attendance": M,
    "events:checkin": M,
    "events:certificates": M,
    "events:consultations": M,
    "events:achievements": M,
    "setup:wizard": ADMIN,
    "setup:users": ADMIN,
    "setup:checklist": ADMIN,
    "core:export_list": M,
    "core:export_detail": M,
}

# Scoped lists a school administrator also opens: the same page with another scope filter.
MEASURED_AS_SCHOOL = ("clusters:teacher_list", "clusters:training_list", "clusters:route_list",
                      "network:pairs", "network:practices", "events:achievements", "home")

def _report_of_kind(kind: str) -> Callable[[object], dict]:
    """kwargs of a draft справка of district A of another kind than the matrix's (monitoring)."""

    def make(w):
        from reports.models import Report
        from tests.test_access_matrix import results_campaign

        report = Report.objects.create(district=w.district_a, kind=kind, title=f"Справка ({kind})",
                                       programme=w.programme, campaign=results_campaign(w),
                                       created_by=w.users["methodist"])
        report.periods.set([w.period])
        return {"pk": report.pk}

    return once(make)


# The same pages with another scope, filter or persona: label → (URL name, how it is opened).
VARIANTS: dict[str, tuple[str, Page]] = {
    "clusters:teacher_list ?q=": ("clusters:teacher_list", Page(query="?q=Иванова")),
    "monitoring:programme_detail ?scope=cluster": (
        "monitoring:programme_detail", Page(query=lambda w: f"?scope=cluster:{w.cluster.pk}")),
    "monitoring:programme_detail ?scope=organisation": (
        "monitoring:programme_detail", Page(query=lambda w: f"?scope=organisation:{w.school_a.pk}")),
    "monitoring:dashboard ?scope=cluster": (
        "monitoring:dashboard", Page(query=lambda w: f"?scope=cluster:{w.cluster.pk}")),
    "monitoring:grid_edit ?scope=cluster": ("monitoring:grid_edit", Page(query=lambda w: f"?scope=cluster:{w.cluster.pk}")),
    "events:plan ?view=month": ("events:plan", Page(query="?year=2021&month=3&view=month")),
    **{f"reports:report_preview ({kind})": ("reports:report_preview", Page(kwargs=_report_of_kind(kind)))
       for kind in ("network", "development", "survey")},  # comparative: 5 periods, diagnostics: a campaign
    "home (director)": ("home", Page("director")),
    "home (observer)": ("home", Page("observer")),
    "clusters:organisation_detail (school_admin)": ("clusters:organisation_detail", SCHOOL),
    "clusters:cluster_detail (school_admin)": ("clusters:cluster_detail", SCHOOL),
}

POST_ONLY = "POST only (405 on GET): no page to count"
EXPORT = "a file download (XLSX/PDF/ZIP), not an HTML page; big exports are jobs (issue 15.6)"
PUBLIC = "a public page behind a token (no account): one object of its link"
POLL = "a background job's status, polled by the page that started it"
AUTH = "Django's login/password page: no data of the portal"

SKIPPED: dict[str, str] = {
    "healthz": "the load balancer's health probe (JSON), not a page",
    "clusters:my_organisation": "a redirect to the school's own organisation page",
    "reports:report_register_paper_number": "a redirect back to the report unless it awaits the number",
    "survey_public:respond": "a redirect to the form with its submission key (public link)",
    "report_public:verify_signature": "a detached .sig download (public)",
    "monitoring:recompute_status": POLL,
    "reports:render_job_status": POLL,
    "events:certificates_job_status": POLL,
    "core:export_status": POLL,
    "core:export_download": EXPORT,
    **dict.fromkeys(("login", "password_change", "password_change_done", "password_reset", "password_reset_done",
                     "password_reset_confirm", "password_reset_complete"), AUTH),
    **dict.fromkeys(("survey_public:thanks", "report_public:verify", "diagnostics_public:start",
                     "diagnostics_public:form", "diagnostics_public:profile", "events_public:event",
                     "setup_public:invitation"), PUBLIC),
    **dict.fromkeys((
        "clusters:organisation_export", "clusters:teacher_export", "clusters:membership_export",
        "clusters:cluster_export", "clusters:community_export", "clusters:training_export",
        "clusters:training_program_export", "clusters:route_export", "clusters:mentorship_export",
        "clusters:innovation_export", "clusters:event_export", "clusters:import_template", "monitoring:export",
        "monitoring:import_template", "monitoring:city_comparison_export", "network:results_export",
        "network:results_template", "network:practice_file", "surveys:campaign_links_export",
        "surveys:campaign_results_export", "diagnostics:teacher_profile_pdf", "diagnostics_public:profile_pdf",
        "reports:report_file_download", "events:plan_xlsx", "events:plan_pdf", "events:plan_import_template",
        "events:certificates_zip", "events:certificate_download", "events:consultations_template",
        "events:achievements_template",
    ), EXPORT),
}


# The create/edit/delete/import forms are counted too (a choice list or a related-object summary can ask per
# row), each by the first persona the matrix serves it to, in this order.
FORM_PERSONAS = ("methodist", "school_admin", "director", "observer", "portal_admin")
FORM_SUFFIXES = ("_create", "_update", "_delete", "_import", "_edit", "_rename", "_override", "_settings",
                 "_options", "_new", "_confirm", "_reject", "_complete")
FORM_NAMES = frozenset({"clusters:import", "monitoring:import", "events:create", "events:update", "setup:district", "setup:programme"})


def _is_form(name: str) -> bool:
    return name in FORM_NAMES or name.endswith(FORM_SUFFIXES)


def _forms() -> dict[str, Page]:
    forms = {}
    for name in sorted(set(EXPECTED) & URL_NAMES):
        if name in MEASURED or name in SKIPPED or not _is_form(name):
            continue
        served = dict(zip(PERSONAS, EXPECTED[name].tokens(), strict=True))
        persona = next((p for p in FORM_PERSONAS if served[p] == "200"), None)
        if persona:
            forms[name] = Page(persona)
    return forms


def _post_only() -> dict[str, str]:
    """URLs no persona GETs (405 to whoever may use them)."""
    return {name: POST_ONLY for name in sorted(set(EXPECTED) & URL_NAMES)
            if name not in MEASURED and "405" in EXPECTED[name].tokens() and "200" not in EXPECTED[name].tokens()}


SKIPPED.update(_post_only())
FORMS = _forms()

# Measured pages of one object whose size does not depend on the rows grown (a count, a ticket, one response).
SHOWS_ONE_THING = frozenset({
    "events:tickets", "events:checkin", "reports:signing_certificate", "surveys:campaign_response_detail",
    "surveys:organisation_fill", "diagnostics:campaign_links", "home (school_admin)", "core:export_detail",
})

# Queries of the main pages at 1× (SMALL), the same on SQLite and PostgreSQL: a regression shows as a changed
# number (update it with the change that explains it). The equality 1× == 10× is the rule; these are the record.
PINNED: dict[str, int] = {
    "home": 6,  # 9 → 6: a list whose counter is 0 is not read (imc_portal/home.py)
    "home (school_admin)": 7,
    "clusters:organisation_list": 4,
    "clusters:organisation_detail": 15,
    "clusters:cluster_list": 4,
    "clusters:cluster_detail": 7,
    "clusters:teacher_list": 4,
    "clusters:teacher_list (school_admin)": 4,
    "clusters:teacher_detail": 19,
    "clusters:event_list": 6,
    "monitoring:programme_list": 3,
    "monitoring:programme_detail": 9,
    "monitoring:grid_edit": 7,
    "monitoring:dashboard": 4,
    "network:pairs": 7,
    "surveys:campaign_list": 5,
    "surveys:campaign_results": 4,
    "events:plan": 6,
    "reports:report_list": 6,
}


def test_every_url_is_measured_or_skipped():
    names = set(URL_NAMES)
    unclassified = sorted(names - set(MEASURED) - set(FORMS) - set(SKIPPED))
    assert not unclassified, (
        "These URLs are neither measured nor skipped in tests/perf/test_query_counts.py: add each to MEASURED "
        "(a list or detail page, with the persona that opens it) or to SKIPPED with the reason:\n"
        + "\n".join(unclassified)
    )
    both = sorted(set(MEASURED) & set(SKIPPED))
    assert not both, f"measured and skipped at once: {both}"
    stale = sorted((set(MEASURED) | set(SKIPPED)) - names)
    assert not stale, f"URL names the URLconf no longer has: {stale}"
    no_row = sorted(set(MEASURED) - set(EXPECTED))
    assert not no_row, f"Measured pages need their access-matrix row (persona, kwargs) first: {no_row}"


def test_measured_pages_are_served_to_their_persona():
    """The persona of each measured page is one the access matrix gives a 200."""
    wrong = []
    for label, name, page in _pages():
        token = EXPECTED[name].tokens()[PERSONAS.index(page.persona)]
        if token != "200":
            wrong.append(f"{label}: {page.persona} gets {token}")
    assert not wrong, "\n".join(wrong)


def _pages() -> list[tuple[str, str, Page]]:
    """(label, URL name, page) of every count: the measured pages, their school views, variants, forms."""
    pages = [(name, name, page) for name, page in sorted({**MEASURED, **FORMS}.items())]
    pages += [(f"{name} (school_admin)", name, Page("school_admin", MEASURED[name].query))
              for name in MEASURED_AS_SCHOOL]
    pages += [(label, name, page) for label, (name, page) in VARIANTS.items()]
    return pages


def _targets(w) -> list[tuple[str, str, Client]]:
    clients = {}
    targets = []
    for label, name, page in _pages():
        row = EXPECTED[name]
        kwargs = page.kwargs or row.kwargs
        url = reverse(name, kwargs=kwargs(w) if kwargs else None) + (page.suffix(w) or row.query)
        if page.persona not in clients:
            clients[page.persona] = Client()
            clients[page.persona].force_login(w.users[page.persona])
        targets.append((label, url, clients[page.persona]))
    return targets


def _count(targets, *, warm: bool = False) -> dict[str, tuple[int, int]]:
    """label → (queries, bytes) of one GET (`warm`: after a first one)."""
    counts = {}
    for label, url, client in targets:
        if warm:
            client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, f"{label}: GET {url} answered {response.status_code}"
        counts[label] = len(queries), len(response.content)
    return counts


def test_query_counts_do_not_grow_with_the_data(world):  # noqa: F811 - the matrix's fixture
    grow(world, SMALL)
    targets = _targets(world)
    small = _count(targets)

    class RollBack(Exception):
        pass

    try:
        with transaction.atomic():
            grow(world, 9 * (SMALL + 1))
            large = _count(targets)
            # A first read fills caches (a persona's first request, a body cached per data version — the
            # dashboard, the survey results): a page whose counts differ is counted again, warm, at 10× …
            again = [target for target in targets if large[target[0]][0] != small[target[0]][0]]
            large.update(_count(again))
            raise RollBack  # … and at 1×, after the rows grown to 10× are rolled back
    except RollBack:
        pass
    # (warm: a session or cache the rollback took back is filled again by the first GET)
    small.update(_count([target for target in again if large[target[0]][0] != small[target[0]][0]], warm=True))
    steady = _count([target for target in targets if target[0] in PINNED], warm=True)  # at 1×
    print("\n".join(f"{label}: {small[label]} → {large[label]}" for label in sorted(small)))

    grew = {label: (small[label][0], large[label][0]) for label in small if small[label][0] != large[label][0]}
    assert not grew, "Pages whose query count depends on the number of rows (1× → 10×):\n" + "\n".join(
        f"  {label}: {a} → {b}" for label, (a, b) in sorted(grew.items())
    )
    # A list that shows the same bytes at 10× lists nothing growth.py grows: it could not show an N+1.
    measured = {label for label, name, _ in _pages() if name in MEASURED}
    flat = sorted(label for label in measured - SHOWS_ONE_THING if large[label][1] <= small[label][1])
    assert not flat, f"Measured pages that do not show the grown rows (extend tests/perf/growth.py): {flat}"
    changed = {label: (count, steady[label][0]) for label, count in PINNED.items() if steady[label][0] != count}
    assert not changed, "Pinned query counts changed (PINNED in this module: pinned → now):\n" + "\n".join(
        f"  {label}: {a} → {b}" for label, (a, b) in sorted(changed.items())
    )
