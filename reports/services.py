"""Writes of reports: the approval workflow, rendering jobs, stored files, signatures.

    draft ──submit──▶ submitted ──approve──▶ approved ──sign──▶ signed
      ▲                  │                  (number, date,       (immutable; a correction is
      └──── returned ◀───┘ return            final PDF queued)     a new draft that replaces it)

Methodists create, edit (while draft or returned) and submit; the director returns with a
comment, approves (a gapless outgoing number and today's date in the same transaction; the
final PDF is rendered by Celery after the commit) and signs the stored final PDF. Every write is
one transaction; a refused action raises ReportError with the Russian sentence the page shows
and changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from core.links import absolute_url
from imc_portal.models import Role, User
from monitoring.models import Period, Programme

from .models import (
    DownloadLog,
    FileRole,
    JobStatus,
    RenderJob,
    Report,
    ReportEvent,
    ReportFile,
    ReportKind,
    ReportStatus,
)
from .numbering import outgoing_label, outgoing_number_register, outgoing_number_take
from .selectors import APPROVERS, AUTHORS, RENDER_REQUESTERS

logger = logging.getLogger(__name__)

COMPARATIVE_MIN_PERIODS = 5
DETACHED_SIGNATURE_MAX_BYTES = 1024 * 1024
DETACHED_SIGNATURE_EXTENSIONS = (".sig", ".p7s", ".sgn")
TEXT_FIELDS = ("title", "intro", "conclusion", "recommendations", "section_texts")
# section_texts key of the monitoring справка's second «Вывод.» (after the clusters and tiers);
# the same key as reports.builders.SECTION_CLUSTERS_CONCLUSION, which prints it.
SECTION_CLUSTERS_CONCLUSION = "clusters"
SECTION_LABELS = {SECTION_CLUSTERS_CONCLUSION: "Вывод по кластерам и уровням организаций"}

SIGNED_MESSAGE = "Справка подписана — изменить её нельзя. Создайте исправленную версию."
FINAL_NOT_READY_MESSAGE = "Итоговый PDF ещё не сформирован — подпишите справку, когда он будет готов."

EVENT_LABELS = {
    "created": "создана",
    "edited": "изменён текст",
    "submitted": "отправлена на утверждение",
    "returned": "возвращена на доработку",
    "approved": "утверждена",
    "signed": "подписана электронной подписью",
    "corrected": "создана исправленная версия",
    "signature_attached": "приложена открепленная подпись",
    "published": "опубликована для администраторов ОУ",
    "unpublished": "снята с публикации для администраторов ОУ",
}


class ReportError(Exception):
    """A refused action; str(error) is the Russian sentence for the page."""


class ReportForbiddenError(ReportError):
    """The user's role or district may not do this (the view answers 403 before it gets here)."""


# --- helpers -------------------------------------------------------------------------------------

def _event(report: Report, action: str, user: User | None, comment: str = "") -> ReportEvent:
    return ReportEvent.objects.create(report=report, action=action, user=user, comment=comment)


def _require(user: User, roles: Iterable[str], message: str, report: Report | None = None) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise ReportForbiddenError(message)
    if report is not None and report.district_id != user.district_id:
        raise ReportForbiddenError("Справка другого района — действие недоступно.")


def _locked(report: Report) -> Report:
    """The report's row, locked for the rest of the transaction and read afresh."""
    return Report.objects.select_for_update(of=("self",)).select_related("district").get(pk=report.pk)


def _status_label(report: Report) -> str:
    return ReportStatus(report.status).label


def not_editable_reason(report: Report) -> str:
    """Why the report's texts cannot change now; empty while it is a draft or returned."""
    if report.status == ReportStatus.SIGNED:
        return SIGNED_MESSAGE
    if report.status == ReportStatus.SUBMITTED:
        return "Справка на утверждении у директора — изменить её можно, только если директор вернёт её на доработку."
    if report.status == ReportStatus.APPROVED:
        return (f"Справка утверждена ({number_and_date(report)}) — изменить её нельзя. "
                "После подписания можно создать исправленную версию.")
    return ""


