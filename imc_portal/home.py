"""Work queues of the start page: one selector per role, each a fixed handful of queries.

Every number of the page is one scalar subquery of a single query (`count_all`: the district's — or the school's —
row with a COUNT per counter), and every list is one query; the district and school names come from the
navbar's (imc_portal/menu.py `place_labels`), so the start page asks no more than what it shows (issue 15.3).

Every number a queue shows is a `Counter` with the URL of the list it counts (with that list's filter in the
query string where the list has one). Each selector reads through the apps' own `*_for_user` scopes, so a
queue never shows another district's (or another school's) rows. imc_portal sits above every app
(tests/test_layers.py), so this module may read from all of them.
"""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from django.core import signing
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
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


def _count(queryset) -> Coalesce:
    """SELECT COUNT(*) of a queryset as a scalar subquery (no GROUP BY): many counters in one query."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("_n")), Value(0), output_field=IntegerField())


def count_all(model, pk: int, querysets: dict) -> dict[str, int]:
    """{name: COUNT of querysets[name]} in one query, read beside the row `model(pk)` (the user's district or
    organisation); every queryset keeps its own `*_for_user` scope."""
    if not querysets:
        return {}
    # Aliased: a counter's name may be a relation of the row's model («organisations» of a district).
    row = model.objects.filter(pk=pk).values(**{f"count_{name}": _count(qs) for name, qs in querysets.items()}).first()
    return {name: row[f"count_{name}"] if row else 0 for name in querysets}


# Building and compiling the one counting query costs more than running it (issue 15.3: ~8 ms of Python for the
# methodist's dozen counters, ~1 ms in PostgreSQL). `counts_at` compiles it once per reader and process and then
# only moves its times: kept per reader (their id, role and places — everything a `*_for_user` scope reads), at
# most COMPILED_MAX readers (the oldest dropped first).
COMPILED_MAX = 2048
_TRIAL_SHIFT = dt.timedelta(days=3, hours=5, minutes=7, seconds=11, microseconds=13)
_compiled: OrderedDict = OrderedDict()


def _reader_key(user) -> tuple:
    return (user.pk, user.role, user.district_id, user.organisation_id, getattr(user, "region_id", None),
            user.is_superuser, user.is_active)


def _count_sql(model, pk: int, querysets: dict) -> tuple[str, list]:
    counted = model.objects.filter(pk=pk).order_by().values(
        **{f"count_{name}": _count(qs) for name, qs in querysets.items()})
    sql, params = counted.query.sql_with_params()
    return sql, list(params)


def _compile_counts(model, pk: int, build, now: dt.datetime) -> tuple | None:
    """(SQL, parameters, now) of `build(now)`'s counters, or None when its parameters are not all either
    constants or the times of `now` and its day shifted: built twice, at `now` and `_TRIAL_SHIFT` later, every
    datetime must move by the shift, every date by the days the shift moves the local date, everything else
    stay (a time derived otherwise — the start of a day, a month, a year — moves by another amount: not
    compiled). A build that asks the database anything (a scope read into Python) is never compiled. On SQLite
    times are strings among the parameters: a build with times is counted afresh there (PostgreSQL in production)."""
    from django.db import connection

    later = now + _TRIAL_SHIFT
    day_shift = timezone.localdate(later) - timezone.localdate(now)
    asked = []
    with connection.execute_wrapper(lambda execute, *args: asked.append(1) or execute(*args)):
        first, second = build(now), build(later)
    if asked or not first or list(first) != list(second):
        return None
    (sql, params), (sql_later, params_later) = _count_sql(model, pk, first), _count_sql(model, pk, second)
    if sql != sql_later or len(params) != len(params_later):
        return None
    for value, value_later in zip(params, params_later, strict=True):
        if type(value) is not type(value_later):
            return None
        if isinstance(value, dt.datetime):
            moved = value_later - value == _TRIAL_SHIFT
        elif isinstance(value, dt.date):
            moved = value_later - value == day_shift
        else:
            moved = value == value_later
        if not moved:
            return None
    return sql, params, now


def counts_at(model, pk: int, user, build, now: dt.datetime) -> dict[str, int]:
    """`count_all(model, pk, build(now))` — the counters `build` gives for `user` at `now` — compiled once per
    reader: later calls shift the compiled query's times to their `now` (see `_compile_counts`)."""
    from django.db import connection

    # Per local day too: a day's compiled query never serves the next one.
    key = (f"{build.__module__}.{build.__qualname__}", model._meta.label, pk, _reader_key(user), connection.alias,
           timezone.localdate(now))
    if key not in _compiled:
        _compiled[key] = _compile_counts(model, pk, build, now)
        while len(_compiled) > COMPILED_MAX:
            _compiled.popitem(last=False)
    else:
        _compiled.move_to_end(key)
    entry = _compiled[key]
    if entry is None:
        return count_all(model, pk, build(now))
    sql, params, then = entry
    shift, day_shift = now - then, timezone.localdate(now) - timezone.localdate(then)
    params = [value + shift if isinstance(value, dt.datetime) else value + day_shift
              if isinstance(value, dt.date) else value for value in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    values = dict(zip(names, row, strict=True)) if row else {}
    return {name.removeprefix("count_"): values.get(name) or 0 for name in names}


# --- the district (every district role) ---------------------------------------------------------------------


def district_counts(user) -> dict:
    """The overview's counters, for `count_all` (the teacher count is an aggregate, not the personal-data list:
    an observer, who may not read teachers by name, was shown 0 when it came from `teachers_for_user`)."""
    from clusters import selectors
    from clusters.models import Teacher

    return {"organisations": selectors.organisations_for_user(user).filter(is_active=True),
            "teachers": Teacher.objects.filter(organisation__district_id=user.district_id, is_active=True)}


def district_overview(user, counts: dict | None = None) -> dict:
    """Organisations, teachers and the latest year's clusters of the user's district — the counters from
    `counts` (or one query of their own), the clusters of the latest year one query (the year a subquery)."""
    from clusters import selectors

    counts = counts if counts is not None else count_all(_district_model(), user.district_id, district_counts(user))
    latest = selectors.clusters_for_user(user).order_by("-year").values("year")[:1]
    clusters = list(selectors.clusters_of_year_with_sizes(user.district_id, Subquery(latest)))
    # The teacher list is personal data; who may not read it gets the organisations (their staff) instead.
    teachers_url = _url("clusters:teacher_list") if can(user, "registry.view_personal_data") \
        else _url("clusters:organisation_list")
    return {
        "organisations": Counter("действующих организаций", counts["organisations"],
                                 _url("clusters:organisation_list"), "count-organisations"),
        "teachers": Counter("педагогов", counts["teachers"], teachers_url, "count-teachers"),
        "cluster_year": clusters[0].year if clusters else None,
        "clusters": clusters,
    }


def _district_model():
    from clusters.models import District

    return District


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


def director_counts(user) -> dict:
    from reports.models import ReportStatus
    from reports.selectors import reports_for_user

    reports = reports_for_user(user)
    return {"submitted": reports.filter(status=ReportStatus.SUBMITTED),
            "approved": reports.filter(status=ReportStatus.APPROVED)}


def director_queues(user, counts: dict | None = None) -> dict:
    from reports.models import ReportStatus

    counts = counts if counts is not None else count_all(_district_model(), user.district_id, director_counts(user))
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


def _own_editable(user):
    from reports.models import EDITABLE_STATUSES
    from reports.selectors import reports_for_user

    return reports_for_user(user).filter(created_by=user, status__in=list(EDITABLE_STATUSES))


def methodist_counts(user) -> dict:
    from reports.models import ReportStatus

    own = _own_editable(user)
    return {"own_drafts": own.filter(status=ReportStatus.DRAFT), "own_returned": own.filter(status=ReportStatus.RETURNED)}


def methodist_list_counts(user, now: dt.datetime, today: dt.date) -> dict:
    """How many rows each of the methodist's lists has, for `count_all`: a list whose count is 0 is not asked
    for (issue 15.3: on most days most of them are empty, and building a list's query costs more than its
    counter in the one query). The filters are the lists' own (`_closing_surveys`, `_closing_diagnostics`,
    `_failed_job_parts`, `_upcoming_events`) at the same `now`/`today`."""
    from surveys.models import Campaign

    counts = {"surveys_closing": Campaign.objects.filter(pk__in=_closing_surveys(user, now).values("pk"))}
    if (diagnostics := _closing_diagnostics(user, now)) is not None:
        counts["diagnostics_closing"] = diagnostics
    for kind, part in _failed_job_parts(user, now).items():
        counts[f"failed_{kind}"] = part
    if (events := _upcoming_events(user, today)) is not None:
        counts["events_ahead"] = events
    return counts


def _own_reports(user, counts: dict | None = None) -> dict:
    from reports.models import ReportStatus

    counts = counts if counts is not None else count_all(_district_model(), user.district_id, methodist_counts(user))
    # The list has no «author» filter yet: the links show the district's drafts / returned ones.
    return {
        "counters": [
            Counter("Мои черновики", counts["own_drafts"], _url("reports:report_list", status=ReportStatus.DRAFT),
                    "queue-own-drafts"),
            Counter("Мои справки, возвращённые на доработку", counts["own_returned"],
                    _url("reports:report_list", status=ReportStatus.RETURNED), "queue-own-returned"),
        ],
        "items": list(_own_editable(user).order_by("-updated_at", "-pk")[:LIST_LIMIT])
        if counts["own_drafts"] or counts["own_returned"] else [],
    }


def _closing_window(now: dt.datetime) -> Q:
    return Q(opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + dt.timedelta(days=SOON_DAYS))


def _closing_surveys(user, now: dt.datetime):
    from surveys.selectors import campaigns_for_user

    return campaigns_for_user(user).filter(_closing_window(now))


def survey_campaigns_closing(user, now: dt.datetime | None = None, district_count: int | None = None) -> list:
    """Open campaigns of the district closing within SOON_DAYS, with the share of organisations that answered
    (organisation questionnaires) or the number of answers (anonymous teacher ones) — one query, and one more
    for the district's active organisations unless the caller counted them (`district_count`)."""
    from surveys.selectors import campaign_list_for_user, district_organisation_count

    now = now or timezone.now()
    campaigns = list(campaign_list_for_user(user).filter(_closing_window(now)).order_by("closes_at", "pk"))
    if campaigns:
        if district_count is None:
            district_count = district_organisation_count(user.district_id)
        for campaign in campaigns:
            campaign.addressed_count = campaign.chosen_count or district_count
            campaign.rate = (round(100 * campaign.response_count / campaign.addressed_count)
                             if not campaign.questionnaire.is_anonymous and campaign.addressed_count else None)
    return campaigns


def _closing_diagnostics(user, now: dt.datetime):
    """The district's open diagnostic campaigns closing within SOON_DAYS; None for who may not see them."""
    from diagnostics.models import DiagnosticCampaign

    if not can(user, "diagnostics.view") or not user.district_id:
        return None
    return DiagnosticCampaign.objects.filter(
        district_id=user.district_id, closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now,
        closes_at__lte=now + dt.timedelta(days=SOON_DAYS),
    )


def diagnostic_campaigns_closing(user, now: dt.datetime | None = None) -> list:
    """Open diagnostic campaigns of the district closing within SOON_DAYS, with invited and submitted — one query."""
    from diagnostics.models import InvitationStatus

    closing = _closing_diagnostics(user, now or timezone.now())
    if closing is None:
        return []
    campaigns = list(closing.annotate(
        invited=Count("invitations"),
        submitted=Count("invitations", filter=Q(invitations__status=InvitationStatus.SUBMITTED)),
    ).order_by("closes_at", "pk"))
    for campaign in campaigns:
        campaign.rate = round(100 * campaign.submitted / campaign.invited) if campaign.invited else None
    return campaigns


def _failed_job_parts(user, now: dt.datetime) -> dict:
    """{kind: the district's jobs of that kind failed in the last SOON_DAYS} — render, recompute, certificates."""
    from core.jobs import JobStatus
    from events.models import CertificateJob
    from monitoring.models import RecomputeJob
    from reports.models import RenderJob

    if not user.district_id:
        return {}
    recent = Q(status=JobStatus.FAILED, created_at__gte=now - dt.timedelta(days=SOON_DAYS))
    return {"render": RenderJob.objects.filter(recent, report__district_id=user.district_id),
            "recompute": RecomputeJob.objects.filter(recent, programme__district_id=user.district_id),
            "certificates": CertificateJob.objects.filter(recent, event__district_id=user.district_id)}


def failed_jobs(user, now: dt.datetime | None = None) -> list[dict]:
    """Render, recompute and certificate jobs of the district that failed in the last SOON_DAYS — one query
    (a UNION ALL of the three tables: when, message, the object's id and name, which kind)."""
    from types import SimpleNamespace

    from django.db.models import CharField

    parts = _failed_job_parts(user, now or timezone.now())
    if not parts:
        return []
    columns = ("created_at", "message", "object_id", "name", "kind")
    objects = {"render": ("report", "title"), "recompute": ("programme", "name"), "certificates": ("event", "title")}

    def part(kind: str):
        obj, name = objects[kind]
        return (parts[kind].order_by().annotate(object_id=F(f"{obj}_id"), name=F(f"{obj}__{name}"),
                                                kind=Value(kind, output_field=CharField()))
                .values_list(*columns))

    union = part("render").union(part("recompute"), part("certificates"), all=True)
    rows = []
    for created_at, message, object_id, name, kind in union.order_by("-created_at"):
        if kind == "render":
            what, url = f"PDF справки «{name}»", _url("reports:report_detail", object_id)
        elif kind == "recompute":
            what, url = f"Пересчёт «{name}»", _url("monitoring:programme_detail", object_id)
        else:
            what, url = f"Сертификаты «{name}»", _url("events:certificates", object_id)
        rows.append({"what": what, "url": url, "job": SimpleNamespace(created_at=created_at, message=message)})
    return rows


def upcoming_events(user, today: dt.date | None = None) -> list:
    """Planned events of the district's plan in the next EVENTS_AHEAD_DAYS days — one query."""
    events = _upcoming_events(user, today or timezone.localdate())
    return list(events.order_by("held_on", "starts_at", "title")) if events is not None else []


def _upcoming_events(user, today: dt.date):
    from clusters.models import Event, EventStatus

    if not can(user, "events.view") or not user.district_id:
        return None
    return Event.objects.filter(
        district_id=user.district_id, status=EventStatus.PLANNED,
        held_on__gte=today, held_on__lte=today + dt.timedelta(days=EVENTS_AHEAD_DAYS),
    )


def methodist_queues(user, counts: dict | None = None, now: dt.datetime | None = None) -> dict:
    """The methodist's queues; `counts` from `count_all` of `methodist_counts`, `district_counts` and
    `methodist_list_counts` at `now` (a list counted 0 there is not read)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if counts is None:
        counts = count_all(_district_model(), user.district_id, {
            **methodist_counts(user), **district_counts(user), **methodist_list_counts(user, now, today)})

    def has(*names: str) -> bool:  # a list whose count is 0 (or not counted: not shown to this user) is not read
        return any(counts.get(name, 0) for name in names)

    surveys = survey_campaigns_closing(user, now, counts["organisations"]) if has("surveys_closing") else []
    diagnostics = diagnostic_campaigns_closing(user, now) if has("diagnostics_closing") else []
    jobs = failed_jobs(user, now) if has("failed_render", "failed_recompute", "failed_certificates") else []
    events = upcoming_events(user, today) if has("events_ahead") else []
    return {
        "own_reports": _own_reports(user, counts),
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


def school_counts(user) -> dict:
    """The school's counters, for `count_all` on its organisation's row: active teachers, routes to approve."""
    from clusters import selectors
    from clusters.models import RouteStatus
    from diagnostics.services.routes import routes_for_user

    counts = {"teachers": selectors.teachers_for_user(user).filter(is_active=True)}
    if can(user, "diagnostics.school"):
        counts["routes"] = routes_for_user(user).filter(status=RouteStatus.PLANNED)
    return counts


def school_admin_queues(user, survey_campaigns: list, counts: dict | None = None) -> dict:
    from clusters.models import Event, EventStatus, Organisation, RouteStatus

    today = timezone.localdate()
    counts = counts if counts is not None else count_all(Organisation, user.organisation_id, school_counts(user))
    diagnostics = school_diagnostic_campaigns(user)
    routes = counts.get("routes", 0)
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


# --- the page: what each role is shown ----------------------------------------------------------------------------


def start_context(user, district_label: str = "", organisation_label: str = "") -> dict:
    """The start page of a district role or a school administrator: all counters of the role in one query,
    then one query per list."""
    from clusters.models import Organisation

    context: dict = {"district": district_label, "organisation": organisation_label}
    if can(user, "account.works_in_organisation"):
        from clusters import selectors

        counts = counts_at(Organisation, user.organisation_id, user, lambda now: school_counts(user),
                           timezone.now()) if user.organisation_id else {}
        context["for_organisation"] = True
        context["teacher_count"] = counts.get("teachers", 0)
        context["memberships"] = selectors.memberships_for_user(user).order_by("-cluster__year")[:5]
        context["survey_campaigns"] = pending_survey_campaigns(user)
        context["school"] = school_admin_queues(user, context["survey_campaigns"], counts)
    elif user.district_id:
        context["for_district"] = True

        def wanted(now: dt.datetime) -> dict:
            counts = district_counts(user)
            if can(user, "reports.approve"):
                counts |= director_counts(user)
            if can(user, "reports.author"):
                counts |= methodist_counts(user) | methodist_list_counts(user, now, timezone.localdate(now))
            return counts

        now = timezone.now()
        counts = counts_at(_district_model(), user.district_id, user, wanted, now)
        context["overview"] = district_overview(user, counts)
        if can(user, "reports.approve"):
            context["director"] = director_queues(user, counts)
        if can(user, "reports.author"):
            context["methodist"] = methodist_queues(user, counts, now)
    return context


def pending_survey_campaigns(user) -> list:
    """Organisation questionnaires of the school still open or about to open, with its status."""
    from surveys.models import Audience
    from surveys.selectors import school_campaigns

    return [c for c in school_campaigns(user, current_only=True) if c.audience == Audience.ORGANISATION]


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
