"""The reports demo: seed 000's справка and seed 003's analysis, signed with the demo certificate.

The whole demo (`load_demo`) loads once for tests/demo (tests/demo/conftest.py) inside a
transaction rolled back at the end; its files and the demo certificate go to temporary folders.
"""
from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import pytest
from django.db import transaction

from demo.monitoring_data import PROGRAMME_CONCLUSION, PROJECT_CONCLUSIONS
from demo.reports import FRUNZENSKY_CONCLUSION, demo_reports, load_reports_demo, reset_reports_demo
from reports import signing
from reports.models import FileRole, OutgoingCounter, Report, ReportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def _pdf_text(report: Report, role: str = FileRole.SIGNED_PDF) -> str:
    from pypdf import PdfReader

    content = report.files.get(role=role).file.open("rb").read()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_frunzensky_spravka_is_signed_with_the_seed_number_and_date(demo_output):
    assert "Справки: Фрунзенский район: аналитическая справка № 1-854 от 17.12.2021 — создана и подписана." in demo_output
    report = Report.objects.get(district__code="frunzensky", kind="monitoring")
    assert (report.status, report.outgoing_label, report.dated) == (ReportStatus.SIGNED, "1-854", dt.date(2021, 12, 17))
    assert [p.label for p in report.periods.order_by("ends_on")] == ["2020", "2021"]
    assert report.programme.code == "network-effectiveness"
    assert (report.created_by.username, report.approved_by.username, report.signed_by.username) == (
        "metodist", "direktor", "direktor")
    assert report.conclusion == FRUNZENSKY_CONCLUSION
    assert list(report.events.values_list("action", flat=True)) == ["created", "edited", "submitted", "approved",
                                                                    "signed"]
    counter = OutgoingCounter.objects.get(method_centre__district=report.district, year=2021)
    assert counter.last_number == 854, "the next справка of 2021 would get № 1-855"


def test_the_signed_spravka_validates_and_carries_the_seed_text(demo_output):
    report = Report.objects.get(district__code="frunzensky", kind="monitoring")
    content = report.files.get(role=FileRole.SIGNED_PDF).file.open("rb").read()
    assert signing.validate_pdf(content).valid
    text = _pdf_text(report)
    assert "от 17.12.2021 № 1-854" in text
    assert "54,8" in text
    assert "Кластерный подход в работе профессиональных сетевых сообществ" in text


def test_the_krasnoselsky_analysis_is_signed_with_the_conclusion_of_each_project(demo_output):
    report = Report.objects.get(district__code="krasnoselsky", kind="development")
    assert (report.status, report.outgoing_label, report.dated) == (ReportStatus.SIGNED, "1-65", dt.date(2024, 3, 13))
    assert report.section_texts == PROJECT_CONCLUSIONS
    assert report.conclusion == PROGRAMME_CONCLUSION
    assert report.periods.count() == 4
    assert report.signed_by.username == "direktor_krasnoe" and not report.signed_by.has_usable_password()
    assert signing.validate_pdf(report.files.get(role=FileRole.SIGNED_PDF).file.open("rb").read()).valid
    assert "Наставник" in _pdf_text(report)


def test_a_second_run_changes_nothing(demo_output):
    before = {r.pk: r.files.get(role=FileRole.SIGNED_PDF).sha256 for r in demo_reports()}
    out = StringIO()
    load_reports_demo(stdout=out)
    assert out.getvalue().count("уже подписана") == 2
    assert {r.pk: r.files.get(role=FileRole.SIGNED_PDF).sha256 for r in demo_reports()} == before
    assert Report.objects.count() == 2


def test_reset_removes_the_demo_reports(demo_output):
    with transaction.atomic():
        assert reset_reports_demo() == 2
        assert not Report.objects.exists()
        transaction.set_rollback(True)