def _refuse_if_not_editable(report: Report) -> None:
    reason = not_editable_reason(report)
    if reason:
        raise ReportError(reason)


def one_line_title(report: Report) -> str:
    """The title without its line breaks (e-mail subjects, lists)."""
    return " ".join(report.title.split())


def number_and_date(report: Report) -> str:
    """«№ 1-854 от 17.12.2021», or an empty string before approval."""
    if not report.outgoing_label:
        return ""
    return f"№ {report.outgoing_label} от {report.dated:%d.%m.%Y}"


# --- create and edit ------------------------------------------------------------------------------

def _scope(programme: Programme, scope_key: str):
    from monitoring.selectors import scope_from_key

    try:
        return scope_from_key(programme, scope_key)
    except Http404:
        raise ReportError("Такого объекта мониторинга нет в вашем районе.") from None


def _prefill(report: Report, periods: list[Period]) -> None:
    """The conclusion from achievement (monitoring kinds) or empty texts per project (development)."""
    if report.kind in (ReportKind.MONITORING, ReportKind.COMPARATIVE):
        from monitoring.selectors import achievement_summary, plan_fact_table

        table = plan_fact_table(report.programme, _scope(report.programme, report.scope_key), periods)
        report.conclusion = achievement_summary(table, periods[-1])["sentence"]
        if report.kind == ReportKind.MONITORING:
            report.section_texts = {SECTION_CLUSTERS_CONCLUSION: ""}
    elif report.kind == ReportKind.DEVELOPMENT:
        sections = report.programme.indicators.order_by("position", "pk").values_list("section", flat=True)
        report.section_texts = {section: "" for section in dict.fromkeys(sections) if section}


@transaction.atomic
def report_create(
    *, user: User, kind: str, programme: Programme | None = None, scope_key: str = "district",
    periods: Iterable[Period] = (), campaign=None, title: str = "",
) -> Report:
    """A new draft of the user's district with its parameters; texts are pre-filled from the data."""
    _require(user, AUTHORS, "Создавать справки может только методист.")
    if kind not in ReportKind.values:
        raise ReportError("Выберите вид справки.")
    periods = sorted(periods, key=lambda p: (p.ends_on, p.pk))
    if kind == ReportKind.SURVEY:
        if campaign is None:
            raise ReportError("Выберите кампанию анкетирования.")
        if campaign.district_id != user.district_id:
            raise ReportForbiddenError("Кампания анкетирования другого района.")
        programme, periods, scope_key = None, [], "district"
    else:
        if programme is None:
            raise ReportError("Выберите программу.")
        if programme.district_id != user.district_id:
            raise ReportForbiddenError("Программа другого района.")
        if any(p.programme_id != programme.pk for p in periods):
            raise ReportError("Выбранные периоды относятся к другой программе.")
        if kind == ReportKind.DEVELOPMENT:
            periods = periods or list(programme.periods.order_by("ends_on"))
            scope_key = "district"
        if not periods:
            raise ReportError("Выберите хотя бы один период.")
        if kind == ReportKind.COMPARATIVE and len(periods) < COMPARATIVE_MIN_PERIODS:
            raise ReportError(
                f"Для сравнительного анализа нужно не меньше {COMPARATIVE_MIN_PERIODS} периодов "
                f"(выбрано: {len(periods)})."
            )
        _scope(programme, scope_key)
        campaign = None
    if not title.strip():
        from .builders import suggested_title

        title = suggested_title(kind, programme=programme, periods=periods, campaign=campaign)
    report = Report(
        district_id=user.district_id, kind=kind, programme=programme, scope_key=scope_key, campaign=campaign,
        title=title.strip() or ReportKind(kind).label, created_by=user,
    )
    if periods:
        _prefill(report, periods)
    report.save()
    report.periods.set(periods)
    _event(report, "created", user)
    return report


