"""Certificates of an event (issue 13, item 4): issuing in one action, the register's numbers, idempotent
re-issue, refusals in words, the PDF's text, the professional-development record, who may see what."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from clusters.models import ExportLog, TrainingCompletion
from events.models import Attendance, Certificate, CertificateCounter
from events.services import certificates as service
from tests.events.factories import CertAttendanceFactory, CertHeldEventFactory
from tests.factories import TeacherFactory


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    # Lines joined by single spaces: a long phrase may wrap anywhere.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """certificates_issue with its after-commit rendering run (the eager Celery task)."""

    def run(event, user):
        with django_capture_on_commit_callbacks(execute=True):
            return service.certificates_issue(event=event, user=user)

    return run


@pytest.fixture
def seminar(district_a, school_a):
    """Seed 001's seminar in small: 8 hours, two registry teachers and one external participant."""
    event = CertHeldEventFactory(district=district_a, title="Формирование функциональной грамотности", hours=8)
    for teacher in (TeacherFactory(organisation=school_a, full_name="Соколова Елена Викторовна"),
                    TeacherFactory(organisation=school_a, full_name="Кузнецов Павел Андреевич")):
        Attendance.objects.create(event=event, teacher=teacher)
    CertAttendanceFactory(event=event, full_name="Петрова Ольга Игоревна", organisation_name="Гимназия № 2")
    return event


def test_issue_numbers_from_the_register_and_renders_pdfs(seminar, methodist, issue):
    result = issue(seminar, methodist)

    assert (result.issued, result.pending) == (3, 3)  # 3 attendees; their PDFs queued after the commit
    assert service.certificates_progress(seminar).pending == 0  # … and rendered by the eager task
    certificates = list(Certificate.objects.filter(event=seminar).order_by("sequence"))
    # The register of 2021 (the event's year) starts at 1: numbers 1, 2, 3.
    assert [c.number for c in certificates] == ["С-2021/0001", "С-2021/0002", "С-2021/0003"]
    assert CertificateCounter.objects.get(district=seminar.district, year=2021).last == 3
    assert {c.kind for c in certificates} == {"short_training"}
    assert {c.hours for c in certificates} == {8}
    assert len({c.verification_code for c in certificates}) == 3
    assert all(c.pdf and len(c.sha256) == 64 and not c.signed for c in certificates)


def test_a_second_issue_continues_the_register_and_never_reuses_a_number(seminar, district_a, methodist, issue):
    issue(seminar, methodist)
    other = CertHeldEventFactory(district=district_a, title="Семинар наставников")
    CertAttendanceFactory.create_batch(2, event=other)

    issue(other, methodist)

    # 3 numbers went to the first event, so the second gets 4 and 5 of the same register.
    assert list(other.certificates.order_by("sequence").values_list("number", flat=True)) == [
        "С-2021/0004", "С-2021/0005"]
    assert CertificateCounter.objects.get(district=district_a, year=2021).last == 5


def test_numbers_are_taken_under_the_counter_lock(seminar, methodist, monkeypatch):
    """_next_numbers reads the counter with SELECT … FOR UPDATE (the lock a concurrent issue waits on)."""
    from django.db.models import QuerySet

    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model.__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    service.certificates_issue(event=seminar, user=methodist)

    assert "CertificateCounter" in locked and "Event" in locked


def test_reissue_adds_only_the_new_attendee(seminar, methodist, issue):
    issue(seminar, methodist)
    CertAttendanceFactory(event=seminar, full_name="Новикова Мария Сергеевна")

    result = issue(seminar, methodist)

    assert result.issued == 1
    assert seminar.certificates.count() == 4
    assert seminar.certificates.get(recipient_name="Новикова Мария Сергеевна").number == "С-2021/0004"


def test_reissue_when_everybody_has_one_is_refused_and_changes_nothing(seminar, methodist, issue):
    issue(seminar, methodist)

    with pytest.raises(service.CertificateError, match="уже выданы всем присутствовавшим \\(3\\)"):
        issue(seminar, methodist)
    assert seminar.certificates.count() == 3
    assert CertificateCounter.objects.get().last == 3


@pytest.mark.parametrize(("status", "message"), [("planned", "не отмечено как проведённое"),
                                                  ("cancelled", "не отмечено как проведённое")])
