"""Certificates of an event's attendees: issued in one action, rendered (and signed) in the background.

    certificates_issue     one certificate per attendee who has none — numbers from the district's register of
                           the event's year (CertificateCounter under a row lock), verification codes, the
                           professional-development record of a short training — and, in the same transaction,
                           the event's CertificateJob, published after the commit (core/outbox.py)
    certificate_render     one certificate's PDF (reports' WeasyPrint pipeline), PAdES-signed with the
                           district's signing certificate (its director's, as справки) when one is installed
    certificates_progress  how many PDFs of the event are ready (a summary; the job's status is what is polled)
    certificates_zip       the event's PDFs as one ZIP

The job's run (claim, render with progress, succeed or fail) is events/services/certificate_jobs.py.

Scope: methodists and the director read their district's certificates; a school administrator downloads
only their own teachers' ones; issuing is the methodists' (events.certificates).
"""
from __future__ import annotations

import logging
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from clusters.models import Event, EventStatus, MethodCentre, TrainingCompletion, TrainingProgram
from core import outbox
from core.errors import AppError
from core.jobs import ACTIVE_STATUSES
from core.links import absolute_url
from core.permissions import can
from core.roles import Role
from events.models import Attendance, Certificate, CertificateCounter, CertificateJob, CertificateKind
from imc_portal.models import User
from reports.models import new_verification_code

logger = logging.getLogger(__name__)

ISSUE = "events.certificates"  # methodists issue
READ_DISTRICT = "registry.view_personal_data"  # the director (and methodists) read the district's certificates
READ_OWN = "registry.view_own_organisation"  # a school administrator: own teachers' certificates
NUMBER_PREFIX = "С"  # Cyrillic Es: «С-2021/0007»
SHORT_TRAINING_SUFFIX = " (неформальное образование)"
ZIP_IN_MEMORY = 16 * 1024 * 1024


class CertificateError(AppError):
    """A refused certificate action (Russian message)."""


def certificate_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}/{sequence:04d}"


# --- scope -------------------------------------------------------------------------------------------


def may_read_district(user: User) -> bool:
    return can(user, ISSUE) or can(user, READ_DISTRICT)


def event_for_user(user: User, pk) -> Event:
    """An event of the user's district for the certificate pages (methodists, director); else 404."""
    if not may_read_district(user) or not user.district_id:
        raise Http404("Мероприятие не найдено или недоступно.")
    event = Event.objects.select_related("district", "custom_form").filter(pk=pk, district_id=user.district_id).first()
    if event is None:
        raise Http404("Мероприятие не найдено или недоступно.")
    return event


def certificates_for_user(user: User) -> QuerySet[Certificate]:
    """Methodists and the director: their district's; a school administrator: their own teachers'."""
    qs = Certificate.objects.select_related("event", "attendance__teacher__organisation")
    if may_read_district(user):
        return qs.filter(district_id=user.district_id) if user.district_id else qs.none()
    if can(user, READ_OWN) and user.organisation_id:
        return qs.filter(attendance__teacher__organisation_id=user.organisation_id)
    return qs.none()


def certificate_for_user(user: User, pk) -> Certificate:
    try:
        return certificates_for_user(user).get(pk=pk)
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise Http404("Сертификат не найден или недоступен.") from None


def event_certificates(event: Event) -> QuerySet[Certificate]:
    return event.certificates.select_related("attendance__teacher__organisation").order_by("sequence")


# --- issuing -------------------------------------------------------------------------------------------


def method_centre_of(event: Event) -> MethodCentre:
    try:
        return event.district.method_centre
    except MethodCentre.DoesNotExist:
        raise CertificateError(
            "У района не заполнены реквизиты ИМЦ (наименование, директор): сертификаты выдать нельзя. "
            "Обратитесь к администратору портала."
        ) from None


def kind_of(event: Event) -> str:
    return CertificateKind.SHORT_TRAINING if event.hours else CertificateKind.PARTICIPATION


