"""Benchmark: the diagnostics roll-ups at city scale against hand-written SQL (issue 12, item 10: ratio ≤ 1.5).

Builds (once) a city: 200 organisations, 60,000 teachers, the competency instrument (8 areas × 5 items, 4-level
scale), one campaign of one year with every teacher's diagnosis submitted — 2,400,000 Answer rows and 480,000
AreaScore rows, a fixed seed, loaded with COPY (an AreaScore is the rounded mean of its items' rounded scores, as
diagnostics.scoring computes it on submission). Then times, in the same run:

    (a) the portal: `diagnostics.rollups.district_by_area` and `organisation_by_area` for the year (GROUP BY over
        AreaScore with the latest-result anti-join);
    (b) a hand-written PostgreSQL query computing the same numbers independently from the Answer rows: the mean
        item score per teacher and area (rounded to 3 decimals), then the mean and the deficit count per
        organisation and area, and per area for the district;

checks that both give the same means, teacher counts and deficit counts (3 decimals) and prints the ratio of the
medians. For reference it also times the plain GROUP BY over the stored AreaScore rows (no latest-result anti-join).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_diag .venv/bin/python benchmarks/diagnostics_rollups.py

Options: --rebuild (drop and rebuild the data), --repeat N (timed runs, median reported; default 11); the fastest
runs' ratio is printed too. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import random
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from clusters import models as cm  # noqa: E402
from diagnostics import models as d  # noqa: E402
from diagnostics import rollups  # noqa: E402
from diagnostics.scoring import area_indices, option_score  # noqa: E402

DISTRICT_CODE = "bench-diag"
ORGANISATIONS = 200
TEACHERS = 60_000
ITEMS_PER_AREA = 5
YEAR = 2023
FAMILY = d.Family.COMPETENCIES
BATCH = 5_000
PLACES = Decimal("0.001")


def _copy(table: str, columns: tuple[str, ...], buffer: io.StringIO) -> None:
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def build(rng: random.Random) -> None:
    region, _ = cm.Region.objects.get_or_create(name="Бенчмарк")
    district = cm.District.objects.create(region=region, name="Город (бенчмарк диагностики)", code=DISTRICT_CODE)
    orgs = cm.Organisation.objects.bulk_create(
        [cm.Organisation(district=district, code=f"D{i:04d}", short_name=f"ГБОУ СОШ № {i}", full_name=f"Школа {i}")
         for i in range(ORGANISATIONS)], batch_size=BATCH)
    teachers = cm.Teacher.objects.bulk_create(
        [cm.Teacher(organisation=orgs[i % ORGANISATIONS], personnel_number=str(i), full_name=f"Педагог {i}",
                    position="учитель") for i in range(TEACHERS)], batch_size=BATCH)
    instrument = d.Instrument.objects.create(district=district, code="bench-competencies", title="Компетенции",
                                             family=FAMILY)
    areas = rollups.areas_of(FAMILY)
    items = d.Item.objects.bulk_create(
        [d.Item(instrument=instrument, area=area, position=a * ITEMS_PER_AREA + k, text=f"{area.name} {k}",
                scale=d.Scale.LIKERT4) for a, area in enumerate(areas) for k in range(ITEMS_PER_AREA)])
    now = timezone.now()
    campaign = d.DiagnosticCampaign.objects.create(district=district, instrument=instrument, title="Бенчмарк",
                                                   year=YEAR, opens_at=now - dt.timedelta(days=30), closes_at=now)
    invitations = d.Invitation.objects.bulk_create(
        [d.Invitation(campaign=campaign, teacher=t, status=d.InvitationStatus.SUBMITTED, submitted_at=now,
                      token_hash=hashlib.sha256(f"bench-{t.pk}".encode()).hexdigest()) for t in teachers],
        batch_size=BATCH)
    # Each organisation and area has a level; a teacher's choices scatter around it, so deficit shares and means
    # differ by organisation and area.
    level = {(o.pk, area.pk): rng.uniform(0.8, 2.4) for o in orgs for area in areas}
    answers, scores = io.StringIO(), io.StringIO()
    for invitation, teacher in zip(invitations, teachers, strict=True):
        scored = []
        for item in items:
            choice = min(3, max(0, round(rng.gauss(level[(teacher.organisation_id, item.area_id)], 0.9))))
            score = option_score(d.Scale.LIKERT4, choice)
            scored.append((item.area_id, score))
            answers.write(f"{invitation.pk}\t{item.pk}\t{choice}\t{score}\n")
        for area_id, (index, count) in area_indices(scored).items():
            scores.write(f"{invitation.pk}\t{area_id}\t{index}\t{count}\n")
    _copy(d.Answer._meta.db_table, ("invitation_id", "item_id", "choice", "score"), answers)
    _copy(d.AreaScore._meta.db_table, ("invitation_id", "area_id", "score", "items"), scores)


# The independent baseline: from the answers, per teacher and area, then per organisation (and the district).
HAND_SQL = f"""
WITH per_teacher AS (
    SELECT t.organisation_id, i.area_id, ROUND(AVG(a.score), 3) AS score
      FROM {d.Answer._meta.db_table} a
      JOIN {d.Item._meta.db_table} i ON i.id = a.item_id
      JOIN {d.Invitation._meta.db_table} v ON v.id = a.invitation_id
      JOIN {d.DiagnosticCampaign._meta.db_table} c ON c.id = v.campaign_id
      JOIN {cm.Teacher._meta.db_table} t ON t.id = v.teacher_id
      JOIN {cm.Organisation._meta.db_table} o ON o.id = t.organisation_id
     WHERE o.district_id = %(district)s AND c.year = %(year)s AND v.status = 'submitted'
     GROUP BY v.id, t.organisation_id, i.area_id
)
SELECT organisation_id, area_id, COUNT(*), COUNT(*) FILTER (WHERE score < %(threshold)s), AVG(score)
  FROM per_teacher
 GROUP BY GROUPING SETS ((organisation_id, area_id), (area_id))
