"""Benchmark: the results of one survey campaign with 200,000 responses (≈ 6 million answers).

Builds (once) a district with 60 organisations and one anonymous campaign of the shipped
Приложение 2 questionnaire («methodical-support»: multiple choice with «Другое», Likert grids,
yes/no grid, single choice, free text), answered 200,000 times — about 30 answer rows per
response, generated inside PostgreSQL with generate_series / INSERT … SELECT. Then times, in the
same run and interleaved, (a) the portal's results selector for the whole campaign
(surveys.results.campaign_results: questionnaire structure, responses, counts per question / row
/ option, respondents per question; the page's texts are timed separately) and (b) hand-written
SQL computing the same numbers, checks that they agree, and prints the medians and the ratio.

    .venv/bin/python benchmarks/survey_results.py            # DATABASE_URL defaults to the one below
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_surveys .venv/bin/python benchmarks/survey_results.py

The database is created if missing (its name must contain "bench": the script fills it with
millions of rows). Options: --rebuild (drop the database and build again), --repeat N (timed
runs, median reported), --responses N. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imc_bench_surveys")

DISTRICT_CODE = "bench-surveys"
ORGANISATIONS = 60


def ensure_database(url: str, *, drop: bool) -> None:
    """Create the benchmark database (or drop and create it) before Django connects to it."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql", "pgsql") or "bench" not in name:
        sys.exit(f"Run the benchmark on its own PostgreSQL database (a name with «bench»), not {url!r}")
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
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--responses", type=int, default=200_000)
    return parser.parse_args()


ARGS = parse_args()
ensure_database(os.environ["DATABASE_URL"], drop=ARGS.rebuild)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from clusters import models as cm  # noqa: E402
from surveys import results  # noqa: E402
from surveys.aggregates import campaign_rebuilt  # noqa: E402
from surveys.models import Campaign, QuestionKind  # noqa: E402
from surveys.responses import questionnaire_structure  # noqa: E402
from surveys.shipped import METHODICAL_SUPPORT, install_shipped_questionnaires  # noqa: E402

# Answer generation, per kind. Popular options come first (power(random(), k) leans to small indexes).
INSERT = "INSERT INTO surveys_answer (response_id, campaign_id, question_id, option_id, row_id, text, number) "
RESPONSES = "(SELECT id FROM surveys_response WHERE campaign_id = %(campaign)s)"
SQL_SINGLE = INSERT + f"""
SELECT r.id, %(campaign)s, %(question)s,
       CASE WHEN r.x < %(other)s THEN NULL
            ELSE (%(options)s::bigint[])[1 + floor(power(random(), 1.6) * %(n)s)::int] END,
       NULL, CASE WHEN r.x < %(other)s THEN 'Свой вариант ' || (r.id %% 40) ELSE '' END, NULL
FROM (SELECT id, random() AS x FROM {RESPONSES} ids) r
"""
# random() is drawn per (response, option) pair in the select list: a WHERE random() < f(o.k)
# would be a condition on the option alone, evaluated once per option.
SQL_MULTIPLE = INSERT + f"""
SELECT response_id, %(campaign)s, %(question)s, option_id, NULL, '', NULL
FROM (SELECT r.id AS response_id, o.id AS option_id, o.k, random() AS u
      FROM {RESPONSES} r CROSS JOIN (SELECT id, row_number() OVER (ORDER BY position, id) AS k
                                     FROM surveys_option WHERE question_id = %(question)s) o) pairs
WHERE u < 0.6 / (1 + 0.2 * k)
"""
SQL_OTHER_TEXT = INSERT + f"""
SELECT r.id, %(campaign)s, %(question)s, NULL, NULL, 'Свой вариант ' || (r.id %% 40), NULL
FROM {RESPONSES} r WHERE random() < %(other)s
"""
SQL_GRID = INSERT + f"""
SELECT r.id, %(campaign)s, %(question)s, (%(options)s::bigint[])[1 + floor(power(random(), 1.3) * %(n)s)::int],
       g.id, '', NULL
FROM {RESPONSES} r CROSS JOIN (SELECT id FROM surveys_gridrow WHERE question_id = %(question)s) g
"""
SQL_TEXT = INSERT + f"""
SELECT r.id, %(campaign)s, %(question)s, NULL, NULL, 'Проблема № ' || (r.id %% 1000), NULL
FROM {RESPONSES} r WHERE random() < 0.3
"""


