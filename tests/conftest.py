"""Personas (healthchecks' alice/bob pattern): every view test has an allowed and a refused one.

District A holds schools A and B; district B is somebody else's. Users:
methodist, director, observer (district A); school_admin (school A); other_school_admin
(school B); other_methodist (district B); portal_admin; anonymous (a client nobody logged in with).
Each logged-in persona has a `<persona>_client`; `login(user)` logs in anybody else.

Data comes from factory_boy factories: the registry and users in tests/factories.py, the other
apps in tests/<app>/factories.py. Fixtures of one app's tests live in tests/<app>/conftest.py.
The whole suite hashes passwords with MD5 (`_suite_hashes_passwords_with_md5`).
"""
import pytest
from django.test import Client

from core.roles import Role

from .factories import (
    DistrictFactory,
    MethodCentreFactory,
    OrganisationFactory,
    UserFactory,
)

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _suite_hashes_passwords_with_md5():
    """Every user the suite creates (factories, create_user, load_demo) is hashed with MD5.

    The production PBKDF2 costs ~0.3 s per password on these machines and most tests create
    several personas; MD5 keeps login and check_password behaving the same at no cost.
    override_settings (not a plain assignment) clears Django's cached hasher list.
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True, scope="session")
def _files_outside_the_working_tree(tmp_path_factory):
    """Rendered PDFs and the demo signing certificate go to a temporary folder, not media/ or var/."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("portal-files")
    saved = settings.MEDIA_ROOT, settings.REPORT_SIGNING_DEMO_CA_DIR
    settings.MEDIA_ROOT = str(root / "media")
    settings.REPORT_SIGNING_DEMO_CA_DIR = root / "certs"
    yield
    settings.MEDIA_ROOT, settings.REPORT_SIGNING_DEMO_CA_DIR = saved


@pytest.fixture(autouse=True, scope="session")
def _pages_rendered_on_every_request():
    """Pages are not kept between requests (core/page_cache.py) unless a test turns it on: a test that changes a
    setting or the clock between two requests of unchanged data would otherwise get the first page back.
    tests/core/test_page_cache.py tests the keeping itself."""
    from django.conf import settings

    saved = settings.PAGE_CACHE_ENABLED
    settings.PAGE_CACHE_ENABLED = False
    yield
    settings.PAGE_CACHE_ENABLED = saved


@pytest.fixture
def district_a(db):
    district = DistrictFactory(name="Фрунзенский район", code="frunzensky")
    MethodCentreFactory(district=district)
    return district


@pytest.fixture
def district_b(db):
    district = DistrictFactory(name="Кировский район", code="kirovsky")
    MethodCentreFactory(district=district, director_name="И.И. Петров")
    return district


@pytest.fixture
def school_a(district_a):
    return OrganisationFactory(district=district_a, code="OU-A", short_name="ГБОУ СОШ № 1")


@pytest.fixture
def school_b(district_a):
    return OrganisationFactory(district=district_a, code="OU-B", short_name="ГБОУ СОШ № 2")


@pytest.fixture
def school_other_district(district_b):
    return OrganisationFactory(district=district_b, code="OU-C", short_name="ГБОУ лицей № 3")


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def methodist(district_a):
    return UserFactory(username="methodist", role=Role.METHODIST, district=district_a)


@pytest.fixture
def director(district_a):
    return UserFactory(username="director", role=Role.DIRECTOR, district=district_a, last_name="Римкявичене")


@pytest.fixture
def observer(district_a):
    return UserFactory(username="observer", role=Role.OBSERVER, district=district_a)


@pytest.fixture
def school_admin(school_a):
    return UserFactory(username="school_admin", role=Role.SCHOOL_ADMIN, organisation=school_a)


@pytest.fixture
def other_school_admin(school_b):
    return UserFactory(username="other_school_admin", role=Role.SCHOOL_ADMIN, organisation=school_b)


@pytest.fixture
def other_methodist(district_b):
    return UserFactory(username="other_methodist", role=Role.METHODIST, district=district_b)


@pytest.fixture
def portal_admin(db):
    return UserFactory(username="portal_admin", role=Role.PORTAL_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def methodist_client(methodist):
    return _login(methodist)


@pytest.fixture
def director_client(director):
    return _login(director)


@pytest.fixture
def observer_client(observer):
    return _login(observer)


@pytest.fixture
def school_admin_client(school_admin):
    return _login(school_admin)


@pytest.fixture
def other_school_admin_client(other_school_admin):
    return _login(other_school_admin)


@pytest.fixture
def other_methodist_client(other_methodist):
    return _login(other_methodist)


@pytest.fixture
def portal_admin_client(portal_admin):
    return _login(portal_admin)


@pytest.fixture
def anonymous(db) -> Client:
    """A visitor who has not logged in (same as pytest-django's `client`, named as a persona)."""
    return Client()


@pytest.fixture
def login():
    """login(user) -> a Client logged in as that user."""
    return _login


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in the test's own process (and transaction) unless a test asks for the real worker.

    CI sets CELERY_BROKER_URL, which would otherwise send every task to Redis with nobody
    listening; tests about the worker use the `celery_worker_process` fixture instead.
    """
    from django.conf import settings

    from imc_portal.celery import app

    previous = app.conf.task_always_eager, settings.EMBEDDED_TASKS
    app.conf.task_always_eager = True
    # Synchronously, in the request, not on the embedded worker's thread (a test asks for "thread").
    settings.EMBEDDED_TASKS = "eager"
    yield
    app.conf.task_always_eager, settings.EMBEDDED_TASKS = previous


def worker_database_url() -> str:
    """DATABASE_URL of the test database, for another process (a worker, a server) to read it."""
    from django.db import connection

    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        database_url = database_url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    return database_url


@pytest.fixture
def celery_worker_process(celery_eager, transactional_db):
    """A real Celery worker process on the configured broker, reading the test database.

    Needs PostgreSQL and a broker (CELERY_BROKER_URL) — what CI has. On the embedded default
    (in-memory SQLite, no broker) another process cannot see the test database: the test is
    skipped there, and in CI a missing broker is an error.
    """
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    from imc_portal.celery import app

    broker = settings.CELERY_BROKER_URL
    if connection.vendor != "postgresql" or not broker:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI must run the worker tests on PostgreSQL with CELERY_BROKER_URL set", pytrace=False)
        pytest.skip("a real worker needs PostgreSQL and CELERY_BROKER_URL (as in CI)")
    database_url = worker_database_url()
    app.conf.task_always_eager = False
    app.control.purge()
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker,
           # The worker writes files where this test process reads them.
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "REPORT_SIGNING_DEMO_CA_DIR": str(settings.REPORT_SIGNING_DEMO_CA_DIR)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "imc_portal", "worker", "--pool=solo", "--loglevel=warning",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h"],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError("Celery worker exited: " + worker.stdout.read().decode(errors="replace")[-2000:])
        if app.control.ping(timeout=0.5):
            break
    else:
        worker.kill()
        raise RuntimeError("Celery worker did not answer a ping within 30 s")
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
