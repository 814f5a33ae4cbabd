"""factory_boy factories for reports: справки, their files, render jobs and the outgoing register.

These make rows directly, for tests about reading them (lists, downloads, access). A test about
the workflow goes through the services (`reports.services.report_create` …) instead, so numbering,
events and render jobs happen as for a user.

    report = ReportFactory(district=district_a, created_by=methodist, periods=[period])
    ReportFileFactory(report=report, role=FileRole.SIGNED_PDF, content=b"%PDF-1.7 signed")
"""
from __future__ import annotations

import hashlib

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from core.roles import Role
from reports.models import FileRole, OutgoingCounter, RenderJob, Report, ReportFile, ReportStatus
from tests.factories import DistrictFactory, MethodCentreFactory, UserFactory
from tests.monitoring.factories import ProgrammeFactory


class OutgoingCounterFactory(DjangoModelFactory):
    class Meta:
        model = OutgoingCounter
        django_get_or_create = ("method_centre", "year")

    method_centre = factory.SubFactory(MethodCentreFactory)
    year = 2021
    last_number = 0


class ReportFactory(DjangoModelFactory):
    """A monitoring справка in draft, written by a methodist of its district.

    `periods=[…]` sets the periods; a signed one passes status, outgoing number and date.
    """

    class Meta:
        model = Report
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    kind = "monitoring"
    title = factory.Sequence(lambda n: f"Справка по результатам мониторинга № {n}")
    programme = factory.SubFactory(ProgrammeFactory, district=factory.SelfAttribute("..district"))
    status = ReportStatus.DRAFT
    created_by = factory.SubFactory(UserFactory, role=Role.METHODIST, district=factory.SelfAttribute("..district"))

    @factory.post_generation
    def periods(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy hook
        if create and extracted:
            obj.periods.set(extracted)


SUFFIXES = {FileRole.XLSX: ".xlsx", FileRole.DETACHED_SIGNATURE: ".sig"}


class ReportFileFactory(DjangoModelFactory):
    """A stored file of a report: `content` goes to the default storage, sha256 and size follow it."""

    class Meta:
        model = ReportFile
        exclude = ("content",)

    report = factory.SubFactory(ReportFactory)
    role = FileRole.DRAFT_PDF
    content = b"%PDF-1.7 test"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name=f"{o.role}{SUFFIXES.get(o.role, '.pdf')}"))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.content))


class RenderJobFactory(DjangoModelFactory):
    class Meta:
        model = RenderJob

    report = factory.SubFactory(ReportFactory)
    target = FileRole.DRAFT_PDF
