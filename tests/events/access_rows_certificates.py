"""Access-matrix rows (tests/test_access_matrix.py) of the certificate pages.

The event's page, ZIP and the status of its rendering job: methodists and the director of the district (another
district's methodist: 404);
issuing (POST only): methodists; one certificate's PDF: also the school administrator of the teacher's school
(school B's administrator: 404). The objects: a held event of district A with the world's teacher (school A)
present and a certificate whose PDF is stored (a stand-in: the matrix checks access, not rendering)."""
from django.core.files.base import ContentFile

from clusters.models import EventStatus
from events.models import Attendance, Certificate, CertificateJob, CertificateKind
from tests.events.factories import CertHeldEventFactory
from tests.test_access_matrix import POST_ONLY, Row, once


def _certificate(w):
    event = CertHeldEventFactory(district=w.district_a, title="Семинар (матрица сертификатов)",
                                 status=EventStatus.HELD)
    attendance = Attendance.objects.create(event=event, teacher=w.teacher)
    certificate = Certificate(attendance=attendance, event=event, district=w.district_a,
                              kind=CertificateKind.PARTICIPATION, recipient_name=w.teacher.full_name, year=2021,
                              sequence=901, number="С-2021/0901", verification_code="matrixCert901",
                              sha256="0" * 64)
    certificate.pdf.save("matrix-certificate.pdf", ContentFile(b"%PDF-1.7\n% matrix stand-in\n%%EOF\n"), save=False)
    certificate.save()
    return certificate


certificate = once(_certificate)
job = once(lambda w: CertificateJob.objects.create(event=certificate(w).event))

#                      anon met dir obs sa  osa ometh padm
READ_EVENT = "L 200 200 403 403 403 404 403"
READ_ONE = "L 200 200 403 200 404 404 403"

ROWS: dict = {
    "events:certificates": Row(READ_EVENT, lambda w: {"pk": certificate(w).event_id}),
    "events:certificates_issue": Row(POST_ONLY, lambda w: {"pk": certificate(w).event_id}),
    "events:certificates_job_status": Row(READ_EVENT, lambda w: {"pk": job(w).pk}),
    "events:certificates_zip": Row(READ_EVENT, lambda w: {"pk": certificate(w).event_id}),
    "events:certificate_download": Row(READ_ONE, lambda w: {"pk": certificate(w).pk}),
}