def build(responses: int) -> Campaign:
    region, _ = cm.Region.objects.get_or_create(name="Бенчмарк")
    district = cm.District.objects.create(region=region, name="Район (бенчмарк анкет)", code=DISTRICT_CODE)
    organisations = cm.Organisation.objects.bulk_create(
        [cm.Organisation(district=district, code=f"S{i:03d}", short_name=f"ГБОУ СОШ № {i}", full_name=f"Школа {i}")
         for i in range(1, ORGANISATIONS + 1)])
    for k in range(6):
        cluster = cm.Cluster.objects.create(district=district, year=2021, name=f"Кластер {k + 1}")
        cm.ClusterMembership.objects.bulk_create(
            [cm.ClusterMembership(cluster=cluster, organisation=o, theme="Тема") for o in organisations[k::6]])
    questionnaire = install_shipped_questionnaires()[METHODICAL_SUPPORT]
    closes_at = timezone.make_aware(dt.datetime(2021, 6, 30, 18, 0))
    campaign = Campaign.objects.create(questionnaire=questionnaire, district=district, title="Бенчмарк: 200 000 анкет",
                                       opens_at=closes_at - dt.timedelta(days=60), closes_at=closes_at)
    org_ids = [o.pk for o in organisations]
    with connection.cursor() as cursor:
        # Generated rows are consistent by construction: skip the per-row foreign-key triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SELECT setseed(0.2021)")
        # Every tenth response came through the general link, the rest through the organisations' links.
        cursor.execute("""
            INSERT INTO surveys_response (campaign_id, organisation_id, for_organisation, status, submitted_on,
                                          public_id)
            SELECT %(campaign)s, CASE WHEN g %% 10 = 0 THEN NULL ELSE (%(orgs)s::bigint[])[1 + g %% %(n)s] END,
                   false, 'submitted', DATE '2021-05-01' + (g %% 60), gen_random_uuid()
            FROM generate_series(1, %(responses)s) g
        """, {"campaign": campaign.pk, "orgs": org_ids, "n": len(org_ids), "responses": responses})
        for question in questionnaire_structure(questionnaire):
            options = [o.pk for o in question.options.all()]
            params = {"campaign": campaign.pk, "question": question.pk, "options": options, "n": len(options),
                      "other": 0.05 if question.allow_other else 0.0}
            if question.is_grid:
                cursor.execute(SQL_GRID, params)
            elif question.kind == QuestionKind.SINGLE:
                cursor.execute(SQL_SINGLE, params)
            elif question.kind == QuestionKind.MULTIPLE:
                cursor.execute(SQL_MULTIPLE, params)
                if question.allow_other:
                    cursor.execute(SQL_OTHER_TEXT, params)
            elif question.kind == QuestionKind.TEXT:
                cursor.execute(SQL_TEXT, params)
    return campaign


# --- hand-written SQL ----------------------------------------------------------------------------

HAND_COUNTS = """
SELECT question_id, row_id, option_id, count(*) FROM surveys_answer
WHERE campaign_id = %s GROUP BY question_id, row_id, option_id
"""
HAND_RESPONDENTS = """
SELECT question_id, count(DISTINCT response_id) FROM surveys_answer
WHERE campaign_id = %s AND question_id = ANY(%s) GROUP BY question_id
"""
HAND_TOTAL = "SELECT count(*) FROM surveys_response WHERE campaign_id = %s AND status = 'submitted'"
# Not timed: respondents of every question, to check what the portal derives from the counts.
CHECK_ALL_RESPONDENTS = """
SELECT question_id, count(DISTINCT response_id) FROM surveys_answer WHERE campaign_id = %s GROUP BY question_id
"""


def hand_sql(campaign_id: int, distinct_ids: list[int]) -> tuple[int, dict, dict]:
    """What a person would write: all counts in one GROUP BY; distinct respondents only where one
    respondent has several answer rows (multiple choice, grid); the number of responses."""
    with connection.cursor() as cursor:
        cursor.execute(HAND_TOTAL, [campaign_id])
        total = cursor.fetchone()[0]
        cursor.execute(HAND_COUNTS, [campaign_id])
        counts = {(q, r, o): n for q, r, o, n in cursor.fetchall()}
        cursor.execute(HAND_RESPONDENTS, [campaign_id, distinct_ids])
        respondents = dict(cursor.fetchall())
    return total, counts, respondents


def portal(campaign_id: int, *, with_texts: bool = False) -> results.CampaignResults:
    campaign = Campaign.objects.select_related("questionnaire", "district").get(pk=campaign_id)
    return results.campaign_results(campaign, with_texts=with_texts)


