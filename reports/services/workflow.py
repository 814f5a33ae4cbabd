"""The report workflow's writes: create, edit, submit, return, approve (with the register's next
number or with a number from the paper register), sign, correct, publish, attach a signature.

Who may take which step from which state is the table in reports/workflow.py; these services ask
it (`flow.authorise`, `flow.state_allows`) and add the Russian sentence that says why a state
refuses. Every write is one transaction; a refused action raises ReportError and changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.jobs import ACTIVE_STATUSES
from core.links import portal_base_url
from imc_portal.models import User
from monitoring.models import Period, Programme
from reports import kinds, options, sections
from reports import workflow as flow
from reports.errors import ReportError, ReportForbiddenError
from reports.kinds.registry import TEXT_FIELDS
from reports.models import FileRole, Report, ReportFile, ReportStatus
from reports.numbering import outgoing_label, outgoing_number_register, outgoing_number_take
from reports.requisites import requisites_refusal

from . import certificates, notifications
from .common import (
    FINAL_NOT_READY_MESSAGE,
    SIGNED_MESSAGE,
    event,
    locked,
    number_and_date,
    one_line_title,
    status_label,
)
from .files import file_store, report_file_read
from .render_jobs import render_job_create

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = (*TEXT_FIELDS, "section_texts")
DETACHED_SIGNATURE_MAX_BYTES = 1024 * 1024
DETACHED_SIGNATURE_EXTENSIONS = (".sig", ".p7s", ".sgn")
PAPER_NUMBER_NOTE = "номер из бумажного журнала"


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


# --- create and edit ------------------------------------------------------------------------------

@transaction.atomic
def report_create(
    *, user: User, kind: str, programme: Programme | None = None, scope_key: str = "district",
    periods: Iterable[Period] = (), campaign=None, title: str = "",
) -> Report:
    """A new draft of the user's district with its kind's parameters; texts are pre-filled."""
    flow.authorise(user, "create")
    refusal = requisites_refusal(user.district)
    if refusal:
        raise ReportError(refusal)
    spec = kinds.find(kind)
    if spec is None:
        raise ReportError("Выберите вид справки.")
    chosen = spec.parameters.validate(user=user, spec=spec, programme=programme, scope_key=scope_key,
                                      periods=periods, campaign=campaign)
    title = title.strip() or spec.suggested_title(chosen).strip()
    report = Report(
        district_id=user.district_id, kind=spec.code, programme=chosen.programme, scope_key=chosen.scope_key,
        campaign=chosen.campaign, title=title or spec.label, created_by=user,
    )
    if spec.prefill is not None:
        spec.prefill(report, chosen.periods)
    report.save()
    report.periods.set(chosen.periods)
    # Sections other apps generate for the kind (reports.sections) read the saved report and its periods.
    if sections.fill(report):
        report.save(update_fields=["section_texts"])
    event(report, "created", user)
    return report


def _section_texts(report: Report, texts) -> dict:
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        raise ReportError("Тексты разделов должны быть строками.")
    return {**report.section_texts, **{str(k): v.strip() for k, v in texts.items()}}


@transaction.atomic
def report_update(*, report: Report, user: User, **changes) -> Report:
    """Change the texts (title, intro, conclusion, recommendations, section_texts) of a draft."""
    flow.authorise(user, "edit", report)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    report = locked(report)
    _refuse_if_not_editable(report)
    if "title" in changes and not (changes["title"] or "").strip():
        raise ReportError("Заголовок справки не может быть пустым.")
    if "section_texts" in changes:
        changes["section_texts"] = _section_texts(report, changes["section_texts"])
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
            event(report, "edited", user)
    return report


# --- the workflow ---------------------------------------------------------------------------------

@transaction.atomic
def report_submit(*, report: Report, user: User) -> Report:
    """Send to the director; the district's directors get an e-mail."""
    flow.authorise(user, "submit", report)
    report = locked(report)
    _refuse_if_not_editable(report)
    if kinds.get(report.kind).conclusion_required and not report.conclusion.strip():
        raise ReportError("Заполните вывод справки перед отправкой на утверждение.")
    missing_order = options.missing_order(report)
    if missing_order:
        raise ReportError(missing_order)
    report.status, report.submitted_at, report.return_comment = ReportStatus.SUBMITTED, timezone.now(), ""
    report.save(update_fields=["status", "submitted_at", "return_comment", "updated_at"])
    event(report, "submitted", user)
    notifications.notify_on_commit(report, "submitted")
    return report


