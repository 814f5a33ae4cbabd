"""The list and detail pages of the page benchmark, timed in-process, with their queries and a profile (issue 15.3).

The same pages as benchmarks/pages.py (its `discover`: the demo's or the city's methodist, the largest cluster,
the biggest programme's plan/fact table, the teacher search), requested one at a time through Django's test
client (not instrumented: no setup_test_environment) with DEBUG off and the production-like environment pages.py gives gunicorn, so that what a page adds
over the layout can be looked at without the noise of a loaded server:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_lists .venv/bin/python benchmarks/list_pages.py
    … benchmarks/list_pages.py --pages teachers --queries        # every SQL statement of one request
    … benchmarks/list_pages.py --pages organisations --profile 25  # cProfile of 20 requests, top 25 by cumulative time

Prints, per page, the median of --repeat requests (after one warm-up) in ms, the median CPU time of this process
(time.process_time: the Python side, less disturbed by a busy machine than the wall clock) and the number of queries.
Run it from the root of the tree to measure (an exported copy of an older commit works: it imports the tree it
runs in). Not part of the test suite.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages as bench_pages  # noqa: E402  (benchmarks/pages.py of the tree this file is in)

DEFAULT_PAGES = "bare,layout,organisations,cluster,planfact,teachers"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default=DEFAULT_PAGES)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request of each page")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile, the top N functions")
    parser.add_argument("--search", default="иван")
    parser.add_argument("--extra", action="append", default=[], metavar="KEY=PATH",
                        help="another page to time, e.g. communities=/registry/communities/")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        sys.exit("DATABASE_URL must name the prepared database.")
    os.environ.update({k: v for k, v in bench_pages.server_env(8000, database_url).items() if k not in os.environ})
    os.environ["CONN_MAX_AGE"] = "60"
    found, _ = bench_pages.discover(None, args.search)

    from django.db import connection
    from django.test import Client

    from imc_portal.models import User

    wanted = args.pages.split(",")
    chosen = [p for p in found if p.key in wanted]
    for extra in args.extra:
        key, path = extra.split("=", 1)
        chosen.append(bench_pages.Page(key, path, found[0].login))
    clients: dict[str, Client] = {}

    def client_for(login: str) -> Client:
        if login not in clients:
            clients[login] = Client(HTTP_HOST="127.0.0.1")
            clients[login].force_login(User.objects.get(username=login))
        return clients[login]

    for page in chosen:
        client = client_for(page.login)

        def get(client=client, page=page):
            response = client.get(page.path)
            assert response.status_code == 200, (page.path, response.status_code)
            return response

        size = len(get().content)
        seen: list[str] = []

        def count(execute, sql, params, many, context, seen=seen):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                ms = (time.perf_counter() - started) * 1000
                seen.append(f"{ms:6.2f} ms  " + (sql % tuple(repr(p) for p in params) if params and not many else sql))

        with connection.execute_wrapper(count):
            get()
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            get()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(f"{page.key:14} {statistics.median(times):7.1f} ms  (min {min(times):6.1f}, "
              f"python CPU {statistics.median(cpu):6.1f}, min {min(cpu):5.1f})  queries {len(seen):3}  "
              f"{size // 1024} KiB  {page.path}", flush=True)
        if args.queries:
            for sql in seen:
                print("    ", sql[:600])
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                get()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
