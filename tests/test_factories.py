"""The factories make rows the models accept, so a model change that breaks them fails here first."""
import hashlib

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.storage import default_storage

from core.roles import Role
from tests import factories as registry
from tests.diagnostics import factories as diagnostics
from tests.monitoring import factories as monitoring
from tests.network import factories as network
from tests.reports import factories as reports

pytestmark = pytest.mark.django_db

EVERY_FACTORY = [
    registry.DistrictFactory, registry.MethodCentreFactory, registry.OrganisationFactory, registry.TeacherFactory,
    registry.ClusterFactory, registry.ClusterMembershipFactory, registry.CommunityFactory,
    registry.CommunityMembershipFactory, registry.TrainingProgramFactory, registry.TrainingCompletionFactory,
    registry.IndividualRouteFactory, registry.InnovationProjectFactory, registry.MentorshipFactory,
    registry.EventFactory, registry.UserFactory,
    monitoring.ProgrammeFactory, monitoring.PeriodFactory, monitoring.IndicatorFactory, monitoring.ValueFactory,
    monitoring.PeriodApprovalFactory, monitoring.RecomputeJobFactory,
    reports.OutgoingCounterFactory, reports.ReportFactory, reports.ReportFileFactory, reports.RenderJobFactory,
    network.ProcedureFactory, network.AssessmentResultFactory, network.TierSettingsFactory,
    network.OrganisationPairFactory, network.PairActivityFactory, network.PracticeTagFactory, network.PracticeFactory,
    network.MentorProfileFactory,
    diagnostics.InstrumentFactory, diagnostics.ItemFactory, diagnostics.DiagnosticCampaignFactory,
    diagnostics.InvitationFactory, diagnostics.AreaScoreFactory,
]


@pytest.mark.parametrize("factory", EVERY_FACTORY, ids=lambda f: f.__name__)
def test_default_row_passes_model_validation(factory, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    factory().full_clean()


@pytest.mark.parametrize("role", list(Role))
def test_a_user_of_every_role_gets_the_district_or_organisation_the_role_needs(role):
    user = registry.UserFactory(role=role)
    user.full_clean()
    if role == Role.SCHOOL_ADMIN:
        assert user.district == user.organisation.district
    elif role == Role.PORTAL_ADMIN:
        assert (user.district, user.organisation) == (None, None)
    elif role == Role.CITY:
        assert (user.district, user.organisation) == (None, None) and user.region is not None
    else:
        assert user.district is not None and user.organisation is None


def test_users_are_hashed_with_the_suites_fast_hasher():
    user = registry.UserFactory()
    assert user.password.startswith("md5$")
    assert check_password(registry.TEST_PASSWORD, user.password)


def test_a_value_belongs_to_its_indicators_programme_and_district():
    value = monitoring.ValueFactory(period__year=2020)
    assert value.period.programme == value.indicator.programme
    assert value.district == value.indicator.programme.district
    assert (value.period.label, str(value.period.starts_on), str(value.period.ends_on)) == (
        "2020", "2020-01-01", "2020-12-31")


def test_a_report_is_written_in_its_own_district(district_a):
    period = monitoring.PeriodFactory(programme__district=district_a)
    report = reports.ReportFactory(district=district_a, periods=[period])
    assert report.programme.district == district_a
    assert report.created_by.district == district_a
    assert list(report.periods.all()) == [period]


def test_a_report_file_is_stored_with_its_checksum(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = reports.ReportFileFactory(content=b"%PDF-1.7 signed")
    with default_storage.open(row.file.name) as stored:
        assert stored.read() == b"%PDF-1.7 signed"
    assert row.sha256 == hashlib.sha256(b"%PDF-1.7 signed").hexdigest()
    assert row.size == 15
    assert row.file.name == f"reports/{row.report.district_id}/{row.report_id}/draft_pdf.pdf"
