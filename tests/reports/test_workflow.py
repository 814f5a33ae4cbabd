"""The report workflow services: create → edit → submit → return/approve → sign → correct.

Refused transitions raise ReportError (ReportForbiddenError for the wrong role) with the Russian
sentence the page shows, and change nothing. The renderer and the signer are stand-ins here
(`fake_pipeline`), except in the test that signs with the real demo certificate.
"""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.utils import timezone

from core.jobs import JobStatus
from monitoring.models import Indicator, Period, PeriodKind, Programme
from monitoring.units import Unit
from reports import services
from reports.models import FileRole, Report, ReportStatus
from reports.services import FINAL_NOT_READY_MESSAGE, SIGNED_MESSAGE, ReportError, ReportForbiddenError
from tests.reports.workflow_support import SIGNED_MARK, approved, fake_pdf


@pytest.fixture
def signed(draft, methodist, director, fake_pipeline, django_capture_on_commit_callbacks):
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    return services.report_sign(report=report, user=director)


def _reload(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


# --- create -----------------------------------------------------------------------------------------


def test_monitoring_draft_gets_its_conclusion_from_achievement_in_every_period(draft):
    # The programme's one indicator: 2021 plan 40 %, fact 54,8 % → achieved; 2020 has no value (issue 14.7: the
    # conclusion speaks of every period of the document, not only of the last).
    assert draft.status == ReportStatus.DRAFT
    assert draft.conclusion == (
        "Данных за 2020 пока нет. "
        "Все количественные показатели программы «Эффективность сетевого взаимодействия педагогов» за 2021 достигнуты."
    )
    assert draft.section_texts == {"clusters": ""}
    assert [p.label for p in draft.periods.order_by("ends_on")] == ["2020", "2021"]
    assert "Эффективность сетевого взаимодействия педагогов" in draft.title
    assert list(draft.events.values_list("action", flat=True)) == ["created"]


def test_comparative_report_needs_five_periods(methodist, programme, long_programme):
    prog, periods = programme
    with pytest.raises(ReportError, match=r"^Для сравнительного анализа нужно не меньше 5 периодов \(выбрано: 2\)\.$"):
        services.report_create(user=methodist, kind="comparative", programme=prog, periods=periods)
    assert not Report.objects.exists()

    prog5, periods5 = long_programme
    report = services.report_create(user=methodist, kind="comparative", programme=prog5, periods=periods5)
    assert report.periods.count() == 5
    assert report.conclusion.endswith("за 2021 достигнуты.")


def test_development_draft_has_an_empty_text_per_project_in_programme_order(methodist, district_a):
    programme = Programme.objects.create(district=district_a, code="dev", name="Программа развития ИМЦ 2020–2024",
                                         period_kind=PeriodKind.CHECKPOINT)
    for label, end in (("Декабрь 2022", dt.date(2022, 12, 31)), ("Декабрь 2023", dt.date(2023, 12, 31))):
        Period.objects.create(programme=programme, label=label, starts_on=end.replace(month=1, day=1), ends_on=end)
    for position, (code, section) in enumerate(
        (("digital_1", "Цифровая трансформация"), ("mentor_1", "Наставник"), ("digital_2", "Цифровая трансформация"))
    ):
        Indicator.objects.create(programme=programme, code=code, name=code, section=section, unit=Unit.SCORE,
                                 position=position)
    report = services.report_create(user=methodist, kind="development", programme=programme)
    assert list(report.section_texts) == ["Цифровая трансформация", "Наставник"]
    assert report.periods.count() == 2, "no periods chosen → every checkpoint of the programme"


def test_survey_report_needs_a_campaign_of_the_district(methodist, district_a, district_b):
    from tests.surveys.factories import make_campaign, results_questionnaire

    own = make_campaign(results_questionnaire(district_a), district_a, title="Опрос слушателей курсов")
    foreign = make_campaign(results_questionnaire(district_b, code="other"), district_b)
    with pytest.raises(ReportForbiddenError):
        services.report_create(user=methodist, kind="survey", campaign=foreign)
    report = services.report_create(user=methodist, kind="survey", campaign=own)
    assert report.campaign == own and report.programme is None
    assert "Опрос слушателей курсов" in report.title


def test_only_a_methodist_of_the_district_creates_reports(director, other_methodist, programme):
    prog, periods = programme
    with pytest.raises(ReportForbiddenError, match="только методист"):
        services.report_create(user=director, kind="monitoring", programme=prog, periods=periods)
    with pytest.raises(ReportForbiddenError, match="другого района"):
        services.report_create(user=other_methodist, kind="monitoring", programme=prog, periods=periods)


# --- edit and submit --------------------------------------------------------------------------------


def test_methodist_edits_the_conclusion_of_a_draft(draft, methodist):
    services.report_update(report=draft, user=methodist, conclusion="  Все показатели достигнуты.  ",
                           section_texts={"clusters": "Кластерный подход позволяет адресно помогать ОУ."})
    services.report_update(report=draft, user=methodist, intro="Мониторинг проводился по Положению.")
    draft = _reload(draft)
    assert draft.conclusion == "Все показатели достигнуты."
    assert draft.section_texts == {"clusters": "Кластерный подход позволяет адресно помогать ОУ."}
    assert list(draft.events.values_list("action", flat=True)) == ["created", "edited"], "edits in a row are one entry"


def test_submit_tells_the_directors_by_email(draft, methodist, director_email, django_capture_on_commit_callbacks,
                                              settings):
    settings.PORTAL_BASE_URL = "https://imc.example.ru"
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(report=draft, user=methodist)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["direktor@imc.example"]
    assert message.subject.startswith("Справка на утверждение: ")
    assert f"https://imc.example.ru/reports/{draft.pk}/" in message.body
    assert "Смирнова М." in message.body, "who submitted it"


def test_submit_needs_a_conclusion(draft, methodist):
    services.report_update(report=draft, user=methodist, conclusion="")
    with pytest.raises(ReportError, match="Заполните вывод"):
        services.report_submit(report=draft, user=methodist)
    assert _reload(draft).status == ReportStatus.DRAFT


def test_a_submitted_report_cannot_be_edited_until_returned(draft, methodist, director, methodist_email,
                                                            django_capture_on_commit_callbacks):
    services.report_submit(report=draft, user=methodist)
    with pytest.raises(ReportError, match="на утверждении у директора"):
        services.report_update(report=draft, user=methodist, conclusion="Другой вывод.")

    with pytest.raises(ReportError, match="^Укажите, что нужно исправить: комментарий обязателен.$"):
        services.report_return(report=draft, user=director, comment="   ")
    assert _reload(draft).status == ReportStatus.SUBMITTED
    with pytest.raises(ReportForbiddenError):
        services.report_return(report=draft, user=methodist, comment="сам себе")

    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=draft, user=director, comment="Добавьте вывод по кластерам.")
    report = _reload(draft)
    assert (report.status, report.return_comment) == (ReportStatus.RETURNED, "Добавьте вывод по кластерам.")
    assert [m.to for m in mail.outbox] == [["metodist@imc.example"]]
    assert "Добавьте вывод по кластерам." in mail.outbox[0].body

    services.report_update(report=report, user=methodist, section_texts={"clusters": "Кластеры работают."})
    report = services.report_submit(report=report, user=methodist)
    assert report.status == ReportStatus.SUBMITTED and report.return_comment == ""
    assert list(report.events.values_list("action", flat=True)) == [
        "created", "submitted", "returned", "edited", "submitted",
    ]


