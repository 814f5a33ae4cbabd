"""Registry list exports past EXPORT_JOB_THRESHOLD run as export jobs (clusters/export_jobs.py).

The threshold is lowered to 3: school A's four teachers (and the district's six) take the job path, the
task rebuilds the list view for the same user and GET (same scope, filter and order), the file holds the
rows the direct download would, and the personal-data log gets its entry from the task.
"""
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clusters import export_jobs
from clusters.models import ExportLog
from core import outbox
from core.jobs import JobStatus
from core.models import ExportJob
from tests.factories import OrganisationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.EXPORT_JOB_THRESHOLD = 3
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def publish_at_once(monkeypatch):
    monkeypatch.setattr(outbox, "after_commit", lambda callback: callback())


@pytest.fixture
def teachers(school_a, school_b):
    """Four teachers of school A (birth years 1970, 1980, 1990, 2000), two of school B."""
    for number, (name, year) in enumerate([("Иванова Анна", 1970), ("Петров Пётр", 1980), ("Сидорова Мария", 1990),
                                           ("Орлова Ольга", 2000)], start=1):
        TeacherFactory(organisation=school_a, full_name=name, birth_year=year, personnel_number=f"A{number}")
    TeacherFactory(organisation=school_b, full_name="Кузнецов Олег", personnel_number="B1")
    TeacherFactory(organisation=school_b, full_name="Смирнова Елена", personnel_number="B2")


def download_rows(client, job) -> list[tuple]:
    response = client.get(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_a_school_administrators_teachers_past_the_threshold_are_a_job_with_their_rows(
    school_admin, school_admin_client, teachers, publish_at_once
):
    response = school_admin_client.get(reverse("clusters:teacher_export"), {"q": "ов"})

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.page_url
    assert job.kind == export_jobs.LIST_KIND and job.status == JobStatus.SUCCEEDED
    assert job.parameters["organisation"] == school_admin.organisation_id and job.parameters["query"] == "q=%D0%BE%D0%B2"
    rows = download_rows(school_admin_client, job)
    # «ов» matches Иванова, Петров, Сидорова, Орлова of school A (B's teachers are outside the scope): 4 rows.
    assert rows[0][:3] == ("Табельный номер", "Код организации", "ФИО")
    assert sorted(row[2] for row in rows[1:]) == ["Иванова Анна", "Орлова Ольга", "Петров Пётр", "Сидорова Мария"]
    assert sorted(row[6] for row in rows[1:]) == [1970, 1980, 1990, 2000]
    assert (job.rows_total, job.rows_done) == (4, 4)
    entry = ExportLog.objects.get()
    assert (entry.user, entry.list_name, entry.row_count, entry.query_string) == (school_admin, "teachers", 4, "q=ов")


def test_at_the_threshold_the_list_is_answered_directly_and_logged(school_admin_client, school_a, teachers):
    response = school_admin_client.get(reverse("clusters:teacher_export"), {"q": "ова"})  # Иванова, Сидорова, Орлова

    assert response.status_code == 200
    assert len(list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())) == 1 + 3
    assert not ExportJob.objects.exists()
    assert ExportLog.objects.get().row_count == 3


def test_a_school_administrator_moved_to_another_school_gets_a_refusal_and_no_file(
    school_admin, school_admin_client, teachers, monkeypatch, school_b
):
    monkeypatch.setattr(outbox, "after_commit", lambda callback: None)
    school_admin_client.get(reverse("clusters:teacher_export"))
    job = ExportJob.objects.get()
    school_admin.organisation = school_b
    school_admin.save()

    outbox.publish(job)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file and job.message == export_jobs.SCOPE_CHANGED
    assert not ExportLog.objects.exists()


def test_the_organisation_list_of_the_district_past_the_threshold(methodist_client, district_a, school_a, school_b,
                                                                  publish_at_once):
    OrganisationFactory(district=district_a, code="OU-C", short_name="ГБОУ СОШ № 3")
    OrganisationFactory(district=district_a, code="OU-D", short_name="ГБОУ СОШ № 4")

    response = methodist_client.get(reverse("clusters:organisation_export"))

    job = ExportJob.objects.get()
    assert response["Location"] == job.page_url and job.status == JobStatus.SUCCEEDED
    assert sorted(row[0] for row in download_rows(methodist_client, job)[1:]) == ["OU-A", "OU-B", "OU-C", "OU-D"]
    assert not ExportLog.objects.exists()  # no people in it


def test_my_exports_lists_only_my_own(methodist_client, director_client, school_a, teachers, publish_at_once):
    methodist_client.get(reverse("clusters:teacher_export"))

    mine = methodist_client.get(reverse("core:export_list"))
    theirs = director_client.get(reverse("core:export_list"))

    job = ExportJob.objects.get()
    assert mine.status_code == theirs.status_code == 200
    assert job.download_url in mine.content.decode() and job.download_url not in theirs.content.decode()
