"""Who may open which page: every named URL of the portal × every persona, by a real GET.

The URL names are read from the resolver (recursively through includes and namespaces), so a new
URL without a row in EXPECTED fails `test_every_url_has_a_row` with the line to add. Only
Django admin (it has its own permission system) and static/media files are left out.

Each row: the expected answer per persona, in the column order of PERSONAS, plus the URL kwargs
taken from objects of district A / school A made by the `world` fixture. Tokens:

    L       302 to the login page (anonymous on every non-public page)
    200     the page (or the file) is served
    302     a redirect; `302:/path/` also checks where it goes
    403     the role may not open this page at all (the view's capability, core/permissions.py)
    404     the role may open such pages, but this object is outside its scope (*_for_user)
    405     GET is not allowed (POST-only actions)

The expectations were written from the views' capabilities (core/permissions.py) and the
`*_for_user` selectors, not copied from what the code answered.

The second half follows what each persona is *shown*: every menu item and every link on every
page the persona may open must lead to a page it may open (no dead «Изменить», no menu item that
answers 403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core import xlsx
from core.jobs import JobStatus
from core.models import ExportJob
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    CommunityFactory,
    CommunityMembershipFactory,
    EventFactory,
    IndividualRouteFactory,
    InnovationProjectFactory,
    MentorshipFactory,
    TeacherFactory,
    TrainingCompletionFactory,
    TrainingProgramFactory,
)
from tests.reports.signing_helpers import signed_report
from tests.reports.workflow_support import matrix_reports
from tests.surveys.factories import make_campaign as make_survey_campaign
from tests.surveys.factories import matrix_campaigns, results_questionnaire
from tests.surveys.factories import small_questionnaire as builder_questionnaire

PERSONAS = (
    "anonymous",
    "methodist",
    "director",
    "observer",
    "school_admin",
    "other_school_admin",
    "other_methodist",
    "portal_admin",
)
# Pages anybody may open without logging in; every other row must say L for anonymous.
PUBLIC = frozenset({"healthz", "login", "password_reset", "password_reset_done", "password_reset_confirm",
                    "password_reset_complete"})
# Namespaces whose every page is public (survey links answered by teachers without an account).
# (setup_public: the invitation link a new user opens before they have a password.)
PUBLIC_NAMESPACES = frozenset({"survey_public", "report_public", "diagnostics_public", "events_public",
                               "setup_public"})
SKIPPED_NAMESPACES = frozenset({"admin"})


def is_public(name: str) -> bool:
    return name in PUBLIC or name.rpartition(":")[0] in PUBLIC_NAMESPACES


@dataclass(frozen=True)
class Row:
    statuses: str  # one token per persona, in PERSONAS order
    kwargs: Callable[[SimpleNamespace], dict] | None = None
    query: str = ""  # e.g. "?scope=district"

    def tokens(self) -> list[str]:
        return self.statuses.split()


def pk(attr: str, kwarg: str = "pk") -> Callable[[SimpleNamespace], dict]:
    """kwargs factory: {kwarg: world.<attr>.pk}."""
    return lambda world: {kwarg: getattr(world, attr).pk}


def once(make: Callable[[SimpleNamespace], object]) -> Callable[[SimpleNamespace], object]:
    """An object made at most once per world, however many rows ask for it (the link walk asks all)."""

    def get(world: SimpleNamespace):
        made = world.__dict__.setdefault("_made", {})
        if make not in made:
            made[make] = make(world)
        return made[make]

    return get


questionnaire = once(lambda w: builder_questionnaire(w.users["methodist"]))
results_campaign = once(lambda w: make_survey_campaign(results_questionnaire(w.district_a, code="matrix"), w.district_a))


def _export_job(world: SimpleNamespace) -> ExportJob:
    """A finished export of the methodist's, with its file (core/exports.py)."""
    now = timezone.now()
    job = ExportJob.objects.create(
        requested_by=world.users["methodist"], kind="clusters.list", title="Педагоги", filename="teachers.xlsx",
        parameters_key="matrix", status=JobStatus.SUCCEEDED, finished_at=now, expires_at=now + dt.timedelta(days=1),
    )
    job.file.save("teachers.xlsx", ContentFile(xlsx.build_workbook([xlsx.XlsxColumn("ФИО")], [["Иванова"]])))
    return job


export_job = once(_export_job)
# Made after matrix_reports, which numbers its signed report 1-854 itself; signed_report takes the next number.
verified_report = once(lambda w: (matrix_reports(w), signed_report(w.district_a, w.users["director"]))[1])


