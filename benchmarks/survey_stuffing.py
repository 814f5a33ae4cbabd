"""Benchmark: 10,000 anonymous submissions of a teacher questionnaire through the public links,
from 20 concurrent clients, against gunicorn and PostgreSQL on 127.0.0.1.

Builds a fresh PostgreSQL database (its name must contain «bench»; dropped and created by the
script), a district with 20 schools and an open campaign of the shipped teacher questionnaire
Приложение 2 («methodical-support»: multiple choice with «Другое», Likert grids, yes/no grid, free
text), then starts gunicorn on 127.0.0.1:8123 with the repository's gunicorn.conf.py (the masking
access log) and Redis on 127.0.0.1 as the shared cache of the rate limit.

Each of the 20 client threads (http.client, keep-alive) repeatedly opens a school's link (which
redirects to the form with its signed key), reads the key and the CSRF token from the page and
posts the answers; every 20th form is posted a second time, as Back + «Отправить» would. The
rate limit stays at its default (30 accepted answers per address and link in 10 minutes): the
clients spread over distinct X-Forwarded-For addresses (TRUSTED_PROXY_COUNT=1, as behind nginx),
at most 25 submissions per address. Then two probes: forged keys must be refused (400, nothing
stored), and 31 answers from one new address through one link must give 30 accepted and one 429.

Checks: stored responses = accepted submissions, every accepted key stored exactly once (no
duplicates from the resubmits), the access log holds no link token and no form key. Prints p50/p95
latency of the POST and of the whole open-form-and-send cycle, and the throughput.

    .venv/bin/python benchmarks/survey_stuffing.py          # DATABASE_URL defaults to the one below
    .venv/bin/python benchmarks/survey_stuffing.py --submissions 2000 --clients 10

Bounded: every request has a 30 s timeout and the whole load a deadline (--deadline, 1800 s);
gunicorn is stopped at the end whatever happens. Touches only 127.0.0.1. Not part of the tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imc_bench_stuffing")
CACHE_URL = "redis://127.0.0.1:6379/13"  # the benchmark's own Redis database, flushed at the start
HOST = "127.0.0.1"
PER_ADDRESS = 25  # submissions per X-Forwarded-For address: under the default limit of 30
RESUBMIT_EVERY = 20
SCHOOLS = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--deadline", type=int, default=1800, help="seconds for the whole load")
    return parser.parse_args()


def ensure_database(url: str) -> None:
    """Drop and create the benchmark database before Django connects to it."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql", "pgsql") or "bench" not in name:
        sys.exit(f"Run the benchmark on its own PostgreSQL database (a name with «bench»), not {url!r}")
    if parsed.hostname not in (None, "127.0.0.1", "localhost"):
        sys.exit("The benchmark touches only 127.0.0.1")
    admin = psycopg2.connect(dbname="postgres", user=parsed.username or "postgres", password=parsed.password,
                             host=parsed.hostname or HOST, port=parsed.port or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


ARGS = parse_args()
ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from clusters import models as cm  # noqa: E402
from surveys.models import Campaign, CampaignLink, Question, Questionnaire, Response  # noqa: E402
from surveys.responses import questionnaire_structure  # noqa: E402
from surveys.services import campaign_links_sync  # noqa: E402
from surveys.shipped import METHODICAL_SUPPORT, install_shipped_questionnaires  # noqa: E402

# --- the data --------------------------------------------------------------------------------------


def answer_of(question: Question) -> list[tuple[str, str]]:
    """Valid form data for one question (the form-data contract of surveys/responses.py)."""
    name = f"q{question.pk}"
    options = list(question.options.all())
    if question.is_grid:
        return [(f"{name}_r{row.pk}", str(options[0].pk)) for row in question.rows.all()]
    if question.is_choice:
        return [(name, str(options[0].pk))] if options else [(name, "other"), (f"{name}_other", "Своё")]
    if question.is_number:
        return [(name, str(question.min_value if question.min_value is not None else 5))]
    return [(name, "Больше практических занятий")]


def build_world() -> tuple[list[str], list[tuple[str, str]], int]:
    """District, schools, an open campaign of Приложение 2: (link tokens, answers, campaign pk)."""
    install_shipped_questionnaires()
    region = cm.Region.objects.create(name="Санкт-Петербург")
    district = cm.District.objects.create(region=region, name="Нагрузочный район", code="bench-stuffing")
    for i in range(SCHOOLS):
        cm.Organisation.objects.create(district=district, code=f"S{i:03d}", short_name=f"ГБОУ СОШ № {i + 1}",
                                       full_name=f"ГБОУ СОШ № {i + 1}", kind=cm.OrganisationKind.SCHOOL)
    questionnaire = Questionnaire.objects.get(code=METHODICAL_SUPPORT, district__isnull=True)
    now = timezone.now()
    campaign = Campaign.objects.create(questionnaire=questionnaire, district=district, title="Нагрузка",
                                       opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10))
    campaign_links_sync(campaign)
    tokens = list(CampaignLink.objects.filter(campaign=campaign, organisation__isnull=False)
                  .order_by("pk").values_list("token", flat=True))
    answers = [pair for question in questionnaire_structure(questionnaire) for pair in answer_of(question)]
    return tokens, answers, campaign.pk


