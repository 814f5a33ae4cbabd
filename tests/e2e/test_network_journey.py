"""The network cycle in a real browser (issue 11, item 9), at 1366 px:

a methodist imports a results file, opens a cluster's tiers and sees each tier with its index,
proposes pairs and confirms one; the school administrator of the pair's ТОП school records an
activity; the methodist creates the справка «Анализ сетевого взаимодействия…», renders its PDF and
submits it; the director approves and signs it.
One page is checked at 390 px for horizontal scrolling.

Celery is eager here (the default in tests): the live server renders the PDF in the request that
asks for it, and the page polls the render job as it does with a worker.

The numbers, by hand. One group (ОГЭ, математика, 9 класс, 2020), 50 participants in each school:
means 4,2 / 3,8 / 3,8 / 3,4 → district mean 3,8; σ = √((0,4² + 0 + 0 + 0,4²) / 4) = √0,08 = 0,28284;
z = ±0,4 / 0,28284 = ±1,41421 for the first and last school, 0 for the two others. With one row
each, the index is the z: 1,414 → ТОП, −1,414 → отстающая, 0,000 → синхронная (thresholds ±0,5).
The pair: the lagging school's weakest (only) subject is «Математика», the ТОП school's advantage
there is 1,414 − (−1,414) = 2,828.
"""
from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from openpyxl import Workbook

from clusters.models import Tier, TierSource
from network.models import ActivityStatus, OrganisationPair, PairActivity, PairStatus
from reports.models import FileRole, Report, ReportStatus
from tests.factories import ClusterFactory, ClusterMembershipFactory, OrganisationFactory
from tests.reports.signing_helpers import install_demo_certificate
from tests.reports.workflow_support import make_programme

pytestmark = pytest.mark.e2e

HEADERS = ["Год", "Процедура", "Предмет", "Класс", "Код организации", "Участников", "Средний балл",
           "Доля не справившихся, %", "Доля «4» и «5», %"]
KIND_LABEL = "Анализ сетевого взаимодействия по результатам оценочных процедур"


@pytest.fixture
def journey_settings(settings, tmp_path, tmp_path_factory, live_server, director):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = live_server.url
    install_demo_certificate(settings, tmp_path_factory, director)


@pytest.fixture
def cluster_of_four(district_a, school_a, school_b):
    """A 2021 cluster whose four schools all start «синхронная», set by hand."""
    top, lagging = school_a, OrganisationFactory(district=district_a, short_name="ГБОУ СОШ № 312")
    cluster = ClusterFactory(district=district_a, year=2021, name="Вектор учителя будущего")
    schools = [top, school_b, OrganisationFactory(district=district_a, short_name="ГБОУ СОШ № 226"), lagging]
    for school in schools:
        ClusterMembershipFactory(cluster=cluster, organisation=school, tier=Tier.SYNCHRONOUS)
    return cluster, schools