@transaction.atomic
def report_update(*, report: Report, user: User, **changes) -> Report:
    """Change the texts (title, intro, conclusion, recommendations, section_texts) of a draft."""
    _require(user, AUTHORS, "Изменять текст справки может только методист.", report)
    unknown = set(changes) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    report = _locked(report)
    _refuse_if_not_editable(report)
    if "title" in changes and not (changes["title"] or "").strip():
        raise ReportError("Заголовок справки не может быть пустым.")
    if "section_texts" in changes:
        texts = changes["section_texts"]
        if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
            raise ReportError("Тексты разделов должны быть строками.")
        changes["section_texts"] = {**report.section_texts, **{str(k): v.strip() for k, v in texts.items()}}
    changed = []
    for field_name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(report, field_name) != value:
            setattr(report, field_name, value)
            changed.append(field_name)
    if changed:
        report.save(update_fields=[*changed, "updated_at"])
        last = report.events.order_by("-at", "-pk").first()
        # Saving the text ten times while writing is one entry of the history, not ten.
        if not (last and last.action == "edited" and last.user_id == user.pk):
            _event(report, "edited", user)
    return report


# --- the workflow ---------------------------------------------------------------------------------

@transaction.atomic
def report_submit(*, report: Report, user: User, notify: bool = True) -> Report:
    """Send to the director; the district's directors get an e-mail (not when the demo loads)."""
    _require(user, AUTHORS, "Отправить справку на утверждение может только методист.", report)
    report = _locked(report)
    _refuse_if_not_editable(report)
    if report.kind != ReportKind.SURVEY and not report.conclusion.strip():
        raise ReportError("Заполните вывод справки перед отправкой на утверждение.")
    report.status, report.submitted_at, report.return_comment = ReportStatus.SUBMITTED, timezone.now(), ""
    report.save(update_fields=["status", "submitted_at", "return_comment", "updated_at"])
    _event(report, "submitted", user)
    if notify:
        report_id = report.pk
        transaction.on_commit(lambda: _queue_notification(report_id, "submitted"))
    return report


@transaction.atomic
def report_return(*, report: Report, user: User, comment: str) -> Report:
    _require(user, APPROVERS, "Вернуть справку на доработку может только директор ИМЦ.", report)
    comment = (comment or "").strip()
    if not comment:
        raise ReportError("Укажите, что нужно исправить: комментарий обязателен.")
    report = _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ReportError(f"Вернуть на доработку можно только справку на утверждении (сейчас: {_status_label(report)}).")
    report.status, report.return_comment = ReportStatus.RETURNED, comment
    report.save(update_fields=["status", "return_comment", "updated_at"])
    _event(report, "returned", user, comment)
    report_id = report.pk
    transaction.on_commit(lambda: _queue_notification(report_id, "returned"))
    return report


def report_approve(*, report: Report, user: User) -> Report:
    """Approve: the next number of the ИМЦ's register and today's date; the final PDF is queued."""
    return _approve(report, user, registered=None)


def report_approve_registered(*, report: Report, user: User, number: int, dated: dt.date) -> Report:
    """Approve with a number and date already given in the paper register (demo: от 17.12.2021 № 1-854).

    Only the demo loader calls this; no page reaches it. The register's counter moves up to the
    number, so the portal's next number of that year follows it.
    """
    return _approve(report, user, registered=(number, dated))


