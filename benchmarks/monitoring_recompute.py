"""Benchmark: recompute of all computed monitoring indicators for one year at city scale.

Builds (once) a city: 2,000 organisations, 60,000 teachers, five years of cluster memberships,
community memberships, training completions, ИОМ and innovation participation; then times, in
the same run, (a) the portal's recompute of every computed indicator for all scopes of one year
(values written, history kept) and (b) one hand-written SQL query that computes the same
numerators and denominators — and checks that both give the same numbers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench .venv/bin/python benchmarks/monitoring_recompute.py

Options: --rebuild (drop and rebuild the data), --repeat N (timed runs, median reported).
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from clusters import models as cm  # noqa: E402
from monitoring.models import Indicator, Period, PeriodKind, Programme, Source, Value  # noqa: E402
from monitoring.services import recompute_programme  # noqa: E402
from monitoring.units import Unit  # noqa: E402

DISTRICT_CODE = "bench-city"
ORGANISATIONS, TEACHERS, YEARS = 2_000, 60_000, (2017, 2018, 2019, 2020, 2021)
YEAR = 2021
CALCULATIONS = [
    "net_schools_share", "net_teachers_cpd_share", "net_teachers_iom_share",
    "net_teachers_innovation_share", "community_participation_share",
]
BATCH = 5_000


def build(rng: random.Random) -> None:
    region, _ = cm.Region.objects.get_or_create(name="Бенчмарк")
    district = cm.District.objects.create(region=region, name="Город (бенчмарк)", code=DISTRICT_CODE)
    orgs = cm.Organisation.objects.bulk_create(
        [cm.Organisation(district=district, code=f"B{i:05d}", short_name=f"ГБОУ СОШ № {i}", full_name=f"Школа {i}",
                         is_active=rng.random() > 0.03) for i in range(ORGANISATIONS)], batch_size=BATCH)
    teachers = cm.Teacher.objects.bulk_create(
        [cm.Teacher(organisation=orgs[i % ORGANISATIONS], personnel_number=str(i), full_name=f"Педагог {i}",
                    position="учитель", birth_year=rng.randint(1960, 2000), is_active=rng.random() > 0.05)
         for i in range(TEACHERS)], batch_size=BATCH)
    memberships = []
    for year in YEARS:
        clusters = cm.Cluster.objects.bulk_create(
            [cm.Cluster(district=district, year=year, name=f"Кластер {k}") for k in range(60)])
        chosen = rng.sample(orgs, int(ORGANISATIONS * (0.35 + 0.05 * (year - YEARS[0]))))
        memberships += [cm.ClusterMembership(cluster=rng.choice(clusters), organisation=o, theme="Тема") for o in chosen]
        # A few organisations work in two clusters of the same year.
        memberships += [cm.ClusterMembership(cluster=clusters[k], organisation=chosen[k * 3], theme="Тема")
                        for k in range(1, 40)]
    cm.ClusterMembership.objects.bulk_create(memberships, batch_size=BATCH, ignore_conflicts=True)
    communities = cm.Community.objects.bulk_create(
        [cm.Community(district=district, kind=cm.CommunityKind.RMO, name=f"РМО {k}") for k in range(200)])
    rows = []
    for t in teachers:
        if rng.random() < 0.6:
            joined = dt.date(rng.choice(YEARS), rng.randint(1, 12), 1)
            left = joined + dt.timedelta(days=rng.randint(100, 1500)) if rng.random() < 0.3 else None
            rows.append(cm.CommunityMembership(community=rng.choice(communities), teacher=t, joined_on=joined,
                                               left_on=left))
    cm.CommunityMembership.objects.bulk_create(rows, batch_size=BATCH)
    programs = cm.TrainingProgram.objects.bulk_create(
        [cm.TrainingProgram(title=f"ДПП {k}", hours=rng.choice([36, 72]), provider="ИМЦ") for k in range(50)])
    completions = [
        cm.TrainingCompletion(teacher=t, program=rng.choice(programs),
                              completed_on=dt.date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28)))
        for t in teachers for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))
    ]
    cm.TrainingCompletion.objects.bulk_create(completions, batch_size=BATCH, ignore_conflicts=True)
    routes = []
    for t in rng.sample(teachers, TEACHERS // 3):
        start = dt.date(rng.choice(YEARS), rng.randint(1, 12), 1)
        routes.append(cm.IndividualRoute(teacher=t, starts_on=start, ends_on=start + dt.timedelta(days=300),
                                         status=rng.choice(list(cm.RouteStatus.values))))
    cm.IndividualRoute.objects.bulk_create(routes, batch_size=BATCH)
    projects = cm.InnovationProject.objects.bulk_create(
        [cm.InnovationProject(district=district, title=f"Проект {k}", starts_on=dt.date(rng.choice(YEARS), 9, 1),
                              ends_on=dt.date(YEARS[-1] + 1, 6, 30)) for k in range(100)])
    participations = [cm.InnovationParticipation(project=rng.choice(projects), teacher=t)
                      for t in rng.sample(teachers, TEACHERS // 4)]
    cm.InnovationParticipation.objects.bulk_create(participations, batch_size=BATCH, ignore_conflicts=True)

    programme = Programme.objects.create(district=district, code="bench", name="Бенчмарк", period_kind=PeriodKind.YEAR)
    for year in YEARS:
        Period.objects.create(programme=programme, label=str(year), starts_on=dt.date(year, 1, 1),
                              ends_on=dt.date(year, 12, 31))
    for position, code in enumerate(CALCULATIONS):
        Indicator.objects.create(programme=programme, code=code, name=code, unit=Unit.PERCENT,
                                 source=Source.COMPUTED, calculation=code, position=position)


HAND_SQL = """
WITH member_ids AS (
    SELECT teacher_id FROM clusters_communitymembership
    WHERE joined_on <= %(end)s AND (left_on IS NULL OR left_on >= %(start)s)
), flags AS (
    SELECT t.id, t.organisation_id, t.is_active,
           t.id IN (SELECT teacher_id FROM member_ids) AS member,
           t.id IN (SELECT teacher_id FROM clusters_trainingcompletion
                    WHERE completed_on BETWEEN %(cpd_start)s AND %(end)s) AS cpd,
           t.id IN (SELECT teacher_id FROM clusters_individualroute
                    WHERE status IN ('active', 'completed') AND starts_on <= %(end)s AND ends_on >= %(start)s) AS iom,
           t.id IN (SELECT p.teacher_id FROM clusters_innovationparticipation p
                    JOIN clusters_innovationproject pr ON pr.id = p.project_id
                    WHERE pr.starts_on <= %(end)s AND (pr.ends_on IS NULL OR pr.ends_on >= %(start)s)) AS innov
    FROM clusters_teacher t JOIN clusters_organisation o ON o.id = t.organisation_id
    WHERE o.district_id = %(district)s
), year_clusters AS (
    SELECT cm.organisation_id, c.id AS cluster_id FROM clusters_clustermembership cm
    JOIN clusters_cluster c ON c.id = cm.cluster_id AND c.year = %(year)s AND c.district_id = %(district)s
), per_org AS (
    SELECT organisation_id,
           count(*) FILTER (WHERE member) AS members,
           count(*) FILTER (WHERE member AND cpd) AS cpd,
           count(*) FILTER (WHERE member AND iom) AS iom,
           count(*) FILTER (WHERE member AND innov) AS innov,
           count(*) FILTER (WHERE is_active) AS active,
           count(*) FILTER (WHERE is_active AND member) AS active_members
    FROM flags GROUP BY organisation_id
)
-- One pass over the teachers; clusters and the district are sums of the organisations' counts.
SELECT 'organisation:' || organisation_id, members, cpd, iom, innov, active, active_members FROM per_org
UNION ALL
SELECT 'cluster:' || y.cluster_id, sum(members), sum(cpd), sum(iom), sum(innov), sum(active), sum(active_members)
FROM per_org JOIN year_clusters y USING (organisation_id) GROUP BY y.cluster_id
UNION ALL
SELECT 'district', sum(members), sum(cpd), sum(iom), sum(innov), sum(active), sum(active_members) FROM per_org
UNION ALL
SELECT 'schools', count(DISTINCT o.id) FILTER (WHERE o.id IN (SELECT organisation_id FROM year_clusters)),
       count(DISTINCT o.id), 0, 0, 0, 0
