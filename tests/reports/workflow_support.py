"""Helpers of the report workflow tests (numbering, services, views, tasks); the fixtures built on
them are in tests/reports/conftest.py.

The PDF renderer and the signer are replaced by stand-ins (`fake_pipeline`) wherever a test is
about the workflow, not about the document: a rendered "PDF" is a few bytes naming the report and
whether it is final, a signed one is that plus a marker. Tests of the real pipeline say so.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from monitoring.models import Indicator, Period, PeriodKind, Programme, ScopeKind, Value
from monitoring.units import Unit
from reports import services
from reports.models import FileRole, Report, ReportFile, ReportStatus

SIGNED_MARK = b"\n%fake-signature\n"


def fake_pdf(report, *, final: bool) -> bytes:
    return f"%PDF-1.7\n% report {report.pk} {'final' if final else 'draft'} {report.outgoing_label}\n".encode()


def fake_xlsx(report) -> bytes:
    return f"PK fake xlsx of report {report.pk}".encode()


def fake_sign(pdf: bytes, *, signer_name: str, signer_position: str, **kwargs) -> bytes:
    return pdf + SIGNED_MARK + signer_name.encode()


def fake_credentials(user):
    """A stand-in for the signer's opened certificate: issued in the user's own name, valid now."""
    from reports.certificates import CertificateFacts

    now = dt.datetime.now(dt.UTC)
    name = " ".join(part for part in (user.last_name, user.first_name, user.patronymic) if part)
    facts = CertificateFacts(common_name=name, surname=user.last_name, given_name="", organisation="", title="",
                             issuer="Тестовый УЦ", serial="FA4E", not_before=now - dt.timedelta(days=1),
                             not_after=now + dt.timedelta(days=365), fingerprint="0" * 64)
    return SimpleNamespace(facts=facts, subject_name=facts.owner)


def make_programme(district, *, years=(2020, 2021), code="network") -> tuple[Programme, list[Period]]:
    """One indicator; 2021: plan 40, fact 54,8 (achieved) — the seed's first row."""
    programme = Programme.objects.create(
        district=district, code=code, name="Эффективность сетевого взаимодействия педагогов",
        period_kind=PeriodKind.YEAR,
    )
    periods = [
        Period.objects.create(programme=programme, label=str(y), starts_on=dt.date(y, 1, 1), ends_on=dt.date(y, 12, 31))
        for y in years
    ]
    indicator = Indicator.objects.create(
        programme=programme, code="net_schools_share", unit=Unit.PERCENT, decimals=1,
        name="Доля ОУ района, включённых в работу профессиональных сетевых сообществ",
    )
    Value.objects.create(district=district, scope_kind=ScopeKind.DISTRICT, indicator=indicator, period=periods[-1],
                         plan=Decimal("40"), fact=Decimal("54.8"))
    return programme, periods


def submitted(report, methodist):
    return services.report_submit(report=report, user=methodist)


def approved(report, methodist, director, django_capture_on_commit_callbacks):
    """Submit and approve, running the on-commit work (render of the final PDF, e-mails)."""
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(report=report, user=methodist)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_approve(report=report, user=director)
    return report


def store_file(report: Report, role: str, content: bytes, name: str | None = None) -> ReportFile:
    """A file row with its content in storage (for download tests)."""
    import hashlib

    name = name or f"reports/{report.district_id}/{report.pk}/{role}.bin"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return ReportFile.objects.create(report=report, role=role, file=name, sha256=hashlib.sha256(content).hexdigest(),
                                     size=len(content))


def matrix_reports(world):
    """For tests/test_access_matrix.py: a draft (with a draft PDF and a render job) and a signed report
    published to schools (with its signed PDF), both of district A; made once per `world`.

    Files go to fixed names in the default storage, so repeated runs do not pile up copies.
    """
    cached = getattr(world, "reports", None)
    if cached is not None:
        return cached
    from reports.models import RenderJob

    methodist = world.users["methodist"]
    draft_report = Report.objects.create(
        district=world.district_a, kind="monitoring", title="Черновик справки", programme=world.programme,
        created_by=methodist,
    )
    draft_report.periods.set([world.period])
    store_file(draft_report, FileRole.DRAFT_PDF, b"%PDF-1.7 draft", name="reports/matrix/draft.pdf")
    signed_report = Report.objects.create(
        district=world.district_a, kind="monitoring", title="Подписанная справка", programme=world.programme,
        created_by=methodist, status=ReportStatus.SIGNED, published_to_schools=True, outgoing_year=2021,
        outgoing_number=854, outgoing_label="1-854", dated=dt.date(2021, 12, 17),
    )
    signed_report.periods.set([world.period])
    store_file(signed_report, FileRole.SIGNED_PDF, b"%PDF-1.7 signed", name="reports/matrix/signed.pdf")
    world.reports = SimpleNamespace(
        draft=draft_report, signed=signed_report,
        job=RenderJob.objects.create(report=draft_report, target=FileRole.DRAFT_PDF),
    )
    return world.reports
