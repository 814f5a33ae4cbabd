"""The reports demo: seed 000's справка, seed 003's analysis and the network analysis of 2021, signed with
the demo certificate.

The whole demo (`load_demo`) loads once for tests/demo (tests/demo/conftest.py) inside a
transaction rolled back at the end; its files and the demo certificate go to temporary folders.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
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
    # № 1-854 and then the network analysis's № 1-855 (27.12.2021), both from the paper journal.
    assert counter.last_number == 855, "the next справка of 2021 would get № 1-856"


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
    text = _pdf_text(report)
    assert "Наставник" in text
    # Seed 003's approval block (issue 14.7), not «УТВЕРЖДАЮ».
    flat = " ".join(text.split())
    assert f"УТВЕРЖДЁН приказом {report.district.method_centre.short_name} от 13.03.2024 № 65" in flat
    assert "УТВЕРЖДАЮ" not in flat


def test_a_second_run_changes_nothing(demo_output):
    before = {r.pk: r.files.get(role=FileRole.SIGNED_PDF).sha256 for r in demo_reports()}
    out = StringIO()
    load_reports_demo(stdout=out)
    assert out.getvalue().count("уже подписана") == 3
    assert {r.pk: r.files.get(role=FileRole.SIGNED_PDF).sha256 for r in demo_reports()} == before
    assert Report.objects.count() == 3


def test_reset_removes_the_demo_reports(demo_output):
    with transaction.atomic():
        assert reset_reports_demo() == 3
        assert not Report.objects.exists()
        transaction.set_rollback(True)


def _pdftotext(report: Report, role: str = FileRole.SIGNED_PDF) -> str:
    """The text as poppler lays it out (one table row per line); whitespace runs become one space."""
    content = report.files.get(role=role).file.open("rb").read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return "\n".join(" ".join(line.split()) for line in text.decode().splitlines())


def test_the_network_analysis_is_approved_with_a_number_and_signed(demo_output):
    assert ("Справки: Фрунзенский район: анализ сетевого взаимодействия № 1-855 от 27.12.2021 — создана и подписана."
            in demo_output)
    report = Report.objects.get(district__code="frunzensky", kind="network")
    assert (report.status, report.outgoing_label, report.dated) == (ReportStatus.SIGNED, "1-855", dt.date(2021, 12, 27))
    assert report.programme.code == "network-results-effect"
    assert [p.label for p in report.periods.all()] == ["2021"]
    assert report.title.startswith("Анализ сетевого взаимодействия по результатам оценочных процедур\n")
    assert (report.created_by.username, report.approved_by.username, report.signed_by.username) == (
        "metodist", "direktor", "direktor")
    # Conclusion and recommendations are the kind's, written from the numbers when the draft was created.
    assert report.conclusion.startswith("Индекс результатов вырос у 8 из 11 (72,7%) отстающих ОУ кластеров 2021 года")
    assert report.recommendations.startswith("1. Сформировать наставнические пары для отстающих ОУ")
    content = report.files.get(role=FileRole.SIGNED_PDF).file.open("rb").read()
    assert signing.validate_pdf(content).valid


def test_the_network_analysis_pdf_has_the_tier_table_and_the_effect(demo_output):
    report = Report.objects.get(district__code="frunzensky", kind="network")
    text = _pdftotext(report)
    assert "от 27.12.2021 № 1-855" in text
    assert "АНАЛИЗ\nсетевого взаимодействия по результатам оценочных процедур" in text
    # The tier table of the first cluster (by name) and one of its rows: number, organisation, tier, source,
    # index 2020, index 2021, change (the numbers come from the demo's generated results).
    assert "Таблица 1 – Кластер «Вектор учителя будущего»: ТОП — 4; синхронных — 14; от-" in text
    assert re.search(r"^\d+ ГБОУ СОШ № 215 ТОП по [+-]\d,\d{3} [+-]\d,\d{3} [+-]\d,\d{3}$", text, re.M)
    # The programme's plan and fact (tests/demo/test_monitoring_network_effect.py counts them by hand).
    assert "Доля отстающих ОУ кластеров, у которых вырос индекс 60% 72,7%" in text
    assert "Разница среднего изменения индекса отстающих ОУ в 0,3 1,201" in text
    assert "Доля ТОП-организаций кластеров, наставляющих отстающие 50% 43,8%" in text
    assert "Доля ОУ кластеров, повысивших уровень к прошлому году 30% 38,5%" in text
    # The district's figures with the counts behind them.
    assert "8 из 11 (72,7%) сравнимы по двум годам 11 ОУ" in text
    assert "7 из 16 (43,8%)" in text and "5 из 13 (38,5%)" in text
    assert "+1,201 в парах — 8 ОУ, среднее изменение" in text
    # Tier movement 2020 → 2021 (rows: from отстающая, синхронная, ТОП; columns: to the same, then всего):
    # up 2 + 1 + 2 = 5, same 0 + 4 + 1 = 5, down 1 + 2 + 0 = 3, of 13.
    assert "\nотстающая 0 2 1 3\nсинхронная 1 4 2 7\nТОП 2 0 1 3\n" in text
    assert "Повысили уровень 5, сохранили 5, понизили 3 из 13 организаций" in text