@transaction.atomic
def report_withdraw(*, report: Report, user: User) -> Report:
    """The author takes a справка back from the director before it is approved: a draft again, to edit."""
    flow.authorise(user, "withdraw", report)
    if not flow.actor_allows(user, "withdraw", report):
        raise ReportForbiddenError("Отозвать справку с утверждения может только её автор "
                                   f"({report.created_by.display_name}).")
    report = locked(report)
    if not flow.state_allows(user, "withdraw", report.status):
        if report.status in (ReportStatus.APPROVED, ReportStatus.SIGNED):
            raise ReportError(f"Справка уже утверждена ({number_and_date(report)}) — отозвать её нельзя.")
        raise ReportError("Отозвать можно только справку, отправленную на утверждение "
                          f"(сейчас: {status_label(report)}).")
    report.status, report.submitted_at = ReportStatus.DRAFT, None
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    event(report, "withdrawn", user)
    notifications.notify_on_commit(report, "withdrawn")
    return report


@transaction.atomic
def report_return(*, report: Report, user: User, comment: str) -> Report:
    flow.authorise(user, "return", report)
    comment = (comment or "").strip()
    if not comment:
        raise ReportError("Укажите, что нужно исправить: комментарий обязателен.")
    report = locked(report)
    if not flow.state_allows(user, "return", report.status):
        raise ReportError(f"Вернуть на доработку можно только справку на утверждении (сейчас: {status_label(report)}).")
    report.status, report.return_comment = ReportStatus.RETURNED, comment
    report.save(update_fields=["status", "return_comment", "updated_at"])
    event(report, "returned", user, comment)
    notifications.notify_on_commit(report, "returned")
    return report


def _locked_for_approval(report: Report, user: User, action: str):
    """The locked report awaiting approval and its district's ИМЦ, or the refusal."""
    report = locked(report)
    if not flow.state_allows(user, action, report.status):
        if report.status in (ReportStatus.APPROVED, ReportStatus.SIGNED):
            raise ReportError(f"Справка уже утверждена ({number_and_date(report)}).")
        raise ReportError(f"Утвердить можно только справку, отправленную на утверждение (сейчас: {status_label(report)}).")
    method_centre = getattr(report.district, "method_centre", None)
    if method_centre is None:
        raise ReportError("У района не заполнены реквизиты ИМЦ — утвердить справку нельзя. Обратитесь к администратору.")
    return report, method_centre


def _approved(report: Report, user: User, *, method_centre, number: int, dated: dt.date, note: str = "",
              base_url: str = "") -> Report:
    """Record the approval with its number and date and queue the final PDF (inside the transaction).

    The portal's address the final PDF will print (verification link, QR code) is fixed here:
    `base_url` from the approving request (views pass core.links.portal_base_url(request)), else
    PORTAL_BASE_URL or the development address."""
    report.status = ReportStatus.APPROVED
    report.public_base_url = (base_url or portal_base_url()).rstrip("/")
    report.outgoing_year, report.outgoing_number, report.dated = dated.year, number, dated
    report.outgoing_label = outgoing_label(method_centre, number)
    report.approved_by, report.approved_at = user, timezone.now()
    try:
        with transaction.atomic():
            report.save(update_fields=["status", "outgoing_year", "outgoing_number", "dated", "outgoing_label",
                                       "approved_by", "approved_at", "public_base_url", "updated_at"])
    except IntegrityError:
        raise ReportError(f"Номер {report.outgoing_label} за {dated.year} год уже занят другой справкой.") from None
    event(report, "approved", user, " — ".join(part for part in (number_and_date(report), note) if part))
    render_job_create(report, FileRole.FINAL_PDF, user)
    return report


@transaction.atomic
def report_approve(*, report: Report, user: User, base_url: str = "") -> Report:
    """Approve: the next number of the ИМЦ's register and today's date; the final PDF is queued."""
    flow.authorise(user, "approve", report)
    report, method_centre = _locked_for_approval(report, user, "approve")
    dated = timezone.localdate()
    number = outgoing_number_take(method_centre=method_centre, year=dated.year)
    return _approved(report, user, method_centre=method_centre, number=number, dated=dated, base_url=base_url)


