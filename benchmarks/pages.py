"""Page benchmark (issue 15.8): the portal's pages under load, each as a ratio to a bare logged-in Django page.

It starts gunicorn (2 sync workers, gunicorn.conf.py, DEBUG off, a production-like environment) on a prepared
database, logs in as a methodist, and runs a load generator — Debian's `wrk` if installed, else a small Python
client (threads, http.client, keep-alive) — with 16 concurrent connections over these pages, in interleaved
rounds (every round visits every page, the order reversed each round), so that a machine busy with something
else slows all pages alike and the ratios stay comparable:

    bare            a logged-in Django page, one trivial query (benchmarks/bench_urls.py)
    layout          the portal's base.html with an empty body (benchmarks/bench_urls.py)
    home            /
    organisations   the organisation list
    cluster         the largest cluster of the latest year
    planfact        the plan/fact table of the district's biggest programme
    teachers        the teacher list with a search (?q=иван)
    dashboard       the monitoring dashboard of that programme
    results         survey results of the campaign whose answers are nearest to 230

It prints a table — page, requests/s, p50, p95, ratio to the bare page — and writes the rounds to JSON.
The ratio is taken round by round (a page's requests/s over the bare page's of the same round), median of the
rounds; requests/s is all requests over all seconds; p50/p95 are medians of the rounds' percentiles.

Prepare a database (PostgreSQL, like production):

    createdb -h 127.0.0.1 -U postgres imc_bench_pages
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_pages
    DEBUG=true .venv/bin/python manage.py migrate && DEBUG=true .venv/bin/python manage.py load_demo
    # or a city: DEBUG=true .venv/bin/python manage.py generate_city   (demo/city.py)

Run (apt-get install wrk for the C load generator; without it the Python client is used):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_pages .venv/bin/python benchmarks/pages.py \
        --seconds 20 --rounds 2 --json var/bench/pages.json
    make bench-pages DATABASE_URL=… BENCH_ARGS="--seconds 8"

Options: --seconds N per page per round (default 20; a page so slow that fewer than --min-requests (32) would
finish gets a longer round, up to --max-seconds (90)), --rounds N (2), --connections N (16), --workers N (2),
--pages bare,home,… (a subset; bare is always measured), --user/--password (default: the demo's «metodist» /
demo12345, or the city's «metodist_admiralteysky» / city12345), --search WORD, --client wrk|python,
--json PATH, --server-log PATH (gunicorn's output; default a temporary file).

The environment given to gunicorn: DEBUG=false, SECRET_KEY (random per run), ALLOWED_HOSTS=127.0.0.1,localhost,
PORTAL_BASE_URL=http://127.0.0.1:<port>, SIGNING_CREDENTIALS_KEY (a random Fernet key) — what the system checks
core.E001 / reports.E003 demand with DEBUG off — CONN_MAX_AGE=60 (docker-compose.yml's), CACHE_URL=redis on
127.0.0.1:6379 db 14 when a Redis answers there (production shares the cache between workers), else locmem;
DJANGO_SETTINGS_MODULE=benchmarks.bench_settings. Any of them already set in your environment wins. Static files
are not requested (only the HTML of each page is). Not part of the test suite.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
SETTINGS = "benchmarks.bench_settings"
PAGE_ORDER = ("bare", "layout", "home", "organisations", "cluster", "planfact", "teachers", "dashboard", "results")
LABELS = {
    "bare": "bare logged-in page (one trivial query)",
    "layout": "the portal's base layout with an empty body",
    "home": "home",
    "organisations": "organisation list",
    "cluster": "cluster page",
    "planfact": "plan/fact table",
    "teachers": "teacher list with a search",
    "dashboard": "monitoring dashboard",
    "results": "survey results",
}
KNOWN_LOGINS = (("metodist", "demo12345"), ("metodist_admiralteysky", "city12345"))
TARGET_ANSWERS = 230
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    "JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p95_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"status_errors\\": %d, \\"socket_errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class Page:
    key: str
    path: str
    login: str  # username whose session requests it
    note: str = ""


@dataclass
class Round:
    round: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float | None  # None: no request finished within the round
    p95_ms: float | None
    p99_ms: float | None
    errors: int


@dataclass
class PageResult:
    page: Page
    rounds: list[Round] = field(default_factory=list)


# --- what to request: found in the prepared database ---------------------------------------------------

def discover(user: str | None, search: str) -> tuple[list[Page], dict[str, str]]:
    """Pages and the logins they need (username → password placeholder filled by the caller)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.db.models import Count, Q

    from clusters.models import Cluster
    from imc_portal.models import Role, User
    from monitoring.models import Programme
    from surveys.models import Campaign, ResponseStatus

    methodists = User.objects.filter(role=Role.METHODIST, district__isnull=False, is_active=True)
    if user:
        methodist = methodists.filter(username=user).first()
        if methodist is None:
            sys.exit(f"No active methodist with a district named «{user}» in this database.")
    else:
        known = {u.username: u for u in methodists.filter(username__in=[name for name, _ in KNOWN_LOGINS])}
        methodist = next((known[name] for name, _ in KNOWN_LOGINS if name in known), None) or \
            methodists.order_by("username").first()
        if methodist is None:
            sys.exit("No methodist with a district: load the demo (manage.py load_demo) or generate_city first.")
    district = methodist.district
    login = methodist.username
    pages = [Page("bare", "/bench/bare/", login), Page("layout", "/bench/layout/", login), Page("home", "/", login),
             Page("organisations", "/registry/organisations/", login)]
    cluster = (Cluster.objects.filter(district=district).annotate(n=Count("memberships"))
               .order_by("-year", "-n", "pk").first())
    if cluster:
        pages.append(Page("cluster", f"/registry/clusters/{cluster.pk}/", login,
                          f"«{cluster.name}» {cluster.year}, {cluster.n} organisations"))
    programme = (Programme.objects.filter(district=district).annotate(n=Count("indicators__values"))
                 .order_by("-n", "pk").first())
    if programme:
        pages.append(Page("planfact", f"/monitoring/{programme.pk}/", login, f"«{programme.name}», {programme.n} values"))
    pages.append(Page("teachers", "/registry/teachers/?" + urllib.parse.urlencode({"q": search}), login,
                      f"q={search}"))
    if programme:
        pages.append(Page("dashboard", f"/monitoring/{programme.pk}/dashboard/", login, f"«{programme.name}»"))
    campaigns = list(Campaign.objects.annotate(n=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)))
                     .filter(n__gt=0).values_list("pk", "district_id", "n", "title"))
    if campaigns:
        pk, district_id, n, title = min(campaigns, key=lambda c: (abs(c[2] - TARGET_ANSWERS), c[0]))
        reader = methodist if district_id == district.pk else \
            methodists.filter(district_id=district_id).order_by("username").first()
        if reader:
            pages.append(Page("results", f"/surveys/campaigns/{pk}/results/", reader.username,
                              f"«{title}», {n} answers"))
    logins = {page.login: "" for page in pages}
    return pages, logins


