"""The system check that a stored indicator's calculation is still registered (monitoring.E001)."""
import pytest
from django.core.checks import Tags, run_checks

from monitoring.checks import unregistered_calculations
from monitoring.models import Indicator

pytestmark = pytest.mark.django_db


def e001(errors):
    return [error for error in errors if error.id == "monitoring.E001"]


def test_registered_calculations_pass(network_programme):
    assert e001(run_checks(tags=[Tags.database], databases=["default"])) == []


def test_an_unregistered_calculation_fails_the_check(network_programme):
    # As if the code registering «net_schools_share» had been renamed after indicators were saved.
    Indicator.objects.filter(programme=network_programme, code="net_schools_share").update(calculation="net_schools_old")
    (error,) = e001(run_checks(tags=[Tags.database], databases=["default"]))
    assert error.is_serious()
    assert "'net_schools_old'" in error.msg and "network/net_schools_share" in error.msg
    # The other computed indicators of the programme are still fine and are not named.
    assert "net_teachers_cpd_share" not in error.msg


def test_the_check_reads_no_database_unless_asked(network_programme):
    Indicator.objects.filter(programme=network_programme, code="net_schools_share").update(calculation="gone")
    assert unregistered_calculations(databases=None) == []
    assert len(unregistered_calculations(databases=["default"])) == 1