def _paper_number_refusal(report: Report, number, dated) -> str:
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        return "Укажите номер из журнала — целое число больше нуля."
    if not isinstance(dated, dt.date):
        return "Укажите дату регистрации в журнале."
    if dated > timezone.localdate():
        return f"Дата регистрации {dated:%d.%m.%Y} ещё не наступила — укажите дату из журнала."
    taken = (Report.objects.filter(district_id=report.district_id, outgoing_year=dated.year, outgoing_number=number)
             .exclude(pk=report.pk).first())
    if taken is not None:
        return (f"Номер {taken.outgoing_label} за {dated.year} год уже занят: «{one_line_title(taken)}» "
                f"{number_and_date(taken)}. Проверьте номер по журналу.")
    return ""


@transaction.atomic
def report_register_paper_number(
    *, report: Report, user: User, number: int, dated: dt.date, base_url: str = "",
) -> Report:
    """«Регистрация документа с номером из бумажного журнала»: approve a справка that was already
    registered in the ИМЦ's paper journal of outgoing documents (before the ИМЦ kept its register
    in the portal, or while the portal was unavailable) under that number and date.

    The number must be free in the ИМЦ's register of that year; the register's counter moves up to
    it, so the next number the portal gives out follows the paper journal (reports/numbering.py).
    """
    flow.authorise(user, "register_paper_number", report)
    report, method_centre = _locked_for_approval(report, user, "register_paper_number")
    refusal = _paper_number_refusal(report, number, dated)
    if refusal:
        raise ReportError(refusal)
    outgoing_number_register(method_centre=method_centre, year=dated.year, number=number)
    return _approved(report, user, method_centre=method_centre, number=number, dated=dated, note=PAPER_NUMBER_NOTE,
                     base_url=base_url)


def _final_pdf_to_sign(report: Report) -> bytes:
    final = report.files.filter(role=FileRole.FINAL_PDF).first()
    if final is None:
        raise ReportError(FINAL_NOT_READY_MESSAGE)
    if report.render_jobs.filter(target=FileRole.FINAL_PDF, status__in=ACTIVE_STATUSES).exists():
        raise ReportError(FINAL_NOT_READY_MESSAGE)
    pdf = report_file_read(final)
    if hashlib.sha256(pdf).hexdigest() != final.sha256:
        raise ReportError("Файл итогового PDF не совпадает с сохранённой контрольной суммой — сформируйте его заново.")
    return pdf


@transaction.atomic
def report_sign(*, report: Report, user: User) -> Report:
    """PAdES-sign the stored final PDF with the signer's own certificate; immutable afterwards.

    Refused, changing nothing, when the signer has no certificate, it is expired or not yet valid,
    or it names someone else (reports/services/certificates.py). What the signed PDF's CMS says
    about the certificate is stored with the file for the verification page.
    """
    from reports import signing

    flow.authorise(user, "sign", report)
    report = locked(report)
    if report.status == ReportStatus.SIGNED:
        raise ReportError("Справка уже подписана.")
    if not flow.state_allows(user, "sign", report.status):
        raise ReportError(f"Подписать можно только утверждённую справку (сейчас: {status_label(report)}).")
    pdf = _final_pdf_to_sign(report)
    credentials = certificates.signing_credentials_for(user)
    method_centre = report.district.method_centre
    try:
        signed = signing.sign_pdf(
            pdf, credentials=credentials, signer_position=user.position or method_centre.director_position,
        )
    except Exception as error:  # a broken PDF, a timestamp server down…: the page says so, nothing changes
        logger.exception("Signing report %s failed", report.pk)
        raise ReportError(f"Подписать справку не удалось: {error}. Сообщите администратору портала.") from error
    stored = file_store(report, FileRole.SIGNED_PDF, signed, user)
    facts = signing.signer_facts(signed)
    if facts is not None:
        stored.signature = {"certificate": facts.as_dict()}
        stored.save(update_fields=["signature"])
    report.status, report.signed_by, report.signed_at = ReportStatus.SIGNED, user, timezone.now()
    report.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    event(report, "signed", user, f"сертификат № {credentials.facts.serial}, {credentials.facts.owner}")
    return report