@transaction.atomic
def _approve(report: Report, user: User, *, registered: tuple[int, dt.date] | None) -> Report:
    _require(user, APPROVERS, "Утвердить справку может только директор ИМЦ.", report)
    report = _locked(report)
    if report.status != ReportStatus.SUBMITTED:
        if report.status in (ReportStatus.APPROVED, ReportStatus.SIGNED):
            raise ReportError(f"Справка уже утверждена ({number_and_date(report)}).")
        raise ReportError(f"Утвердить можно только справку, отправленную на утверждение (сейчас: {_status_label(report)}).")
    method_centre = getattr(report.district, "method_centre", None)
    if method_centre is None:
        raise ReportError("У района не заполнены реквизиты ИМЦ — утвердить справку нельзя. Обратитесь к администратору.")
    if registered is None:
        dated = timezone.localdate()
        number = outgoing_number_take(method_centre=method_centre, year=dated.year)
    else:
        number, dated = registered
        number = outgoing_number_register(method_centre=method_centre, year=dated.year, number=number)
    report.status = ReportStatus.APPROVED
    report.outgoing_year, report.outgoing_number, report.dated = dated.year, number, dated
    report.outgoing_label = outgoing_label(method_centre, number)
    report.approved_by, report.approved_at = user, timezone.now()
    try:
        with transaction.atomic():
            report.save(update_fields=["status", "outgoing_year", "outgoing_number", "dated", "outgoing_label",
                                       "approved_by", "approved_at", "updated_at"])
    except IntegrityError:
        raise ReportError(f"Номер {report.outgoing_label} за {dated.year} год уже занят другой справкой.") from None
    _event(report, "approved", user, number_and_date(report))
    _render_job_create(report, FileRole.FINAL_PDF, user)
    return report


def _signer_name(user: User) -> str:
    return " ".join(part for part in (user.last_name, user.first_name, user.patronymic) if part) or user.display_name


@transaction.atomic
def report_sign(*, report: Report, user: User) -> Report:
    """PAdES-sign the stored final PDF with the ИМЦ's certificate; the report is immutable afterwards."""
    from . import signing

    _require(user, APPROVERS, "Подписать справку может только директор ИМЦ.", report)
    report = _locked(report)
    if report.status == ReportStatus.SIGNED:
        raise ReportError("Справка уже подписана.")
    if report.status != ReportStatus.APPROVED:
        raise ReportError(f"Подписать можно только утверждённую справку (сейчас: {_status_label(report)}).")
    final = report.files.filter(role=FileRole.FINAL_PDF).first()
    if final is None:
        raise ReportError(FINAL_NOT_READY_MESSAGE)
    if report.render_jobs.filter(target=FileRole.FINAL_PDF, status__in=[JobStatus.QUEUED, JobStatus.RENDERING]).exists():
        raise ReportError(FINAL_NOT_READY_MESSAGE)
    pdf = _read(final)
    if hashlib.sha256(pdf).hexdigest() != final.sha256:
        raise ReportError("Файл итогового PDF не совпадает с сохранённой контрольной суммой — сформируйте его заново.")
    method_centre = report.district.method_centre
    try:
        signed = signing.sign_pdf(
            pdf, signer_name=_signer_name(user), signer_position=user.position or method_centre.director_position,
        )
    except Exception as error:  # a missing certificate, a wrong password…: the page says so, nothing changes
        logger.exception("Signing report %s failed", report.pk)
        raise ReportError(f"Подписать справку не удалось: {error}. Сообщите администратору портала.") from error
    _file_store(report, FileRole.SIGNED_PDF, signed, user)
    report.status, report.signed_by, report.signed_at = ReportStatus.SIGNED, user, timezone.now()
    report.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    _event(report, "signed", user)
    return report


@transaction.atomic
def report_correct(*, report: Report, user: User) -> Report:
    """A new draft with the signed report's parameters and texts that names the report it replaces."""
    _require(user, AUTHORS, "Создать исправленную версию может только методист.", report)
    report = _locked(report)
    if report.status == ReportStatus.APPROVED:
        raise ReportError("Справка утверждена, но ещё не подписана: исправленную версию можно создать после подписания.")
    if report.status != ReportStatus.SIGNED:
        raise ReportError("Эта справка ещё не подписана — исправьте её текст, пока она черновик или на доработке.")
    pending = report.replaced_by.exclude(status=ReportStatus.SIGNED).first()
    if pending is not None:
        raise ReportError(f"Исправленная версия уже создана («{pending.title}», {_status_label(pending)}).")
    correction = Report.objects.create(
        district_id=report.district_id, kind=report.kind, title=report.title, programme=report.programme,
        scope_key=report.scope_key, campaign=report.campaign, intro=report.intro, conclusion=report.conclusion,
        recommendations=report.recommendations, section_texts=dict(report.section_texts), replaces=report,
        created_by=user,
    )
    correction.periods.set(report.periods.all())
    _event(correction, "created", user, f"Исправленная версия справки {number_and_date(report)}")
    _event(report, "corrected", user)
    return correction


