"""Fixtures of the surveys tests; the data they build comes from tests/surveys/factories.py.

The personas (district_a, school_a, methodist, methodist_client …) are tests/conftest.py's.
"""
import pytest
from django.core.cache import cache

from surveys.models import Audience, Questionnaire
from surveys.shipped import install_shipped_questionnaires
from tests.factories import OrganisationFactory

from .factories import all_kinds_questionnaire, make_campaign, results_questionnaire, seven_responses


@pytest.fixture
def kinds(district_a):
    """A teacher questionnaire of district A with one question of every kind."""
    return all_kinds_questionnaire(district_a)


@pytest.fixture
def org_kinds(district_a):
    """The same questions, filled by organisations (a criteria sheet)."""
    return all_kinds_questionnaire(district_a, audience=Audience.ORGANISATION, code="criteria")


@pytest.fixture
def seven_campaign(district_a, school_a, school_b):
    """An open teacher campaign with the seven responses of factories.seven_responses."""
    campaign = make_campaign(results_questionnaire(district_a), district_a)
    seven_responses(campaign, school_a, school_b)
    return campaign


@pytest.fixture
def shipped() -> dict[str, Questionnaire]:
    # The data migration installed them; a database flushed by a transactional test has lost them.
    return install_shipped_questionnaires()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache (core.ratelimit); link pks repeat from test to test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school_c(district_a):
    return OrganisationFactory(district=district_a, code="OU-C3", short_name="ГБОУ гимназия № 3")


@pytest.fixture(autouse=True)
def outbox_publishes_at_once(monkeypatch):
    """Tests run inside one transaction that never commits: the mail outbox publishes (and, with
    no broker, sends) at once instead of after the commit."""
    from core import outbox

    monkeypatch.setattr(outbox, "after_commit", lambda callback: callback())