# --- approve ------------------------------------------------------------------------------------------


def test_methodist_cannot_approve(draft, methodist):
    services.report_submit(report=draft, user=methodist)
    with pytest.raises(ReportForbiddenError, match="^Утвердить справку может только директор ИМЦ.$"):
        services.report_approve(report=draft, user=methodist)
    report = _reload(draft)
    assert report.status == ReportStatus.SUBMITTED and report.outgoing_number is None


def test_only_a_submitted_report_is_approved(draft, director):
    with pytest.raises(ReportError, match=r"только справку, отправленную на утверждение \(сейчас: черновик\)"):
        services.report_approve(report=draft, user=director)


def test_approval_takes_the_next_number_and_the_moscow_date(draft, methodist, director, monkeypatch, fake_pipeline,
                                                            programme, django_capture_on_commit_callbacks):
    # 16.12.2021 21:30 UTC is already 17.12.2021 00:30 in Moscow.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2021, 12, 16, 21, 30, tzinfo=dt.UTC))
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    assert (report.status, report.outgoing_year, report.outgoing_number) == (ReportStatus.APPROVED, 2021, 1)
    assert (report.outgoing_label, report.dated) == ("1-1", dt.date(2021, 12, 17))
    assert services.number_and_date(report) == "№ 1-1 от 17.12.2021"
    assert report.approved_by == director

    prog, periods = programme
    second = services.report_create(user=methodist, kind="monitoring", programme=prog, periods=periods)
    second = approved(second, methodist, director, django_capture_on_commit_callbacks)
    assert second.outgoing_label == "1-2"

    with pytest.raises(ReportError, match=r"^Справка уже утверждена \(№ 1-1 от 17.12.2021\)\.$"):
        services.report_approve(report=report, user=director)


