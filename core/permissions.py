"""Who may do what: the one capability table of the portal.

Every guard asks this table — view mixins (`capability = "registry.edit"`), the navigation, the
buttons of report/campaign/period pages and the services' own checks — so a role's rights are
written exactly once. A capability is role-level; whether *this* object is reachable is the job of
the app's `*_for_user` selectors (district / organisation scope), and whether *this state* allows an
action is the job of the app's workflow table (e.g. `reports/workflow.py`).

Adding a role: add it to `core.roles.Role`, then give it capabilities here; nothing else changes.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .roles import Role

M, D, S, OBS, ADMIN = Role.METHODIST, Role.DIRECTOR, Role.SCHOOL_ADMIN, Role.OBSERVER, Role.PORTAL_ADMIN
CITY = Role.CITY  # above the districts: reads every district of its region, writes nothing

CAPABILITIES: dict[str, frozenset[str]] = {
    # --- who the user is tied to (used by the user model's validation and the start pages)
    "account.works_in_district": frozenset({M, D, OBS}),
    "account.works_in_organisation": frozenset({S}),
    "account.administers_portal": frozenset({ADMIN}),
    "account.works_in_region": frozenset({CITY}),  # a city user: a region, no district, no organisation
    # may pick any district (of the region; the portal admin: any) to read through the district pages
    "account.views_any_district": frozenset({CITY, ADMIN}),
    # --- registry (clusters)
    "registry.view_district": frozenset({M, D, OBS, CITY}),  # organisations, communities, projects, events
    "registry.view_personal_data": frozenset({M, D}),  # teachers of the whole district
    "registry.view_own_organisation": frozenset({S}),  # «Моя организация», its teachers and records
    "registry.view_clusters": frozenset({M, D, OBS, S, CITY}),
    "registry.edit": frozenset({M}),
    "registry.edit_own_organisation": frozenset({S}),
    "registry.import": frozenset({M}),
    "registry.curate": frozenset({M}),  # may be named curator of a cluster or a community
    # --- monitoring
    "monitoring.view": frozenset({M, D, OBS, CITY, ADMIN}),
    "monitoring.edit": frozenset({M}),  # catalogue, plan/fact entry, import, recompute
    "monitoring.approve": frozenset({D}),  # approve (lock) and reopen periods
    "monitoring.compare_districts": frozenset({CITY, ADMIN}),  # the same indicator codes across districts
    # --- network interaction from results (network): results, tiers, pairs, practices, mentors
    "network.view": frozenset({M, D, OBS, CITY}),  # results, tiers, pairs and mentors of the district
    "network.edit": frozenset({M}),  # import results, recompute / override tiers, decide pairs, verify practices
    "network.view_own": frozenset({S}),  # own organisation's results and pairs
    "network.update_pair_activities": frozenset({M, S}),  # a pair's plan of joint activities (S: own pairs)
    "network.view_practices": frozenset({M, D, OBS, S, CITY}),  # the base of effective practices
    "network.contribute_practice": frozenset({M, S}),  # add a practice (S: of own organisation, unverified)
    # --- self-diagnostics → ИОМ (diagnostics); personal results: the teacher (by link), school, methodists, director
    "diagnostics.view": frozenset({M, D}),  # campaigns, invitations, teachers' profiles and routes of the district
    "diagnostics.build": frozenset({M}),  # instruments and campaigns
    "diagnostics.view_rollups": frozenset({M, D, OBS, CITY}),  # deficit map, competency index (observers: groups ≥ 5)
    "diagnostics.school": frozenset({S}),  # own organisation: links to hand out, teachers' profiles, routes to approve
    # --- the year's events (events): plan, registrations, attendance, certificates, consultations, achievements
    "events.view": frozenset({M, D, OBS, S, CITY}),  # the district's plan and an event's page (S: their own district)
    "events.plan": frozenset({M}),  # events of the plan: create, edit, import, status, forms of the district
    "events.register": frozenset({S}),  # register the own organisation's teachers
    "events.attendance": frozenset({M}),  # mark attendance (list, QR), pupils count
    "events.certificates": frozenset({M}),  # issue certificates (D downloads them through events.view)
    "events.journal": frozenset({M}),  # consultations log and teachers' achievements of the district
    "events.school_journal": frozenset({S}),  # achievements of the own organisation's teachers
    # --- surveys
    "surveys.build": frozenset({M}),  # questionnaires and campaigns
    "surveys.view_results": frozenset({M, D, OBS, CITY}),
    "surveys.view_district": frozenset({M, D, OBS, CITY}),  # questionnaires and campaigns of the district, read-only
    "surveys.view_own_results": frozenset({S}),  # organisation questionnaires' results, own organisation only
    "surveys.respond_for_organisation": frozenset({S}),
    # --- reports
    "reports.view": frozenset({M, D, OBS, S, CITY, ADMIN}),
    "reports.view_unsigned": frozenset({M, D}),  # drafts, submitted and approved reports (others: signed only)
    "reports.view_unpublished": frozenset({M, D, OBS, CITY, ADMIN}),  # signed reports not published to schools
    "reports.author": frozenset({M}),  # create, edit, submit, correct
    "reports.approve": frozenset({D}),  # approve (also with a paper-journal number), return, sign, publish…
    "reports.render": frozenset({M, D}),
    "reports.view_download_log": frozenset({D}),
    "reports.download_any_file": frozenset({M, D}),
    "reports.download_tables": frozenset({M, D, OBS, CITY, ADMIN}),
    "reports.download_signed": frozenset({M, D, OBS, S, CITY, ADMIN}),
    "reports.city": frozenset({CITY, ADMIN}),  # the city справка: districts of a region rolled up
    # --- onboarding a district (setup): district and ИМЦ requisites, first users, programme, import checklist
    "setup.run": frozenset({ADMIN}),
}


def roles_with(capability: str) -> frozenset[str]:
    """The roles holding a capability; an unknown name is a programming error, not a refusal."""
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise LookupError(f"Unknown capability {capability!r}: add it to core.permissions.CAPABILITIES") from None


def role_can(role: str | None, capability: str) -> bool:
    return role in roles_with(capability)


def can(user, capability: str) -> bool:
    """True when an authenticated user's role holds the capability."""
    return bool(getattr(user, "is_authenticated", False)) and role_can(getattr(user, "role", None), capability)


def can_any(user, *capabilities: str) -> bool:
    return any(can(user, capability) for capability in capabilities)


def require(user, *capabilities: str) -> None:
    """Refuse (403) unless the user holds at least one of the capabilities."""
    if not can_any(user, *capabilities):
        raise PermissionDenied("Этот раздел недоступен для вашей роли.")
