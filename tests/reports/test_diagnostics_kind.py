"""«Анализ профессиональных дефицитов педагогов»: a small district with hand-chosen AreaScores, every number of
the справка worked out by hand, the draft PDF read back with pypdf, approval; an empty year refused in words.

District A (threshold: default 0,5 — «дефицит» is a score strictly below it):

    teacher deficits, campaign 2021     предметные   методические
        Школа А  A1                        0,400        0,750
                 A2                        0,600        0,250
                 A3                        0,300        0,500   (0,5 is not below 0,5)
        Школа Б  B1                        0,800        0,450
                 B2                        0,700          —     (no methodical result)

    deficit map   Школа А: предметные 2 of 3 (A1, A3) = 0,667 → 66,7%; методические 1 of 3 (A2) = 0,333 → 33,3%
                  Школа Б: предметные 0 of 2 → 0%;              методические 1 of 1 (B1) → 100%
                  district: предметные 2 of 5 → 40%;            методические 2 of 4 → 50%
    indices       Школа А: предметные 1,3 / 3 = 0,4333 → 0,433; методические 1,5 / 3 = 0,500
                  Школа Б: предметные 1,5 / 2 = 0,750;          методические 0,450

    competencies (2020 «2020/21», 2021 «2021/22», 2022 «2022/23»)   методологические   инклюзивные
        2020   A1 0,500 / 0,200;  B1 0,700 / 0,400              → means 1,2 / 2 = 0,600;  0,6 / 2 = 0,300
        2021   A1 0,600 / 0,250;  A2 0,700 / 0,300;  B1 0,650 / 0,450
                                                                → 1,95 / 3 = 0,650;       1,0 / 3 = 0,3333 → 0,333
                                                                  deficits 0 of 3;        3 of 3 → 100%
        2022   A1 0,900 (after the chosen year: not in a 2021 справка)
"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diagnostics import rollups
from diagnostics.models import Family, InvitationStatus
from reports import kinds, services
from reports.errors import ReportDataError
from reports.kinds import diagnostics as kind
from reports.models import FileRole, Report, ReportStatus
from tests.diagnostics.factories import AreaScoreFactory, DiagnosticCampaignFactory, InvitationFactory, area
from tests.factories import OrganisationFactory, TeacherFactory
from tests.reports.test_kind_registry import pdf_text

pytestmark = pytest.mark.django_db
D = Decimal


def submit(campaign, teacher, scores: dict[str, str]):
    invitation = InvitationFactory(campaign=campaign, teacher=teacher, status=InvitationStatus.SUBMITTED,
                                   submitted_at=timezone.now() - dt.timedelta(days=1))
    for code, score in scores.items():
        AreaScoreFactory(invitation=invitation, area=area(code), score=D(score))


@pytest.fixture
def district_data(district_a):
    school_a = OrganisationFactory(district=district_a, short_name="Школа А")
    school_b = OrganisationFactory(district=district_a, short_name="Школа Б")
    a1, a2, a3 = (TeacherFactory(organisation=school_a) for _ in range(3))
    b1, b2 = (TeacherFactory(organisation=school_b) for _ in range(2))
    deficits = DiagnosticCampaignFactory(district=district_a, instrument__district=district_a,
                                         instrument__family=Family.TEACHER_DEFICITS, year=2021, period_label="2021/22")
    for teacher, subject, methodical in ((a1, "0.400", "0.750"), (a2, "0.600", "0.250"), (a3, "0.300", "0.500"),
                                         (b1, "0.800", "0.450")):
        submit(deficits, teacher, {"subject": subject, "methodical": methodical})
    submit(deficits, b2, {"subject": "0.700"})
    competencies = {year: DiagnosticCampaignFactory(district=district_a, instrument__district=district_a,
                                                    instrument__family=Family.COMPETENCIES, year=year,
                                                    period_label=f"{year}/{year - 1999}")
                    for year in (2020, 2021, 2022)}
    for year, teacher, methodological, inclusive in (
        (2020, a1, "0.500", "0.200"), (2020, b1, "0.700", "0.400"),
        (2021, a1, "0.600", "0.250"), (2021, a2, "0.700", "0.300"), (2021, b1, "0.650", "0.450"),
    ):
        submit(competencies[year], teacher, {"comp-methodological": methodological, "comp-inclusive": inclusive})
    submit(competencies[2022], a1, {"comp-methodological": "0.900"})
    return {"school_a": school_a, "school_b": school_b}


def create(methodist, year=2021) -> Report:
    return services.report_create(user=methodist, kind="diagnostics", scope_key=f"year:{year}")


# --- the numbers --------------------------------------------------------------------------------------


def test_the_deficit_map_and_the_index_table_by_hand(district_data, methodist):
    report = create(methodist)
    assert report.scope_key == "year:2021"
    assert report.title == "Анализ профессиональных дефицитов педагогов\nпо результатам диагностики 2021 года"
    a = kind.report_analysis(report)
    assert [o.short_name for o in a.organisations] == ["Школа А", "Школа Б"]
    rows = kind.map_rows(a)
    # Columns: предметные, методические, психолого-педагогические, коммуникативные (no results in the last two).
    assert [(r["name"], r["diagnosed"], [(c["share"], c["counts"]) for c in r["cells"]]) for r in rows] == [
        ("Школа А", 3, [("66,7%", "2 из 3"), ("33,3%", "1 из 3"), ("—", ""), ("—", "")]),
        ("Школа Б", 2, [("0%", "0 из 2"), ("100%", "1 из 1"), ("—", ""), ("—", "")]),
        ("Район", 5, [("40%", "2 из 5"), ("50%", "2 из 4"), ("—", ""), ("—", "")]),
    ]
    # The dynamics stop at the chosen year: 2022's 0,900 is left out; the years named as the campaigns name them.
    index = {r["name"]: r["cells"] for r in kind.index_rows(a)}
    assert [a.year_labels[y] for y in a.index_years] == ["2020/21", "2021/22"]
    assert index["Методологические"] == ["0,600", "0,650"]
    assert index["Инклюзивные"] == ["0,300", "0,333"]
    assert index["Методические"] == ["—", "—"] and len(index) == 8
    # The same cells the roll-ups give (no aggregation of the kind's own).
    assert a.index[(area("comp-inclusive").pk, 2021)] == rollups.index_by_year(
        report.district_id, Family.COMPETENCIES)[(area("comp-inclusive").pk, 2021)]


def test_the_appendix_per_organisation_by_hand(district_data, methodist):
    a = kind.report_analysis(create(methodist))
    school_a, school_b = kind.appendix(a)
    assert school_a["name"] == "Школа А"
    deficits, competencies = school_a["parts"]
    assert (deficits["family"], deficits["diagnosed"]) == ("Дефициты педагога", 3)
    assert [(r["name"], r["teachers"], r["index"], r["deficits"]) for r in deficits["rows"][:2]] == [
        ("Предметные", 3, "0,433", "2 из 3"), ("Методические", 3, "0,500", "1 из 3")]
    # Школа А's competencies in 2021: A1 and A2 — методологические (0,6 + 0,7) / 2 = 0,650, инклюзивные
    # (0,25 + 0,3) / 2 = 0,275, both below 0,5.
    assert competencies["diagnosed"] == 2
    by_name = {r["name"]: r for r in competencies["rows"]}
    assert (by_name["Методологические"]["index"], by_name["Инклюзивные"]["index"]) == ("0,650", "0,275")
    assert by_name["Инклюзивные"]["deficits"] == "2 из 2"
    school_b_deficits = school_b["parts"][0]
    assert [(r["index"], r["share"]) for r in school_b_deficits["rows"][:2]] == [("0,750", "0%"), ("0,450", "100%")]


def test_conclusion_and_recommendations_are_written_from_the_numbers(district_data, methodist):
    a = kind.report_analysis(create(methodist))
    conclusion = kind.conclusion_text(a)
    assert "В 2021 году диагностику профессиональных дефицитов прошли 5 педагогов из 2 организаций района." \
        in conclusion
    # методические 50% > предметные 40%.
    assert "Наибольшая доля педагогов с дефицитом (индекс ниже 0,5) — в группе «методические»: 50% (2 из 4)." \
        in conclusion
    # 0,600 → 0,650 and 0,300 → 0,333: both rose, none fell.
    assert ("Индекс профессиональных компетенций 2021/22 по сравнению с 2020/21: вырос в группах: "
            "методологические, инклюзивные.") in conclusion
    items = kind.recommendations_text(a).split("\n\n")
    assert [item.split(":")[0] for item in items] == [
        "1. Предметные (дефициты педагога; дефицит у 2 из 5 педагогов, 40%)",
        "2. Методические (дефициты педагога; дефицит у 2 из 4 педагогов, 50%)",
        "3. Инклюзивные (профессиональные компетенции; дефицит у 3 из 3 педагогов, 100%)",
    ]
    assert items[2].endswith(area("comp-inclusive").recommendation)


def test_the_sheets_carry_the_same_numbers(district_data, methodist):
    report = create(methodist)
    deficit_map = kind.map_sheet(report)
    assert ["Район", "методические", 4, 2, 50] in deficit_map.rows
    assert ["Школа А", "предметные", 3, 2, 66.7] in deficit_map.rows
    index = kind.index_sheet(report)
    assert [c.header for c in index.columns][:3] == ["Группа компетенций", "Индекс 2020/21", "Индекс 2021/22"]
    assert ["инклюзивные", 0.3, 0.333, 2, 3] in index.rows
    assert ["Школа Б", "дефициты педагога", "методические", 1, 0.45, 1] in kind.organisations_sheet(report).rows


# --- an empty year ------------------------------------------------------------------------------------


def test_an_empty_year_is_refused_in_words(district_data, methodist, methodist_client):
    with pytest.raises(services.ReportError, match="^За 2019 год в районе нет результатов диагностики"):
        create(methodist, 2019)
    with pytest.raises(services.ReportError, match="^Выберите год диагностики.$"):
        services.report_create(user=methodist, kind="diagnostics", scope_key="district")
    # A report of a year whose results are gone (or never were): the render says why, not a 500.
    report = Report.objects.create(district=methodist.district, kind="diagnostics", title="x",
                                   scope_key="year:2019", created_by=methodist)
    with pytest.raises(ReportDataError, match="За 2019 год в районе нет результатов диагностики"):
        kind.build_context(report)
    preview = methodist_client.get(reverse("reports:report_preview", args=[report.pk]))
    assert preview.status_code == 200 and "За 2019 год в районе нет результатов" in preview.content.decode()
    # The page offers only years with results: a posted other year is a form error, nothing saved.
    page = methodist_client.post(reverse("reports:report_create"), {"kind": "diagnostics", "scope_key": "year:2019"})
    assert page.status_code == 200
    assert page.context["form"].errors["scope_key"] == ["За этот год в районе нет результатов диагностики."]
    assert Report.objects.filter(kind="diagnostics").count() == 1


# --- the pages, the PDF and approval --------------------------------------------------------------------


def test_creation_page_for_the_methodist_refused_for_the_director_and_another_district(
    district_data, methodist_client, director_client, other_methodist_client,
):
    url = reverse("reports:report_create")
    assert "Анализ профессиональных дефицитов педагогов" in methodist_client.get(url).content.decode()
    form = methodist_client.get(url, {"kind": "diagnostics"}).context["form"]
    assert set(form.fields) == {"scope_key", "title"}
    # Years with teacher-deficit or competency results, newest first.
    assert form.fields["scope_key"].choices == [("year:2022", "2022"), ("year:2021", "2021"), ("year:2020", "2020")]
    created = methodist_client.post(url, {"kind": "diagnostics", "scope_key": "year:2021"})
    report = Report.objects.get(kind="diagnostics")
    assert created.url == report.get_absolute_url()
    assert director_client.get(url, {"kind": "diagnostics"}).status_code == 403
    # Another district's methodist has no years of district A to choose from.
    other = other_methodist_client.post(url, {"kind": "diagnostics", "scope_key": "year:2021"})
    assert other.status_code == 200 and other.context["form"].errors["scope_key"]
    assert Report.objects.filter(kind="diagnostics").count() == 1


def test_the_draft_pdf_prints_the_numbers_and_the_final_is_approved(
    district_data, methodist, director, django_capture_on_commit_callbacks,
):
    report = create(methodist)
    # A methodist's own recommendation replaces the written one; the conclusion stays written from the numbers.
    report = services.report_update(report=report, user=methodist,
                                    recommendations="Провести методический день по инклюзивному образованию.")
    with django_capture_on_commit_callbacks(execute=True):
        services.render_job_request(report=report, user=methodist, target=FileRole.DRAFT_PDF)
    text = pdf_text(report, FileRole.DRAFT_PDF)
    assert "ПРОЕКТ" in text
    assert "АНАЛИЗ профессиональных дефицитов педагогов по результатам диагностики 2021 года" in text
    assert "Дефицит — индекс ниже 0,5, высокий уровень — от 0,8" in text
    assert "Таблица 1 – Доля педагогов с дефицитом по группам дефицитов в 2021 году" in text
    for number in ("66,7%", "2 из 3", "33,3%", "100%", "40%", "2 из 5", "50%", "2 из 4"):
        assert number in text
    assert "Таблица 2 – Индекс профессиональных компетенций педагогов района по группам" in text
    for number in ("0,600", "0,650", "0,300", "0,333"):
        assert number in text
    assert "0,900" not in text, "2022 is after the chosen year"
    # The chart's value axis with a decimal comma, its legend the campaigns' year labels.
    assert "0,2" in text and "0,8" in text and "2020/21" in text and "2021/22" in text
    assert "Выводы." in text and "прошли 5 педагогов из 2 организаций района" in text
    assert "Рекомендации." in text and "Провести методический день по инклюзивному образованию." in text
    assert "Приложение. Результаты диагностики по организациям" in text
    assert "Таблица П.1.1 – Школа А: Дефициты педагога, прошли диагностику 3" in text
    assert "0,433" in text and "0,275" in text

    workbook = load_workbook(io.BytesIO(report.files.get(role=FileRole.XLSX).file.open("rb").read()))
    assert workbook.sheetnames == ["Карта дефицитов", "Индекс компетенций", "По организациям", "О справке"]

    services.report_submit(report=report, user=methodist)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_approve(report=report, user=director)
    assert report.status == ReportStatus.APPROVED
    final = pdf_text(report, FileRole.FINAL_PDF)
    assert f"№ {report.outgoing_label}" in final and "УТВЕРЖДАЮ" in final and "ПРОЕКТ" not in final


def test_the_kind_is_registered_with_its_sheets():
    spec = kinds.get("diagnostics")
    assert spec.label == "Анализ профессиональных дефицитов педагогов"
    assert spec.template == "reports/pdf/diagnostics.html" and len(spec.sheets) == 3


def test_the_draft_opens_with_the_written_texts(district_data, methodist):
    report = create(methodist)
    assert "прошли 5 педагогов из 2 организаций района" in report.conclusion
    assert report.recommendations.startswith("1. Предметные")


def test_a_signed_analysis_is_never_published_to_schools(district_data, methodist, director):
    """Other organisations' teachers' results: the director gets no button and the service refuses in words."""
    from reports import workflow
    from reports.errors import ReportError
    report = create(methodist)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.SIGNED)
    report.refresh_from_db()
    assert "publish" not in workflow.available_actions(director, report)
    with pytest.raises(ReportError, match="не публикуется для администраторов ОУ"):
        services.report_publish(report=report, user=director, published=True)
    report.refresh_from_db()
    assert report.published_to_schools is False
