"""Fixtures of the reports tests: a private MEDIA_ROOT per test, stand-ins for the renderer, the
XLSX writer and the signer (`fake_pipeline`), a programme with the seed's first row and a draft.

The personas (methodist, director, …) come from tests/conftest.py.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from reports import services
from tests.reports.workflow_support import fake_credentials, fake_pdf, fake_sign, fake_xlsx, make_programme


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test writes its files to its own folder (the session's MEDIA_ROOT is shared)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Stand-ins for reports.rendering / reports.xlsx / reports.signing and for the signer's stored
    certificate (every signer "has" one in their own name); records the calls."""
    from reports import rendering, signing, xlsx
    from reports.services import certificates

    calls = SimpleNamespace(pdf=[], xlsx=[], sign=[], real={})

    def render_report_pdf(report, *, final):
        calls.pdf.append((report.pk, final))
        return fake_pdf(report, final=final)

    def report_xlsx(report):
        calls.xlsx.append(report.pk)
        return fake_xlsx(report)

    def sign_pdf(pdf, *, credentials, **kwargs):
        calls.sign.append({"signer": credentials.subject_name, **kwargs})
        return fake_sign(pdf, signer_name=credentials.subject_name, **kwargs)

    for module, attr, value in ((rendering, "render_report_pdf", render_report_pdf),
                                (xlsx, "report_xlsx", report_xlsx),
                                (signing, "sign_pdf", sign_pdf),
                                (certificates, "signing_credentials_for", fake_credentials)):
        calls.real[attr] = getattr(module, attr)
        monkeypatch.setattr(module, attr, value)
    return calls


@pytest.fixture
def programme(district_a):
    return make_programme(district_a)


@pytest.fixture
def long_programme(district_a):
    return make_programme(district_a, years=range(2017, 2022), code="long")


@pytest.fixture
def methodist_email(methodist):
    methodist.email = "metodist@imc.example"
    methodist.save(update_fields=["email"])
    return methodist


@pytest.fixture
def director_email(director):
    director.email = "direktor@imc.example"
    director.save(update_fields=["email"])
    return director


@pytest.fixture
def draft(methodist, programme):
    prog, periods = programme
    return services.report_create(user=methodist, kind="monitoring", programme=prog, periods=periods)