def test_approval_queues_the_final_pdf_after_commit(draft, methodist, director, fake_pipeline,
                                                    django_capture_on_commit_callbacks):
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    job = report.render_jobs.get()
    assert (job.target, job.status, job.progress) == (FileRole.FINAL_PDF, JobStatus.SUCCEEDED, 100)
    final = report.files.get(role=FileRole.FINAL_PDF)
    content = final.file.open("rb").read()
    assert content == fake_pdf(report, final=True)
    assert final.sha256 == hashlib.sha256(content).hexdigest()
    assert fake_pipeline.pdf == [(report.pk, True)]


# --- sign -------------------------------------------------------------------------------------------------


def test_signing_before_the_final_pdf_is_ready_says_so(draft, methodist, director, fake_pipeline):
    services.report_submit(report=draft, user=methodist)
    report = services.report_approve(report=draft, user=director)  # on-commit render not run: no file yet
    with pytest.raises(ReportError, match=f"^{FINAL_NOT_READY_MESSAGE}$"):
        services.report_sign(report=report, user=director)
    assert _reload(report).status == ReportStatus.APPROVED


def test_methodist_cannot_sign(draft, methodist, director, fake_pipeline, django_capture_on_commit_callbacks):
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    with pytest.raises(ReportForbiddenError, match="^Подписать справку может только директор ИМЦ.$"):
        services.report_sign(report=report, user=methodist)
    assert _reload(report).status == ReportStatus.APPROVED
    assert fake_pipeline.sign == []


def test_director_signs_the_stored_final_pdf(signed, director, fake_pipeline):
    assert signed.status == ReportStatus.SIGNED and signed.signed_by == director
    final = signed.files.get(role=FileRole.FINAL_PDF).file.open("rb").read()
    signed_file = signed.files.get(role=FileRole.SIGNED_PDF)
    content = signed_file.file.open("rb").read()
    assert content == final + SIGNED_MARK + "Римкявичене Мария".encode()
    assert signed_file.sha256 == hashlib.sha256(content).hexdigest()
    assert fake_pipeline.sign == [{"signer": "Римкявичене Мария", "signer_position": "Директор ГБУ «ИМЦ»"}]


def test_a_final_pdf_changed_on_disk_is_not_signed(draft, methodist, director, fake_pipeline,
                                                   django_capture_on_commit_callbacks):
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    final = report.files.get(role=FileRole.FINAL_PDF)
    with open(final.file.path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ReportError, match="не совпадает с сохранённой контрольной суммой"):
        services.report_sign(report=report, user=director)


def test_a_signed_report_cannot_be_edited(signed, methodist, director):
    for attempt in (
        lambda: services.report_update(report=signed, user=methodist, conclusion="Исправленный вывод."),
        lambda: services.report_submit(report=signed, user=methodist),
    ):
        with pytest.raises(ReportError, match=f"^{SIGNED_MESSAGE}$"):
            attempt()
    with pytest.raises(ReportError, match="больше не формируются"):
        services.render_job_request(report=signed, user=director, target=FileRole.FINAL_PDF)
    with pytest.raises(ReportError, match="^Справка уже подписана.$"):
        services.report_sign(report=signed, user=director)
    assert _reload(signed).conclusion == signed.conclusion