"""

# A second, stricter yardstick: the same GROUP BY over the stored AreaScore rows, without the portal's
# latest-result anti-join (every teacher here has one diagnosis, so the numbers are the same).
SCORES_SQL = f"""
SELECT t.organisation_id, s.area_id, COUNT(*), COUNT(*) FILTER (WHERE s.score < %(threshold)s), AVG(s.score)
  FROM {d.AreaScore._meta.db_table} s
  JOIN {d.Invitation._meta.db_table} v ON v.id = s.invitation_id
  JOIN {d.DiagnosticCampaign._meta.db_table} c ON c.id = v.campaign_id
  JOIN {cm.Teacher._meta.db_table} t ON t.id = v.teacher_id
  JOIN {cm.Organisation._meta.db_table} o ON o.id = t.organisation_id
 WHERE o.district_id = %(district)s AND c.year = %(year)s AND v.status = 'submitted'
 GROUP BY GROUPING SETS ((t.organisation_id, s.area_id), (s.area_id))
"""


def _q(value) -> Decimal:
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def hand_sql(district_id: int, query: str = HAND_SQL) -> dict[tuple, tuple]:
    threshold = rollups.deficit_below(district_id)
    with connection.cursor() as cursor:
        cursor.execute(query, {"district": district_id, "year": YEAR, "threshold": threshold})
        return {(org, area): (n, deficits, _q(mean)) for org, area, n, deficits, mean in cursor.fetchall()}


def portal(district_id: int) -> dict[tuple, tuple]:
    found = {(None, area): (c.teachers, c.deficits, c.mean)
             for area, c in rollups.district_by_area(district_id, YEAR, FAMILY).items()}
    found.update({key: (c.teachers, c.deficits, c.mean)
                  for key, c in rollups.organisation_by_area(district_id, YEAR, FAMILY).items()})
    return found


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL=postgres://…/imc_bench_diag")

    call_command("migrate", verbosity=0)
    district = cm.District.objects.filter(code=DISTRICT_CODE).first()
    if district and args.rebuild:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE clusters_region CASCADE")
        district = None
    if not district:
        started = time.perf_counter()
        with transaction.atomic():
            build(random.Random(20231217))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"built the city in {time.perf_counter() - started:.1f} s")
        district = cm.District.objects.get(code=DISTRICT_CODE)

    answers = d.Answer.objects.filter(invitation__campaign__district=district).count()
    scores = d.AreaScore.objects.filter(invitation__campaign__district=district).count()
    print(f"data: {ORGANISATIONS} organisations, {TEACHERS} teachers, {answers} answers, {scores} area scores ({YEAR})")

    hand_sql(district.pk), portal(district.pk)  # warm the cache once, outside the timings
    portal_times, sql_times, scores_times = [], [], []
    for _ in range(args.repeat):
        sql_times.append(timed(lambda: hand_sql(district.pk)))
        portal_times.append(timed(lambda: portal(district.pk)))
        scores_times.append(timed(lambda: hand_sql(district.pk, SCORES_SQL)))

    expected, got = hand_sql(district.pk), portal(district.pk)
    mismatches = {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got) if expected.get(k) != got.get(k)}
    if hand_sql(district.pk, SCORES_SQL) != expected:
        mismatches["area scores"] = ("the GROUP BY over AreaScore differs from the one over answers", None)
    print(f"cells: {len(got)} (organisation × area and district × area); equal to the hand-written SQL "
          f"(teachers, deficits, mean to 3 decimals): {'yes' if not mismatches else 'NO'}")
    for key, pair in list(mismatches.items())[:10]:
        print(f"  mismatch {key}: sql={pair[0]} portal={pair[1]}")
    sql, rollup = statistics.median(sql_times), statistics.median(portal_times)
    print(f"hand-written SQL over answers:             {sql:.3f} s (median of {args.repeat})")
    print(f"portal district × area + organisation × area: {rollup:.3f} s  ratio {rollup / sql:.2f}  (target ≤ 1.5)")
    over_scores = statistics.median(scores_times)
    print(f"hand-written SQL over area scores (no anti-join): {over_scores:.3f} s; portal / it: "
          f"{rollup / over_scores:.2f} (the portal makes two queries, district and organisations, to its one GROUPING SETS)")
    print(f"fastest runs: hand-written SQL {min(sql_times):.3f} s, portal {min(portal_times):.3f} s, "
          f"ratio {min(portal_times) / min(sql_times):.2f}")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
