"""Work queues of the start page: one selector per role, each a fixed handful of queries.

Every number a queue shows is a `Counter` with the URL of the list it counts (with that list's filter in the
query string where the list has one). Each selector reads through the apps' own `*_for_user` scopes, so a
queue never shows another district's (or another school's) rows. imc_portal sits above every app
(tests/test_layers.py), so this module may read from all of them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from core.permissions import can

SOON_DAYS = 7  # campaigns «closing soon», failed jobs «recent»
EVENTS_AHEAD_DAYS = 14
LIST_LIMIT = 10  # rows shown under a counter; the counter's link leads to all of them

# «Since the last visit» (observer): the time of the previous visit to the start page, kept in a signed
# cookie (durable across sessions, which here last ≤ 12 h) and fixed for the session at its first visit.
SEEN_COOKIE, SEEN_SALT, SEEN_SESSION_KEY = "imc_home_seen", "imc_portal.home.seen", "home_since"
SEEN_COOKIE_AGE = 365 * 24 * 3600
SEEN_FALLBACK_DAYS = 30  # no earlier visit known (new browser, first visit): the last 30 days


@dataclass(frozen=True)
class Counter:
    label: str
    count: int
    url: str
    testid: str
    note: str = ""  # what the link cannot filter, said next to the number

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


# --- the district (every district role) ---------------------------------------------------------------------


def district_overview(user) -> dict:
    """Organisations, teachers and the latest year's clusters of the user's district.

    The teacher count is an aggregate, not the personal-data list: an observer (who may not read teachers by
    name) was shown 0 because it used to come from `teachers_for_user`, which is empty for that role.
    """
    from clusters import selectors
    from clusters.models import Teacher

    organisations = selectors.organisations_for_user(user)
    teacher_count = Teacher.objects.filter(organisation__district_id=user.district_id, is_active=True).count()
    latest = selectors.clusters_for_user(user).order_by("-year").values_list("year", flat=True).first()
    # The teacher list is personal data; who may not read it gets the organisations (their staff) instead.
    teachers_url = _url("clusters:teacher_list") if can(user, "registry.view_personal_data") \
        else _url("clusters:organisation_list")
    return {
        "organisations": Counter("действующих организаций", organisations.filter(is_active=True).count(),
                                 _url("clusters:organisation_list"), "count-organisations"),
        "teachers": Counter("педагогов", teacher_count, teachers_url, "count-teachers"),
        "cluster_year": latest,
        "clusters": selectors.clusters_of_year_with_sizes(user.district_id, latest) if latest else [],
    }


# --- director -------------------------------------------------------------------------------------------------


def periods_awaiting_approval(user, today: dt.date | None = None) -> list[dict]:
    """Per programme, its periods that have ended, hold facts and are not approved for the district — one query."""
    from monitoring.models import Period, PeriodApproval, Value
    from monitoring.selectors import programmes_for_user

    today = today or timezone.localdate()
    approved = PeriodApproval.objects.filter(period=OuterRef("pk"), scope_key="district", revoked_at__isnull=True)
    has_facts = Value.objects.filter(period=OuterRef("pk"), fact__isnull=False)
    rows = (Period.objects.filter(programme__in=programmes_for_user(user).values("pk"), ends_on__lt=today)
            .filter(Exists(has_facts)).exclude(Exists(approved))
            .values("programme_id", "programme__name").annotate(n=Count("pk")).order_by("programme__name"))
    return [{"name": r["programme__name"], "count": r["n"],
             "url": _url("monitoring:programme_detail", r["programme_id"])} for r in rows]


def director_queues(user) -> dict:
    from reports.models import ReportStatus
    from reports.selectors import reports_for_user

    counts = reports_for_user(user).aggregate(
        submitted=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        approved=Count("pk", filter=Q(status=ReportStatus.APPROVED)),
    )
    programmes = periods_awaiting_approval(user)
    return {
        "reports": [
            Counter("Справки на утверждении", counts["submitted"],
                    _url("reports:report_list", status=ReportStatus.SUBMITTED), "queue-reports-submitted"),
            Counter("Справки, ждущие подписи", counts["approved"],
                    _url("reports:report_list", status=ReportStatus.APPROVED), "queue-reports-approved"),
        ],
        "periods": Counter("Периоды мониторинга, ждущие утверждения", sum(p["count"] for p in programmes),
                           _url("monitoring:programme_list"), "queue-periods",
                           note="закончились, факт внесён, для района не утверждены"),
        "period_programmes": programmes,
    }


# --- methodist ------------------------------------------------------------------------------------------------


def _own_reports(user) -> dict:
    from reports.models import EDITABLE_STATUSES, ReportStatus
    from reports.selectors import reports_for_user

    own = reports_for_user(user).filter(created_by=user, status__in=list(EDITABLE_STATUSES))
    counts = own.aggregate(draft=Count("pk", filter=Q(status=ReportStatus.DRAFT)),
                           returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)))
    # The list has no «author» filter yet: the links show the district's drafts / returned ones.
    return {
        "counters": [
            Counter("Мои черновики", counts["draft"], _url("reports:report_list", status=ReportStatus.DRAFT),
                    "queue-own-drafts"),
            Counter("Мои справки, возвращённые на доработку", counts["returned"],
                    _url("reports:report_list", status=ReportStatus.RETURNED), "queue-own-returned"),
        ],
        "items": list(own.order_by("-updated_at", "-pk")[:LIST_LIMIT]),
    }


def survey_campaigns_closing(user, now: dt.datetime | None = None) -> list:
    """Open campaigns of the district closing within SOON_DAYS, with the share of organisations that answered
    (organisation questionnaires) or the number of answers (anonymous teacher ones) — two queries."""
    from surveys.selectors import campaign_list_for_user, district_organisation_count

    now = now or timezone.now()
    campaigns = list(campaign_list_for_user(user).filter(
        opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + dt.timedelta(days=SOON_DAYS)
    ).order_by("closes_at", "pk"))
    if campaigns:
        district_count = district_organisation_count(user.district_id)
        for campaign in campaigns:
            campaign.addressed_count = campaign.chosen_count or district_count
            campaign.rate = (round(100 * campaign.response_count / campaign.addressed_count)
                             if not campaign.questionnaire.is_anonymous and campaign.addressed_count else None)
    return campaigns


def diagnostic_campaigns_closing(user, now: dt.datetime | None = None) -> list:
    """Open diagnostic campaigns of the district closing within SOON_DAYS, with invited and submitted — one query."""
    from diagnostics.models import DiagnosticCampaign, InvitationStatus

    if not can(user, "diagnostics.view") or not user.district_id:
        return []
    now = now or timezone.now()
    campaigns = list(DiagnosticCampaign.objects.filter(
        district_id=user.district_id, closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now,
        closes_at__lte=now + dt.timedelta(days=SOON_DAYS),
    ).annotate(
        invited=Count("invitations"),
        submitted=Count("invitations", filter=Q(invitations__status=InvitationStatus.SUBMITTED)),
    ).order_by("closes_at", "pk"))
    for campaign in campaigns:
        campaign.rate = round(100 * campaign.submitted / campaign.invited) if campaign.invited else None
    return campaigns


def failed_jobs(user, now: dt.datetime | None = None) -> list[dict]:
    """Render, recompute and certificate jobs of the district that failed in the last SOON_DAYS — three queries."""
    from core.jobs import JobStatus
    from events.models import CertificateJob
    from monitoring.models import RecomputeJob
    from reports.models import RenderJob

    if not user.district_id:
        return []
    since = (now or timezone.now()) - dt.timedelta(days=SOON_DAYS)
    recent = Q(status=JobStatus.FAILED, created_at__gte=since)
    rows = []
    for job in RenderJob.objects.filter(recent, report__district_id=user.district_id).select_related("report"):
        rows.append({"what": f"PDF справки «{job.report.title}»", "url": job.report.get_absolute_url(), "job": job})
    for job in RecomputeJob.objects.filter(recent, programme__district_id=user.district_id).select_related(
            "programme"):
        rows.append({"what": f"Пересчёт «{job.programme.name}»", "url": job.programme.get_absolute_url(), "job": job})
    for job in CertificateJob.objects.filter(recent, event__district_id=user.district_id).select_related("event"):
        rows.append({"what": f"Сертификаты «{job.event.title}»", "url": _url("events:certificates", job.event_id),
                     "job": job})
    rows.sort(key=lambda row: row["job"].created_at, reverse=True)
    return rows


def upcoming_events(user, today: dt.date | None = None) -> list:
    """Planned events of the district's plan in the next EVENTS_AHEAD_DAYS days — one query."""
    from clusters.models import Event, EventStatus

    if not can(user, "events.view") or not user.district_id:
        return []
    today = today or timezone.localdate()
    return list(Event.objects.filter(
        district_id=user.district_id, status=EventStatus.PLANNED,
        held_on__gte=today, held_on__lte=today + dt.timedelta(days=EVENTS_AHEAD_DAYS),
    ).order_by("held_on", "starts_at", "title"))


