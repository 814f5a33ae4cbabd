"""«Анализ сетевого взаимодействия по результатам оценочных процедур»: created, rendered with the tier
table and the effect numbers worked out by hand, approved and signed — as test_kind_registry.py drives
a kind. The data is tests/network/test_effect.py's scenario (its docstring has the table) in district A.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clusters.models import ClusterMembership, TierSource
from monitoring.models import Indicator, Period, PeriodKind, Programme, ScopeKind, Source, Value
from monitoring.services import recompute_programme
from network import indicators
from network.models import ActivityForm, ActivityStatus, OrganisationPair, PairStatus
from reports import kinds, services
from reports.errors import ReportDataError
from reports.kinds import network as network_kind
from reports.models import FileRole, Report, ReportStatus
from tests.network.factories import PairActivityFactory, PracticeFactory
from tests.network.test_effect import build_scenario
from tests.reports.signing_helpers import install_demo_certificate
from tests.reports.test_kind_registry import pdf_text as pypdf_text

pytestmark = pytest.mark.django_db


def pdf_text(report: Report, role: str) -> str:
    """The PDF's text in one line: pdftotext -layout when installed (a table row stays one line), else pypdf.
    The rotated «ПРОЕКТ» watermark comes apart in the layout text: check it with `pypdf_text`."""
    if not shutil.which("pdftotext"):
        return pypdf_text(report, role)
    content = report.files.get(role=role).file.open("rb").read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    return " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", text).split())


@pytest.fixture
def network_data(district_a):
    data = build_scenario(district_a)
    o = data["orgs"]
    # L1's tier in C1 as the tier service stores a computed one: source and the index of 2020 that decided it.
    ClusterMembership.objects.filter(cluster=data["c1"], organisation=o["L1"]).update(
        tier_source=TierSource.COMPUTED, tier_index=Decimal("-1.000"))
    pair = OrganisationPair.objects.get(mentee_organisation=o["L1"], status=PairStatus.ACTIVE)
    PairActivityFactory(pair=pair, form=ActivityForm.MUTUAL_VISIT, status=ActivityStatus.DONE)
    PairActivityFactory(pair=pair, form=ActivityForm.MASTER_CLASS, status=ActivityStatus.DONE,
                        held_on=dt.date(2021, 11, 2))
    PairActivityFactory(pair=pair, form=ActivityForm.CONSULTATION, status=ActivityStatus.PLANNED,
                        held_on=dt.date(2022, 2, 1))
    PracticeFactory(district=district_a, organisation=o["T1"], year=2021, title="Смысловое чтение на уроках физики",
                    is_verified=True)
    PracticeFactory(district=district_a, organisation=o["T2"], year=2021, title="Карта ошибок ОГЭ")
    PracticeFactory(district=district_a, organisation=o["T2"], year=2020, title="Практика прошлого года")
    programme = Programme.objects.create(district=district_a, code="network-effect", period_kind=PeriodKind.YEAR,
                                         name="Эффект сетевого взаимодействия")
    periods = [Period.objects.create(programme=programme, label=str(y), starts_on=dt.date(y, 1, 1),
                                     ends_on=dt.date(y, 12, 31)) for y in (2020, 2021)]
    indicator = Indicator.objects.create(
        programme=programme, code="paired-gain", name="Разница прироста индекса отстающих ОУ в парах и без пар",
        unit=indicators.UNITS[indicators.PAIRED_GAIN], decimals=2, source=Source.COMPUTED,
        calculation=indicators.PAIRED_GAIN,
    )
    Value.objects.create(district=district_a, scope_kind=ScopeKind.DISTRICT, indicator=indicator, period=periods[1],
                         plan=Decimal("0.5"))
    recompute_programme(programme)
    return {**data, "programme": programme, "periods": periods}


def test_the_kind_is_registered_with_its_sheets():
    spec = kinds.get("network")
    assert spec.label == "Анализ сетевого взаимодействия по результатам оценочных процедур"
    assert spec.template == "reports/pdf/network.html"
    assert len(spec.sheets) == 5


def test_prefilled_texts_come_from_the_numbers(network_data, methodist):
    report = services.report_create(user=methodist, kind="network", programme=network_data["programme"],
                                    periods=network_data["periods"])
    # A full phrase on the pages (not «Сетевого взаимодействия…» after capfirst).
    assert report.title.startswith("Анализ сетевого взаимодействия по результатам оценочных процедур\n")
    assert "в 2021 году" in report.title
    # District (test_effect): improved 2 of 4 = 50 %; paired 2 (mean +1,5), unpaired 2 (mean −0,5): +2.
    assert "Индекс результатов вырос у 2 из 4 (50%) отстающих ОУ" in report.conclusion
    assert "в парах (2) — +1,500, без пар (2) — -0,500: разница +2,000, рост в парах выше" in report.conclusion
    # ТОП: T1 of T1, T2, T3 → 1 of 3 = 33,3 %; movement 2020 → 2021: 5 organisations, 1 up, 3 same, 1 down.
    assert "Наставниками выступили 1 из 3 (33,3%) ТОП-организаций." in report.conclusion
    assert "уровень повысили 1, сохранили 3, понизили 1." in report.conclusion
    # Unpaired lagging of 2021 (L2 with a proposed pair, L4, L5) → 3; T2, T3 do not tutor → 2 of 3;
    # one practice of 2021 unverified.
    assert report.recommendations.split("\n\n") == [
        "1. Сформировать наставнические пары для отстающих ОУ, не имеющих пары (3).",
        "2. Привлечь к наставничеству ТОП-организации, не ведущие пар (2 из 3).",
        "3. Продолжить работу наставнических пар; представить опыт пар с наибольшим ростом индекса в базе практик.",
        "4. Проверить практики 2021 года, ещё не проверенные методистом (1).",
    ]


def test_a_year_without_clusters_is_refused_in_words(district_a, methodist):
    programme = Programme.objects.create(district=district_a, code="empty", name="Пустая")
    period = Period.objects.create(programme=programme, label="2030", starts_on=dt.date(2030, 1, 1),
                                   ends_on=dt.date(2030, 12, 31))
    report = services.report_create(user=methodist, kind="network", programme=programme, periods=[period])
    with pytest.raises(ReportDataError, match="В 2030 году в районе нет кластеров"):
        network_kind.build_context(report)


def test_the_network_analysis_goes_from_creation_to_signature(
    network_data, methodist, director, methodist_client, director_client, settings, tmp_path_factory,
    django_capture_on_commit_callbacks,
):
    install_demo_certificate(settings, tmp_path_factory, director)
    programme, periods = network_data["programme"], network_data["periods"]
    form = methodist_client.get(reverse("reports:report_create"), {"kind": "network"}).context["form"]
    assert set(form.fields) == {"programme", "periods", "title"}
    created = methodist_client.post(reverse("reports:report_create"), {
        "kind": "network", "programme": programme.pk, "periods": [p.pk for p in periods]})
    report = Report.objects.get(kind="network")
    assert created.url == report.get_absolute_url()

    with django_capture_on_commit_callbacks(execute=True):
        services.render_job_request(report=report, user=methodist, target=FileRole.DRAFT_PDF)
    text = pdf_text(report, FileRole.DRAFT_PDF)
    assert "ПРОЕКТ" in pypdf_text(report, FileRole.DRAFT_PDF)
    assert "АНАЛИЗ сетевого взаимодействия по результатам оценочных процедур" in text
    assert "Анализ сетевого" not in text, "the PDF's heading is not repeated from the title"
    # Tier table of C1 (a row per line): L1's index 2020 −1, 2021 +1, change +2; L4 has no 2021 index.
    assert "Таблица 1 – Кластер «C1»: ТОП — 2; синхронных — 0; отстающих — 4" in text
    assert "3 L1 отстающая по результатам -1,000 +1,000 +2,000" in text
    assert "6 L4 отстающая задан вручную -1,000 — —" in text
    assert "4 L5 отстающая задан вручную 0,000 -1,000 -1,000" in text
    # Pairs: L1's pair — 2 done, 1 planned, its forms; the proposed one 0 / 0; the rejected one counted.
    assert re.search(r"C1 T1 – L1 Математика действует 2 ?/ ?1 взаимопосещение,", text)
    assert "мастер-класс," in text and "консультация" in text
    assert re.search(r"C1 T2 – L2 Математика предложена 0 ?/ ?0", text)
    assert "Отклонено предложений пар: 1." in text
    assert "Смысловое чтение на уроках физики T1 да" in text and "Карта ошибок ОГЭ T2 нет" in text
    assert "Практика прошлого года" not in text
    # The programme's indicator: 2020 no values, 2021 plan 0,5 and fact 2 (the recomputed difference).
    assert re.search(r"Разница прироста индекса отстающих ОУ в — — 0,5 2 ", text)
    # Computed now, with the counts: district 2 of 4 rose, +2 (paired 2 with +1,5, unpaired 2 with −0,5).
    assert "Доля отстающих ОУ, у которых 2 из 4 (50%) сравнимы по двум годам 4 ОУ" in text
    assert "Разница среднего изменения +2,000 в парах — 2 ОУ, среднее изменение" in text
    assert "+1,500; без пар — 2 ОУ, среднее" in text and "изменение -0,500" in text
    assert "1 из 3 (33,3%)" in text and "1 из 5 (20%)" in text
    # C1: 2 of 3 rose, +1,5; C2: no paired lagging → no value.
    assert "2 из 3 (66,7%)" in text and "Разница среднего изменения +1,500" in text
    assert "Разница среднего изменения нет значения в парах — 0 ОУ" in text
    # Movement 2020 → 2021 (rows: from отстающая, синхронная, ТОП; columns: to the same, then всего).
    assert "отстающая 2 0 0 2" in text and "синхронная 1 0 1 2" in text and "ТОП 0 0 1 1" in text
    assert "Повысили уровень 1, сохранили 3, понизили 1 из 5 организаций" in text
    assert "Число организаций по переходам между уровнями" in text
    assert "Выводы." in text and "Рекомендации." in text

    workbook = load_workbook(io.BytesIO(report.files.get(role=FileRole.XLSX).file.open("rb").read()))
    assert workbook.sheetnames == ["Уровни", "Пары", "Практики", "Эффект", "Движение уровней", "О справке"]
    effect_rows = [[c.value for c in row] for row in workbook["Эффект"].iter_rows(min_row=2)]
    assert ["Район", "Разница среднего изменения индекса отстающих ОУ в парах и без пар", None, None, 2, 2, 1.5, 2,
            -0.5] in effect_rows
    assert [c.value for c in workbook["Движение уровней"][3]] == ["синхронная", 1, 0, 1, 2]

    services.report_submit(report=report, user=methodist)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_approve(report=report, user=director)
    final = pypdf_text(report, FileRole.FINAL_PDF)
    assert f"№ {report.outgoing_label}" in final and "ПРОЕКТ" not in final and "УТВЕРЖДАЮ" in final
    assert director_client.post(reverse("reports:report_sign", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED


def test_preview_and_editor_for_the_methodist_not_for_another_district(
    network_data, methodist, methodist_client, other_methodist_client,
):
    report = services.report_create(user=methodist, kind="network", programme=network_data["programme"],
                                    periods=network_data["periods"])
    preview = methodist_client.get(reverse("reports:report_preview", args=[report.pk]))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Кластер «C1»: ТОП — 2; синхронных — 0; отстающих — 4" in page and "style=" not in page.split("<svg")[0]
    detail = methodist_client.get(report.get_absolute_url()).content.decode()
    assert "Анализ сетевого взаимодействия по результатам оценочных процедур<br>" in detail
    editor = methodist_client.get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    assert "Выводы" in editor and "Рекомендации" in editor
    assert other_methodist_client.get(reverse("reports:report_preview", args=[report.pk])).status_code == 404
