"""A new report kind is one module and one template.

`TINY` below is everything a kind declares (in production it would be reports/kinds/tiny.py); its
print template is tests/reports/templates/reports/pdf/tiny_kind.html. Registered for a test, it
goes through the creation page, the draft PDF, approval with the final PDF, the XLSX and the
signature like the four shipped kinds — nothing else in the portal names it. The registry itself
refuses a kind without a help text, a template or XLSX sheets, and the system checks catch a
missing template or a stored report of a kind that no module registers.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from openpyxl import load_workbook

from core.xlsx import XlsxColumn, XlsxSheet
from reports import checks, kinds, services
from reports.builders.plan_fact import report_periods, report_programme
from reports.kinds.parameters import Chosen, ProgrammeParameters
from reports.models import FileRole, Report, ReportStatus
from tests.reports.signing_helpers import install_demo_certificate

TEMPLATES = Path(__file__).parent / "templates"


# --- the whole kind: in production, reports/kinds/tiny.py ----------------------------------------------


def tiny_context(report: Report) -> dict:
    programme = report_programme(report)
    periods = report_periods(report, programme)
    return {"programme": programme, "indicator_count": programme.indicators.count(),
            "periods_text": ", ".join(p.label for p in periods)}


def tiny_sheet(report: Report) -> XlsxSheet:
    programme = report_programme(report)
    return XlsxSheet("Показатели", [XlsxColumn("Показатель", width=40)],
                     [[indicator.name] for indicator in programme.indicators.order_by("pk")])


def tiny_title(chosen: Chosen) -> str:
    return f"о программе «{chosen.programme.name}» за {chosen.periods[-1].label}"


TINY = kinds.ReportKindSpec(
    code="tiny",
    label="Краткая справка о программе",
    help="Число показателей программы и выбранные периоды.",
    heading="СПРАВКА",
    template="reports/pdf/tiny_kind.html",
    parameters=ProgrammeParameters(with_scope=False),
    build_context=tiny_context,
    sheets=(tiny_sheet,),
    suggested_title=tiny_title,
    min_periods=2,
    too_few_periods="Для краткой справки нужно не меньше {minimum} периодов (выбрано: {chosen}).",
    conclusion_required=False,
    approval_block=False,
    position=99,
)

# -------------------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_kind(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}]
    kinds.register(TINY)
    yield TINY
    kinds.unregister(TINY.code)


def pdf_text(report: Report, role: str) -> str:
    """The PDF's text in one line, words hyphenated at a line end joined again."""
    content = report.files.get(role=role).file.open("rb").read()
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", text).split())