# --- the server ----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def server_env(port: int, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env["DATABASE_URL"] = database_url
    defaults = {
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": f"http://{HOST}:{port}",
        "SIGNING_CREDENTIALS_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "CONN_MAX_AGE": "60",
        "CACHE_URL": "redis://127.0.0.1:6379/14" if redis_answers() else "locmemcache://",
        "LOG_LEVEL": "WARNING",
    }
    for name, value in defaults.items():
        env.setdefault(name, value)
    return env


def start_server(port: int, workers: int, env: dict[str, str], log) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "imc_portal.wsgi:application", "-c", "gunicorn.conf.py",
               f"--bind={HOST}:{port}", f"--workers={workers}", "--timeout=120"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn and its workers: the group this script started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def request(port: int, path: str, *, method: str = "GET", body: str | None = None, headers: dict | None = None,
            timeout: float = 120) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        collected: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            collected.setdefault(name.lower(), []).append(value)
        return response.status, collected, data
    finally:
        conn.close()


def wait_ready(port: int, server: subprocess.Popen, deadline: float = 60) -> None:
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited at start-up (see --server-log)")
        try:
            status, _, _ = request(port, "/accounts/login/", timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def cookies_of(headers: dict[str, list[str]]) -> dict[str, str]:
    jar = {}
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def log_in(port: int, username: str, password: str) -> str:
    """The Cookie header of a logged-in session (the login form, as a browser posts it)."""
    status, headers, body = request(port, "/accounts/login/")
    jar = cookies_of(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token or "csrftoken" not in jar:
        raise RuntimeError(f"login page: HTTP {status}, no CSRF token")
    form = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": token.group(1).decode()})
    status, headers, _ = request(port, "/accounts/login/", method="POST", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={jar['csrftoken']}",
        "Referer": f"http://{HOST}:{port}/accounts/login/"})
    jar.update(cookies_of(headers))
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login as {username} failed (HTTP {status}); pass --user/--password")
    return f"sessionid={jar['sessionid']}; csrftoken={jar['csrftoken']}"


# --- load generators -----------------------------------------------------------------------------------

def run_wrk(port: int, path: str, cookie: str, seconds: float, connections: int, script: Path) -> Round:
    threads = max(1, min(2, connections))
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "120s", "-s", str(script),
         "-H", f"Cookie: {cookie}", f"http://{HOST}:{port}{path}"],
        capture_output=True, text=True, check=True)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("JSON "))
    data = json.loads(line[5:])
    secs = data["duration_us"] / 1e6
    done = data["requests"] > 0  # with none finished, wrk's percentiles are 0: no latency was measured
    p50, p95, p99 = ((data[f"p{p}_us"] / 1000 if done else None) for p in (50, 95, 99))
    return Round(0, data["requests"], secs, data["requests"] / secs, p50, p95, p99,
                 data["status_errors"] + data["socket_errors"])