def methodist_queues(user) -> dict:
    today = timezone.localdate()
    surveys = survey_campaigns_closing(user)
    diagnostics = diagnostic_campaigns_closing(user)
    jobs = failed_jobs(user)
    events = upcoming_events(user, today)
    return {
        "own_reports": _own_reports(user),
        "surveys": Counter("Анкетирования, закрывающиеся в ближайшие 7 дней", len(surveys),
                           _url("surveys:campaign_list", state="open"), "queue-surveys-closing"),
        "survey_items": surveys,
        "diagnostics": Counter("Диагностики, закрывающиеся в ближайшие 7 дней", len(diagnostics),
                               _url("diagnostics:campaigns"), "queue-diagnostics-closing"),
        "diagnostic_items": diagnostics,
        "jobs": Counter("Задания, завершившиеся ошибкой за 7 дней", len(jobs), "#failed-jobs", "queue-failed-jobs"),
        "job_items": jobs,
        "events": Counter("Мероприятия плана на ближайшие 14 дней", len(events),
                          _url("events:plan", year=today.year), "queue-events"),
        "event_items": events,
    }


# --- school administrator --------------------------------------------------------------------------------------


def school_diagnostic_campaigns(user, now: dt.datetime | None = None) -> list:
    """Open (or scheduled) diagnostic campaigns reaching the organisation, with its own teachers' progress."""
    from diagnostics.models import DiagnosticCampaign, InvitationStatus

    if not can(user, "diagnostics.school") or not user.organisation_id:
        return []
    now = now or timezone.now()
    own = Q(invitations__teacher__organisation_id=user.organisation_id)
    return list(DiagnosticCampaign.objects.filter(
        organisations=user.organisation_id, closed_at__isnull=True, closes_at__gt=now,
    ).annotate(
        invited=Count("invitations", filter=own),
        submitted=Count("invitations", filter=own & Q(invitations__status=InvitationStatus.SUBMITTED)),
    ).order_by("closes_at", "pk"))