# Capability groups of the registry (core/permissions.py, registry.*), written out per persona:
#                          anon met dir obs sa  osa ometh padm
DISTRICT_LIST = "L 200 200 200 403 403 200 403"  # registry.view_district, scoped list
DISTRICT_OBJECT = "L 200 200 200 403 403 404 403"  # registry.view_district, object of district A
STAFF_LIST = "L 200 200 403 200 200 200 403"  # view_personal_data | view_own_organisation (teachers' data)
STAFF_OBJECT = "L 200 200 403 200 404 404 403"  # … a record of a teacher of school A
WRITER_NEW = "L 200 403 403 403 403 200 403"  # registry.edit: a create form
WRITER_OBJECT = "L 200 403 403 403 403 404 403"  # registry.edit: edit/delete an object of district A
SCHOOL_WRITER_NEW = "L 200 403 403 200 200 200 403"  # edit | edit_own_organisation: create form
SCHOOL_WRITER_OBJECT = "L 200 403 403 200 404 404 403"  # … edit/delete a record of school A
POST_ONLY = "L 405 405 405 405 405 405 405"
LOGGED_IN = "L 200 200 200 200 200 200 200"
EVERYBODY = "200 200 200 200 200 200 200 200"

EXPECTED: dict[str, Row] = {
    # --- project (imc_portal/urls.py) ---
    "home": Row("L 200 200 200 200 200 200 302:/setup/"),
    "healthz": Row(EVERYBODY),
    "login": Row(EVERYBODY),
    "logout": Row(POST_ONLY),
    "password_change": Row(LOGGED_IN),
    "password_change_done": Row(LOGGED_IN),
    "password_reset": Row(EVERYBODY),
    "password_reset_done": Row(EVERYBODY),
    # A link with a wrong token: the page that says so (the real link: tests/test_login_throttling.py).
    "password_reset_confirm": Row(EVERYBODY, lambda w: {"uidb64": "MQ", "token": "wrong-token"}),
    "password_reset_complete": Row(EVERYBODY),
    # the city level's district switcher (imc_portal/district_switch.py): POST only
    "district_switch": Row(POST_ONLY),
    # large exports run as jobs (core/exports.py): everyone's own list; a job (the methodist's) only to its owner
    "core:export_list": Row(LOGGED_IN),
    "core:export_detail": Row("L 200 404 404 404 404 404 404", lambda w: {"pk": export_job(w).pk}),
    "core:export_status": Row("L 200 404 404 404 404 404 404", lambda w: {"pk": export_job(w).pk}),
    "core:export_download": Row("L 200 404 404 404 404 404 404", lambda w: {"pk": export_job(w).pk}),
    # --- registry: organisations ---
    "clusters:organisation_list": Row(DISTRICT_LIST),
    "clusters:organisation_create": Row(WRITER_NEW),
    "clusters:organisation_detail": Row("L 200 200 200 200 404 404 403", pk("school_a")),
    "clusters:organisation_update": Row(SCHOOL_WRITER_OBJECT, pk("school_a")),
    "clusters:organisation_delete": Row(WRITER_OBJECT, pk("school_a")),
    "clusters:my_organisation": Row(
        "L 403 403 403 302:/registry/organisations/ 302:/registry/organisations/ 403 403"
    ),
    "clusters:organisation_export": Row(DISTRICT_LIST),
    # --- registry: clusters and memberships (school admins see clusters their school is in) ---
    "clusters:cluster_list": Row("L 200 200 200 200 200 200 403"),
    "clusters:cluster_create": Row(WRITER_NEW),
    "clusters:cluster_detail": Row("L 200 200 200 200 404 404 403", pk("cluster")),
    "clusters:cluster_update": Row(WRITER_OBJECT, pk("cluster")),
    "clusters:cluster_delete": Row(WRITER_OBJECT, pk("cluster")),
    "clusters:membership_create": Row(WRITER_NEW),
    "clusters:membership_update": Row(SCHOOL_WRITER_OBJECT, pk("membership")),
    "clusters:membership_delete": Row(WRITER_OBJECT, pk("membership")),
    "clusters:membership_export": Row(DISTRICT_LIST),
    "clusters:cluster_export": Row("L 200 200 200 200 200 200 403"),  # as cluster_list
    # --- registry: teachers (personal data: observers are refused) ---
    "clusters:teacher_list": Row(STAFF_LIST),
    # the teachers' type-ahead search asks what the list asks; organisations/scopes: tests/clusters/test_typeahead.py
    "clusters:typeahead": Row(STAFF_LIST, lambda w: {"kind": "teachers"}, "?q=а"),
    "clusters:teacher_create": Row(SCHOOL_WRITER_NEW),
    "clusters:teacher_detail": Row(STAFF_OBJECT, pk("teacher")),
    "clusters:teacher_update": Row(SCHOOL_WRITER_OBJECT, pk("teacher")),
    "clusters:teacher_delete": Row(SCHOOL_WRITER_OBJECT, pk("teacher")),
    "clusters:teacher_export": Row(STAFF_LIST),
    # --- registry: communities ---
    "clusters:community_list": Row(DISTRICT_LIST),
    "clusters:community_create": Row(WRITER_NEW),
    "clusters:community_detail": Row(DISTRICT_OBJECT, pk("community")),
    "clusters:community_update": Row(WRITER_OBJECT, pk("community")),
    "clusters:community_delete": Row(WRITER_OBJECT, pk("community")),
    "clusters:community_member_create": Row(WRITER_OBJECT, pk("community", "community_pk")),
    "clusters:community_member_update": Row(WRITER_OBJECT, pk("community_membership")),
    "clusters:community_member_delete": Row(WRITER_OBJECT, pk("community_membership")),
    "clusters:community_export": Row(DISTRICT_LIST),
    # --- registry: professional development (completions and routes: school admins keep their own) ---
    "clusters:training_list": Row(STAFF_LIST),
    "clusters:training_create": Row(SCHOOL_WRITER_NEW),
    "clusters:training_update": Row(SCHOOL_WRITER_OBJECT, pk("training_completion")),
    "clusters:training_delete": Row(SCHOOL_WRITER_OBJECT, pk("training_completion")),
    "clusters:training_export": Row(STAFF_LIST),
    # The course catalogue is shared by all districts: another district's methodist may edit it.
    "clusters:training_program_list": Row(STAFF_LIST),
    "clusters:training_program_create": Row(WRITER_NEW),
    "clusters:training_program_update": Row(WRITER_OBJECT, pk("training_program")),
    "clusters:training_program_delete": Row(WRITER_OBJECT, pk("training_program")),
    "clusters:training_program_export": Row(STAFF_LIST),
    "clusters:route_list": Row(STAFF_LIST),
    "clusters:route_create": Row(SCHOOL_WRITER_NEW),
    "clusters:route_update": Row(SCHOOL_WRITER_OBJECT, pk("route")),
    "clusters:route_delete": Row(SCHOOL_WRITER_OBJECT, pk("route")),
    "clusters:route_export": Row(STAFF_LIST),
    "clusters:mentorship_list": Row(STAFF_LIST),
    "clusters:mentorship_create": Row(WRITER_NEW),
    "clusters:mentorship_update": Row(WRITER_OBJECT, pk("mentorship")),
    "clusters:mentorship_delete": Row(WRITER_OBJECT, pk("mentorship")),
    "clusters:mentorship_export": Row(STAFF_LIST),
    # --- registry: innovation ---
    "clusters:innovation_list": Row(DISTRICT_LIST),
    "clusters:innovation_create": Row(WRITER_NEW),
    "clusters:innovation_detail": Row(DISTRICT_OBJECT, pk("innovation")),
    "clusters:innovation_update": Row(WRITER_OBJECT, pk("innovation")),
    "clusters:innovation_delete": Row(WRITER_OBJECT, pk("innovation")),
    "clusters:innovation_participant_create": Row(WRITER_OBJECT, pk("innovation", "project_pk")),
    "clusters:innovation_participant_update": Row(WRITER_OBJECT, pk("innovation_participation")),
    "clusters:innovation_participant_delete": Row(WRITER_OBJECT, pk("innovation_participation")),
    "clusters:innovation_export": Row(DISTRICT_LIST),
    # --- registry: events ---
    "clusters:event_list": Row(DISTRICT_LIST),
    "clusters:event_create": Row(WRITER_NEW),
    "clusters:event_detail": Row(DISTRICT_OBJECT, pk("event")),
    "clusters:event_update": Row(WRITER_OBJECT, pk("event")),
    "clusters:event_delete": Row(WRITER_OBJECT, pk("event")),
    "clusters:event_export": Row(DISTRICT_LIST),
    # --- registry: XLSX import (methodists only) ---
    "clusters:import": Row(WRITER_NEW),
    "clusters:import_template": Row(WRITER_NEW, lambda world: {"kind": "teachers"}),
    # --- monitoring (monitoring.view: methodist, director, observer, and the portal admin — whose district is
    # the one picked in the navbar, none here, so 404 on district A's objects; .edit: methodist; .approve:
    # director) ---
    "monitoring:programme_list": Row("L 200 200 200 403 403 200 200"),
    "monitoring:programme_detail": Row("L 200 200 200 403 403 404 404", pk("programme")),
    "monitoring:grid_edit": Row(WRITER_OBJECT, pk("programme")),
    "monitoring:dashboard": Row("L 200 200 200 403 403 404 404", pk("programme")),
    "monitoring:recompute_start": Row(POST_ONLY, pk("programme")),
    "monitoring:recompute_status": Row("L 200 200 200 403 403 404 404", pk("recompute_job", "job_pk")),
    "monitoring:period_approve": Row(POST_ONLY, lambda w: {"pk": w.programme.pk, "period_pk": w.period.pk}),
    "monitoring:period_unlock": Row(POST_ONLY, lambda w: {"pk": w.programme.pk, "period_pk": w.period.pk}),
    "monitoring:value_history": Row("L 200 200 200 403 403 404 404", pk("value", "value_pk")),
    # plan/fact XLSX: export for readers, import and its template for editors
    "monitoring:export": Row("L 200 200 200 403 403 404 404", pk("programme")),
    "monitoring:import": Row(WRITER_OBJECT, pk("programme")),
    "monitoring:import_template": Row(WRITER_NEW),
    # indicator catalogue (monitoring/views_catalogue.py): readers see it, methodists change it; the
    # world's period and indicator hold a value, so their delete pages show the refusal (still 200)
    "monitoring:programme_create": Row(WRITER_NEW),
    "monitoring:programme_update": Row(WRITER_OBJECT, pk("programme")),
    "monitoring:catalogue": Row("L 200 200 200 403 403 404 404", pk("programme")),
    "monitoring:period_create": Row(WRITER_OBJECT, pk("programme")),
    "monitoring:period_update": Row(WRITER_OBJECT, lambda w: {"pk": w.programme.pk, "period_pk": w.period.pk}),
    "monitoring:period_delete": Row(WRITER_OBJECT, lambda w: {"pk": w.programme.pk, "period_pk": w.period.pk}),
    "monitoring:indicator_create": Row(WRITER_OBJECT, pk("programme")),
    "monitoring:indicator_update": Row(WRITER_OBJECT, lambda w: {"pk": w.programme.pk, "indicator_pk": w.indicator.pk}),
    "monitoring:indicator_delete": Row(WRITER_OBJECT, lambda w: {"pk": w.programme.pk, "indicator_pk": w.indicator.pk}),
    "monitoring:indicator_move": Row(POST_ONLY, lambda w: {"pk": w.programme.pk, "indicator_pk": w.indicator.pk}),
    # --- surveys: the questionnaire builder (surveys/views/builder.py): surveys.view_district reads,
    # surveys.build writes; a questionnaire of district A with sections and questions, built by its methodist ---
    "surveys:questionnaire_list": Row(DISTRICT_LIST),
    "surveys:questionnaire_create": Row(WRITER_NEW),
    "surveys:questionnaire_detail": Row(DISTRICT_OBJECT, lambda w: {"pk": questionnaire(w).pk}),
    "surveys:questionnaire_preview": Row(DISTRICT_OBJECT, lambda w: {"pk": questionnaire(w).pk}),
    "surveys:questionnaire_update": Row(WRITER_OBJECT, lambda w: {"pk": questionnaire(w).pk}),
    "surveys:questionnaire_delete": Row(WRITER_OBJECT, lambda w: {"pk": questionnaire(w).pk}),
    "surveys:questionnaire_copy": Row(POST_ONLY, lambda w: {"pk": questionnaire(w).pk}),
    "surveys:section_create": Row(WRITER_OBJECT, lambda w: {"pk": questionnaire(w).pk}),
    "surveys:section_update": Row(WRITER_OBJECT, lambda w: {
        "pk": questionnaire(w).sections.first().pk}),
    "surveys:section_delete": Row(WRITER_OBJECT, lambda w: {
        "pk": questionnaire(w).sections.first().pk}),
    "surveys:section_move": Row(POST_ONLY, lambda w: {
        "pk": questionnaire(w).sections.first().pk}),
    "surveys:question_create": Row(WRITER_OBJECT, lambda w: {"pk": questionnaire(w).pk}),
    "surveys:question_update": Row(WRITER_OBJECT, lambda w: {
        "pk": questionnaire(w).questions.first().pk}),
    "surveys:question_delete": Row(WRITER_OBJECT, lambda w: {
        "pk": questionnaire(w).questions.first().pk}),
    "surveys:question_move": Row(POST_ONLY, lambda w: {
        "pk": questionnaire(w).questions.first().pk}),
    # --- surveys: results of a teacher campaign of district A (surveys/results.py campaign_for_results):
    # ИМЦ staff read it; school administrators read only organisation campaigns, so 403 here ---
    "surveys:campaign_results": Row("L 200 200 200 403 403 404 403", lambda w: {
        "pk": results_campaign(w).pk}),
    "surveys:campaign_results_export": Row("L 200 200 200 403 403 404 403", lambda w: {
        "pk": results_campaign(w).pk}),
    # --- surveys: campaigns (surveys/views/campaigns.py: view_district reads, build writes) of district A ---
    "surveys:campaign_list": Row(DISTRICT_LIST),
    "surveys:campaign_create": Row(WRITER_NEW),
    "surveys:campaign_detail": Row(DISTRICT_OBJECT, lambda w: {"pk": matrix_campaigns(w).teacher.pk}),
    "surveys:campaign_update": Row(WRITER_OBJECT, lambda w: {"pk": matrix_campaigns(w).teacher.pk}),
    "surveys:campaign_close": Row(POST_ONLY, lambda w: {"pk": matrix_campaigns(w).teacher.pk}),
    "surveys:campaign_links_export": Row(DISTRICT_OBJECT, lambda w: {"pk": matrix_campaigns(w).teacher.pk}),
    "surveys:campaign_response_detail": Row(DISTRICT_OBJECT, lambda w: {
        "pk": matrix_campaigns(w).organisation.pk, "response_id": matrix_campaigns(w).response.public_id}),
    # --- surveys: a school's own questionnaires (surveys/views/respond.py); the campaign is addressed
    # to school A only, so school B's administrator gets 404 ---
    "surveys:organisation_campaign_list": Row("L 403 403 403 200 200 403 403"),
    "surveys:organisation_fill": Row("L 403 403 403 200 404 403 403", lambda w: {
        "pk": matrix_campaigns(w).organisation.pk}),
    # --- reports (reports/selectors.py): reports.view = methodist, director, observer, school admin; observers
    # see signed reports only, school admins signed ones published to schools; a draft and a signed,
    # published report of district A (tests/reports/workflow_support.py matrix_reports) ---
    "reports:report_list": Row("L 200 200 200 200 200 200 200"),
    "reports:report_create": Row(WRITER_NEW),
    "reports:report_detail": Row("L 200 200 404 404 404 404 404", lambda w: {"pk": matrix_reports(w).draft.pk}),
    "reports:report_edit": Row(WRITER_OBJECT, lambda w: {"pk": matrix_reports(w).draft.pk}),
    "reports:report_preview": Row("L 200 200 200 200 200 404 404", lambda w: {"pk": matrix_reports(w).signed.pk}),
    "reports:report_submit": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).draft.pk}),
    "reports:report_return": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).draft.pk}),
    "reports:report_approve": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).draft.pk}),
    # the director's paper-journal form; the matrix's draft is not submitted, so it sends him back to the report
    "reports:report_register_paper_number": Row("L 403 302 403 403 403 403 403", lambda w: {
        "pk": matrix_reports(w).draft.pk}),
    "reports:report_sign": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).draft.pk}),
    "reports:report_correct": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).signed.pk}),
    "reports:report_publish": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).signed.pk}),
    "reports:report_signature_attach": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).signed.pk}),
    "reports:report_render": Row(POST_ONLY, lambda w: {"pk": matrix_reports(w).draft.pk}),
    # the signed PDF: every reader of district A; the draft's PDF is refused to observers and schools
    # (tests/reports/test_views.py)
    "reports:report_file_download": Row("L 200 200 200 200 200 404 404", lambda w: {
        "pk": matrix_reports(w).signed.pk, "role": "signed_pdf"}),
    "reports:render_job_status": Row("L 200 200 404 404 404 404 404", lambda w: {"job_pk": matrix_reports(w).job.pk}),
    # a signer's own certificate (reports/views/certificates.py): whoever holds reports.approve
    "reports:signing_certificate": Row("L 403 200 403 403 403 403 403"),
    # --- public answering through school A's link of an open teacher campaign: no login ---
    # the link redirects to the form with its own signed submission key in the URL (surveys/submission_keys.py)
    "survey_public:respond": Row(" ".join(["302:/s/"] * 8), lambda w: {"token": matrix_campaigns(w).token}),
    "survey_public:thanks": Row(EVERYBODY, lambda w: {"token": matrix_campaigns(w).token}),
    # --- public verification of a signed report of district A (reports/views_public.py): no login ---
    "report_public:verify": Row(EVERYBODY, lambda w: {
        "code": verified_report(w).verification_code}),
    # its detached .sig: this report has none
    "report_public:verify_signature": Row(" ".join(["404"] * 8), lambda w: {
        "code": verified_report(w).verification_code}),
}


