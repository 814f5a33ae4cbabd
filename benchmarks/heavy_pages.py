"""The dashboard and the survey results page timed in-process beside the bare page (issue 15.1).

Django's test client, one request at a time, warm, with the page benchmark's settings and environment
(benchmarks/pages.py: DEBUG off, the bench URLconf with /bench/bare/ and /bench/layout/, Redis as the cache
when it answers) and its choice of pages (the demo's methodist, the district's biggest programme, the
campaign nearest to 230 answers). Prints per page the median ms of N requests, the ratio of the bare page's
ms to the page's (what the page benchmark's ratio approaches when the CPU is the limit), the queries and the
size of the HTML. Run from the root of the tree to measure (an exported copy of an older commit works too:
the script imports the tree it runs in):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_pages .venv/bin/python benchmarks/heavy_pages.py 30
    … benchmarks/heavy_pages.py 30 --profile results     # cProfile of 30 requests of one page, top 40

Not part of the test suite.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
sys.path.insert(0, os.path.join(os.getcwd(), "benchmarks"))

import pages as bench  # noqa: E402  (benchmarks/pages.py of the tree being measured)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repeat", type=int, nargs="?", default=30)
    parser.add_argument("--pages", default="bare,layout,dashboard,results")
    parser.add_argument("--profile", help="a page to profile instead of timing")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians of the rounds)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        sys.exit("Set DATABASE_URL to a prepared database (see benchmarks/pages.py).")
    for name, value in bench.server_env(8000, database_url).items():
        os.environ.setdefault(name, value)
    os.environ["ALLOWED_HOSTS"] = os.environ["ALLOWED_HOSTS"] + ",testserver"
    found, _ = bench.discover(None, "иван")

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from imc_portal.models import User

    setup_test_environment()
    wanted = [key.strip() for key in args.pages.split(",")]
    by_key = {page.key: page for page in found}
    clients = {}

    def client_of(login: str) -> Client:
        if login not in clients:
            clients[login] = Client()
            clients[login].force_login(User.objects.get(username=login))
        return clients[login]

    def get(page) -> int:
        response = client_of(page.login).get(page.path)
        assert response.status_code == 200, (page.path, response.status_code)
        return len(response.content)

    if args.profile:
        page = by_key[args.profile]
        for _ in range(3):
            get(page)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            get(page)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return

    sizes, queries, times = {}, {}, {key: [] for key in wanted}
    for key in wanted:
        page = by_key[key]
        get(page)
        seen: list[str] = []

        def count(execute, sql, params, many, context, seen=seen):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            sizes[key] = get(page)
        queries[key] = len(seen)
    for _ in range(args.rounds):
        for key in wanted:
            page = by_key[key]
            round_times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                get(page)
                round_times.append(time.perf_counter() - started)
            times[key].append(statistics.median(round_times) * 1000)
    bare = statistics.median(times["bare"]) if "bare" in times else None
    print(f"{os.getcwd()}: median ms of {args.repeat} requests, median of {args.rounds} interleaved rounds")
    for key in wanted:
        ms = statistics.median(times[key])
        ratio = f"{bare / ms:.2f}" if bare else "-"
        print(f"  {key:<10} {ms:7.1f} ms  (rounds {', '.join(f'{t:.1f}' for t in times[key])})  ratio {ratio}  "
              f"queries {queries[key]}  html {sizes[key] / 1024:.0f} KiB  {by_key[key].path}")


if __name__ == "__main__":
    main()
