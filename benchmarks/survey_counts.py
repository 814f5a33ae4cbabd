"""The survey results page and its counting, timed in-process (issue 15.2: results from kept counts).

Run from the root of the tree to measure (an exported copy of an older commit works too: the script
imports the tree it runs in), against a prepared PostgreSQL database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_pages .venv/bin/python benchmarks/survey_counts.py demo 9
    DATABASE_URL=postgres://…/<a copy of imc_bench_city> .venv/bin/python benchmarks/survey_counts.py big 5

`demo`: the campaign whose submitted responses are nearest to 230 (the page benchmark's); `big`: the one
with the most. Read by the first active methodist of the campaign's district through Django's test client,
one request at a time; prints the medians of N runs of the counting (results.campaign_results with
texts), the breakdown by group (results.results_by_group, the XLSX's and reports'), the whole page, and
the page's queries (and how many of them read surveys_answer). Not part of the test suite.
"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from imc_portal.models import Role, User  # noqa: E402
from surveys import results as r  # noqa: E402
from surveys.models import Campaign, ResponseStatus  # noqa: E402
from surveys.responses import questionnaire_structure  # noqa: E402


def main(which: str, repeat: int) -> None:
    setup_test_environment()  # the test client's host
    campaigns = list(Campaign.objects.annotate(n=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)))
                     .filter(n__gt=0).values_list("pk", "district_id", "n"))
    pk, district_id, n = (min(campaigns, key=lambda c: (abs(c[2] - 230), c[0])) if which == "demo"
                          else max(campaigns, key=lambda c: c[2]))
    campaign = Campaign.objects.select_related("questionnaire", "district").get(pk=pk)
    reader = User.objects.filter(role=Role.METHODIST, district_id=district_id, is_active=True).order_by("username").first()
    client = Client()
    client.force_login(reader)
    url = f"/surveys/campaigns/{pk}/results/"
    questions = questionnaire_structure(campaign.questionnaire)

    def counting():
        r.campaign_results(campaign, questions=questions)

    def breakdown():
        r.results_by_group(campaign, questions)

    def page():
        assert client.get(url).status_code == 200

    def timed(fn) -> float:
        fn()  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    page()
    with connection.execute_wrapper(count):
        page()
    answer_reads = sum('"surveys_answer"' in sql for sql in seen)
    print(f"{os.getcwd()} campaign {pk} ({n} responses), reader {reader.username}: "
          f"counting {timed(counting) * 1000:.1f} ms, breakdown by group {timed(breakdown) * 1000:.1f} ms, "
          f"page {timed(page) * 1000:.0f} ms, page queries {len(seen)} (of them reading surveys_answer: {answer_reads})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo", int(sys.argv[2]) if len(sys.argv) > 2 else 7)