def test_signing_with_the_demo_certificate_gives_a_valid_signature(
    draft, methodist, director, fake_pipeline, monkeypatch, settings, tmp_path_factory,
    django_capture_on_commit_callbacks,
):
    from reports import rendering, signing
    from reports.services import certificates
    from tests.reports.signing_helpers import install_demo_certificate, sample_pdf

    install_demo_certificate(settings, tmp_path_factory, director)
    monkeypatch.setattr(signing, "sign_pdf", fake_pipeline.real["sign_pdf"])
    monkeypatch.setattr(certificates, "signing_credentials_for", fake_pipeline.real["signing_credentials_for"])
    monkeypatch.setattr(rendering, "render_report_pdf", lambda report, final: sample_pdf())
    report = approved(draft, methodist, director, django_capture_on_commit_callbacks)
    report = services.report_sign(report=report, user=director)

    content = report.files.get(role=FileRole.SIGNED_PDF).file.open("rb").read()
    check = signing.validate_pdf(content)
    assert check.valid, check
    assert content.startswith(sample_pdf()), "an incremental update of the final PDF"


# --- correct, publish, detached signature -----------------------------------------------------------------


def test_a_correction_is_a_new_draft_that_names_the_signed_report(signed, methodist, director):
    correction = services.report_correct(report=signed, user=methodist)
    assert correction.pk != signed.pk and correction.replaces == signed
    assert (correction.status, correction.outgoing_number) == (ReportStatus.DRAFT, None)
    assert (correction.title, correction.conclusion, correction.section_texts) == (
        signed.title, signed.conclusion, signed.section_texts)
    assert set(correction.periods.all()) == set(signed.periods.all())
    assert correction.events.get().comment == f"Исправленная версия справки № {signed.outgoing_label} от " \
                                              f"{signed.dated:%d.%m.%Y}"
    with pytest.raises(ReportError, match="Исправленная версия уже создана"):
        services.report_correct(report=signed, user=methodist)
    with pytest.raises(ReportForbiddenError):
        services.report_correct(report=signed, user=director)


def test_only_a_signed_report_is_corrected(draft, methodist):
    with pytest.raises(ReportError, match="ещё не подписана"):
        services.report_correct(report=draft, user=methodist)


def test_director_publishes_a_signed_report_to_schools(signed, draft, director, methodist):
    report = services.report_publish(report=signed, user=director, published=True)
    assert report.published_to_schools
    with pytest.raises(ReportForbiddenError):
        services.report_publish(report=signed, user=methodist, published=False)


def test_a_detached_signature_is_stored_beside_the_signed_pdf(signed, director):
    from tests.reports.signing_helpers import detached_signature_for

    der = detached_signature_for(signed, director)
    stored = services.report_signature_attach(report=signed, user=director, name="справка.sig", content=der)
    assert (stored.role, stored.sha256) == (FileRole.DETACHED_SIGNATURE, hashlib.sha256(der).hexdigest())
    with pytest.raises(ReportError, match="расширением .sig"):
        services.report_signature_attach(report=signed, user=director, name="справка.pdf", content=der)
    with pytest.raises(ReportError, match="не похож на открепленную подпись"):
        services.report_signature_attach(report=signed, user=director, name="x.sig", content=b"hello")
    with pytest.raises(ReportError, match="не читается как подпись CMS"):
        services.report_signature_attach(report=signed, user=director, name="x.sig", content=b"\x30\x82\x01\x00")
    other = detached_signature_for(signed, director)  # a second signature of the same file (new signing time)
    again = services.report_signature_attach(report=signed, user=director, name="new.p7s", content=other)
    assert signed.files.filter(role=FileRole.DETACHED_SIGNATURE).count() == 1
    assert again.sha256 == hashlib.sha256(other).hexdigest()
    assert "заменила подпись" in signed.events.filter(action="signature_attached").last().comment


def test_a_signature_is_attached_only_to_a_signed_report(draft, director):
    with pytest.raises(ReportError, match="только к подписанной справке"):
        services.report_signature_attach(report=draft, user=director, name="a.sig", content=b"\x30\x00")


def test_unknown_text_fields_are_a_programming_error(draft, methodist):
    with pytest.raises(ValueError):
        services.report_update(report=draft, user=methodist, status=ReportStatus.SIGNED)


def test_other_district_cannot_touch_the_report(draft, other_methodist):
    with pytest.raises(ReportForbiddenError, match="другого района"):
        services.report_update(report=draft, user=other_methodist, conclusion="x")