def kind_label(event: Event) -> str:
    """What the event's attendees receive, as the page and the PDF name it."""
    if kind_of(event) == CertificateKind.SHORT_TRAINING:
        return f"Сертификат о краткосрочном повышении квалификации в форме неформального образования, {event.hours} ч"
    return "Сертификат участника"


def certificates_panel(event: Event, user: User) -> dict | None:
    """The context of templates/events/_certificates_panel.html on the event's page (None: not shown)."""
    if not may_read_district(user) or event.district_id != user.district_id:
        return None
    progress = certificates_progress(event)
    if event.status != EventStatus.HELD and not progress.total:  # a planned event: nothing to issue yet
        return None
    return {"event": event, "progress": progress, "job": latest_job(event), "kind_label": kind_label(event),
            "can_issue": can(user, ISSUE) and event.status == EventStatus.HELD}


@dataclass(frozen=True)
class IssueResult:
    issued: int  # new certificates
    pending: int  # certificates of the event whose PDF is still to be made (the job's work)
    job: CertificateJob

    @property
    def message(self) -> str:
        """What the issue did. Not the PDFs' state: the job's status partial on the page says that (with no
        broker they may already be ready by the redirect, and «в очереди» here would contradict it)."""
        if self.issued:
            return f"Выдано сертификатов: {self.issued}."
        return "Новых участников без сертификата нет."


def _next_numbers(district_id: int, year: int, count: int) -> int:
    """Reserve `count` numbers of the district's register of the year; returns the first.

    The counter row is created outside the lock (get_or_create survives a concurrent create), then
    locked: a second issue waits here and continues after our last number."""
    counter, _ = CertificateCounter.objects.get_or_create(district_id=district_id, year=year)
    counter = CertificateCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def _training_program(event: Event, centre: MethodCentre) -> TrainingProgram:
    provider = (centre.short_name or centre.full_name)[:300]
    program, _ = TrainingProgram.objects.get_or_create(
        title=f"{event.title}{SHORT_TRAINING_SUFFIX}"[:500], hours=event.hours, provider=provider,
        defaults={"district": event.district},
    )
    return program


def _link_training(event: Event, centre: MethodCentre, certificates: list[Certificate]) -> None:
    """A registry teacher's short-training certificate counts in their professional-development record:
    one TrainingCompletion each (an existing identical record is reused), in three queries."""
    teachers = {c.attendance.teacher_id: c for c in certificates if c.attendance.teacher_id}
    if not teachers:
        return
    program = _training_program(event, centre)
    existing = {
        tc.teacher_id: tc for tc in TrainingCompletion.objects.filter(
            program=program, completed_on=event.held_on, teacher_id__in=teachers,
        ).annotate(linked=Count("event_certificate"))
    }
    TrainingCompletion.objects.bulk_create([
        TrainingCompletion(teacher_id=teacher_id, program=program, completed_on=event.held_on,
                           certificate_number=certificate.number)
        for teacher_id, certificate in teachers.items() if teacher_id not in existing
    ])
    completions = TrainingCompletion.objects.filter(program=program, completed_on=event.held_on,
                                                    teacher_id__in=teachers).annotate(linked=Count("event_certificate"))
    linked = []
    for completion in completions:
        if completion.linked:  # already another certificate's record: it counts once
            continue
        certificate = teachers[completion.teacher_id]
        certificate.training_completion = completion
        linked.append(certificate)
    Certificate.objects.bulk_update(linked, ["training_completion"])


