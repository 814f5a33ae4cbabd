"""The reports part of the demo: the seeds' two documents and the network analysis, taken through
the workflow and signed, each by its own district's director with that director's demo certificate.

1. Frunzensky (seed 000): «Аналитическая справка по результатам мониторинга … в 2020, 2021 гг»
   от 17.12.2021 № 1-854 — the monitoring programme of the demo, periods 2020–2021, the seed's
   intro and both «Вывод.» paragraphs; the methodist «metodist» prepares and submits it, the
   director «direktor» approves and signs it.
2. Krasnoselsky (seed 003): «Анализ реализации программы развития … за 2023 год», approved on
   13.03.2024 under № 65 (the seed's order, printed as seed 003's block «УТВЕРЖДЁН приказом … от 13.03.2024
   № 65», the kind's default), with the seed's conclusion per project and overall;
   prepared by «metodist_krasnoe», approved and signed by the district's director. The registry
   demo has no Krasnoselsky director, so one is made here without a usable password (nobody logs in
   as her; the registry's reset removes her with the district).
3. Frunzensky (issue 11): «Анализ сетевого взаимодействия по результатам оценочных процедур» for 2021
   over the effect programme (demo/monitoring_data.py, FRUNZENSKY_EFFECT): tiers with their indices,
   pairs and their activities, practices, the effect indicators' plan and fact, the tier movement; its
   conclusion and recommendations are the ones the kind writes from the numbers when the draft is
   created. INVENTED: its number and date (№ 1-855 от 27.12.2021 — the next number after № 1-854 in the
   same journal).

Every step is the workflow service the page's button calls. The number and date come from the
seeds' paper journal, so the director approves with «Регистрация документа с номером из бумажного
журнала» (`report_register_paper_number`); the final PDF is rendered in this process (the job the
approval queued is then found done by the worker) and signed by the district's own director with
their own certificate: the demo CA (`create_demo_certificate`) issues one to every demo director
who has none, stored through the service the profile page uses.

A report is identified by its outgoing number (district, kind, year, number). If it exists, in
whatever state, no workflow step runs on it again: a rerun changes nothing, and a correction or
anything else users did to it stays as they left it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction

from clusters.models import District
from core.jobs import JobStatus
from imc_portal.models import Role, User
from monitoring.models import Programme
from reports import services
from reports.kinds import development as development_kind
from reports.kinds import monitoring as monitoring_kind
from reports.kinds import network as network_kind
from reports.models import FileRole, Report, ReportFile, ReportStatus

from . import monitoring_data as demo_data
from .management.commands.create_demo_certificate import demo_credentials_ensure
from .registry.districts import DEMO_DISTRICT_CODES

FRUNZENSKY_INTRO = (
    "Мониторинг показателей эффективности сетевого взаимодействия педагогов в профессиональных сетевых "
    "сообществах в системе образования Фрунзенского района проводился в соответствии с критериями, "
    "определёнными Положением о сетевых сообществах и Приказом директора ГБУ «ИМЦ»."
)
FRUNZENSKY_CONCLUSION = (
    "Анализ обобщённых показателей мониторинга выявил: все количественные показатели эффективности "
    "сетевого взаимодействия педагогов в профессиональных сетевых сообществах в системе образования "
    "Фрунзенского района достигнуты."
)
FRUNZENSKY_CLUSTERS_CONCLUSION = (
    "Кластерный подход в работе профессиональных сетевых сообществ позволяет эффективно развиваться "
    "педагогическому коллективу, адресно и оперативно осуществлять методическую помощь ОУ."
)
KRASNOSELSKY_INTRO = (
    "Миссия Государственного бюджетного учреждения дополнительного профессионального педагогического "
    "образования центра повышения квалификации специалистов «Информационно-методический центр» "
    "Красносельского района Санкт-Петербурга (далее – ИМЦ) – создание условий для опережающей подготовки "
    "педагогов и руководителей образовательных организаций к решению профессиональных задач в условиях "
    "изменяющейся образовательной действительности и содействие процессам развития районной системы "
    "образования. Программа развития ИМЦ на 2020 – 2024 годы направлена на поступательное развитие "
    "организации дополнительного профессионального образования районного уровня с целью выстраивания "
    "открытого пространства возможностей для непрерывного профессионального развития педагогических и "
    "руководящих кадров районной системы образования.\n\n"
    "2023 год – продолжение практического этапа реализации программы развития ИМЦ."
)
# INVENTED: seed 003 does not name the director (demo/registry/districts.py: «Е.В. Соколова»).
KRASNOSELSKY_DIRECTOR = {
    "username": "direktor_krasnoe", "last_name": "Соколова", "first_name": "Елена", "patronymic": "Викторовна",
}


class ReportsDemoError(RuntimeError):
    """The demo this loader builds on is missing, or a step of the workflow failed."""


@dataclass(frozen=True)
class DemoReport:
    label: str
    district_code: str
    programme: demo_data.ProgrammeSpec
    kind: str
    title: str
    methodist: str
    number: int
    dated: dt.date
    periods: tuple[str, ...] = ()  # labels; empty = every period of the programme
    texts: dict = field(default_factory=dict)
    approval_order: tuple[str, dt.date] | None = None  # («65», date) for the «утверждён приказом» block


FRUNZENSKY = DemoReport(
    label="Фрунзенский район: аналитическая справка",
    district_code=demo_data.FRUNZENSKY.district_code,
    programme=demo_data.FRUNZENSKY,
    kind=monitoring_kind.CODE,
    title=(
        "Аналитическая справка\n"
        "по результатам мониторинга показателей эффективности сетевого взаимодействия\n"
        "педагогов в профессиональных сетевых сообществах\n"
        "в системе образования Фрунзенского района Санкт-Петербурга\n"
        "в 2020, 2021 гг"
    ),
    methodist="metodist",
    number=854,
    dated=dt.date(2021, 12, 17),
    periods=("2020", "2021"),
    texts={
        "intro": FRUNZENSKY_INTRO,
        "conclusion": FRUNZENSKY_CONCLUSION,
        "section_texts": {monitoring_kind.SECTION_CLUSTERS_CONCLUSION: FRUNZENSKY_CLUSTERS_CONCLUSION},
    },
)
KRASNOSELSKY = DemoReport(
    label="Красносельский район: анализ программы развития",
    district_code=demo_data.KRASNOSELSKY.district_code,
    programme=demo_data.KRASNOSELSKY,
    kind=development_kind.CODE,
    title=(
        "Анализ реализации программы развития\n"
        "Государственного бюджетного учреждения дополнительного профессионального\n"
        "педагогического образования центра повышения квалификации специалистов\n"
        "«Информационно-методический центр»\n"
        "Красносельского района Санкт-Петербурга\n"
        "за 2023 год"
    ),
    methodist="metodist_krasnoe",
    number=65,
    dated=dt.date(2024, 3, 13),
    texts={
        "intro": KRASNOSELSKY_INTRO,
        "conclusion": demo_data.PROGRAMME_CONCLUSION,
        "section_texts": dict(demo_data.PROJECT_CONCLUSIONS),
    },
    approval_order=("65", dt.date(2024, 3, 13)),
)
FRUNZENSKY_NETWORK = DemoReport(
    label="Фрунзенский район: анализ сетевого взаимодействия",
    district_code=demo_data.FRUNZENSKY_EFFECT.district_code,
    programme=demo_data.FRUNZENSKY_EFFECT,
    kind=network_kind.CODE,
    title=(
        "Анализ сетевого взаимодействия по результатам оценочных процедур\n"
        "в системе образования Фрунзенского района Санкт-Петербурга\n"
        "в 2021 году"
    ),
    methodist="metodist",
    number=855,
    dated=dt.date(2021, 12, 27),
    periods=("2021",),
)
DEMO_REPORTS = (FRUNZENSKY, KRASNOSELSKY, FRUNZENSKY_NETWORK)
DIRECTORS = {demo_data.FRUNZENSKY.district_code: "direktor"}


def load_reports_demo(*, stdout: TextIO | None = None) -> None:
    """Create, approve, render and sign the demo reports where missing; idempotent."""
    with transaction.atomic():
        for spec in DEMO_REPORTS:
            _director(_programme(spec).district)
        demo_credentials_ensure(stdout=stdout)
        for spec in DEMO_REPORTS:
            report, changed = _signed_report(spec)
            if stdout is not None:
                state = "создана и подписана" if changed else _existing_state(report)
                stdout.write(f"Справки: {spec.label} {services.number_and_date(report)} — {state}.\n")


def _existing_state(report: Report) -> str:
    if report.status == ReportStatus.SIGNED:
        return "уже подписана"
    return f"уже есть ({ReportStatus(report.status).label}), не изменяется"


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise ReportsDemoError(f"User «{username}» not found: load the registry demo first (manage.py load_demo).") from None


def _director(district: District) -> User:
    username = DIRECTORS.get(district.code)
    if username:
        return _user(username)
    if district.code != demo_data.KRASNOSELSKY.district_code:
        raise ReportsDemoError(f"No demo director for district «{district.code}».")
    spec = KRASNOSELSKY_DIRECTOR
    director, created = User.objects.get_or_create(username=spec["username"], defaults={
        "role": Role.DIRECTOR, "district": district, "last_name": spec["last_name"], "first_name": spec["first_name"],
        "patronymic": spec["patronymic"], "position": district.method_centre.director_position,
    })
    if created:
        director.set_unusable_password()
        director.save(update_fields=["password"])
    return director


def _programme(spec: DemoReport) -> Programme:
    try:
        return Programme.objects.select_related("district").get(district__code=spec.district_code,
                                                                code=spec.programme.code)
    except Programme.DoesNotExist:
        raise ReportsDemoError(
            f"Programme «{spec.programme.code}» not found: load the monitoring demo first (manage.py load_demo)."
        ) from None


def _signed_report(spec: DemoReport) -> tuple[Report, bool]:
    """The seed's report, taken through the whole workflow once; (report, created now)."""
    programme = _programme(spec)
    district = programme.district
    report = Report.objects.filter(district=district, kind=spec.kind, outgoing_year=spec.dated.year,
                                   outgoing_number=spec.number).first()
    if report is not None:
        return report, False
    methodist, director = _user(spec.methodist), _director(district)
    periods = programme.periods.filter(label__in=spec.periods) if spec.periods else ()
    report = services.report_create(user=methodist, kind=spec.kind, programme=programme, periods=periods,
                                    title=spec.title)
    report = services.report_update(report=report, user=methodist, title=spec.title, **spec.texts)
    if spec.approval_order:
        number, dated = spec.approval_order
        report = services.report_options_update(report=report, user=methodist, order_number=number, order_date=dated)
    report = services.report_submit(report=report, user=methodist)
    report = services.report_register_paper_number(report=report, user=director, number=spec.number,
                                                   dated=spec.dated)
    _render_final_here(report)
    report = services.report_sign(report=report, user=director)
    return report, True