def run_python(port: int, path: str, cookie: str, seconds: float, connections: int) -> Round:
    """16 threads, each a keep-alive connection, for `seconds`; latencies of the requests that finished."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        mine, failed = [], 0
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
                if time.monotonic() <= deadline:
                    mine.append(time.perf_counter() - t0)
                if response.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=120)
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=120)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = seconds
    done = sorted(latencies)

    def pct(p: float) -> float | None:
        return done[min(len(done) - 1, int(round(p / 100 * (len(done) - 1))))] * 1000 if done else None

    return Round(0, len(done), secs, len(done) / secs, pct(50), pct(95), pct(99), errors[0])


def drain(port: int, cookie: str, limit_ms: float, max_wait: float = 180) -> float:
    """Wait until the workers are idle again: a sync worker still serves requests queued by connections the load
    generator closed, which would slow the next page's round. Idle = three bare pages in a row under limit_ms."""
    started = time.monotonic()
    good = 0
    while good < 3 and time.monotonic() - started < max_wait:
        t0 = time.perf_counter()
        try:
            request(port, "/bench/bare/", headers={"Cookie": cookie})
        except OSError:
            good = 0
            continue
        good = good + 1 if (time.perf_counter() - t0) * 1000 < limit_ms else 0
    return time.monotonic() - started


# --- report --------------------------------------------------------------------------------------------

def summarise(results: dict[str, PageResult]) -> list[dict]:
    bare = {r.round: r.rps for r in results["bare"].rounds}
    rows = []
    for key in PAGE_ORDER:
        if key not in results:
            continue
        rounds = results[key].rounds
        requests = sum(r.requests for r in rounds)
        seconds = sum(r.seconds for r in rounds)
        ratios = [r.rps / bare[r.round] for r in rounds if bare.get(r.round)]
        rows.append({
            "page": key, "label": LABELS[key], "path": results[key].page.path, "note": results[key].page.note,
            "requests": requests, "rps": requests / seconds if seconds else 0.0,
            "p50_ms": median(r.p50_ms for r in rounds), "p95_ms": median(r.p95_ms for r in rounds),
            "ratio": median(ratios),
            "errors": sum(r.errors for r in rounds),
        })
    return rows


def median(values) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def fmt_rps(rps: float) -> str:
    return f"{rps:.1f}" if rps < 10 else f"{rps:.0f}"


def table(rows: list[dict]) -> str:
    bare = next(r for r in rows if r["page"] == "bare")
    lines = [f"| page | requests/s | p50 | p95 | vs the bare page ({fmt_rps(bare['rps'])} rps) |", "|---|---|---|---|---|"]
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.4f}" if r["ratio"] < 0.01 else \
            f"{r['ratio']:.3f}" if r["ratio"] < 0.1 else f"{r['ratio']:.2f}"
        errors = f" ({r['errors']} errors)" if r["errors"] else ""
        lines.append(f"| {r['label']} | {fmt_rps(r['rps'])}{errors} | {fmt_ms(r['p50_ms'])} | {fmt_ms(r['p95_ms'])} "
                     f"| {ratio} |")
    return "\n".join(lines)