# --- the server ------------------------------------------------------------------------------------


def server_env(port: int) -> dict[str, str]:
    return {
        **os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(40), "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"http://{HOST}:{port}", "PORTAL_BASE_URL": f"http://{HOST}:{port}",
        "CACHE_URL": CACHE_URL, "TRUSTED_PROXY_COUNT": "1", "CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING",
        "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
    }


def start_gunicorn(port: int, workers: int, access_log: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "imc_portal.wsgi:application", "-c", "gunicorn.conf.py",
               "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "60",
               "--access-logfile", str(access_log)]
    return subprocess.Popen(command, cwd=ROOT, env=server_env(port), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def wait_ready(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer /healthz/ in time")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# --- the clients -----------------------------------------------------------------------------------

KEY = re.compile(r'name="submission_key" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One keep-alive connection with its cookies (the CSRF cookie), as one computer would have."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, address: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {"X-Forwarded-For": address, "Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            raise
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), content

    def open_form(self, token: str, address: str) -> tuple[str, str, str]:
        """The form's URL, key and CSRF token, through the link's redirect."""
        status, location, _ = self.request("GET", f"/s/{token}/", address)
        if status != 302:
            raise RuntimeError(f"link answered {status}")
        status, _, page = self.request("GET", location, address)
        if status != 200:
            raise RuntimeError(f"form answered {status}")
        return location, KEY.search(page).group(1), CSRF.search(page).group(1)


@dataclass
class Tally:
    accepted: list[str] = field(default_factory=list)  # keys answered 302 → thanks
    resubmits: int = 0
    resubmits_thanked: int = 0
    limited: int = 0
    errors: list[str] = field(default_factory=list)
    post_seconds: list[float] = field(default_factory=list)
    cycle_seconds: list[float] = field(default_factory=list)


def address_of(client: int, index: int) -> str:
    """A distinct address per PER_ADDRESS submissions of a client (10.c.x.y)."""
    block = index // PER_ADDRESS
    return f"10.{client}.{block // 250}.{block % 250 + 1}"


def one_submission(browser: Browser, token: str, address: str, answers: str, tally: Tally, resubmit: bool) -> None:
    started = time.perf_counter()
    url, key, csrf = browser.open_form(token, address)
    body = f"{answers}&{urlencode({'submission_key': key, 'csrfmiddlewaretoken': csrf})}"
    posted = time.perf_counter()
    status, location, _ = browser.request("POST", url, address, body)
    done = time.perf_counter()
    tally.post_seconds.append(done - posted)
    tally.cycle_seconds.append(done - started)
    if status == 302 and location.endswith("/thanks/"):
        tally.accepted.append(key)
    elif status == 429:
        tally.limited += 1
    else:
        tally.errors.append(f"POST {status}")
    if resubmit:  # Back + «Отправить»: the same form, the same key
        tally.resubmits += 1
        status, location, _ = browser.request("POST", url, address, body)
        tally.resubmits_thanked += status == 302 and location.endswith("/thanks/")


def client_loop(client: int, count: int, tokens: list[str], answers: str, port: int, deadline: float,
                tally: Tally) -> None:
    browser = Browser(port)
    for index in range(count):
        if time.monotonic() > deadline:
            tally.errors.append("deadline reached")
            return
        token = tokens[(client + index) % len(tokens)]
        try:
            one_submission(browser, token, address_of(client, index), answers, tally,
                           resubmit=index % RESUBMIT_EVERY == RESUBMIT_EVERY - 1)
        except (OSError, http.client.HTTPException, RuntimeError, AttributeError) as error:
            tally.errors.append(f"{type(error).__name__}: {error}")


def run_load(tokens: list[str], answers: str) -> tuple[Tally, float]:
    tallies = [Tally() for _ in range(ARGS.clients)]
    per_client = [ARGS.submissions // ARGS.clients + (i < ARGS.submissions % ARGS.clients) for i in range(ARGS.clients)]
    deadline = time.monotonic() + ARGS.deadline
    threads = [threading.Thread(target=client_loop, args=(i, per_client[i], tokens, answers, ARGS.port, deadline,
                                                          tallies[i]), daemon=True) for i in range(ARGS.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 60)
    elapsed = time.perf_counter() - started
    total = Tally()
    for tally in tallies:
        total.accepted += tally.accepted
        total.resubmits += tally.resubmits
        total.resubmits_thanked += tally.resubmits_thanked
        total.limited += tally.limited
        total.errors += tally.errors
        total.post_seconds += tally.post_seconds
        total.cycle_seconds += tally.cycle_seconds
    return total, elapsed


# --- the probes ------------------------------------------------------------------------------------


def forged_key_probe(token: str, answers: str) -> list[int]:
    """A key the client chose and a key of another link: refused (400), nothing stored."""
    browser = Browser(ARGS.port)
    url, _, csrf = browser.open_form(token, "10.250.0.1")
    statuses = []
    for key in ("k" * 32, "A" * 22 + ":" + "B" * 43):
        body = f"{answers}&{urlencode({'submission_key': key, 'csrfmiddlewaretoken': csrf})}"
        statuses.append(browser.request("POST", url, "10.250.0.1", body)[0])
    return statuses


def rate_limit_probe(token: str, answers: str, tally: Tally) -> list[int]:
    """31 answers from one new address through one link: the 31st must be 429."""
    browser = Browser(ARGS.port)
    statuses = []
    for _ in range(31):
        url, key, csrf = browser.open_form(token, "10.251.0.1")
        body = f"{answers}&{urlencode({'submission_key': key, 'csrfmiddlewaretoken': csrf})}"
        status, location, _ = browser.request("POST", url, "10.251.0.1", body)
        statuses.append(status)
        if status == 302 and location.endswith("/thanks/"):
            tally.accepted.append(key)
    return statuses


# --- the checks --------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def check_storage(campaign_pk: int, accepted: list[str]) -> list[str]:
    stored = list(Response.objects.filter(campaign_id=campaign_pk).values_list("submission_key", flat=True))
    accepted_nonces = [key.split(":", 1)[0] for key in accepted]
    problems = []
    if len(stored) != len(accepted):
        problems.append(f"stored {len(stored)} != accepted {len(accepted)}")
    if len(set(stored)) != len(stored):
        problems.append("a submission key is stored more than once")
    if set(stored) != set(accepted_nonces) or len(set(accepted_nonces)) != len(accepted_nonces):
        problems.append("stored keys differ from the accepted ones")
    return problems


def check_access_log(path: Path, tokens: list[str], accepted: list[str]) -> tuple[int, list[str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    leaks = [t for t in tokens if t in text] + [k for k in accepted[:200] if k.split(":", 1)[0] in text]
    return text.count("/s/…/"), leaks


def report(tally: Tally, elapsed: float, forged: list[int], limited: list[int], problems: list[str],
           masked: int, leaks: list[str]) -> None:
    ms = 1000
    print(f"clients {ARGS.clients}, gunicorn workers {ARGS.workers}, submissions asked {ARGS.submissions}")
    print(f"accepted {len(tally.accepted)} (incl. the probe's), refused by the rate limit {tally.limited}, "
          f"errors {len(tally.errors)}{' e.g. ' + tally.errors[0] if tally.errors else ''}")
    print(f"Back + resubmit: {tally.resubmits} posted again, {tally.resubmits_thanked} thanked, none stored twice")
    print(f"POST latency p50 {percentile(tally.post_seconds, .5) * ms:.0f} ms, "
          f"p95 {percentile(tally.post_seconds, .95) * ms:.0f} ms; open-form-and-send cycle "
          f"p50 {percentile(tally.cycle_seconds, .5) * ms:.0f} ms, p95 {percentile(tally.cycle_seconds, .95) * ms:.0f} ms")
    print(f"throughput {len(tally.post_seconds) / elapsed:.1f} submissions/s over {elapsed:.1f} s "
          f"(mean cycle {statistics.fmean(tally.cycle_seconds) * ms:.0f} ms)" if tally.cycle_seconds else "no load")
    print(f"forged keys answered {forged} (want 400 400)")
    print(f"one address, one link, 31 answers: {limited.count(302)} accepted, then {limited[30:]} (want [429])")
    print(f"access log: {masked} masked survey lines, {len(leaks)} tokens or keys found in it")
    print("stored = accepted, each key once: " + ("yes" if not problems else "NO — " + "; ".join(problems)))


def main() -> int:
    import redis

    call_command("migrate", verbosity=0, skip_checks=True)
    tokens, pairs, campaign_pk = build_world()
    answers = urlencode(pairs)
    redis.Redis.from_url(CACHE_URL).flushdb()
    access_log = Path(tempfile.mkdtemp(prefix="imc-bench-")) / "access.log"
    server = start_gunicorn(ARGS.port, ARGS.workers, access_log)
    try:
        wait_ready(ARGS.port, server)
        tally, elapsed = run_load(tokens, answers)
        forged = forged_key_probe(tokens[0], answers)
        limited = rate_limit_probe(tokens[1], answers, tally)
    finally:
        stop(server)
    problems = check_storage(campaign_pk, tally.accepted)
    masked, leaks = check_access_log(access_log, tokens, tally.accepted)
    report(tally, elapsed, forged, limited, problems, masked, leaks)
    ok = not problems and not leaks and forged == [400, 400] and limited[30:] == [429] and not tally.errors
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