# --- the URLconf, walked from the resolver ---


@dataclass(frozen=True)
class UrlEntry:
    name: str | None  # "namespace:name", None for an unnamed pattern
    route: str  # the full route, e.g. "registry/teachers/<int:pk>/"
    params: tuple[str, ...]


# The network and diagnostics apps' rows live beside their tests, one module per area:
# tests/<app>/access_rows_*.py, each a ROWS dict in the same vocabulary.
def _app_rows(app: str) -> dict[str, Row]:
    import importlib
    import pkgutil

    package = importlib.import_module(f"tests.{app}")
    rows: dict[str, Row] = {}
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("access_rows_"):
            rows.update(importlib.import_module(f"tests.{app}.{module.name}").ROWS)
    return rows


EXPECTED.update(_app_rows("network"))
EXPECTED.update(_app_rows("diagnostics"))
EXPECTED.update(_app_rows("events"))
EXPECTED.update(_app_rows("monitoring"))
EXPECTED.update(_app_rows("reports"))
EXPECTED.update(_app_rows("setup"))


def _skipped_prefixes() -> tuple[str, ...]:
    prefixes = []
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and not urlparse(url).netloc:
            prefixes.append(url.lstrip("/"))
    return tuple(p for p in prefixes if p)


def _pattern_params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)  # re_path: its named groups are the kwargs
    return tuple(regex.groupindex) if regex is not None else ()


