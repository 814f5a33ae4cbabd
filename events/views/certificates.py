"""Certificate screens: an event's certificates (methodists issue, the director reads), the status of the job
rendering their PDFs (polled: templates/core/job_status.html), one certificate's PDF (also a school
administrator's own teachers') and the event's ZIP.

Every download of a PDF with a person's name is logged like other personal-data exports."""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views import View

from clusters.personal_data import log_export
from core.mixins import CapabilityRequiredMixin
from core.permissions import can

from ..services import certificates as service

ISSUE, READ_DISTRICT, READ_OWN = service.ISSUE, service.READ_DISTRICT, service.READ_OWN


class CertificatesView(CapabilityRequiredMixin, View):
    capability = (ISSUE, READ_DISTRICT)

    def get(self, request, pk):
        event = service.event_for_user(request.user, pk)
        certificates = list(service.event_certificates(event))
        return render(request, "events/certificates.html", {
            "event": event,
            "certificates": certificates,
            "progress": service.certificates_progress(event),
            "job": service.latest_job(event),
            "can_issue": can(request.user, ISSUE),
            "kind_label": service.kind_label(event),
            "attendees": event.attendances.count(),
            "title": f"Сертификаты: {event.title}",
        })


class CertificatesIssueView(CapabilityRequiredMixin, View):
    capability = ISSUE

    def post(self, request, pk):
        event = service.event_for_user(request.user, pk)
        try:
            result = service.certificates_issue(event=event, user=request.user)
        except service.CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, result.message)
        return redirect("events:certificates", pk=event.pk)


class CertificatesJobStatusView(CapabilityRequiredMixin, View):
    """The job's status partial (CertificateJob.poll_url); htmx polls it while the job waits or renders."""

    capability = (ISSUE, READ_DISTRICT)

    def get(self, request, pk):
        job = service.certificate_job_for_user(request.user, pk)
        response = render(request, "core/job_status.html", {"job": job, "polled": True})
        if request.headers.get("HX-Request") and job.is_succeeded:
            # The table's «скачать» links and the ZIP button depend on the new PDFs: reload the page once.
            response["HX-Refresh"] = "true"
        return response


class CertificateDownloadView(CapabilityRequiredMixin, View):
    capability = (ISSUE, READ_DISTRICT, READ_OWN)

    def get(self, request, pk):
        certificate = service.certificate_for_user(request.user, pk)
        if not certificate.pdf:
            raise Http404("PDF сертификата ещё не сформирован.")
        try:
            handle = certificate.pdf.open("rb")
        except FileNotFoundError:
            raise Http404("Файл сертификата не найден в хранилище.") from None
        log_export(user=request.user, list_name="event_certificate",
                   list_title=f"Сертификат № {certificate.number}: {certificate.recipient_name}",
                   query_string=f"certificate={certificate.pk}", row_count=1)
        return FileResponse(handle, as_attachment=True, filename=service.download_name(certificate),
                            content_type="application/pdf")


class CertificatesZipView(CapabilityRequiredMixin, View):
    capability = (ISSUE, READ_DISTRICT)

    def get(self, request, pk):
        event = service.event_for_user(request.user, pk)
        try:
            archive, count = service.certificates_zip(event)
        except service.CertificateError as error:
            messages.error(request, str(error))
            return redirect("events:certificates", pk=event.pk)
        log_export(user=request.user, list_name="event_certificates",
                   list_title=f"Сертификаты мероприятия: {event.title}", query_string=f"event={event.pk}",
                   row_count=count)
        return FileResponse(archive, as_attachment=True, filename=service.zip_name(event),
                            content_type="application/zip")
