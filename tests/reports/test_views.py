"""Report pages: each with an allowed and a refused persona; refused actions change nothing."""
from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from core.jobs import JobStatus
from reports import services
from reports.models import DownloadLog, FileRole, RenderJob, Report, ReportStatus
from reports.services import FINAL_NOT_READY_MESSAGE, SIGNED_MESSAGE
from tests.reports.workflow_support import approved, store_file


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _follow_messages(client, response) -> list[str]:
    assert response.status_code == 302, response.status_code
    return _messages(client.get(response["Location"]))


@pytest.fixture
def signed(draft, methodist, director, fake_pipeline, django_capture_on_commit_callbacks):
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    return services.report_sign(report=report, user=director)


@pytest.fixture
def published(signed, director):
    return services.report_publish(report=signed, user=director, published=True)


# --- list ---------------------------------------------------------------------------------------------


def test_list_shows_drafts_to_staff_and_only_signed_reports_to_observers(
    draft, signed, methodist_client, observer_client, other_methodist_client, portal_admin_client, programme, methodist,
):
    # `draft` became `signed`; one more draft of the district:
    prog, periods = programme
    other = services.report_create(user=methodist, kind="monitoring", programme=prog, periods=periods,
                                   title="Второй черновик")
    url = reverse("reports:report_list")
    assert {r.pk for r in methodist_client.get(url).context["reports"]} == {signed.pk, other.pk}
    assert [r.pk for r in observer_client.get(url).context["reports"]] == [signed.pk]
    assert list(other_methodist_client.get(url).context["reports"]) == []
    # the portal admin reads reports of the district picked in the navbar; none picked: an empty list
    assert list(portal_admin_client.get(url).context["reports"]) == []


def test_list_filters_by_kind_status_and_year(draft, methodist, director, methodist_client, long_programme):
    import datetime as dt

    services.report_submit(report=draft, user=methodist)
    services.report_register_paper_number(report=draft, user=director, number=854, dated=dt.date(2021, 12, 17))
    prog, periods = long_programme
    comparative = services.report_create(user=methodist, kind="comparative", programme=prog, periods=periods)
    url = reverse("reports:report_list")
    by_kind = methodist_client.get(url, {"kind": "comparative"}).context["reports"]
    assert [r.pk for r in by_kind] == [comparative.pk]
    by_status = methodist_client.get(url, {"status": ReportStatus.APPROVED}).context["reports"]
    assert [r.pk for r in by_status] == [draft.pk]
    page = methodist_client.get(url, {"year": 2021})
    assert [r.pk for r in page.context["reports"]] == [draft.pk], "approved in the register year 2021"
    this_year = comparative.created_at.year
    assert [r.pk for r in methodist_client.get(url, {"year": this_year}).context["reports"]] == [comparative.pk]


def test_school_admins_see_only_signed_reports_published_to_them(signed, school_admin_client, director):
    url = reverse("reports:report_list")
    assert list(school_admin_client.get(url).context["reports"]) == []
    services.report_publish(report=signed, user=director, published=True)
    assert [r.pk for r in school_admin_client.get(url).context["reports"]] == [signed.pk]


def test_the_list_takes_a_fixed_number_of_queries(methodist, methodist_client, programme,
                                                  django_assert_max_num_queries):
    prog, periods = programme
    for _ in range(12):
        services.report_create(user=methodist, kind="monitoring", programme=prog, periods=periods)
    methodist_client.get(reverse("home"))  # the session's first page keeps the navbar's names (issue 15.3)
    # session, user, years (2), count, page, navigation — whatever the number of reports
    with django_assert_max_num_queries(8):
        response = methodist_client.get(reverse("reports:report_list"))
    assert len(response.context["reports"]) == 12


# --- create -------------------------------------------------------------------------------------------


def test_methodist_creates_a_monitoring_draft_in_two_steps(methodist_client, programme):
    prog, periods = programme
    url = reverse("reports:report_create")
    assert "kinds" in methodist_client.get(url).context
    form_page = methodist_client.get(url, {"kind": "monitoring"})
    assert "periods" in form_page.context["form"].fields
    response = methodist_client.post(url, {
        "kind": "monitoring", "programme": prog.pk, "scope_key": "district",
        "periods": [p.pk for p in periods], "title": "",
    })
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.DRAFT and report.periods.count() == 2


def test_a_comparative_report_with_fewer_than_five_periods_is_refused(methodist_client, programme):
    prog, periods = programme
    response = methodist_client.post(reverse("reports:report_create"), {
        "kind": "comparative", "programme": prog.pk, "scope_key": "district",
        "periods": [p.pk for p in periods],
    })
    assert response.status_code == 200
    assert response.context["form"].errors["periods"] == [
        "Для сравнительного анализа нужно не меньше 5 периодов (выбрано: 2)."
    ]
    assert not Report.objects.exists()