@transaction.atomic
def certificates_issue(*, event: Event, user: User) -> IssueResult:
    """One certificate per attendee of the held event who has none yet; nothing changes on a refusal.

    The event row is locked first, so two clicks (or two methodists) issue once: the second sees the
    certificates of the first and issues nothing new."""
    if not can(user, ISSUE) or event.district_id != user.district_id:
        raise CertificateError("Выдавать сертификаты могут методисты района мероприятия.")
    event = Event.objects.select_for_update(of=("self",)).select_related("district").get(pk=event.pk)
    if event.status != EventStatus.HELD:
        raise CertificateError(
            f"Мероприятие «{event.title}» не отмечено как проведённое (сейчас: {event.get_status_display()}): "
            "сертификаты выдаются после проведения."
        )
    attendances = list(Attendance.objects.filter(event=event).select_related("teacher", "certificate"))
    if not attendances:
        raise CertificateError("На мероприятии никто не отмечен как присутствовавший: выдавать сертификаты некому.")
    centre = method_centre_of(event)
    without = [a for a in attendances if not hasattr(a, "certificate")]
    if not without:
        pending = event.certificates.filter(pdf="").count()
        if not pending:
            raise CertificateError(
                f"Сертификаты уже выданы всем присутствовавшим ({len(attendances)}): новых сертификатов нет."
            )
        return IssueResult(issued=0, pending=pending, job=certificate_job_create(event, user))
    year, kind = event.held_on.year, kind_of(event)
    first = _next_numbers(event.district_id, year, len(without))
    certificates = [
        Certificate(
            attendance=attendance, event=event, district_id=event.district_id, kind=kind,
            hours=event.hours if kind == CertificateKind.SHORT_TRAINING else None,
            recipient_name=attendance.person_name[:300], year=year, sequence=first + offset,
            number=certificate_number(year, first + offset), verification_code=new_verification_code(),
            issued_by=user,
        )
        for offset, attendance in enumerate(without)
    ]
    Certificate.objects.bulk_create(certificates)
    if kind == CertificateKind.SHORT_TRAINING:
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; read them back to be safe elsewhere.
        if any(c.pk is None for c in certificates):
            by_attendance = {c.attendance_id: c for c in event.certificates.all()}
            certificates = [by_attendance[c.attendance_id] for c in certificates]
        _link_training(event, centre, certificates)
    return IssueResult(issued=len(certificates), pending=event.certificates.filter(pdf="").count(),
                       job=certificate_job_create(event, user))


def certificate_job_create(event: Event, user: User | None) -> CertificateJob:
    """The event's rendering job, in the caller's transaction: one active job per event (a partial unique
    index), so a second press reuses the one waiting or running — its worker renders every certificate
    still without a PDF, the new ones included (certificate_jobs.certificate_job_run checks again under
    the event's lock before it finishes)."""
    try:
        with transaction.atomic():  # a savepoint: the duplicate leaves the issue's transaction usable
            job = CertificateJob.objects.create(event=event, requested_by=user)
    except IntegrityError:
        job = CertificateJob.objects.get(event=event, status__in=ACTIVE_STATUSES)
    # Published again even when reused: a message lost with a broker restart must not strand the job;
    # the task does nothing for a job that is finished or held by another worker. A broker that is down
    # leaves the job queued for the sweeper (core.outbox.sweep).
    outbox.publish_on_commit(job)
    return job


def latest_job(event: Event) -> CertificateJob | None:
    return event.certificate_jobs.order_by("-created_at", "-pk").first()


def certificate_job_for_user(user: User, pk) -> CertificateJob:
    """A job of an event of the user's district (methodists, director) for the polled status; else 404."""
    if not may_read_district(user) or not user.district_id:
        raise Http404("Задание не найдено.")
    job = CertificateJob.objects.select_related("event").filter(pk=pk, event__district_id=user.district_id).first()
    if job is None:
        raise Http404("Задание не найдено.")
    return job


# --- progress ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    event_id: int
    total: int
    ready: int
    signed: int

    @property
    def pending(self) -> int:
        return self.total - self.ready

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.ready * 100 // self.total


def certificates_progress(event: Event) -> Progress:
    counts = event.certificates.aggregate(
        total=Count("pk"), ready=Count("pk", filter=~Q(pdf="")), signed=Count("pk", filter=Q(signed=True)),
    )
    return Progress(event.pk, counts["total"], counts["ready"], counts["signed"])


