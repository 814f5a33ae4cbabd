"""The results XLSX past EXPORT_JOB_THRESHOLD: an export job (core/exports.py, surveys/export_jobs.py).

The threshold is lowered to 5 so the seven responses of factories.seven_responses (worked out by hand
there) take the job path: the view redirects to the job's page, the task writes the same workbook as the
direct download, the page offers «Готово — скачать», and only the user who asked may download it.
"""
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import outbox
from core.jobs import JobStatus
from core.models import ExportJob
from surveys import export_jobs

from .factories import YES, respond

pytestmark = pytest.mark.django_db

Q1 = "1. Удовлетворены ли вы качеством предоставляемой образовательной услуги?"
Q2 = "2. Какие формы методической помощи предпочтительны для Вас?"
Q5 = "5. Ваш педагогический стаж (полных лет)"


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.EXPORT_JOB_THRESHOLD = 5
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def publish_at_once(monkeypatch):
    """The test's transaction never commits: publish (and, eager, run) the task at once."""
    monkeypatch.setattr(outbox, "after_commit", lambda callback: callback())


def export_url(campaign, group: str = "") -> str:
    return reverse("surveys:campaign_results_export", args=[campaign.pk]) + (f"?group={group}" if group else "")


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_above_the_threshold_the_export_is_a_job_with_the_same_workbook(methodist_client, methodist, seven_campaign,
                                                                         publish_at_once):
    response = methodist_client.get(export_url(seven_campaign))

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:export_detail", args=[job.pk])
    assert (job.requested_by, job.kind, job.status) == (methodist, export_jobs.RESULTS_KIND, JobStatus.SUCCEEDED)
    assert (job.rows_total, job.rows_done) == (7, 7)
    assert job.file.name.startswith("private/exports/") and job.expires_at > job.finished_at
    page = methodist_client.get(response["Location"])
    assert "Готово — скачать" in page.content.decode()
    assert reverse("core:export_download", args=[job.pk]) in page.content.decode()

    download = methodist_client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["Сводка", "Ответы", "По группам", "О выгрузке"]
    summary = rows(book["Сводка"])
    assert summary[1][:4] == ("Всего анкет", None, None, 7)
    yes = next(row for row in summary if row[0] == Q1 and row[2] == YES)
    assert yes[3] == 4 and round(yes[4], 4) == round(4 / 6, 4)  # 4 of the 6 who answered q1
    raw = rows(book["Ответы"])
    column = {name: index for index, name in enumerate(raw[0])}
    assert len(raw) == 1 + 7 and [row[0] for row in raw[1:]] == list(range(1, 8))
    assert sorted(row[column[Q5]] for row in raw[1:] if row[column[Q5]] is not None) == [2, 3, 10, 25]  # R7 R1 R2 R4
    assert "Курсы; Другое: Стажировки" in [row[column[Q2]] for row in raw[1:]]  # R3


def test_at_the_threshold_the_file_is_still_answered_directly(methodist_client, seven_campaign, school_a, settings):
    settings.EXPORT_JOB_THRESHOLD = 7

    response = methodist_client.get(export_url(seven_campaign))

    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(rows(load_workbook(io.BytesIO(response.content))["Ответы"])) == 1 + 7
    assert not ExportJob.objects.exists()
    # A group of four (school A) stays below a threshold of 5 too.
    settings.EXPORT_JOB_THRESHOLD = 5
    assert methodist_client.get(export_url(seven_campaign, f"organisation:{school_a.pk}")).status_code == 200
    assert not ExportJob.objects.exists()


def test_a_second_click_returns_the_pending_job(methodist_client, seven_campaign, monkeypatch):
    monkeypatch.setattr(outbox, "after_commit", lambda callback: None)  # never published: it stays queued

    first = methodist_client.get(export_url(seven_campaign))
    second = methodist_client.get(export_url(seven_campaign))

    job = ExportJob.objects.get()
    assert first["Location"] == second["Location"] == reverse("core:export_detail", args=[job.pk])
    status = methodist_client.get(reverse("core:export_status", args=[job.pk]))
    assert status.status_code == 200 and 'hx-get="' + job.poll_url in status.content.decode()
    assert "в очереди" in status.content.decode()


@pytest.mark.parametrize("persona", ["director_client", "other_methodist_client", "school_admin_client"])
def test_another_user_gets_404_for_the_job_its_status_and_its_file(request, methodist_client, seven_campaign,
                                                                   publish_at_once, persona):
    methodist_client.get(export_url(seven_campaign))
    job = ExportJob.objects.get()
    client = request.getfixturevalue(persona)

    for name in ("core:export_detail", "core:export_status", "core:export_download"):
        assert methodist_client.get(reverse(name, args=[job.pk])).status_code == 200
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.title not in client.get(reverse("core:export_list")).content.decode()
    assert job.title in methodist_client.get(reverse("core:export_list")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, methodist_client, seven_campaign, publish_at_once):
    methodist_client.get(export_url(seven_campaign))
    job = ExportJob.objects.get()

    response = client.get(reverse("core:export_download", args=[job.pk]))

    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_task_checks_the_campaign_again_and_refuses_in_russian(methodist_client, methodist, seven_campaign,
                                                                   monkeypatch, district_b):
    monkeypatch.setattr(outbox, "after_commit", lambda callback: None)
    methodist_client.get(export_url(seven_campaign))
    job = ExportJob.objects.get()
    methodist.district = district_b  # moved to another district before the task ran
    methodist.save()

    outbox.publish(job)  # eager: runs the task here

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert job.message.startswith("Выгрузка отменена")
    page = methodist_client.get(reverse("core:export_detail", args=[job.pk]))
    assert job.message in page.content.decode() and "скачать" not in page.content.decode()


def test_a_failing_task_leaves_a_russian_message_and_no_file(methodist_client, seven_campaign, monkeypatch,
                                                             tmp_path, publish_at_once):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "write_sheets", broken)

    methodist_client.get(export_url(seven_campaign))

    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and not job.file
    assert job.message.startswith("Выгрузка не выполнена") and "disk full" not in job.message
    assert list(tmp_path.rglob("*.xlsx")) == []
    assert methodist_client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_a_new_response_after_the_job_makes_another_job(methodist_client, seven_campaign, school_b, publish_at_once):
    methodist_client.get(export_url(seven_campaign))
    respond(seven_campaign, school_b, q1=YES)

    methodist_client.get(export_url(seven_campaign))

    assert sorted(ExportJob.objects.values_list("rows_total", flat=True)) == [7, 8]