def school_admin_queues(user, survey_campaigns: list) -> dict:
    from clusters.models import Event, EventStatus, RouteStatus
    from diagnostics.services.routes import routes_for_user

    today = timezone.localdate()
    diagnostics = school_diagnostic_campaigns(user)
    routes = routes_for_user(user).filter(status=RouteStatus.PLANNED).count() \
        if can(user, "diagnostics.school") else 0
    events = list(Event.objects.filter(
        district_id=user.district_id, status=EventStatus.PLANNED, registration_open=True, held_on__gte=today,
    ).order_by("held_on", "starts_at", "title")[:LIST_LIMIT]) if can(user, "events.register") else []
    to_fill = [c for c in survey_campaigns if not c.own_submitted]
    return {
        "surveys": Counter("Анкеты организации к заполнению", len(to_fill),
                           _url("surveys:organisation_campaign_list"), "queue-school-surveys"),
        "diagnostics": Counter("Диагностики для педагогов организации", len(diagnostics),
                               _url("diagnostics:campaigns"), "queue-school-diagnostics"),
        "diagnostic_items": diagnostics,
        "routes": Counter("ИОМ педагогов на утверждении", routes,
                          _url("diagnostics:routes", status=RouteStatus.PLANNED), "queue-school-routes"),
        "events": Counter("Мероприятия с открытой регистрацией", len(events),
                          _url("events:plan", year=today.year), "queue-school-events"),
        "event_items": events,
        "now": timezone.now(),
    }


# --- observer ---------------------------------------------------------------------------------------------------


def seen_since(request) -> tuple[dt.datetime, bool]:
    """(since, known): the previous visit to the start page, fixed for the session at its first visit.

    Not `last_login`: it is set when the current session starts, so «since the last login» would hide
    everything signed before this morning's login. `known` is False when no earlier visit is on record.
    """
    stored = request.session.get(SEEN_SESSION_KEY)
    if stored:
        return dt.datetime.fromisoformat(stored["at"]), stored["known"]
    since, known = None, False
    try:
        user_pk, _, at = request.get_signed_cookie(SEEN_COOKIE, salt=SEEN_SALT).partition("|")
        if user_pk == str(request.user.pk):
            since, known = dt.datetime.fromisoformat(at), True
    except (KeyError, signing.BadSignature, ValueError):
        pass
    if since is None:
        since = timezone.now() - dt.timedelta(days=SEEN_FALLBACK_DAYS)
    request.session[SEEN_SESSION_KEY] = {"at": since.isoformat(), "known": known}
    return since, known


def remember_seen(request, response) -> None:
    """Record this visit for the next session's «since the last visit»."""
    from django.conf import settings

    response.set_signed_cookie(
        SEEN_COOKIE, f"{request.user.pk}|{timezone.now().isoformat()}", salt=SEEN_SALT, max_age=SEEN_COOKIE_AGE,
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )


def reads_signed_only(user) -> bool:
    """A district role that sees only signed справки (the observer): its queue is what was signed lately."""
    return can(user, "reports.view") and not can(user, "reports.view_unsigned")


def observer_queues(user, since: dt.datetime, known: bool) -> dict:
    from reports.models import ReportStatus
    from reports.selectors import reports_for_user

    signed = reports_for_user(user).filter(status=ReportStatus.SIGNED, signed_at__gt=since)
    items = list(signed.order_by("-signed_at", "-pk")[:LIST_LIMIT + 1])
    count = len(items) if len(items) <= LIST_LIMIT else signed.count()
    label = "Справки, подписанные с прошлого визита" if known else f"Справки, подписанные за {SEEN_FALLBACK_DAYS} дней"
    return {
        "signed": Counter(label, count, _url("reports:report_list", status=ReportStatus.SIGNED),
                          "queue-signed-since"),
        "signed_items": items[:LIST_LIMIT],
        "since": since,
        "since_known": known,
    }
