"""The справка as a PDF: seed 000's text and numbers, draft vs final, fonts, the restricted fetcher.

Text comes out of the PDF through pypdf; fonts through poppler's pdffonts (poppler-utils, which
.ci/run installs). Seed 000's data: tests/reports/spravka_data.py.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from clusters.models import TIER_DESCRIPTIONS
from reports import rendering
from reports.xlsx import report_xlsx

from .spravka_data import CLUSTERS, CONCLUSION, approve_like_seed, frunzensky_report


@pytest.fixture
def report(district_a, methodist):
    return frunzensky_report(district_a, methodist)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """One line: words split by a hyphen at a line end joined again, other line breaks as spaces."""
    return re.sub(r"\s+", " ", re.sub(r"(\w)-\n(\w)", r"\1\2", text))


def contains(text: str, needle: str) -> bool:
    # A real hyphen may end a line too («арт-\nпедагогика»): try both readings.
    return needle in flat(text) or needle in re.sub(r"\s+", " ", text.replace("-\n", "-"))


def pdffonts(pdf: bytes) -> list[list[str]]:
    if shutil.which("pdffonts") is None:
        if os.environ.get("CI"):
            pytest.fail("pdffonts (poppler-utils) is missing in CI")
        pytest.skip("pdffonts (poppler-utils) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        output = subprocess.run(["pdffonts", file.name], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in output.splitlines()[2:] if line.strip()]


def test_final_frunzensky_spravka_reads_like_seed_000(report):
    approve_like_seed(report)
    pdf = rendering.render_report_pdf(report, final=True)
    assert pdf.startswith(b"%PDF-")
    pages = pdf_pages(pdf)
    text = "\n".join(pages)

    assert contains(text, "от 17.12.2021 № 1-854")
    assert contains(text, "Государственное бюджетное учреждение дополнительного профессионального")
    for requisite in ("тел./факс (812) 705-60-35", "E-mail: info@edu-frn.spb.ru", "ОКПО: 02087152",
                      "ОГРН: 1027807973181", "ИНН/КПП: 7816157263/781601001"):
        assert contains(text, requisite), requisite
    assert contains(text, "АНАЛИТИЧЕСКАЯ СПРАВКА по результатам мониторинга показателей эффективности")
    # The table: the seed's numbers as the seed prints them (no space before %, decimal comma).
    table = flat(text)[flat(text).index("Количественные показатели"):]
    assert re.search(r"сетевых сообществ 10% 10% 40% 54,8%", table), table[:400]
    assert re.search(r"повышения квалификации 10% 10% 20% 30%", table)
    assert re.search(r"инновационного проектирования 10% 20% 30% 30%", table)
    assert "54,8 %" not in text
    assert contains(text, "Вывод. " + CONCLUSION)
    assert contains(text, "В системе образования Фрунзенского района в 2021 году работало 9 кластеров:")
    for name, size in CLUSTERS:
        words = {3: "3 образовательные организации", 4: "4 образовательные организации",
                 5: "5 образовательных организаций", 9: "9 образовательных организаций",
                 22: "22 образовательные организации"}[size]
        assert contains(text, f"Кластер «{name}». Включает {words}"), name
    for tier_name, characteristic, _role in TIER_DESCRIPTIONS.values():
        assert contains(text, f"{tier_name} {characteristic}"), tier_name
    # Seed 000 has no approval block (issue 14.7): no «УТВЕРЖДАЮ» with the date in words, only the signature.
    assert "УТВЕРЖДАЮ" not in text and "«17» декабря 2021 г." not in text
    assert contains(text, "Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга")
    assert contains(text, "О.А. Римкявичене")
    from reports import verification

    assert contains(text, "Проверить подлинность: " + verification.verification_url(report))
    assert "ПРОЕКТ" not in text
    assert [f"Страница {n} из {len(pages)}" in page for n, page in enumerate(pages, start=1)] == [True] * len(pages)

    fonts = pdffonts(pdf)
    names = [row[0].split("+")[-1] for row in fonts]
    # The body in the vendored PT Serif (WeasyPrint names an @font-face font after its CSS family, so
    # «Spravka-PT-Serif» proves the file in static/fonts was used), chart labels in PT Sans.
    assert "Spravka-PT-Serif" in names and "Spravka-PT-Serif-Bold" in names
    assert "PT-Sans" in names
    assert not [n for n in names if not (n.startswith("Spravka-PT-Serif") or n == "PT-Sans")], names
    assert all("Type 3" not in " ".join(row) for row in fonts)
    assert all(row[-5] == "yes" for row in fonts)  # emb


def test_draft_carries_the_watermark_on_every_page_and_no_number(report):
    approve_like_seed(report)
    report.conclusion = "Вывод с разметкой <img src='file:///etc/passwd'> остаётся текстом."
    pdf = rendering.render_report_pdf(report, final=False)
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    assert len(pages) >= 2
    assert all("ПРОЕКТ" in page for page in pages)
    assert contains(text, "от __.__.____ № ____")
    assert "1-854" not in text
    assert "УТВЕРЖДАЮ" not in text
    assert "Проверить подлинность" not in text
    assert contains(text, "Вывод с разметкой <img src='file:///etc/passwd'> остаётся текстом.")


def test_preview_is_the_same_template_as_html(report):
    report.conclusion = "<script>alert(1)</script>\nвторая строка"
    html = rendering.render_report_html(report)
    assert '<link rel="stylesheet" href="/static/reports/print.css">' in html
    assert "is-preview" in html and 'class="watermark"' in html
    assert "от __.__.____ № ____" in html
    assert "54,8%" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>вторая строка" in html
    assert "<script>" not in html
    assert "Кластер «Вектор учителя будущего». Включает 22 образовательные организации." in html


def test_fetcher_serves_static_files_and_data_uris_only(settings):
    fetcher = rendering.url_fetcher()
    base = rendering.RENDER_BASE_URL + "static/"
    font = fetcher.fetch(base + "fonts/PTSerif-Regular.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert fetcher.fetch(base + "reports/print.css").read().startswith(b"/* Print layout")
    assert fetcher.fetch("data:text/plain;base64,0J/RgNC+0LXQutGC").read().decode() == "Проект"
    for url in (
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        base + "../../../etc/passwd",
        base + "..%2F..%2F..%2Fetc%2Fpasswd",
        base + "fonts/../../../../etc/passwd",
        "http://127.0.0.1:8000/static/reports/print.css",
        "http://169.254.169.254/latest/meta-data/",
        "https://report-assets.invalid/media/reports/1/secret.pdf",
        base + "no-such-file.css",
    ):
        with pytest.raises(rendering.ResourceRefused):
            fetcher.fetch(url)


def test_stamp_box_is_inside_the_empty_bottom_margin():
    # A4 is 595 × 842 pt; the print CSS keeps 38 mm (108 pt) at the bottom, the page number on the left.
    x1, y1, x2, y2 = rendering.SIGNATURE_STAMP_BOX
    assert (x1, y1, x2, y2) == (283, 23, 553, 96)
    assert y2 < 38 * 72 / 25.4 and x2 < 595 - 15 * 72 / 25.4 + 1
    css = (Path(__file__).resolve().parents[2] / "static/reports/print.css").read_text()
    assert "margin: 18mm 15mm 38mm 25mm" in css


def test_xlsx_has_the_same_plan_fact_table(report):
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = workbook["План и факт"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("Раздел", "Показатель", "Единица", "2020 план", "2020 факт", "2021 план", "2021 факт")
    assert rows[1][1].startswith("Доля ОУ района") and rows[1][3:7] == (10, 10, 40, 54.8)
    assert rows[1][7:9] == ("достигнут", "достигнут")
    assert len(rows) == 4  # header + three indicators with values
    about = dict(workbook["О справке"].iter_rows(min_row=2, values_only=True))
    assert about["Номер"] == "не присвоен (проект)"


def _programme_with_values(district, *, code, name, labels, unit, section, facts, plans=None):
    import datetime
    from decimal import Decimal

    from monitoring.models import Indicator, Period, Programme, Value

    programme = Programme.objects.create(district=district, code=code, name=name)
    indicator = Indicator.objects.create(programme=programme, code="i1", name="Результат проекта достигнут",
                                         unit=unit, decimals=0, section=section)
    for index, (label, fact) in enumerate(zip(labels, facts, strict=True)):
        period = Period.objects.create(programme=programme, label=label, starts_on=datetime.date(2020 + index, 1, 1),
                                       ends_on=datetime.date(2020 + index, 12, 31))
        plan = plans[index] if plans else None
        Value.objects.create(district=district, indicator=indicator, period=period,
                             fact=None if fact is None else Decimal(fact), plan=None if plan is None else Decimal(plan))
    return programme


def test_development_and_comparative_pdfs(district_a, methodist):
    from monitoring.units import Unit
    from reports.models import Report

    development = _programme_with_values(
        district_a, code="dev", name="Программа развития 2020–2024", labels=["Июнь 2021", "Декабрь 2021"],
        unit=Unit.SCORE, section="Наставник", facts=[None, 8])
    report = Report.objects.create(district=district_a, kind="development", programme=development,
                                   created_by=methodist, title="Анализ реализации программы развития",
                                   section_texts={"Наставник": "Вывод: работа ведётся."})
    text = flat("\n".join(pdf_pages(rendering.render_report_pdf(report, final=False))))
    assert "Таблица 1 – Самооценка степени достижения планируемых результатов проекта «Наставник»" in text
    assert "1. Результат проекта достигнут - 8" in text
    assert "Вывод: работа ведётся." in text

    comparative = _programme_with_values(
        district_a, code="cmp", name="Концепция", labels=[str(y) for y in range(2020, 2025)], unit=Unit.COUNT,
        section="", facts=[1, 2, 3, 4, 5], plans=[1, 2, 3, 5, 5])
    report = Report.objects.create(district=district_a, kind="comparative", programme=comparative,
                                   created_by=methodist, title="сравнительный анализ", recommendations="Усилить.")
    text = flat("\n".join(pdf_pages(rendering.render_report_pdf(report, final=False))))
    assert "2020 2021 2022 2023 2024" in text
    assert "Рекомендации и управленческие решения. Усилить." in text
    assert "Не достигнуты показатели: «Результат проекта достигнут»." in text


def test_survey_pdf_and_xlsx(district_a, methodist, school_a):
    import datetime

    from reports.models import Report
    from tests.surveys.factories import YES, make_campaign, respond, results_questionnaire

    campaign = make_campaign(results_questionnaire(district_a), district_a,
                             closes_at=datetime.datetime(2021, 6, 1, 12, tzinfo=datetime.UTC))
    for _ in range(2):
        respond(campaign, school_a, q1=YES)
    report = Report.objects.create(district=district_a, kind="survey", campaign=campaign,
                                   created_by=methodist, title="по результатам анкетирования")
    text = flat("\n".join(pdf_pages(rendering.render_report_pdf(report, final=False))))
    assert "Получено 2 анкеты." in text
    assert "1. Удовлетворены ли вы качеством предоставляемой образовательной услуги? Ответили на вопрос: 2" in text
    assert f"{YES} 2 100%" in text
    rows = list(load_workbook(io.BytesIO(report_xlsx(report)))["Сводка"].iter_rows(values_only=True))
    assert rows[2][2:4] == (YES, 2)
