"""Pieces every report service uses: the history entry, the row lock, the number in words."""
from __future__ import annotations

from core import formatting
from imc_portal.models import User
from reports.models import Report, ReportEvent, ReportStatus

SIGNED_MESSAGE = "Справка подписана — изменить её нельзя. Создайте исправленную версию."
FINAL_NOT_READY_MESSAGE = "Итоговый PDF ещё не сформирован — подпишите справку, когда он будет готов."

EVENT_LABELS = {
    "created": "создана",
    "edited": "изменён текст",
    "submitted": "отправлена на утверждение",
    "returned": "возвращена на доработку",
    "withdrawn": "отозвана автором с утверждения",
    "options": "изменены параметры документа",
    "approved": "утверждена",
    "signed": "подписана электронной подписью",
    "corrected": "создана исправленная версия",
    "signature_attached": "приложена открепленная подпись",
    "published": "опубликована для администраторов ОУ",
    "unpublished": "снята с публикации для администраторов ОУ",
}


def event(report: Report, action: str, user: User | None, comment: str = "") -> ReportEvent:
    return ReportEvent.objects.create(report=report, action=action, user=user, comment=comment)


def locked(report: Report) -> Report:
    """The report's row, locked for the rest of the transaction and read afresh."""
    return Report.objects.select_for_update(of=("self",)).select_related("district").get(pk=report.pk)


def status_label(report: Report) -> str:
    return ReportStatus(report.status).label


def one_line_title(report: Report) -> str:
    """The title without its line breaks (e-mail subjects, lists)."""
    return " ".join(report.title.split())


def number_and_date(report: Report) -> str:
    """«№ 1-854 от 17.12.2021», or an empty string before approval."""
    if not report.outgoing_label:
        return ""
    return formatting.number_and_date(report.outgoing_label, report.dated)