def walk_urlconf(
    resolver: URLResolver | None = None, namespace: str = "", prefix: str = "", params: tuple[str, ...] = ()
) -> list[UrlEntry]:
    resolver = resolver or get_resolver()
    entries: list[UrlEntry] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        route_params = params + _pattern_params(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            entries += walk_urlconf(pattern, inner, route, route_params)
        elif isinstance(pattern, URLPattern) and not route.startswith(_skipped_prefixes()):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            entries.append(UrlEntry(name, route, route_params))
    return entries


URLS = walk_urlconf()
URL_NAMES = {entry.name for entry in URLS if entry.name}


def _row_suggestion(entry: UrlEntry) -> str:
    if entry.params:
        kwargs = "lambda w: {" + ", ".join(f'"{p}": w.<object>.pk' for p in entry.params) + "}"
        if entry.params == ("pk",):
            kwargs = 'pk("<world attribute>")'
        elif len(entry.params) == 1:
            kwargs = f'pk("<world attribute>", "{entry.params[0]}")'
        return f'    "{entry.name}": Row("<anon> <met> <dir> <obs> <sa> <osa> <ometh> <padm>", {kwargs}),'
    return f'    "{entry.name}": Row("<anon> <met> <dir> <obs> <sa> <osa> <ometh> <padm>"),'


def test_every_url_has_a_row():
    missing = sorted(
        {e.name: e for e in URLS if e.name and e.name not in EXPECTED}.values(), key=lambda e: e.name
    )
    assert not missing, (
        "These URL names have no row in EXPECTED of tests/test_access_matrix.py. Add one per URL with "
        "the status each persona must get on GET (read the view's capability and its *_for_user "
        "selector; shorthands DISTRICT_LIST, WRITER_OBJECT … are defined above the table; objects "
        "for kwargs come from the `world` fixture — add one there if the URL needs a new kind):\n"
        + "\n".join(f"{_row_suggestion(e)}  # /{e.route}" for e in missing)
    )


def test_every_url_has_a_name():
    unnamed = [f"/{e.route}" for e in URLS if not e.name]
    assert not unnamed, f"Give these URL patterns a name= so they can be reversed and checked: {unnamed}"


def test_table_has_no_rows_for_urls_that_do_not_exist():
    stale = sorted(set(EXPECTED) - URL_NAMES)
    assert not stale, f"EXPECTED has rows for URL names the URLconf no longer has; remove them: {stale}"


def test_every_row_names_each_persona_and_anonymous_goes_to_login():
    problems = []
    for name, row in EXPECTED.items():
        tokens = row.tokens()
        if len(tokens) != len(PERSONAS):
            problems.append(f"{name}: {len(tokens)} statuses for {len(PERSONAS)} personas")
        elif not is_public(name) and tokens[0] != "L":
            problems.append(f"{name}: anonymous must be sent to the login page (L), not {tokens[0]}")
    assert not problems, "\n".join(problems)


# --- the requests ---


@pytest.fixture
def world(
    district_a,
    school_a,
    school_b,
    methodist,
    director,
    observer,
    school_admin,
    other_school_admin,
    other_methodist,
    portal_admin,
):
    """One object of each kind, all in district A / school A (the personas' conftest.py)."""
    from monitoring.models import Indicator, Period, Programme, RecomputeJob, ScopeKind, Value

    teacher = TeacherFactory(organisation=school_a)
    mentee = TeacherFactory(organisation=school_a, experience_years=1, birth_year=2000)
    cluster = ClusterFactory(district=district_a, year=2021)
    community = CommunityFactory(district=district_a)
    innovation = InnovationProjectFactory(district=district_a)
    programme = Programme.objects.create(district=district_a, code="network", name="Сетевое взаимодействие")
    period = Period.objects.create(
        programme=programme, label="2021", starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2021, 12, 31)
    )
    indicator = Indicator.objects.create(programme=programme, code="net_schools_share", name="Доля ОУ")
    return SimpleNamespace(
        users={
            "anonymous": None,
            "methodist": methodist,
            "director": director,
            "observer": observer,
            "school_admin": school_admin,
            "other_school_admin": other_school_admin,
            "other_methodist": other_methodist,
            "portal_admin": portal_admin,
        },
        district_a=district_a,
        school_a=school_a,
        school_b=school_b,
        teacher=teacher,
        mentee=mentee,
        cluster=cluster,
        membership=ClusterMembershipFactory(cluster=cluster, organisation=school_a),
        community=community,
        community_membership=CommunityMembershipFactory(community=community, teacher=teacher),
        training_program=TrainingProgramFactory(district=district_a),
        training_completion=TrainingCompletionFactory(teacher=teacher),
        route=IndividualRouteFactory(teacher=teacher),
        mentorship=MentorshipFactory(mentor=teacher, mentee=mentee),
        innovation=innovation,
        innovation_participation=innovation.participations.create(teacher=teacher),
        event=EventFactory(district=district_a),
        programme=programme,
        period=period,
        indicator=indicator,
        value=Value.objects.create(
            district=district_a,
            scope_kind=ScopeKind.DISTRICT,
            indicator=indicator,
            period=period,
            plan=40,
            fact=54.8,
        ),
        recompute_job=RecomputeJob.objects.create(programme=programme, period=period),
    )


