"""Personas (healthchecks' alice/bob pattern): every view test has an allowed and a refused one.

District A holds schools A and B; district B is somebody else's. Users:
methodist, director, observer (district A); school_admin (school A); other_school_admin
(school B); other_methodist (district B); portal_admin; anonymous (the plain `client`).
"""
import pytest
from django.test import Client

from imc_portal.models import Role

from .factories import (
    DistrictFactory,
    MethodCentreFactory,
    OrganisationFactory,
    UserFactory,
)


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
def login():
    """login(user) -> a Client logged in as that user."""
    return _login


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in the test's own process (and transaction) unless a test asks for the real worker.

    CI sets CELERY_BROKER_URL, which would otherwise send every task to Redis with nobody
    listening; tests about the worker use the `celery_worker_process` fixture instead.
    """
    from imc_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