@transaction.atomic
def report_publish(*, report: Report, user: User, published: bool) -> Report:
    """Show (or hide) a signed report to the district's school administrators."""
    _require(user, APPROVERS, "Публиковать справки для школ может только директор ИМЦ.", report)
    report = _locked(report)
    if report.status != ReportStatus.SIGNED:
        raise ReportError("Опубликовать для администраторов ОУ можно только подписанную справку.")
    if report.published_to_schools != published:
        report.published_to_schools = published
        report.save(update_fields=["published_to_schools", "updated_at"])
        _event(report, "published" if published else "unpublished", user)
    return report


@transaction.atomic
def report_signature_attach(*, report: Report, user: User, name: str, content: bytes) -> ReportFile:
    """Store a detached signature (CAdES .sig made outside the portal) beside the signed PDF."""
    _require(user, APPROVERS, "Прикладывать открепленную подпись может только директор ИМЦ.", report)
    report = _locked(report)
    if report.status != ReportStatus.SIGNED:
        raise ReportError("Открепленную подпись можно приложить только к подписанной справке.")
    if not name.lower().endswith(DETACHED_SIGNATURE_EXTENSIONS):
        raise ReportError("Приложите файл подписи с расширением .sig, .p7s или .sgn.")
    if not content:
        raise ReportError("Файл подписи пустой.")
    if len(content) > DETACHED_SIGNATURE_MAX_BYTES:
        raise ReportError("Файл подписи больше 1 МБ — это не открепленная подпись.")
    # DER (a SEQUENCE) or PEM/base64 text, as CryptoPro and OpenSSL write them.
    if not (content[:1] == b"\x30" or content.lstrip()[:5] == b"-----" or content.lstrip()[:2] == b"MI"):
        raise ReportError("Файл не похож на открепленную подпись (ожидается CMS/PKCS#7 в DER или PEM).")
    previous = report.files.filter(role=FileRole.DETACHED_SIGNATURE).values_list("sha256", flat=True).first()
    stored = _file_store(report, FileRole.DETACHED_SIGNATURE, content, user)
    _event(report, "signature_attached", user,
           f"SHA-256 {stored.sha256}" + (f"; заменила подпись SHA-256 {previous}" if previous else ""))
    return stored


# --- files ----------------------------------------------------------------------------------------

FILE_EXTENSIONS = {
    FileRole.DRAFT_PDF: "pdf", FileRole.FINAL_PDF: "pdf", FileRole.SIGNED_PDF: "pdf",
    FileRole.XLSX: "xlsx", FileRole.DETACHED_SIGNATURE: "sig",
}
FILE_SUFFIXES = {
    FileRole.DRAFT_PDF: "проект", FileRole.FINAL_PDF: "утверждена", FileRole.SIGNED_PDF: "подписана",
    FileRole.XLSX: "таблицы", FileRole.DETACHED_SIGNATURE: "подпись",
}
# Once signed, these never change: they are what the signature and the verification page refer to.
FROZEN_WHEN_SIGNED = frozenset({FileRole.DRAFT_PDF, FileRole.FINAL_PDF, FileRole.SIGNED_PDF, FileRole.XLSX})


def download_filename(report_file: ReportFile) -> str:
    report = report_file.report
    number = report.outgoing_label or f"проект-{report.pk}"
    return f"справка_{number}_{FILE_SUFFIXES[report_file.role]}.{FILE_EXTENSIONS[report_file.role]}"


