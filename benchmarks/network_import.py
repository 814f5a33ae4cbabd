"""Benchmark: importing 100,000 assessment-result rows from one XLSX (issue 11, item 8: ≤ 30 s).

Builds (once) a bench district with 2,000 organisations, 60 clusters of the next year holding all of
them (so the tier recompute after the import has real work), and a methodist; writes a workbook of
100,000 rows (2,000 organisations × 10 subjects × 5 procedure/grade pairs, one year) with openpyxl's
write-only mode; then times the portal's import of that file through the same entry point the page
uses (network.imports.import_results):

    1. first run  — every row created (and the tiers of year + 1 computed);
    2. second run — the same file: every row unchanged, nothing written;
    3. third run  — every mean score changed: every row updated.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_results .venv/bin/python benchmarks/network_import.py

Options: --rebuild (drop the bench district's results and start from an empty table), --rows N.
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from clusters import models as cm  # noqa: E402
from core import xlsx  # noqa: E402
from core.roles import Role  # noqa: E402
from imc_portal.models import User  # noqa: E402
from network import imports  # noqa: E402
from network import xlsx as fast_xlsx  # noqa: E402
from network.models import AssessmentResult  # noqa: E402

DISTRICT_CODE = "bench-results"
ORGANISATIONS = 2_000
YEAR = 2023
SUBJECTS = ["Математика", "Русский язык", "Физика", "Химия", "Биология", "История", "Обществознание",
            "География", "Информатика", "Английский язык"]
PAIRS = [("ОГЭ", 9), ("ВПР", 5), ("ВПР", 6), ("ВПР", 7), ("РДР", 8)]
BATCH = 5_000


def setup_district() -> tuple[cm.District, User]:
    district = cm.District.objects.filter(code=DISTRICT_CODE).first()
    if district is None:
        region, _ = cm.Region.objects.get_or_create(name="Бенчмарк")
        district = cm.District.objects.create(region=region, name="Город (бенчмарк результатов)", code=DISTRICT_CODE)
        orgs = cm.Organisation.objects.bulk_create(
            [cm.Organisation(district=district, code=f"R{i:05d}", short_name=f"ГБОУ СОШ № {i}",
                             full_name=f"Школа {i}") for i in range(ORGANISATIONS)], batch_size=BATCH)
        clusters = cm.Cluster.objects.bulk_create(
            [cm.Cluster(district=district, year=YEAR + 1, name=f"Кластер {k}") for k in range(60)])
        cm.ClusterMembership.objects.bulk_create(
            [cm.ClusterMembership(cluster=clusters[i % 60], organisation=o, theme="Тема") for i, o in enumerate(orgs)],
            batch_size=BATCH)
    user, _ = User.objects.get_or_create(username="bench-results-methodist",
                                         defaults={"role": Role.METHODIST, "district": district})
    return district, user


def workbook_bytes(rows: int, rng: random.Random, shift: float = 0.0) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Результаты")
    sheet.append([c.header for c in imports.ResultImport.columns])
    written = 0
    for i in range(ORGANISATIONS):
        for subject in SUBJECTS:
            for name, grade in PAIRS:
                if written >= rows:
                    break
                mean = round(rng.uniform(2.8, 4.6) + shift, 2)
                failed = round(rng.uniform(0, 15), 1)
                good = round(rng.uniform(30, 80), 1)
                sheet.append([YEAR, name, subject, grade, f"R{i:05d}", rng.randint(15, 120), mean,
                              failed, good if name != "ЕГЭ" else None])
                written += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed_import(user: User, content: bytes, label: str) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    outcome = imports.import_results(user=user, file=SimpleUploadedFile("results.xlsx", content))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not outcome.ok:
        print(f"{label}: FAILED", *[str(e) for e in outcome.errors[:5]], sep="\n  ")
        return
    # CPU of this process (parsing, checks); the rest of the wall time is the database and other load.
    print(f"{label}: {elapsed:.1f} s (CPU of the web process {cpu:.1f} s) — {outcome.summary}; "
          f"уровней изменено {outcome.tiers_changed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    district, user = setup_district()
    if args.rebuild or AssessmentResult.objects.filter(organisation__district=district).exists():
        AssessmentResult.objects.filter(organisation__district=district).delete()
    rng = random.Random(11)
    started = time.perf_counter()
    content = workbook_bytes(args.rows, rng)
    print(f"file: {args.rows} rows, {xlsx.human_size(len(content))}, written in {time.perf_counter() - started:.1f} s")
    limits = {"max_bytes": imports.MAX_BYTES, "max_uncompressed": imports.MAX_UNCOMPRESSED,
              "row_limit": imports.MAX_ROWS}
    for name, reader in (("openpyxl read-only, core/xlsx.py", xlsx.read_table),
                         ("streaming, network/xlsx.py", fast_xlsx.read_table)):
        started = time.perf_counter()
        reader(SimpleUploadedFile("r.xlsx", content), **limits)
        print(f"reading the file alone ({name}): {time.perf_counter() - started:.1f} s")
    timed_import(user, content, "1. first import (all created)")
    timed_import(user, content, "2. same file again (all unchanged)")
    timed_import(user, workbook_bytes(args.rows, random.Random(11), shift=0.01), "3. every mean changed (all updated)")


if __name__ == "__main__":
    main()