def test_a_registered_kind_goes_from_creation_to_signature(
    tiny_kind, programme, methodist, director, methodist_client, director_client, settings, tmp_path_factory,
    django_capture_on_commit_callbacks,
):
    prog, periods = programme
    install_demo_certificate(settings, tmp_path_factory, director)

    # The kind picker and the list filter offer it.
    picker = methodist_client.get(reverse("reports:report_create")).content.decode()
    assert "Краткая справка о программе" in picker and "Число показателей программы" in picker
    assert ("tiny", "Краткая справка о программе") in methodist_client.get(
        reverse("reports:report_list")).context["filter"].form.fields["kind"].choices

    # Its parameters: a programme and at least two periods, no scope.
    form = methodist_client.get(reverse("reports:report_create"), {"kind": "tiny"}).context["form"]
    assert set(form.fields) == {"programme", "periods", "title"}
    refused = methodist_client.post(reverse("reports:report_create"),
                                    {"kind": "tiny", "programme": prog.pk, "periods": [periods[0].pk]})
    assert "Для краткой справки нужно не меньше 2 периодов (выбрано: 1)." in refused.content.decode()
    created = methodist_client.post(reverse("reports:report_create"), {
        "kind": "tiny", "programme": prog.pk, "periods": [p.pk for p in periods]})
    report = Report.objects.get(kind="tiny")
    assert created.url == report.get_absolute_url()
    assert report.title == "о программе «Эффективность сетевого взаимодействия педагогов» за 2021"
    assert report.kind_label == "Краткая справка о программе"

    # Draft PDF from its template; its workbook has its sheet and «О справке».
    with django_capture_on_commit_callbacks(execute=True):
        services.render_job_request(report=report, user=methodist, target=FileRole.DRAFT_PDF)
    draft_text = pdf_text(report, FileRole.DRAFT_PDF)
    assert "ПРОЕКТ" in draft_text
    assert "СПРАВКА о программе «Эффективность сетевого взаимодействия педагогов» за 2021" in draft_text
    assert "показателей — 1, периоды: 2020, 2021." in draft_text
    workbook = load_workbook(io.BytesIO(report.files.get(role=FileRole.XLSX).file.open("rb").read()))
    assert workbook.sheetnames == ["Показатели", "О справке"]
    assert workbook["Показатели"]["A2"].value == "Доля ОУ района, включённых в работу профессиональных сетевых сообществ"
    about = workbook["О справке"]
    assert (about["B2"].value, about["B3"].value) == (
        "Справка о программе «Эффективность сетевого взаимодействия педагогов» за 2021", "Краткая справка о программе")

    # No conclusion is required to submit; approval renders the final PDF, without «УТВЕРЖДАЮ».
    services.report_submit(report=report, user=methodist)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_approve(report=report, user=director)
    final_text = pdf_text(report, FileRole.FINAL_PDF)
    assert f"№ {report.outgoing_label}" in final_text and "ПРОЕКТ" not in final_text
    assert "УТВЕРЖДАЮ" not in final_text
    assert "Проверить подлинность" in final_text

    response = director_client.post(reverse("reports:report_sign", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED
    from reports import signing

    assert signing.validate_pdf(report.files.get(role=FileRole.SIGNED_PDF).file.open("rb").read()).intact
    page = director_client.get(report.get_absolute_url()).content.decode()
    assert "Краткая справка о программе" in page


def test_an_unregistered_kind_is_neither_created_nor_valid(methodist, methodist_client, programme):
    prog, periods = programme
    with pytest.raises(services.ReportError, match="^Выберите вид справки.$"):
        services.report_create(user=methodist, kind="tiny", programme=prog, periods=periods)
    # The creation page falls back to the kind picker instead of failing.
    page = methodist_client.get(reverse("reports:report_create"), {"kind": "tiny"})
    assert page.status_code == 200 and page.context["kinds"] == kinds.all_kinds()
    report = Report(district=prog.district, kind="tiny", title="x", created_by=methodist)
    with pytest.raises(Exception) as invalid:
        report.full_clean()
    assert "Неизвестный вид справки: «tiny»." in str(invalid.value)


# --- the registry refuses kinds that would fail later -----------------------------------------------------


@pytest.mark.parametrize(("change", "problem"), [
    ({"help": ""}, "help is required"),
    ({"label": "  "}, "label is required"),
    ({"template": ""}, "template is required"),
    ({"sheets": ()}, "sheets must name at least one XLSX sheet function"),
    ({"sheets": ("not a function",)}, "sheets must name at least one XLSX sheet function"),
    ({"code": "Tiny-Kind"}, "code must be"),
    ({"code": "a" * 21}, "code must be"),
    ({"build_context": None}, "build_context must be callable"),
    ({"min_periods": -1}, "min_periods must be a non-negative integer"),
    ({"text_labels": {"summary": "Итог"}}, "unknown fields: summary"),
])
def test_a_kind_missing_what_pages_and_workers_need_is_refused_at_start_up(change, problem):
    fields = {name: getattr(TINY, name) for name in TINY.__dataclass_fields__}
    with pytest.raises(kinds.KindSpecError, match=problem):
        kinds.ReportKindSpec(**{**fields, **change})


def test_a_code_is_registered_once():
    with pytest.raises(kinds.KindSpecError, match="registered twice"):
        kinds.register(kinds.ReportKindSpec(**{**{n: getattr(TINY, n) for n in TINY.__dataclass_fields__},
                                               "code": "monitoring"}))
    assert kinds.get("monitoring").label == "Аналитическая справка по результатам мониторинга"


def test_the_shipped_kinds_are_registered_in_the_picker_order():
    assert kinds.choices() == [
        ("monitoring", "Аналитическая справка по результатам мониторинга"),
        ("development", "Анализ реализации программы развития"),
        ("survey", "Результаты анкетирования"),
        ("comparative", "Сравнительный анализ за пять и более периодов"),
        ("network", "Анализ сетевого взаимодействия по результатам оценочных процедур"),
        ("diagnostics", "Анализ профессиональных дефицитов педагогов"),
    ]
    assert kinds.get("comparative").min_periods == 5
    assert kinds.get("comparative").too_few_periods_message(3) == (
        "Для сравнительного анализа нужно не меньше 5 периодов (выбрано: 3).")


# --- system checks --------------------------------------------------------------------------------------


def test_every_shipped_kind_has_its_template():
    assert checks.kind_templates_exist() == []


def test_a_kind_without_its_template_fails_the_check(settings):
    kinds.register(TINY)  # the test template folder is not in TEMPLATES here
    try:
        errors = checks.kind_templates_exist()
        assert [(e.id, e.obj) for e in errors] == [("reports.E001", "reports.kinds.tiny")]
        with pytest.raises(SystemCheckError, match="reports.E001"):
            call_command("check", "reports")
    finally:
        kinds.unregister(TINY.code)


def test_a_stored_report_of_an_unregistered_kind_fails_the_database_check(methodist, district_a):
    assert checks.stored_kinds_registered(databases=["default"]) == []
    Report.objects.create(district=district_a, kind="retired", title="Старая справка", created_by=methodist)
    errors = checks.stored_kinds_registered(databases=["default"])
    assert [(e.id, "'retired'" in e.msg) for e in errors] == [("reports.E002", True)]
    assert checks.stored_kinds_registered() == [], "database checks run only when asked for"