# --- the PDF ---------------------------------------------------------------------------------------------


def verification_url(certificate: Certificate) -> str:
    return absolute_url(reverse("report_public:verify", args=[certificate.verification_code]))


def certificate_context(certificate: Certificate) -> dict:
    from reports.builders.formatting import svg_data_uri
    from reports.verification import qr_svg

    event = certificate.event
    centre = method_centre_of(event)
    attendance = certificate.attendance
    organisation = (attendance.teacher.organisation.short_name if attendance.teacher_id
                    else attendance.organisation_name)
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "event": event,
        "centre": centre,
        "organisation": organisation,
        "short_training": certificate.kind == CertificateKind.SHORT_TRAINING,
        "verification": {"url": url, "qr_data_uri": svg_data_uri(qr_svg(url))},
        "document_title": f"Сертификат № {certificate.number}",
    }


def district_signer(district_id: int):
    """The opened credentials of the district's director who has a usable signing certificate, and the
    position to print on the stamp; None when none is installed (the certificate stays unsigned)."""
    from reports.errors import ReportError
    from reports.models import SigningCredential
    from reports.services.certificates import signing_credentials_for

    credentials = SigningCredential.objects.filter(
        user__role=Role.DIRECTOR, user__district_id=district_id, user__is_active=True,
    ).select_related("user").order_by("-not_after")
    for credential in credentials:
        try:
            return signing_credentials_for(credential.user), credential.user.position
        except ReportError as error:
            logger.warning("Certificates of district %s: director's certificate unusable: %s", district_id, error)
    return None


def certificate_render(certificate: Certificate, signer=None) -> Certificate:
    """Render (and sign) one certificate's PDF and store it with its SHA-256."""
    from reports import signing
    from reports.rendering import render_pdf

    pdf = render_pdf("events/pdf/certificate.html", certificate_context(certificate))
    signed = False
    if signer is not None:
        credentials, position = signer
        pdf = signing.sign_pdf(
            pdf, credentials=credentials, reason="Выдача сертификата",
            signer_position=position or method_centre_of(certificate.event).director_position,
        )
        signed = True
    certificate.pdf.save(f"{certificate.number.replace('/', '-')}.pdf", ContentFile(pdf), save=False)
    certificate.sha256, certificate.signed = signing.sha256_hex(pdf), signed
    certificate.save(update_fields=["pdf", "sha256", "signed"])
    return certificate


def render_one(pk: int, signer=None) -> bool:
    """Render one certificate still without a PDF under its row lock; False if it has one by now or another
    worker holds it (PostgreSQL skips the locked row), so a repeated message never renders one twice."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, pdf="").select_related("event__district", "attendance__teacher__organisation")
            .first()
        )
        if certificate is None:
            return False
        certificate_render(certificate, signer)
        return True


# --- files -----------------------------------------------------------------------------------------------


def download_name(certificate: Certificate) -> str:
    return f"Сертификат {certificate.number.replace('/', '-')} {certificate.recipient_name}.pdf"


def zip_name(event: Event) -> str:
    return f"Сертификаты {event.held_on:%Y-%m-%d} {event.title[:80]}.zip".replace("/", "-")


def certificates_zip(event: Event):
    """The event's rendered certificates as a ZIP in a spooled temporary file (memory up to
    ZIP_IN_MEMORY bytes, then disk), rewound for streaming, and how many it holds. Stored, not
    deflated: PDFs do not compress."""
    spool = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY)  # noqa: SIM115 — FileResponse closes it
    count = 0
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in event_certificates(event).exclude(pdf=""):
            try:
                with certificate.pdf.open("rb") as handle:
                    archive.writestr(download_name(certificate), handle.read())
            except FileNotFoundError:
                logger.warning("Certificate %s: PDF missing from storage", certificate.pk)
                continue
            count += 1
    if not count:
        spool.close()
        raise CertificateError("PDF сертификатов этого мероприятия ещё не сформированы.")
    spool.seek(0)
    return spool, count
