"""One message when certificates are issued (issue 14.4): the flash says how many were issued; the PDFs' state is
the job's status partial alone. With no broker they are rendered by the time the page comes back, so the flash
«PDF в очереди, будут сформированы автоматически» beside the job's «Готово: 3 сертификата.» contradicted it."""
from __future__ import annotations

import pytest
from django.urls import reverse

from core.jobs import JobStatus
from events.models import Attendance
from tests.events.factories import CertAttendanceFactory, CertHeldEventFactory
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(district_a, school_a):
    event = CertHeldEventFactory(district=district_a, title="Формирование функциональной грамотности", hours=8)
    for name in ("Соколова Елена Викторовна", "Кузнецов Павел Андреевич"):
        Attendance.objects.create(event=event, teacher=TeacherFactory(organisation=school_a, full_name=name))
    CertAttendanceFactory(event=event, full_name="Петрова Ольга Игоревна", organisation_name="Гимназия № 2")
    return event


def test_issuing_certificates_says_issued_and_ready_once(
    seminar, methodist_client, director_client, django_capture_on_commit_callbacks,
):
    url = reverse("events:certificates_issue", args=[seminar.pk])
    assert director_client.post(url).status_code == 403
    assert not seminar.certificates.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the commit: the PDFs are rendered (eager)
        response = methodist_client.post(url)
    page = methodist_client.get(response["Location"]).content.decode()
    assert seminar.certificate_jobs.get().status == JobStatus.SUCCEEDED
    assert "Выдано сертификатов: 3." in page
    assert "в очереди" not in page
    assert page.count("Готово: 3 сертификата") == 1, "the job's partial, the one message about the PDFs"
