"""The whole demo (`manage.py load_demo`) loads ONCE for every module of tests/demo.

It loads inside a transaction that is rolled back when the package is done, so other test
folders never see the demo districts; each test runs in its own savepoint inside it (pytest-django
rolls it back), so a test may edit, rerun or reset the demo without disturbing the next one.
Rendered PDFs and the demo certificate go to a temporary folder.
"""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

# Hashing the demo passwords with full PBKDF2 would cost seconds; the command does not care.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The Kirovsky self-diagnostics answer through the services one submission at a time: the demo's 45 % costs
# ~30 s on SQLite and minutes on PostgreSQL with its round trips. The package's load invites this share instead;
# the tests check the coverage against the share used and that the demo itself is configured at 45 %.
KIROVSKY_TEST_SHARE = 0.15


@pytest.fixture(scope="package")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """What the first `load_demo` printed."""
    import demo.diagnostics_kirovsky as kirovsky

    folder = tmp_path_factory.mktemp("demo")
    configured, kirovsky.INVITED_SHARE = kirovsky.INVITED_SHARE, KIROVSKY_TEST_SHARE
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=folder / "media",
        REPORT_SIGNING_DEMO_CA_DIR=folder / "certs", REPORT_SIGNING_TRUST_ROOTS=[], REPORT_SIGNING_TIMESTAMP_URL="",
    ), transaction.atomic():
        out = StringIO()
        try:
            call_command("load_demo", stdout=out)
        finally:
            kirovsky.INVITED_SHARE = configured
        yield out.getvalue()
        transaction.set_rollback(True)  # leave the test database as the other folders expect it


@pytest.fixture
def small_kirovsky_diagnostics(monkeypatch):
    """For a test that reloads the whole demo to check something else (a reset of the registry or the surveys):
    the Kirovsky self-diagnostics answer through the services one submission at a time (~30 s at the demo's
    40 %), so such a reload invites 5 % of the district. The coverage itself is checked on the package's load."""
    import demo.diagnostics_kirovsky

    monkeypatch.setattr(demo.diagnostics_kirovsky, "INVITED_SHARE", 0.05)