def results_file(schools) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for school, mean, failed, good in zip(schools, (4.2, 3.8, 3.8, 3.4), (2.0, 6.5, 7.0, 14.5), (78, 61, 60, 41),
                                          strict=True):
        sheet.append([2020, "ОГЭ", "Математика", 9, school.code, 50, mean, failed, good])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def open_menu(page, item: str) -> None:
    """The page of «Сетевое взаимодействие» → `item`, through the navigation menu."""
    page.get_by_role("button", name="Сетевое взаимодействие").click()
    page.get_by_role("link", name=item).click()
    page.wait_for_load_state("domcontentloaded")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_results_to_tiers_to_pair_to_activity_to_report(
    journey_settings, methodist, director, school_admin, cluster_of_four, login_as, screenshot,
):
    cluster, (top, synchronous, other, lagging) = cluster_of_four
    programme, periods = make_programme(methodist.district)

    # --- the methodist imports the results of 2020
    page = login_as(methodist)
    open_menu(page, "Импорт результатов")
    page.get_by_label("Файл XLSX").set_input_files(files=[{
        "name": "Результаты 2020.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": results_file([top, synchronous, other, lagging]),
    }])
    page.get_by_role("button", name="Загрузить").click()
    # The import page's own address (/network/results/import/) matches a «results/**» pattern: wait for the list.
    results_path = reverse("network:results")
    page.wait_for_url(lambda url: urlparse(url).path == results_path)
    message = page.locator(".alert-success").first.inner_text()
    assert "создано 4" in message and "2021" in message, message

    # --- the cluster's tiers, with the numbers behind them
    page.goto(f"{reverse('network:tiers')}?cluster={cluster.pk}")
    top_row = page.get_by_test_id(f"tier-row-{top.code}").inner_text()
    assert "ТОП" in top_row and "по результатам" in top_row and "1,414" in top_row, top_row
    lagging_row = page.get_by_test_id(f"tier-row-{lagging.code}").inner_text()
    assert "отстающая" in lagging_row and "1,414" in lagging_row, lagging_row
    assert "синхронная" in page.get_by_test_id(f"tier-row-{other.code}").inner_text()
    assert "0,5" in page.get_by_test_id("tier-method").inner_text()
    screenshot(page, "tiers")
    memberships = {m.organisation_id: m for m in cluster.memberships.all()}
    assert (memberships[top.pk].tier, memberships[top.pk].tier_source) == (Tier.TOP, TierSource.COMPUTED)
    assert memberships[lagging.pk].tier == Tier.LAGGING

    # --- the same page on a phone: the table scrolls inside its frame, the page does not
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert no_horizontal_scroll(page), "the tiers page scrolls sideways at 390 px"
    page.set_viewport_size({"width": 1366, "height": 900})

    # --- pairs proposed for the cluster; the methodist confirms the one proposal
    open_menu(page, "Наставнические пары ОУ")
    page.locator("#propose-cluster").select_option(label=f"{cluster.name} (2021)")
    page.get_by_role("button", name="Предложить пары").click()
    page.wait_for_url("**?cluster=*")
    assert "Предложено новых пар: 1." in page.locator(".alert").first.inner_text()
    pair = OrganisationPair.objects.get(cluster=cluster)
    assert (pair.mentor_organisation, pair.mentee_organisation, pair.subject) == (top, lagging, "Математика")
    assert str(pair.advantage) == "2.828"
    page.get_by_role("link", name=lagging.short_name).click()
    assert "предложена" in page.get_by_test_id("pair-status").inner_text()
    page.get_by_role("link", name="Подтвердить").click()
    page.get_by_label("Цель пары").fill("Снизить долю не справившихся с ОГЭ по математике.")
    page.get_by_label("Начало работы").fill("2021-09-15")
    page.get_by_role("button", name="Подтвердить пару").click()
    assert "действует" in page.get_by_test_id("pair-status").inner_text()
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE and pair.decided_by == methodist

    # --- the ТОП school's administrator records a joint activity
    page = login_as(school_admin)
    open_menu(page, "Наставнические пары ОУ")
    page.get_by_role("link", name=lagging.short_name).click()
    page.get_by_role("link", name="Добавить мероприятие").click()
    page.get_by_label("Форма").select_option(label="взаимопосещение")
    page.get_by_label("Тема").fill("Взаимопосещение уроков математики в 9 классах")
    page.get_by_label("Дата").fill("2021-10-19")
    page.get_by_label("Ответственный").fill("Кузнецова И. В.")
    page.get_by_label("Статус").select_option(label="проведено")
    page.get_by_label("Результат").fill("Посещено 4 урока, согласованы приёмы формирующего оценивания.")
    page.get_by_role("button", name="Сохранить").click()
    assert "Взаимопосещение уроков математики в 9 классах" in page.get_by_test_id("pair-activities").inner_text()
    activity = PairActivity.objects.get(pair=pair)
    assert (activity.status, activity.updated_by) == (ActivityStatus.DONE, school_admin)

    # --- the methodist creates the справка and renders its PDF
    page = login_as(methodist)
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Справки").click()
    page.get_by_test_id("report-create").click()
    page.get_by_label(KIND_LABEL).check()
    page.get_by_role("button", name="Далее").click()
    page.get_by_label("Программа мониторинга").select_option(label=programme.name)
    for period in periods:
        page.get_by_label(f"{programme.name}: {period.label}").check()
    page.get_by_test_id("report-create-submit").click()
    preview = page.frame_locator("[data-testid=report-preview]").locator("body")
    preview_text = preview.inner_text()
    assert lagging.short_name in preview_text and "1,414" in preview_text, preview_text[:2000]
    page.get_by_test_id("render-draft").click()
    page.locator("[data-testid=render-status][data-status=succeeded]").wait_for(timeout=60_000)
    page.get_by_test_id("download-draft_pdf").wait_for()
    screenshot(page, "report")
    report = Report.objects.get(kind="network")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-draft_pdf").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert report.files.filter(role=FileRole.DRAFT_PDF).exists()
    assert pdf_text_has(content, lagging.short_name, "1,414")

    # --- the same workflow as every справка: submitted, approved with a number, signed
    page.get_by_test_id("report-submit").click()
    assert page.get_by_test_id("report-status").get_attribute("data-status") == ReportStatus.SUBMITTED
    page = login_as(director)
    page.goto(report.get_absolute_url())
    page.get_by_test_id("report-approve").click()
    page.locator("[data-testid=render-status][data-status=succeeded]").wait_for(timeout=60_000)
    page.get_by_test_id("download-final_pdf").wait_for()
    page.get_by_test_id("report-sign").click()
    assert page.get_by_test_id("report-status").get_attribute("data-status") == ReportStatus.SIGNED
    report.refresh_from_db()
    assert report.outgoing_label and report.files.filter(role=FileRole.SIGNED_PDF).exists()


def pdf_text_has(content: bytes, *needles: str) -> bool:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    missing = [needle for needle in needles if needle not in text]
    assert not missing, f"not in the PDF: {missing}; text begins: {text[:800]}"
    return True