def compare(got: results.CampaignResults, total: int, counts: dict, all_respondents: dict) -> list[str]:
    """Every number the portal shows, against the hand-written SQL."""
    problems = []

    def check(what, portal_value, sql_value):
        if portal_value != sql_value:
            problems.append(f"{what}: portal {portal_value}, sql {sql_value}")

    check("responses", got.responses, total)
    for result in got.questions:
        q = result.question
        check(f"{q.code} respondents", result.respondents, all_respondents.get(q.pk, 0))
        if result.is_grid:
            for row, line in zip(q.rows.all(), result.grid, strict=True):
                for option, cell in zip(q.options.all(), line.cells, strict=True):
                    check(f"{q.code} {row.pk}/{option.pk}", cell.count, counts.get((q.pk, row.pk, option.pk), 0))
        elif result.is_choice:
            for option, line in zip(q.options.all(), result.lines, strict=False):
                check(f"{q.code} {option.pk}", line.count, counts.get((q.pk, None, option.pk), 0))
            others = [line.count for line in result.lines if line.is_other]
            check(f"{q.code} другое", others[0] if others else 0, counts.get((q.pk, None, None), 0))
        elif result.is_text:
            check(f"{q.code} texts", result.text_count, counts.get((q.pk, None, None), 0))
    shown = sum(1 for r in got.questions for _ in (r.grid or r.lines or [r]))
    if not shown:
        problems.append("the portal returned no questions")
    return problems


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL (DATABASE_URL=postgres://…/imc_bench_surveys)")
    call_command("migrate", verbosity=0)
    campaign = Campaign.objects.filter(district__code=DISTRICT_CODE).first()
    if campaign is None:
        started = time.perf_counter()
        with transaction.atomic():
            campaign = build(ARGS.responses)
        built = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE surveys_answer")
            cursor.execute("VACUUM ANALYZE surveys_response")
        print(f"built in {built:.1f} s (+ VACUUM ANALYZE {time.perf_counter() - started - built:.1f} s)")
        started = time.perf_counter()
        rows = campaign_rebuilt(campaign)  # the SQL above went past the services that keep the counts
        print(f"counts rebuilt in {time.perf_counter() - started:.1f} s ({rows} rows)")
    campaign_id = campaign.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_answer WHERE campaign_id = %s", [campaign_id])
        answers = cursor.fetchone()[0]
    responses = results.submitted_responses(campaign).count()
    questions = questionnaire_structure(campaign.questionnaire)
    print(f"data: {thousands(responses)} responses, {thousands(answers)} answers "
          f"({answers / responses:.1f} per response), {len(questions)} questions")
    distinct_ids = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE or q.is_grid]

    # Warm the cache once each, then interleave the timed runs so both meet the same machine load.
    portal(campaign_id)
    hand_sql(campaign_id, distinct_ids)
    portal_times, sql_times, page_times = [], [], []
    for _ in range(ARGS.repeat):
        portal_times.append(timed(lambda: portal(campaign_id)))
        sql_times.append(timed(lambda: hand_sql(campaign_id, distinct_ids)))
        page_times.append(timed(lambda: portal(campaign_id, with_texts=True)))

    total, counts, _ = hand_sql(campaign_id, distinct_ids)
    with connection.cursor() as cursor:
        cursor.execute(CHECK_ALL_RESPONDENTS, [campaign_id])
        all_respondents = dict(cursor.fetchall())
    problems = compare(portal(campaign_id), total, counts, all_respondents)
    print(f"numbers equal to the hand-written SQL: {'yes' if not problems else 'NO'} "
          f"({len(counts)} counts, {len(all_respondents)} questions' respondents, total {thousands(total)})")
    for problem in problems[:10]:
        print("  " + problem)

    portal_s, sql_s, page_s = (statistics.median(x) for x in (portal_times, sql_times, page_times))
    spread = lambda xs: f"{min(xs):.3f}–{max(xs):.3f}"  # noqa: E731
    print(f"hand-written SQL:                       {sql_s:.3f} s (median of {ARGS.repeat}; {spread(sql_times)})")
    print(f"portal results selector (counts):       {portal_s:.3f} s ({spread(portal_times)})  "
          f"ratio {portal_s / sql_s:.2f}")
    print(f"portal selector with the page's texts:  {page_s:.3f} s ({spread(page_times)})  "
          f"ratio {page_s / sql_s:.2f}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