def test_director_cannot_create_reports(director_client):
    assert director_client.get(reverse("reports:report_create")).status_code == 403


# --- the report page -------------------------------------------------------------------------------------


def test_report_page_offers_the_buttons_of_the_role_and_status(draft, methodist, methodist_client, director_client):
    url = draft.get_absolute_url()
    page = methodist_client.get(url)
    assert page.context["actions"] == {"edit", "submit", "render_draft"}
    assert "Отправить на утверждение" in page.content.decode()
    assert director_client.get(url).context["actions"] == {"download_log"}

    services.report_submit(report=draft, user=methodist)
    # The author may take it back while it waits (issue 14.7).
    assert methodist_client.get(url).context["actions"] == {"render_draft", "withdraw"}
    director_page = director_client.get(url)
    assert director_page.context["actions"] == {"approve", "register_paper_number", "return", "render_draft",
                                                "download_log"}
    assert "Утвердить" in director_page.content.decode()


def test_observers_and_school_admins_do_not_open_drafts(draft, observer_client, school_admin_client,
                                                        other_methodist_client):
    url = draft.get_absolute_url()
    for client in (observer_client, school_admin_client, other_methodist_client):
        assert client.get(url).status_code == 404


def test_methodist_edits_the_texts_of_a_draft(draft, methodist_client):
    url = reverse("reports:report_edit", args=[draft.pk])
    assert methodist_client.get(url).status_code == 200
    response = methodist_client.post(url, {
        "title": "Аналитическая справка за 2021 год", "intro": "", "conclusion": "Все показатели достигнуты.",
        "recommendations": "", "section_0": "Кластерный подход работает.",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.conclusion, draft.section_texts) == (
        "Аналитическая справка за 2021 год", "Все показатели достигнуты.", {"clusters": "Кластерный подход работает."})


def test_a_signed_report_cannot_be_edited_through_the_page(signed, methodist_client):
    url = reverse("reports:report_edit", args=[signed.pk])
    assert _follow_messages(methodist_client, methodist_client.get(url)) == [SIGNED_MESSAGE]
    response = methodist_client.post(url, {"title": "Другой", "conclusion": "Другой вывод."})
    assert _follow_messages(methodist_client, response) == [SIGNED_MESSAGE]
    signed.refresh_from_db()
    assert signed.title != "Другой"


def test_director_cannot_edit_texts(draft, director_client):
    assert director_client.get(reverse("reports:report_edit", args=[draft.pk])).status_code == 403


# --- workflow buttons -------------------------------------------------------------------------------------


def test_submit_then_approve_through_the_pages(draft, methodist_client, director_client, fake_pipeline):
    response = methodist_client.post(reverse("reports:report_submit", args=[draft.pk]))
    assert _follow_messages(methodist_client, response) == [
        "Справка отправлена директору ИМЦ на утверждение."]
    response = director_client.post(reverse("reports:report_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == ReportStatus.APPROVED
    assert _follow_messages(director_client, response) == [
        f"Справка утверждена: № {draft.outgoing_label} от {draft.dated:%d.%m.%Y}."]


def test_methodist_cannot_approve_or_sign(draft, methodist, methodist_client):
    services.report_submit(report=draft, user=methodist)
    for name in ("reports:report_approve", "reports:report_sign", "reports:report_return"):
        assert methodist_client.post(reverse(name, args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED and draft.outgoing_number is None


def test_return_without_a_comment_is_refused(draft, methodist, director_client):
    services.report_submit(report=draft, user=methodist)
    response = director_client.post(reverse("reports:report_return", args=[draft.pk]), {"comment": ""})
    assert _follow_messages(director_client, response) == ["Укажите, что нужно исправить: комментарий обязателен."]
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    director_client.post(reverse("reports:report_return", args=[draft.pk]), {"comment": "Уточните вывод."})
    draft.refresh_from_db()
    assert (draft.status, draft.return_comment) == (ReportStatus.RETURNED, "Уточните вывод.")


def test_signing_before_the_final_pdf_is_ready_is_refused_with_a_message(draft, methodist, director, director_client):
    services.report_submit(report=draft, user=methodist)
    services.report_approve(report=draft, user=director)  # the final render is not run in this test
    response = director_client.post(reverse("reports:report_sign", args=[draft.pk]))
    assert _follow_messages(director_client, response) == [FINAL_NOT_READY_MESSAGE]


def test_director_signs_and_the_methodist_creates_a_correction(draft, methodist, director, methodist_client,
                                                               director_client, fake_pipeline,
                                                               django_capture_on_commit_callbacks):
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    director_client.post(reverse("reports:report_sign", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED
    response = methodist_client.post(reverse("reports:report_correct", args=[report.pk]))
    correction = Report.objects.get(replaces=report)
    assert response["Location"] == correction.get_absolute_url()


def test_render_button_queues_one_job_and_the_status_partial_shows_it(draft, methodist_client, fake_pipeline,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        methodist_client.post(reverse("reports:report_render", args=[draft.pk]), {"target": FileRole.DRAFT_PDF})
    job = RenderJob.objects.get(report=draft)
    assert job.status == JobStatus.SUCCEEDED
    url = reverse("reports:render_job_status", args=[job.pk])
    polled = methodist_client.get(f"{url}?poll=1", headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true", "the page reloads once to show the new file"
    assert "HX-Refresh" not in methodist_client.get(url)


def test_a_failed_job_shows_its_russian_message(draft, methodist_client, observer_client):
    job = RenderJob.objects.create(report=draft, target=FileRole.DRAFT_PDF, status=JobStatus.FAILED,
                                   message="Не удалось сформировать PDF: нет данных за 2021 год.")
    page = methodist_client.get(draft.get_absolute_url()).content.decode()
    assert "Не удалось сформировать PDF: нет данных за 2021 год." in page
    assert observer_client.get(reverse("reports:render_job_status", args=[job.pk])).status_code == 404


def test_director_attaches_a_detached_signature(signed, director_client, methodist_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.reports.signing_helpers import detached_signature_for

    der = detached_signature_for(signed, signed.signed_by)
    url = reverse("reports:report_signature_attach", args=[signed.pk])
    assert methodist_client.post(url, {"file": SimpleUploadedFile("a.sig", der)}).status_code == 403
    director_client.post(url, {"file": SimpleUploadedFile("справка.sig", der)})
    assert signed.files.get(role=FileRole.DETACHED_SIGNATURE).sha256 == hashlib.sha256(der).hexdigest()


def test_director_publishes_to_schools(signed, director_client, methodist_client):
    url = reverse("reports:report_publish", args=[signed.pk])
    assert methodist_client.post(url, {"published": "1"}).status_code == 403
    director_client.post(url, {"published": "1"})
    signed.refresh_from_db()
    assert signed.published_to_schools


# --- downloads ----------------------------------------------------------------------------------------------


def test_a_school_admin_cannot_download_a_draft(published, school_admin, school_admin_client, draft, methodist,
                                                programme):
    store_file(published, FileRole.DRAFT_PDF, b"%PDF draft of the published report")
    refused = school_admin_client.get(reverse("reports:report_file_download", args=[published.pk, FileRole.DRAFT_PDF]))
    assert refused.status_code == 403
    assert "администраторам ОУ доступна только подписанная справка" in refused.content.decode()
    prog, periods = programme
    unpublished = services.report_create(user=methodist, kind="monitoring", programme=prog, periods=periods)
    store_file(unpublished, FileRole.DRAFT_PDF, b"%PDF draft")
    url = reverse("reports:report_file_download", args=[unpublished.pk, FileRole.DRAFT_PDF])
    assert school_admin_client.get(url).status_code == 404
    assert not DownloadLog.objects.exists()

    signed_url = reverse("reports:report_file_download", args=[published.pk, FileRole.SIGNED_PDF])
    response = school_admin_client.get(signed_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == published.files.get(role=FileRole.SIGNED_PDF).file.open("rb").read()


def test_every_download_is_logged_and_the_director_sees_the_log(signed, methodist, methodist_client, observer,
                                                                observer_client, director_client):
    signed_file = signed.files.get(role=FileRole.SIGNED_PDF)
    response = observer_client.get(reverse("reports:report_file_download", args=[signed.pk, FileRole.SIGNED_PDF]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"1-{signed.outgoing_number}" in response["Content-Disposition"]
    final = methodist_client.get(reverse("reports:report_file_download", args=[signed.pk, FileRole.FINAL_PDF]))
    assert final.status_code == 200
    assert observer_client.get(
        reverse("reports:report_file_download", args=[signed.pk, FileRole.FINAL_PDF])).status_code == 403

    log = list(DownloadLog.objects.order_by("pk").values_list("user", "role", "sha256"))
    assert log == [
        (observer.pk, FileRole.SIGNED_PDF, signed_file.sha256),
        (methodist.pk, FileRole.FINAL_PDF, signed.files.get(role=FileRole.FINAL_PDF).sha256),
    ]
    page = director_client.get(signed.get_absolute_url())
    assert len(page.context["downloads"]) == 2
    assert 'data-testid="download-log"' in page.content.decode()
    assert methodist_client.get(signed.get_absolute_url()).context["downloads"] is None


def test_preview_renders_the_report_template(draft, methodist_client, observer_client):
    response = methodist_client.get(reverse("reports:report_preview", args=[draft.pk]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Эффективность сетевого взаимодействия педагогов" in response.content.decode()
    assert observer_client.get(reverse("reports:report_preview", args=[draft.pk])).status_code == 404