def _mismatch(token: str, response) -> str | None:
    """None if the response matches the token, else what was wrong."""
    status = response.status_code
    location = response.get("Location", "")
    if token == "L":
        login_path = resolve_url(settings.LOGIN_URL)
        if status == 302 and urlparse(location).path == login_path:
            return None
        return f"got {status} {location}".rstrip()
    expected_status, _, target = token.partition(":")
    if status != int(expected_status):
        return f"got {status} {location}".rstrip()
    if target and not urlparse(location).path.startswith(target):
        return f"got {status} to {location}, not to {target}"
    return None


@pytest.mark.parametrize("name", sorted(set(EXPECTED) & URL_NAMES))
def test_get_answers_each_persona_as_expected(name, world):
    row = EXPECTED[name]
    url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query

    problems = []
    for persona, token in zip(PERSONAS, row.tokens(), strict=True):
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        try:
            response = client.get(url)
        except Exception as exc:  # a crash is a finding like any other status
            problems.append(f"  {persona:<19} expected {token:<5} raised {type(exc).__name__}: {exc}")
            continue
        problem = _mismatch(token, response)
        if problem:
            problems.append(f"  {persona:<19} expected {token:<5} {problem}")

    assert not problems, f"GET {url} ({name}):\n" + "\n".join(problems)