@transaction.atomic
def report_correct(*, report: Report, user: User) -> Report:
    """A new draft with the signed report's parameters and texts that names the report it replaces."""
    flow.authorise(user, "correct", report)
    report = locked(report)
    if report.status == ReportStatus.APPROVED:
        raise ReportError("Справка утверждена, но ещё не подписана: исправленную версию можно создать после подписания.")
    if not flow.state_allows(user, "correct", report.status):
        raise ReportError("Эта справка ещё не подписана — исправьте её текст, пока она черновик или на доработке.")
    pending = report.replaced_by.exclude(status=ReportStatus.SIGNED).first()
    if pending is not None:
        raise ReportError(f"Исправленная версия уже создана («{pending.title}», {status_label(pending)}).")
    correction = Report.objects.create(
        district_id=report.district_id, kind=report.kind, title=report.title, programme=report.programme,
        scope_key=report.scope_key, campaign=report.campaign, intro=report.intro, conclusion=report.conclusion,
        recommendations=report.recommendations, section_texts=dict(report.section_texts), replaces=report,
        created_by=user, approval_block=report.approval_block, approval_order_number=report.approval_order_number,
        approval_order_date=report.approval_order_date, show_charts=report.show_charts,
        section_order=list(report.section_order or []),
    )
    correction.periods.set(report.periods.all())
    event(correction, "created", user, f"Исправленная версия справки {number_and_date(report)}")
    event(report, "corrected", user)
    return correction


@transaction.atomic
def report_publish(*, report: Report, user: User, published: bool) -> Report:
    """Show (or hide) a signed report to the district's school administrators."""
    flow.authorise(user, "publish", report)
    report = locked(report)
    if not flow.state_allows(user, "publish", report.status):
        raise ReportError("Опубликовать для администраторов ОУ можно только подписанную справку.")
    if published and not kinds.get(report.kind).publishable:
        raise ReportError("Эта справка содержит результаты диагностики педагогов других организаций "
                          "и не публикуется для администраторов ОУ.")
    if report.published_to_schools != published:
        report.published_to_schools = published
        report.save(update_fields=["published_to_schools", "updated_at"])
        event(report, "published" if published else "unpublished", user)
    return report


def _signature_refusal(name: str, content: bytes) -> str:
    if not name.lower().endswith(DETACHED_SIGNATURE_EXTENSIONS):
        return "Приложите файл подписи с расширением .sig, .p7s или .sgn."
    if not content:
        return "Файл подписи пустой."
    if len(content) > DETACHED_SIGNATURE_MAX_BYTES:
        return "Файл подписи больше 1 МБ — это не открепленная подпись."
    # DER (a SEQUENCE) or PEM/base64 text, as CryptoPro and OpenSSL write them.
    if not (content[:1] == b"\x30" or content.lstrip()[:5] == b"-----" or content.lstrip()[:2] == b"MI"):
        return "Файл не похож на открепленную подпись (ожидается CMS/PKCS#7 в DER или PEM)."
    return ""


def _signed_files(report: Report) -> dict[str, bytes]:
    """The PDFs a detached signature may be made of: the approved one and the PAdES-signed one."""
    files = {}
    for stored in report.files.filter(role__in=(FileRole.FINAL_PDF, FileRole.SIGNED_PDF)).order_by("role"):
        try:
            files[stored.role] = report_file_read(stored)
        except OSError:
            logger.warning("report %s: file %s missing from storage", report.pk, stored.role)
    return files


@transaction.atomic
def report_signature_attach(*, report: Report, user: User, name: str, content: bytes) -> ReportFile:
    """Store a detached signature (CMS .sig made outside the portal, e.g. a qualified ГОСТ one) beside
    the signed PDF, with what the portal could check of it (reports/certificates_cms.py).

    Refused, changing nothing, when the file is not a CMS signature, is made for another file, fails
    the cryptographic check (RSA/ECDSA) or its certificate names someone else than the uploader.
    """
    from reports import certificates_cms, signing

    flow.authorise(user, "attach_signature", report)
    report = locked(report)
    if not flow.state_allows(user, "attach_signature", report.status):
        raise ReportError("Открепленную подпись можно приложить только к подписанной справке.")
    refusal = _signature_refusal(name, content)
    if refusal:
        raise ReportError(refusal)
    check = certificates_cms.check_detached(content, _signed_files(report), user, signing.load_trust_roots())
    if check.refusal:
        raise ReportError(check.refusal)
    previous = report.files.filter(role=FileRole.DETACHED_SIGNATURE).values_list("sha256", flat=True).first()
    stored = file_store(report, FileRole.DETACHED_SIGNATURE, content, user)
    stored.signature = check.as_dict()
    stored.save(update_fields=["signature"])
    owner = check.certificate.owner if check.certificate else ""
    event(report, "signature_attached", user,
          f"SHA-256 {stored.sha256}; сертификат {owner}" + (f"; заменила подпись SHA-256 {previous}" if previous else ""))
    return stored