def test_an_event_not_held_is_refused(district_a, methodist, status, message):
    event = CertHeldEventFactory(district=district_a, status=status)
    CertAttendanceFactory(event=event)

    with pytest.raises(service.CertificateError, match=message):
        service.certificates_issue(event=event, user=methodist)
    assert not Certificate.objects.exists() and not CertificateCounter.objects.exists()


def test_nobody_present_is_refused(district_a, methodist):
    event = CertHeldEventFactory(district=district_a)

    with pytest.raises(service.CertificateError, match="никто не отмечен как присутствовавший"):
        service.certificates_issue(event=event, user=methodist)


def test_participation_without_hours(district_a, methodist, issue):
    event = CertHeldEventFactory(district=district_a, hours=None)
    attendance = CertAttendanceFactory(event=event, full_name="Петрова Ольга Игоревна")

    issue(event, methodist)

    certificate = attendance.certificate
    assert (certificate.kind, certificate.hours, certificate.training_completion) == ("participation", None, None)
    text = pdf_text(certificate.pdf.read())
    assert "участника" in text and "в объёме" not in text


def test_the_pdf_names_the_number_recipient_hours_and_director(seminar, methodist, issue):
    issue(seminar, methodist)
    certificate = seminar.certificates.get(recipient_name="Соколова Елена Викторовна")

    text = pdf_text(certificate.pdf.read())

    assert "СЕРТИФИКАТ" in text
    assert "С-2021/0001" in text
    assert "Соколова Елена Викторовна" in text
    assert "в объёме 8 ч" in text
    assert "краткосрочном повышении квалификации в форме неформального образования" in text
    assert "Формирование функциональной грамотности" in text
    assert seminar.district.method_centre.director_name in text
    assert f"/v/{certificate.verification_code}/" in text


def test_a_short_training_counts_in_the_teachers_record(seminar, methodist, issue):
    issue(seminar, methodist)

    completions = TrainingCompletion.objects.select_related("program").order_by("teacher__full_name")
    # Two registry teachers get a record; the external participant has no registry record.
    assert completions.count() == 2
    program = completions[0].program
    assert program.title == "Формирование функциональной грамотности (неформальное образование)"
    assert (program.hours, program.provider, program.district) == (8, "ГБУ «ИМЦ»", seminar.district)
    assert {c.completed_on for c in completions} == {seminar.held_on}
    for completion in completions:
        assert completion.event_certificate.attendance.teacher_id == completion.teacher_id
        assert completion.certificate_number == completion.event_certificate.number