FROM clusters_organisation o WHERE o.district_id = %(district)s AND o.is_active
"""


# The same query with its per-teacher flags computed once: PostgreSQL inlines a CTE used once, and then
# repeats `member` in every count that reads it — this one is the faster floor, printed beside the first.
HAND_SQL_MATERIALIZED = HAND_SQL.replace("), flags AS (", "), flags AS MATERIALIZED (")


def hand_sql(district_id: int, sql: str = HAND_SQL) -> dict:
    params = {"district": district_id, "year": YEAR, "start": dt.date(YEAR, 1, 1), "end": dt.date(YEAR, 12, 31),
              "cpd_start": dt.date(YEAR - 2, 1, 1)}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: tuple(int(v) for v in row[1:]) for row in cursor.fetchall()}


def expected_from_sql(rows: dict) -> dict:
    """(calculation, scope_key) → (numerator, denominator), the way the portal stores them."""
    out = {}
    for key, (members, cpd, iom, innov, active, active_members) in rows.items():
        if key == "schools":
            out[("net_schools_share", "district")] = (members, cpd)
            continue
        if members:
            out[("net_teachers_cpd_share", key)] = (cpd, members)
            out[("net_teachers_iom_share", key)] = (iom, members)
            out[("net_teachers_innovation_share", key)] = (innov, members)
        if active:
            out[("community_participation_share", key)] = (active_members, active)
    return out


def portal_numbers(programme: Programme) -> dict:
    values = Value.objects.filter(indicator__programme=programme, period__label=str(YEAR)).values_list(
        "indicator__code", "scope_key", "numerator", "denominator")
    return {(code, key): (int(num), int(den)) for code, key, num, den in values}


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL=postgres://…/imc_bench")

    call_command("migrate", verbosity=0)
    district = cm.District.objects.filter(code=DISTRICT_CODE).first()
    if district and args.rebuild:
        with connection.cursor() as cursor:  # the fastest way to drop a city: truncate everything
            cursor.execute("TRUNCATE clusters_region, clusters_trainingprogram, monitoring_programme CASCADE")
        district = None
    if not district:
        started = time.perf_counter()
        with transaction.atomic():
            build(random.Random(20211217))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"built the city in {time.perf_counter() - started:.1f} s")
        district = cm.District.objects.get(code=DISTRICT_CODE)
    programme = Programme.objects.get(district=district, code="bench")
    period = programme.periods.get(label=str(YEAR))

    counts = {name: model.objects.count() for name, model in (
        ("organisations", cm.Organisation), ("teachers", cm.Teacher), ("cluster memberships", cm.ClusterMembership),
        ("community memberships", cm.CommunityMembership), ("training completions", cm.TrainingCompletion),
        ("routes", cm.IndividualRoute), ("innovation participations", cm.InnovationParticipation))}
    print("data: " + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in counts.items()))

    # The server may run without autovacuum (this one does): every first write below leaves a period's worth of
    # dead rows, and runs would otherwise read a table that grew with every earlier run.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE monitoring_value")
    portal_cold, portal_warm, sql_times, floor_times = [], [], [], []
    for _ in range(args.repeat):
        Value.objects.filter(period=period).delete()
        portal_cold.append(timed(lambda: recompute_programme(programme, periods=[period])))
        portal_warm.append(timed(lambda: recompute_programme(programme, periods=[period])))
        sql_times.append(timed(lambda: hand_sql(district.pk)))
        floor_times.append(timed(lambda: hand_sql(district.pk, HAND_SQL_MATERIALIZED)))

    expected, got = expected_from_sql(hand_sql(district.pk)), portal_numbers(programme)
    mismatches = {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got) if expected.get(k) != got.get(k)}
    print(f"values per recompute: {len(got):,}".replace(",", " "))
    print(f"numbers equal to the hand-written SQL: {'yes' if not mismatches else 'NO'}")
    for key, pair in list(mismatches.items())[:10]:
        print(f"  mismatch {key}: sql={pair[0]} portal={pair[1]}")

    cold, warm, sql, floor = (statistics.median(x) for x in (portal_cold, portal_warm, sql_times, floor_times))
    for name, times in (("hand SQL", sql_times), ("first write", portal_cold), ("nothing changed", portal_warm)):
        print(f"  {name} runs: " + " ".join(f"{t:.3f}" for t in times))
    print(f"hand-written SQL (compute only):        {sql:.3f} s (median of {args.repeat})")
    print(f"portal recompute, values written:        {cold:.3f} s  ratio {cold / sql:.2f}")
    print(f"portal recompute again, nothing changed: {warm:.3f} s  ratio {warm / sql:.2f}")
    print(f"hand-written SQL, flags MATERIALIZED:    {floor:.3f} s  (against it: written {cold / floor:.2f}, "
          f"nothing changed {warm / floor:.2f})")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