def _render_final_here(report: Report) -> None:
    """Run the job the approval queued, here and now, as the worker would; its queued message then finds it done.

    Signing needs the final PDF inside this same load, and `load_demo` must not depend on a worker.
    """
    job = report.render_jobs.filter(target=FileRole.FINAL_PDF, status=JobStatus.QUEUED).first()
    if job is None:
        raise ReportsDemoError(f"The approval of «{services.one_line_title(report)}» queued no final PDF.")
    claimed = services.render_job_claim(job.pk)
    if claimed is None:
        raise ReportsDemoError(f"Render job {job.pk} of the demo report is already finished without a final PDF.")
    try:
        services.render_job_run(claimed)
    except Exception as error:
        raise ReportsDemoError(f"The final PDF of «{services.one_line_title(report)}» was not rendered: {error}") from error


def reset_reports_demo() -> int:
    """Delete every report of the demo districts with its files, jobs, events and download log.

    Call it before the surveys' and monitoring's resets: reports protect campaigns, programmes,
    districts and users. Returns the number of reports deleted.
    """
    reports = Report.objects.filter(district__code__in=DEMO_DISTRICT_CODES)
    names = [(f.file.storage, f.file.name) for f in ReportFile.objects.filter(report__in=reports)]
    deleted = 0
    # A correction protects the report it replaces: delete the newest versions first.
    while reports.exists():
        _, per_model = reports.filter(replaced_by__isnull=True).delete()
        if not per_model:
            break
        deleted += per_model.get(Report._meta.label, 0)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names if name])
    return deleted


def demo_reports() -> list[Report]:
    """The demo's signed reports that exist, in loading order."""
    found = []
    for spec in DEMO_REPORTS:
        report = Report.objects.filter(district__code=spec.district_code, kind=spec.kind,
                                       outgoing_year=spec.dated.year, outgoing_number=spec.number).first()
        if report is not None:
            found.append(report)
    return found