def test_zip_holds_every_pdf(seminar, methodist, methodist_client, issue):
    issue(seminar, methodist)

    response = methodist_client.get(reverse("events:certificates_zip", args=[seminar.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "filename*=utf-8''" in response["Content-Disposition"] and ".zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert names == sorted(service.download_name(c) for c in seminar.certificates.all())
    assert "Сертификат С-2021-0001 Соколова Елена Викторовна.pdf" in names
    for certificate in seminar.certificates.all():
        assert archive.read(service.download_name(certificate)) == certificate.pdf.open("rb").read()
    log = ExportLog.objects.get(list_name="event_certificates")
    assert (log.user, log.row_count) == (methodist, 3)


def test_zip_before_any_pdf_says_so(seminar, methodist, methodist_client):
    service.certificates_issue(event=seminar, user=methodist)  # rendering never ran (no commit)

    response = methodist_client.get(reverse("events:certificates_zip", args=[seminar.pk]), follow=True)

    assert "ещё не сформированы" in response.content.decode()


# --- views: allowed and refused personas ---


def test_certificates_page(seminar, methodist, methodist_client, director_client, observer_client,
                           school_admin_client, other_methodist_client, issue):
    issue(seminar, methodist)
    url = reverse("events:certificates", args=[seminar.pk])

    page = methodist_client.get(url)
    assert page.status_code == 200
    assert "С-2021/0003" in page.content.decode() and 'data-testid="certificates-issue"' in page.content.decode()
    director_page = director_client.get(url)
    assert director_page.status_code == 200 and 'data-testid="certificates-issue"' not in director_page.content.decode()
    assert observer_client.get(url).status_code == 403
    assert school_admin_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404


def test_issue_view(seminar, methodist_client, director_client, other_methodist_client,
                    django_capture_on_commit_callbacks):
    url = reverse("events:certificates_issue", args=[seminar.pk])

    assert director_client.get(url).status_code == 405  # POST only, for everybody
    assert director_client.post(url).status_code == 403
    assert other_methodist_client.post(url).status_code == 404
    assert methodist_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = methodist_client.post(url, follow=True)
    assert "Выдано сертификатов: 3" in response.content.decode()
    again = methodist_client.post(url, follow=True)
    assert "уже выданы всем присутствовавшим" in again.content.decode()
    assert seminar.certificates.count() == 3


def test_issue_view_refusal_in_words(district_a, methodist_client):
    event = CertHeldEventFactory(district=district_a, status="planned")

    response = methodist_client.post(reverse("events:certificates_issue", args=[event.pk]), follow=True)

    assert response.status_code == 200
    assert "не отмечено как проведённое" in response.content.decode()


def test_the_page_shows_the_jobs_status_not_a_row_count_poll(seminar, methodist, methodist_client):
    service.certificates_issue(event=seminar, user=methodist)  # no commit: the job waits, PDFs pending

    page = methodist_client.get(reverse("events:certificates", args=[seminar.pk])).content.decode()

    assert "PDF готовы: 0 из 3." in page
    job = seminar.certificate_jobs.get()
    assert 'data-testid="certificates-status"' in page and f'hx-get="{job.poll_url}"' in page
    assert "Сертификаты: в очереди… будет выполнено автоматически." in page


def test_single_download(seminar, school_b, methodist, methodist_client, director_client, school_admin,
                         school_admin_client, other_school_admin_client, observer_client, other_methodist_client,
                         issue):
    outsider = TeacherFactory(organisation=school_b)
    Attendance.objects.create(event=seminar, teacher=outsider)
    issue(seminar, methodist)
    own = seminar.certificates.get(recipient_name="Соколова Елена Викторовна")
    external = seminar.certificates.get(recipient_name="Петрова Ольга Игоревна")
    url = reverse("events:certificate_download", args=[own.pk])

    for client in (methodist_client, director_client, school_admin_client):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == own.pdf.open("rb").read()
    # school B's administrator: not their teacher; an external participant is nobody's school's
    assert other_school_admin_client.get(url).status_code == 404
    assert school_admin_client.get(reverse("events:certificate_download", args=[external.pk])).status_code == 404
    assert observer_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404
    assert ExportLog.objects.filter(list_name="event_certificate", user=school_admin, row_count=1).exists()


def test_zip_personas(seminar, methodist, director_client, school_admin_client, observer_client,
                      other_methodist_client, issue):
    issue(seminar, methodist)
    url = reverse("events:certificates_zip", args=[seminar.pk])

    assert director_client.get(url).status_code == 200
    assert school_admin_client.get(url).status_code == 403
    assert observer_client.get(url).status_code == 403
    assert other_methodist_client.get(url).status_code == 404


def test_panel_context(seminar, district_a, methodist, observer):
    panel = service.certificates_panel(seminar, methodist)

    assert panel["can_issue"] and panel["progress"].total == 0 and panel["job"] is None
    assert panel["kind_label"].endswith("неформального образования, 8 ч")
    assert service.certificates_panel(seminar, observer) is None
    assert service.certificates_panel(CertHeldEventFactory(district=district_a, status="planned"), methodist) is None


def test_panel_on_the_events_page(seminar, methodist_client, director_client, observer_client):
    import events.certificate_panels  # noqa: F401 — the start-up registration (idempotent)

    url = reverse("events:detail", args=[seminar.pk])

    page = methodist_client.get(url).content.decode()
    assert 'data-testid="certificates-panel"' in page and "Выдать сертификаты" in page
    director_page = director_client.get(url).content.decode()
    assert 'data-testid="certificates-panel"' in director_page and "Выдать сертификаты" not in director_page
    assert 'data-testid="certificates-panel"' not in observer_client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issues_never_share_a_number(district_a, methodist, monkeypatch):
    """Two methodists issue for two events at the same moment (PostgreSQL: real row locks): the register
    hands out 1–6 once each, 3 numbers per event."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers itself)")
    monkeypatch.setattr(service.outbox, "publish_on_commit", lambda job: None)  # numbers only, no rendering
    events = [CertHeldEventFactory(district=district_a) for _ in range(2)]
    for event in events:
        CertAttendanceFactory.create_batch(3, event=event)
    barrier, errors = threading.Barrier(2), []

    def run(event):
        try:
            barrier.wait(timeout=10)
            service.certificates_issue(event=event, user=methodist)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]
    for event in events:
        assert event.certificates.count() == 3
    assert CertificateCounter.objects.get(district=district_a, year=2021).last == 6
