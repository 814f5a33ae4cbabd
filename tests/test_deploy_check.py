"""`manage.py check --deploy` passes with the production environment and fails without it.

Runs Django's deployment checks in a subprocess, because settings are read once from the
environment at start-up: the same way docker-compose.yml starts the portal.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables the deployment checks depend on; stripped from the inherited environment so a
# developer's shell cannot change the outcome.
SECURITY_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "STATICFILES_STORAGE",
    "PORTAL_BASE_URL",
    "SIGNING_CREDENTIALS_KEY",
    # Set by the browser tests for their own process; check --deploy rightly refuses it (async.E001).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "imc.example.ru",
    "CSRF_TRUSTED_ORIGINS": "https://imc.example.ru",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "PORTAL_BASE_URL": "https://imc.example.ru",
    "SIGNING_CREDENTIALS_KEY": "gYQ1lPp8cJ3P3b9vO0d1b1HnGm8Uq0nY5y2w4Zr6tXc=",
}

# The development defaults, stated explicitly so that a local .env cannot turn them into
# production values (settings read .env, but the process environment wins).
DEVELOPMENT = {
    "DEBUG": "true",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
}


def run_deploy_check(variables: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SECURITY_VARIABLES}
    env.update(variables)
    env["DJANGO_SETTINGS_MODULE"] = "imc_portal.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *(arguments or ("check", "--deploy", "--fail-level", "WARNING"))],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_environment_passes_deploy_check():
    result = run_deploy_check(PRODUCTION)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_development_defaults_fail_deploy_check():
    result = run_deploy_check(DEVELOPMENT)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W018"):
        assert check_id in output, f"{check_id} not reported:\n{output}"


@pytest.mark.skipif((BASE_DIR / ".env").exists(), reason="a local .env may set SECRET_KEY")
def test_default_secret_key_is_refused_in_production():
    variables = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = run_deploy_check(variables)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "security.W009" in output


def test_production_without_portal_base_url_is_refused():
    """Signed PDFs print PORTAL_BASE_URL; with DEBUG off it must be set (core.E001)."""
    variables = {k: v for k, v in PRODUCTION.items() if k != "PORTAL_BASE_URL"}

    result = run_deploy_check(variables)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "core.E001" in output


def test_production_without_a_signing_credentials_key_is_refused():
    """Signers' PKCS#12 files are sealed with SIGNING_CREDENTIALS_KEY; with DEBUG off it must be set (reports.E003)."""
    variables = {k: v for k, v in PRODUCTION.items() if k != "SIGNING_CREDENTIALS_KEY"}

    result = run_deploy_check(variables)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "reports.E003" in output


def test_the_servers_variables_are_asked_by_the_deployment_checks_only():
    """core.E001 / reports.E003 are about a server's environment: a developer's `check` or
    `makemigrations --check` with DEBUG off (no .env) runs; `check --deploy` (compose's migrate) refuses."""
    variables = {k: v for k, v in PRODUCTION.items() if k not in ("PORTAL_BASE_URL", "SIGNING_CREDENTIALS_KEY")}

    for arguments in (("check", "--fail-level", "ERROR"), ("makemigrations", "--check", "--dry-run")):
        result = run_deploy_check(variables, *arguments)
        assert result.returncode == 0, result.stdout + result.stderr
    result = run_deploy_check(variables, "check", "--deploy", "--fail-level", "ERROR")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "core.E001" in output and "reports.E003" in output, output