def git_commit() -> str:
    """HEAD of the tree measured; BENCH_COMMIT names it when the tree is an exported copy (git archive)."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-requests", type=int, default=32,
                        help="a slow page's round lasts until about this many requests can finish (see --max-seconds)")
    parser.add_argument("--max-seconds", type=float, default=90, help="the longest round of a slow page")
    parser.add_argument("--pages", default=",".join(PAGE_ORDER))
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--search", default="иван")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--server-log", type=Path)
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("Set DATABASE_URL (or --database-url) to a prepared database: see the docstring.")
    if args.client == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk), use --client python")
    os.environ["DATABASE_URL"] = args.database_url

    wanted = {"bare", *[p.strip() for p in args.pages.split(",") if p.strip()]}
    unknown = wanted - set(PAGE_ORDER)
    if unknown:
        sys.exit(f"Unknown pages: {', '.join(sorted(unknown))}; known: {', '.join(PAGE_ORDER)}")
    pages, logins = discover(args.user, args.search)
    pages = [p for p in pages if p.key in wanted]
    for name in logins:
        logins[name] = args.password or dict(KNOWN_LOGINS).get(name, "demo12345")

    port = free_port()
    env = server_env(port, args.database_url)
    log_path = args.server_log or Path(tempfile.mkstemp(prefix="imc-bench-gunicorn-", suffix=".log")[1])
    workdir = Path(tempfile.mkdtemp(prefix="imc-bench-"))
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    database = urllib.parse.urlsplit(args.database_url)
    print(f"gunicorn :{port}, {args.workers} sync workers; {args.client}, {args.connections} connections, "
          f"{args.seconds:g} s × {args.rounds} rounds per page; database {database.hostname or ''}{database.path}; "
          f"cache {env['CACHE_URL']}; log {log_path}", flush=True)
    with open(log_path, "wb") as log:
        server = start_server(port, args.workers, env, log)
        try:
            wait_ready(port, server)
            cookies = {name: log_in(port, name, password) for name, password in logins.items()}
            durations = {}
            for page in pages:  # every page answers 200 to its user (not a redirect to the login form)
                alone = []
                for _ in range(2 * args.workers):  # and each worker has rendered it once (imports, templates)
                    t0 = time.perf_counter()
                    status, _, body = request(port, page.path, headers={"Cookie": cookies[page.login]})
                    alone.append(time.perf_counter() - t0)
                    if status != 200:
                        raise RuntimeError(f"{page.key} {page.path}: HTTP {status}")
                # A page of seconds would finish a handful of requests in a short round, all of them from the
                # start of the queue: such a page gets the time to finish --min-requests after the queue filled.
                needed = min(alone) * (args.min_requests + args.connections) / args.workers
                durations[page.key] = round(min(max(args.seconds, needed), max(args.seconds, args.max_seconds)))
                longer = f" (rounds of {durations[page.key]} s)" if durations[page.key] > args.seconds else ""
                print(f"  {page.key:<14}{page.path}  {page.note}; alone {fmt_ms(min(alone) * 1000)}{longer}",
                      flush=True)
            bare_cookie = cookies[pages[0].login]
            t0 = time.perf_counter()
            for _ in range(20):
                request(port, "/bench/bare/", headers={"Cookie": bare_cookie})
            idle_ms = max(50.0, (time.perf_counter() - t0) / 20 * 1000 * 5)
            results = {p.key: PageResult(p) for p in pages}
            for n in range(args.rounds):
                order = pages if n % 2 == 0 else list(reversed(pages))
                for page in order:
                    cookie = cookies[page.login]
                    seconds = durations[page.key]
                    if args.client == "wrk":
                        measured = run_wrk(port, page.path, cookie, seconds, args.connections, script)
                    else:
                        measured = run_python(port, page.path, cookie, seconds, args.connections)
                    measured.round = n
                    results[page.key].rounds.append(measured)
                    waited = drain(port, bare_cookie, idle_ms)
                    print(f"  round {n + 1} {page.key:<14}{measured.rps:8.1f} rps  p50 {fmt_ms(measured.p50_ms):>7}  "
                          f"p95 {fmt_ms(measured.p95_ms):>7}  errors {measured.errors}  (idle after {waited:.1f} s)",
                          flush=True)
        finally:
            stop_server(server)
            shutil.rmtree(workdir, ignore_errors=True)
    rows = summarise(results)
    print()
    print(table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": git_commit(),
            "cpus": os.cpu_count(), "client": args.client, "connections": args.connections, "workers": args.workers,
            "seconds": args.seconds, "rounds": args.rounds, "database": f"{database.hostname or ''}{database.path}",
            "cache": env["CACHE_URL"], "summary": rows,
            "rounds_by_page": {k: [asdict(r) for r in v.rounds] for k, v in results.items()},
        }, ensure_ascii=False, indent=1))
        print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    main()
