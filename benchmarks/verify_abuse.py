"""Benchmark: the public verification page /v/<code>/ under a junk upload, against a running gunicorn.

Issue 9 found that a 19 MiB junk «PDF» cost a worker 13 s (pyHanko scanning it byte by byte) and that
three at once made /healthz/ wait 14 s. The page now refuses it before parsing (reports/views_public.py);
the target is a refusal in under 0.2 s. This script measures, with a few bounded requests:

    1. a GET of the page (the CSRF cookie and token a browser would send back), and --warm concurrent
       GETs first: a gunicorn worker's very first request imports the URLconf (~0.4 s: matplotlib,
       openpyxl), whatever it asks for — that is start-up, not the refusal being measured,
    2. --requests sequential 19 MiB junk uploads: status, seconds, whether the Russian refusal is there,
    3. three junk uploads at once and a /healthz/ request during them: how long /healthz/ waits.

It makes 3 + --requests uploads: well under the default rate limit (20 per 10 minutes per address).

Start a server on your own port with production settings and a database holding a signed report
(`load_demo` signs two), e.g.:

    export DATABASE_URL=sqlite:////tmp/verify-bench.sqlite3 MEDIA_ROOT=/tmp/verify-bench-media
    DEBUG=true .venv/bin/python manage.py migrate && DEBUG=true .venv/bin/python manage.py load_demo
    DEBUG=false SECRET_KEY=bench PORTAL_BASE_URL=http://127.0.0.1:8100 ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/gunicorn imc_portal.wsgi:application --bind 127.0.0.1:8100 --workers 3 &
    .venv/bin/python benchmarks/verify_abuse.py --base-url http://127.0.0.1:8100

Without --code the script looks up a signed report's code in DATABASE_URL (Django settings).
Exit status 1 when a junk upload was not refused or took longer than --limit seconds.
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

MIB = 1024 * 1024
JUNK_BYTES = 19 * MIB
REFUSAL = "Файл слишком большой"


def signed_code_from_database() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from reports.models import FileRole, Report, ReportStatus

    report = Report.objects.filter(status=ReportStatus.SIGNED, files__role=FileRole.SIGNED_PDF).first()
    if report is None:
        sys.exit("No signed report in DATABASE_URL: run `manage.py load_demo` or pass --code.")
    return report.verification_code


class Target:
    def __init__(self, base_url: str, code: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = f"/v/{code}/"
        self.cookie = self.token = ""

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def prime(self) -> None:
        """GET the page once: the CSRF cookie and form token, as a browser would have them."""
        conn = self.connection()
        conn.request("GET", self.path)
        response = conn.getresponse()
        body = response.read().decode()
        if response.status != 200:
            sys.exit(f"GET {self.path} answered {response.status}: is the code right and the report signed?")
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        self.cookie = cookie.group(1) if cookie else ""
        self.token = token.group(1) if token else ""
        conn.close()

    def junk_body(self, kind: str) -> tuple[bytes, str]:
        boundary = uuid.uuid4().hex
        if kind == "zeros":  # a PDF header and nothing PDF-like after it: pyHanko scans back byte by byte
            junk = b"%PDF-1.7\n" + bytes(JUNK_BYTES - 9)
        else:  # random bytes between a PDF header and an %%EOF
            junk = b"%PDF-1.7\n" + os.urandom(JUNK_BYTES - 16) + b"\n%%EOF\n"
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{self.token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"spravka.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n"
        ).encode() + junk + f"\r\n--{boundary}--\r\n".encode()
        return body, f"multipart/form-data; boundary={boundary}"

    def upload(self, body: bytes, content_type: str) -> tuple[int, float, bool]:
        """(status, seconds from the first byte sent to the whole answer read, refusal text present)."""
        conn = self.connection()
        conn.connect()
        headers = {"Content-Type": content_type, "Content-Length": str(len(body)),
                   "Cookie": f"csrftoken={self.cookie}", "Referer": f"http://{self.host}:{self.port}{self.path}"}
        started = time.perf_counter()
        try:
            conn.request("POST", self.path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            status = response.status
        except (ConnectionError, http.client.HTTPException) as error:
            print(f"  connection error: {error!r}")
            return 0, time.perf_counter() - started, False
        finally:
            conn.close()
        return status, time.perf_counter() - started, REFUSAL in text

    def warm(self, count: int) -> None:
        """Concurrent GETs, so that every worker has imported the URLconf before anything is timed."""

        def get() -> None:
            conn = self.connection()
            conn.request("GET", self.path)
            conn.getresponse().read()
            conn.close()

        threads = [threading.Thread(target=get) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def healthz(self) -> tuple[int, float]:
        conn = self.connection()
        started = time.perf_counter()
        conn.request("GET", "/healthz/")
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8100")
    parser.add_argument("--code", help="verification code of a signed report (default: looked up in DATABASE_URL)")
    parser.add_argument("--requests", type=int, default=3, help="sequential junk uploads (1..10)")
    parser.add_argument("--limit", type=float, default=0.2, help="seconds a refusal may take")
    parser.add_argument("--junk", choices=["zeros", "random"], default="zeros",
                        help="zeros: header then zero bytes, no %%%%EOF (the issue's 13 s case); random: random bytes")
    parser.add_argument("--warm", type=int, default=12, help="concurrent warm-up GETs (0 = measure cold workers)")
    args = parser.parse_args()
    count = max(1, min(args.requests, 10))

    target = Target(args.base_url, args.code or signed_code_from_database())
    target.warm(max(0, min(args.warm, 32)))
    target.prime()
    body, content_type = target.junk_body(args.junk)
    print(f"{args.base_url}{target.path}: {len(body) / MIB:.1f} MiB junk «PDF» ({args.junk}) per upload")

    results = []
    for n in range(1, count + 1):
        status, seconds, refused = target.upload(body, content_type)
        results.append((status, seconds, refused))
        print(f"  upload {n}: HTTP {status} in {seconds * 1000:.0f} ms, Russian refusal: {'yes' if refused else 'NO'}")

    concurrent: list[tuple[int, float, bool]] = []
    threads = [threading.Thread(target=lambda: concurrent.append(target.upload(body, content_type))) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.01)
    health_status, health_seconds = target.healthz()
    for thread in threads:
        thread.join()

    times = [seconds for _, seconds, _ in results]
    print(f"sequential: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          f"(limit {args.limit * 1000:.0f} ms)")
    print(f"3 at once: {', '.join(f'HTTP {s} {t * 1000:.0f} ms' for s, t, _ in concurrent)}; "
          f"/healthz/ during them: HTTP {health_status} in {health_seconds * 1000:.0f} ms")
    everything = results + concurrent
    ok = all(status == 413 and refused for status, _, refused in everything) and max(times) < args.limit
    print("OK" if ok else "FAILED: a junk upload was not refused in time")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