# --- what a persona is shown: menu items and links ---


class _Links(HTMLParser):
    """The href of every <a> of a page (not <link>: stylesheets are static files)."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def portal_links(html: str, page: str) -> set[str]:
    """Links of a page that lead to another page of the portal, as absolute paths with their query.

    Left out: «#», javascript:, mailto:, other hosts, static and media files, and «?page=2»-style
    links back to the same page with another query (the page itself is already in the matrix).
    """
    parser = _Links()
    parser.feed(html)
    links = set()
    for href in parser.hrefs:
        url = urlparse(urljoin(page, href))
        if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
            continue
        if href.startswith(("#", "?")) or url.path.lstrip("/").startswith(_skipped_prefixes()):
            continue
        links.add(url.path + (f"?{url.query}" if url.query else ""))
    return links


def _client(world, persona: str) -> Client:
    client = Client()
    if world.users[persona] is not None:
        client.force_login(world.users[persona])
    return client


def _pages_served(world, persona: str) -> list[str]:
    """The URLs of the matrix this persona gets (200), with the row's kwargs from the world."""
    urls = []
    for name in sorted(set(EXPECTED) & URL_NAMES):
        row = EXPECTED[name]
        token = row.tokens()[PERSONAS.index(persona)]
        if token == "200":
            urls.append(reverse(name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query)
    return urls


def _open(client: Client, url: str, *, logged_in: bool) -> str | None:
    """None when the persona may open the page (served, also at the end of redirects), else what it got.

    A logged-in persona sent to the login page did not open it; anonymous visitors may be.
    """
    response = client.get(url, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    if response.status_code == 200 and not (logged_in and urlparse(final).path == resolve_url(settings.LOGIN_URL)):
        return None
    hops = " → ".join(location for location, _ in response.redirect_chain)
    return f"{response.status_code}{f' after {hops}' if hops else ''}"


def links_shown(world, persona: str) -> dict[str, str]:
    """Every portal link the persona is shown → the first page showing it: the links of every page
    of the matrix it opens, and its menu items."""
    from imc_portal.context_processors import navigation_entries

    client = _client(world, persona)
    found_on: dict[str, str] = {}
    for page in _pages_served(world, persona):
        response = client.get(page)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for link in portal_links(response.content.decode(), page):
            found_on.setdefault(link, page)
    if world.users[persona] is not None:  # anonymous visitors get no menu
        request = RequestFactory().get("/")
        request.user = world.users[persona]
        for entry in navigation_entries(request):
            for item in entry.get("children", [entry]):
                found_on.setdefault(item["url"], "the menu")
    return found_on


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_a_persona_is_shown_opens(persona, world):
    """Every menu item and every link on every page the persona opens leads to a page it may open.

    Each distinct link is requested once per persona (the pages are fetched once, their links are
    collected into one set), so the walk grows with the number of links, not pages × links.
    """
    client = _client(world, persona)
    logged_in = world.users[persona] is not None
    dead = []
    for link, page in sorted(links_shown(world, persona).items()):
        problem = _open(client, link, logged_in=logged_in)
        if problem:
            dead.append(f"  {link} (on {page}): {problem}")
    assert not dead, f"{persona} is shown links to pages it may not open:\n" + "\n".join(dead)


def test_the_walk_sees_list_buttons_detail_links_and_the_menu(world):
    """The walk above checks what it collects: a methodist's list buttons (create, export with the
    filter, import), a detail page's edit/delete links and the menu must all be among them."""
    links = links_shown(world, "methodist")

    expected = {
        reverse("clusters:organisation_create"),
        reverse("clusters:organisation_export"),  # with the page's (here empty) filter
        reverse("clusters:import") + "?kind=organisations",
        reverse("clusters:teacher_update", args=[world.teacher.pk]),
        reverse("clusters:teacher_delete", args=[world.teacher.pk]),
        reverse("clusters:event_update", args=[world.event.pk]),
        reverse("clusters:community_member_create", args=[world.community.pk]),
        reverse("clusters:import"),  # the menu
    }
    assert expected <= set(links), sorted(expected - set(links))


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_menu_shows_exactly_the_sections_the_persona_may_open(persona, world):
    """`Item.is_shown` asks the table the view guards ask: shown ⇔ the page opens, item by item."""
    from imc_portal.context_processors import NAVIGATION, Group

    client = _client(world, persona)
    items = [item for node in NAVIGATION for item in (node.items if isinstance(node, Group) else (node,))]
    wrong = []
    for item in items:
        shown = item.is_shown(world.users[persona])
        opens = _open(client, reverse(item.url_name), logged_in=True) is None
        if shown != opens:
            wrong.append(f"  {item.label} ({item.url_name}): shown={shown}, opens={opens}")
    assert not wrong, f"the menu of {persona} disagrees with the pages' guards:\n" + "\n".join(wrong)


def test_a_menu_item_with_a_wrong_url_name_fails_loudly(methodist_client, monkeypatch):
    from imc_portal import context_processors

    broken = context_processors.Item("Сломанный пункт", "clusters:no_such_page", "x", "registry.view_district")
    monkeypatch.setattr(context_processors, "NAVIGATION", (*context_processors.NAVIGATION, broken))

    with pytest.raises(NoReverseMatch):
        methodist_client.get(reverse("home"))