def _read(report_file: ReportFile) -> bytes:
    with report_file.file.open("rb") as handle:
        return handle.read()


def report_file_read(report_file: ReportFile) -> bytes:
    return _read(report_file)


def report_file_downloaded(*, report_file: ReportFile, user: User) -> DownloadLog:
    """Every download is logged: who, when, which file (role) and which version (SHA-256)."""
    return DownloadLog.objects.create(
        report_file=report_file, report_id=report_file.report_id, role=report_file.role,
        sha256=report_file.sha256, user=user,
    )


def _file_store(report: Report, role: str, content: bytes, user: User | None) -> ReportFile:
    """Write (or replace) the report's file of this role with its SHA-256; inside a transaction."""
    # report_sign stores the signed PDF before the status changes; after that nothing of it moves.
    if report.status == ReportStatus.SIGNED and role in FROZEN_WHEN_SIGNED:
        raise ReportError(SIGNED_MESSAGE)
    digest = hashlib.sha256(content).hexdigest()
    existing = ReportFile.objects.select_for_update().filter(report=report, role=role).first()
    name = f"report-{report.pk}-{role}.{FILE_EXTENSIONS[role]}"
    if existing is None:
        stored = ReportFile(report=report, role=role, created_by=user)
    else:
        stored, old_name = existing, existing.file.name
        storage = existing.file.storage
        transaction.on_commit(lambda: storage.delete(old_name) if old_name else None)
    stored.file.save(name, ContentFile(content), save=False)
    stored.sha256, stored.size, stored.created_by, stored.created_at = digest, len(content), user, timezone.now()
    stored.save()
    return stored


# --- rendering jobs -------------------------------------------------------------------------------

def _queue_render(job_id: int) -> None:
    from .tasks import render_report

    render_report.delay(job_id)


def _render_job_create(report: Report, target: str, user: User | None) -> RenderJob:
    """One pending job per report and target: a double click reuses the job already waiting."""
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(report=report, target=target, created_by=user)
    except IntegrityError:
        job = RenderJob.objects.get(report=report, target=target, status__in=[JobStatus.QUEUED, JobStatus.RENDERING])
    job_id = job.pk
    # Queued again even when reused: a message lost with a broker restart must not strand the job,
    # and the task does nothing for a job that is already done or being rendered.
    transaction.on_commit(lambda: _queue_render(job_id))
    return job


@transaction.atomic
def render_job_request(*, report: Report, user: User, target: str) -> RenderJob:
    """«Сформировать PDF»: the draft while the report is being written, the final once approved."""
    _require(user, RENDER_REQUESTERS, "Формировать PDF могут методист и директор ИМЦ.", report)
    report = _locked(report)
    if report.status == ReportStatus.SIGNED:
        raise ReportError("Справка подписана — её файлы больше не формируются. Создайте исправленную версию.")
    if target == FileRole.DRAFT_PDF:
        if report.status == ReportStatus.APPROVED:
            raise ReportError("Справка утверждена — формируется итоговый PDF, проект больше не нужен.")
    elif target == FileRole.FINAL_PDF:
        if report.status != ReportStatus.APPROVED:
            raise ReportError("Итоговый PDF формируется только для утверждённой справки.")
    else:
        raise ReportError("Можно сформировать только проект или итоговый PDF.")
    return _render_job_create(report, target, user)


def render_job_claim(job_id: int) -> RenderJob | None:
    """Mark the job as rendering (one more attempt); None if it is already finished."""
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().select_related("report").get(pk=job_id)
        if job.status in (JobStatus.READY, JobStatus.FAILED):
            return None
        job.status, job.progress, job.error, job.attempts = JobStatus.RENDERING, 5, "", job.attempts + 1
        job.save(update_fields=["status", "progress", "error", "attempts"])
        return job


def render_job_progress(job_id: int, progress: int) -> None:
    RenderJob.objects.filter(pk=job_id, status=JobStatus.RENDERING).update(progress=progress)


