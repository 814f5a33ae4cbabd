"""Benchmark: the Frunzensky 2021 справка — the portal's PDF pipeline against WeasyPrint alone.

Builds (once) the demo registry and monitoring data (demo.registry + demo.monitoring: Frunzensky's
programme with 2020 and 2021) and an approved monitoring справка of it, № 1-854 от 17.12.2021 as in
seed 000. Then times, interleaved in one run, median of --repeat:

    bare    WeasyPrint on the справка's final HTML, rendered once beforehand (reports.rendering.html_to_pdf)
    render  the portal's reports.rendering.render_report_pdf(report, final=True): context, template, WeasyPrint
    sign    reports.signing.sign_pdf on that PDF (PAdES B-B, visible stamp)

and prints the ratio (render + sign) / bare — the issue's target is ≤ 1.3. The signature is made
with a demo certificate created for the run in a temporary folder (never var/certs/).

    .venv/bin/python benchmarks/report_pipeline.py            # DATABASE_URL defaults to the one below
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_reports .venv/bin/python benchmarks/report_pipeline.py

The database is created if missing (its name must contain "bench"). Options: --rebuild, --repeat N.
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imc_bench_reports")
os.environ.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "imc-matplotlib"))

CONCLUSION = (
    "Анализ обобщённых показателей мониторинга выявил: все количественные показатели эффективности "
    "сетевого взаимодействия педагогов в профессиональных сетевых сообществах в системе образования "
    "Фрунзенского района достигнуты."
)
TITLE = (
    "Аналитическая справка\n"
    "по результатам мониторинга показателей эффективности сетевого взаимодействия\n"
    "педагогов в профессиональных сетевых сообществах\n"
    "в системе образования Фрунзенского района Санкт-Петербурга\n"
    "в 2020, 2021 гг"
)


def ensure_database(url: str, *, drop: bool) -> None:
    """Create the benchmark database (or drop and create it) before Django connects to it."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme == "sqlite":
        return
    if parsed.scheme not in ("postgres", "postgresql", "pgsql") or "bench" not in name:
        sys.exit(f"Run the benchmark on its own PostgreSQL database (a name with «bench»), not {url!r}")
    import psycopg2

    admin = psycopg2.connect(dbname="postgres", user=parsed.username or "postgres", password=parsed.password,
                             host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        if drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop the benchmark database and build it again")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (median reported)")
    return parser.parse_args()


ARGS = parse_args()
ensure_database(os.environ["DATABASE_URL"], drop=ARGS.rebuild)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from reports import rendering, signing  # noqa: E402
from reports.kinds import monitoring as monitoring_kind  # noqa: E402
from reports.models import Report, ReportStatus  # noqa: E402


def demo_report() -> Report:
    """The approved Frunzensky справка on the demo data (made on the first run, then reused)."""
    from demo.monitoring import load_monitoring_demo
    from demo.registry import build_plans
    from demo.registry.loader import load
    from demo.users import DEFAULT_PASSWORD, DEMO_USERS
    from imc_portal.models import Role, User
    from monitoring.models import Programme

    call_command("migrate", verbosity=0)
    programme = Programme.objects.filter(district__code="frunzensky", code="network-effectiveness").first()
    if programme is None:
        print("Загрузка демо-данных (реестр и мониторинг)…", flush=True)
        with transaction.atomic():
            load(build_plans(), DEMO_USERS, DEFAULT_PASSWORD)
            load_monitoring_demo()
        programme = Programme.objects.get(district__code="frunzensky", code="network-effectiveness")
    report = Report.objects.filter(district=programme.district, programme=programme, outgoing_label="1-854").first()
    if report is None:
        director = User.objects.filter(district=programme.district, role=Role.DIRECTOR).first()
        author = User.objects.filter(district=programme.district, role=Role.METHODIST).first()
        report = Report.objects.create(
            district=programme.district, kind=monitoring_kind.CODE, title=TITLE, programme=programme,
            created_by=author or director, conclusion=CONCLUSION, status=ReportStatus.APPROVED,
            outgoing_year=2021, outgoing_number=854, outgoing_label="1-854", dated=dt.date(2021, 12, 17),
            approved_by=director, approved_at=timezone.now(),
        )
        report.periods.set(programme.periods.filter(label__in=["2020", "2021"]))
    return report


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main() -> None:
    report = demo_report()
    with tempfile.TemporaryDirectory() as certs:
        from demo.management.commands import create_demo_certificate as demo_ca

        settings.REPORT_SIGNING_DEMO_CA_DIR = Path(certs)
        settings.REPORT_SIGNING_TRUST_ROOTS = []
        settings.REPORT_SIGNING_TIMESTAMP_URL = ""
        centre = report.district.method_centre
        ca = demo_ca.demo_ca_ensure()
        key, cert = demo_ca.issue_certificate(ca, demo_ca.SignerIdentity(centre.director_name, centre.short_name))
        credentials = signing.credentials_from_pkcs12(demo_ca.pkcs12_bytes(key, cert, ca, "bench"), "bench")

        from reports.builders import build_context

        html = rendering.render_html(rendering.report_template(report), {
            **build_context(report, final=True), "for_pdf": True})

        def bare():
            return rendering.html_to_pdf(html)

        def render():
            return rendering.render_report_pdf(report, final=True)

        def sign(pdf: bytes) -> bytes:
            return signing.sign_pdf(pdf, credentials=credentials, signer_position=centre.director_position)

        # Warm-up: imports, font caches, the certificate opened once per process.
        sign(render())
        bare()
        times: dict[str, list[float]] = {"bare": [], "render": [], "sign": [], "pipeline": []}
        for _ in range(ARGS.repeat):
            seconds, _ = timed(bare)
            times["bare"].append(seconds)
            render_seconds, pdf = timed(render)
            sign_seconds, signed = timed(lambda pdf=pdf: sign(pdf))
            times["render"].append(render_seconds)
            times["sign"].append(sign_seconds)
            times["pipeline"].append(render_seconds + sign_seconds)
        check = signing.validate_pdf(signed)

    median = {name: statistics.median(values) for name, values in times.items()}
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(signed)).pages)
    print(f"Справка «{report.title.splitlines()[0]}» № {report.outgoing_label}: HTML {len(html) / 1024:.0f} КБ, "
          f"PDF {len(pdf) / 1024:.0f} КБ, подписанный {len(signed) / 1024:.0f} КБ, страниц {pages}; "
          f"подпись {'действительна' if check.valid else 'НЕДЕЙСТВИТЕЛЬНА'}")
    print(f"медианы из {ARGS.repeat} замеров:")
    print(f"  WeasyPrint, тот же HTML (bare)        {median['bare']:.3f} с")
    print(f"  render_report_pdf (портал)            {median['render']:.3f} с")
    print(f"  sign_pdf (PAdES B-B, штамп)           {median['sign']:.3f} с")
    print(f"  render + sign                         {median['pipeline']:.3f} с")
    ratio = median["pipeline"] / median["bare"]
    print(f"отношение (render + sign) / bare = {ratio:.2f} (цель ≤ 1,30: {'да' if ratio <= 1.3 else 'нет'})")


if __name__ == "__main__":
    main()
