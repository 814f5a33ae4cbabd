"""The run of a CertificateJob (events.models; core/jobs.py), the same shape as reports/services/render_jobs.py.

«Выдать сертификаты» writes the certificates and the job in one transaction and publishes the job after the
commit (events.services.certificates.certificate_job_create, core/outbox.py). The Celery task
(events/certificate_tasks.py) then claims it, renders every certificate of the event still without a PDF
with the progress done/total, and marks it succeeded («Готово: 3 сертификата») or failed with a Russian
reason. A transient error puts it back in the queue for the next attempt.
"""
from __future__ import annotations

from django.db import transaction

from clusters.models import Event
from core.formatting import count_phrase
from events.models import Certificate, CertificateJob

from .certificates import CertificateError, certificates_progress, district_signer, render_one


class CertificatesHeldElsewhere(Exception):
    """Another worker holds the remaining certificates (their row locks): try again a little later."""

    def __str__(self) -> str:
        return "часть сертификатов сейчас формирует другой обработчик"


def certificate_job_claim(job_id: int) -> CertificateJob | None:
    """Mark the job as running (one more attempt); None if it is finished or gone."""
    with transaction.atomic():
        job = (CertificateJob.objects.select_for_update(of=("self",)).select_related("event")
               .filter(pk=job_id).first())
        if job is None or not job.mark_running(progress=0):
            return None
        return job


def _pending(event_id: int) -> list[int]:
    return list(Certificate.objects.filter(event_id=event_id, pdf="").order_by("sequence").values_list("pk", flat=True))


def done_message(event: Event) -> str:
    progress = certificates_progress(event)
    message = f"Готово: {count_phrase(progress.ready, 'сертификат', 'сертификата', 'сертификатов')}"
    if progress.signed:
        message += f", подписаны электронной подписью: {progress.signed}"
    return message + "."


def certificate_job_run(job: CertificateJob) -> CertificateJob:
    """Render the event's missing PDFs one by one (each in its own transaction: a failure keeps the ones
    made), then mark the job succeeded under the event's row lock — the lock «Выдать сертификаты» takes
    first, so certificates issued while the job ran (it reused this job) are rendered before it finishes."""
    event = job.event
    signer = district_signer(event.district_id)
    while True:
        pending = _pending(event.pk)
        if pending:
            total = Certificate.objects.filter(event_id=event.pk).count()
            made = 0
            for index, pk in enumerate(pending, start=1):
                made += render_one(pk, signer)
                # done/total over the event's certificates: 3 in all, 1 ready before, the 1st of 2 pending
                # made → (3 − 2 + 1) × 100 // 3 = 66 %.
                job.mark_progress((total - len(pending) + index) * 100 // total)
            if not made and _pending(event.pk):
                raise CertificatesHeldElsewhere
            continue  # look again: an issue may have added certificates meanwhile
        with transaction.atomic():
            Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
            if _pending(event.pk):
                continue
            job.mark_succeeded(done_message(event))
        return job


def certificate_job_retry_later(job_id: int, error: BaseException, attempt: int, attempts: int) -> None:
    """A transient failure: the job waits in the queue for the next attempt."""
    job = CertificateJob.objects.filter(pk=job_id).first()
    if job is not None:
        job.mark_queued(f"Временная ошибка ({error}); повторная попытка {attempt} из {attempts}.")


def certificate_job_fail(job_id: int, error: BaseException) -> None:
    """The page shows what failed, what was kept and what to do."""
    job = CertificateJob.objects.select_related("event").filter(pk=job_id).first()
    if job is None:
        return
    progress = certificates_progress(job.event)
    kept = f" Сформировано {progress.ready} из {progress.total}, они сохранены." if progress.ready else ""
    if isinstance(error, CertificateError):
        message = f"Не удалось сформировать PDF сертификатов: {error}{kept}"
    else:
        message = (f"Не удалось сформировать PDF сертификатов (ошибка: {error or type(error).__name__}).{kept} "
                   "Нажмите «Выдать сертификаты» ещё раз — будут сформированы недостающие; если ошибка "
                   "повторится, сообщите администратору портала.")
    job.mark_failed(message)
