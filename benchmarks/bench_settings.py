"""Settings of the page benchmark (benchmarks/pages.py): the portal's own settings, plus two benchmark pages.

Everything comes from imc_portal.settings and its environment (pages.py gives gunicorn a production-like one:
DEBUG off, its own SECRET_KEY, PORTAL_BASE_URL and SIGNING_CREDENTIALS_KEY); only the URLconf differs —
benchmarks/bench_urls.py is the portal's URLconf plus /bench/bare/ and /bench/layout/. No portal code changes.
"""
from imc_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