def render_job_run(job: RenderJob) -> RenderJob:
    """Render the PDF and the XLSX of a claimed job and store them; the job is then ready.

    The slow part (WeasyPrint) runs outside any transaction; the files and the job's status are
    written in one transaction at the end, under the report's lock, so a report signed meanwhile
    keeps its files.
    """
    from . import rendering, xlsx

    report = job.report
    final = job.target == FileRole.FINAL_PDF
    if final and report.status not in (ReportStatus.APPROVED, ReportStatus.SIGNED):
        raise ReportError("Справка не утверждена — итоговый PDF не формируется.")
    if report.status == ReportStatus.SIGNED:
        raise ReportError(SIGNED_MESSAGE)
    pdf = rendering.render_report_pdf(report, final=final)
    render_job_progress(job.pk, 60)
    table = xlsx.report_xlsx(report)
    render_job_progress(job.pk, 85)
    with transaction.atomic():
        report = _locked(report)
        if report.status == ReportStatus.SIGNED:
            raise ReportError(SIGNED_MESSAGE)
        _file_store(report, job.target, pdf, job.created_by)
        _file_store(report, FileRole.XLSX, table, job.created_by)
        RenderJob.objects.filter(pk=job.pk).update(
            status=JobStatus.READY, progress=100, error="", finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def render_job_retry_later(job_id: int, error: BaseException, attempt: int, attempts: int) -> None:
    """A transient failure: the job waits in the queue for the next attempt."""
    RenderJob.objects.filter(pk=job_id).exclude(status__in=[JobStatus.READY, JobStatus.FAILED]).update(
        status=JobStatus.QUEUED, progress=0,
        error=f"Временная ошибка ({error}); повторная попытка {attempt} из {attempts}.",
    )


def render_job_fail(job_id: int, error: BaseException) -> None:
    target = RenderJob.objects.filter(pk=job_id).values_list("target", flat=True).first()
    what = "итоговый PDF" if target == FileRole.FINAL_PDF else "PDF"
    if isinstance(error, ReportError):
        message = f"Не удалось сформировать {what}: {error}"
    else:
        message = (f"Не удалось сформировать {what}: {error or type(error).__name__}. "
                   "Нажмите «Сформировать PDF» ещё раз; если ошибка повторится, сообщите администратору портала.")
    RenderJob.objects.filter(pk=job_id).exclude(status=JobStatus.READY).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )


# --- e-mail ---------------------------------------------------------------------------------------

def _queue_notification(report_id: int, action: str) -> None:
    from .tasks import report_notify

    report_notify.delay(report_id, action)


def report_notify_send(report: Report, action: str) -> int:
    """Submitted → the district's directors; returned → the author. Returns the number of e-mails."""
    if action == "submitted":
        recipients = list(
            User.objects.filter(role=Role.DIRECTOR, district_id=report.district_id, is_active=True)
            .exclude(email="").order_by("pk").values_list("email", flat=True)
        )
        subject = f"Справка на утверждение: {one_line_title(report)}"
    elif action == "returned":
        author = report.created_by
        recipients = [author.email] if author.email and author.is_active else []
        subject = f"Справка возвращена на доработку: {one_line_title(report)}"
    else:
        raise ValueError(action)
    if not recipients:
        logger.warning("Report %s %s: nobody to notify by e-mail", report.pk, action)
        return 0
    submitted_by = report.events.filter(action="submitted").select_related("user").order_by("-at", "-pk").first()
    body = render_to_string(f"reports/email_{action}.txt", {
        "report": report, "link": absolute_url(report.get_absolute_url()),
        "submitted_by": submitted_by.user if submitted_by else None,
    })
    messages = [EmailMessage(subject=subject[:250], body=body, to=[email], from_email=settings.DEFAULT_FROM_EMAIL)
                for email in dict.fromkeys(recipients)]
    return get_connection().send_messages(messages) or 0
