"""An independent validator agrees: poppler's `pdfsig`, with an NSS database that trusts the demo root,
calls the portal's signature valid and the document unmodified, and a copy with one changed byte not.

pdfsig (poppler-utils) and certutil (libnss3-tools) are installed by .ci/run: in CI their absence
is a failure, elsewhere the test is skipped with the reason. pdfsig exits 0 even on a digest
mismatch, so its text is what is checked. No -no-ocsp: with it pdfsig reports an unknown issue.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from reports import signing
from tests.reports.signing_helpers import (
    demo_pkcs12,
    identity,
    install_demo_certificate,
    sample_pdf,
    signed_sample_pdf,
    tampered,
)

VALID = "Signature Validation: Signature is Valid."
TRUSTED = "Certificate Validation: Certificate is Trusted."
WHOLE = "Total document signed"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def tools():
    missing = [tool for tool in ("pdfsig", "certutil") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (Debian: poppler-utils, libnss3-tools)"
        if _in_ci():
            pytest.fail(f"CI must run the pdfsig test: {reason}", pytrace=False)
        pytest.skip(reason)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def nss_db(tools, settings, tmp_path_factory, tmp_path):
    """An NSS database in tmp_path that trusts the demo root of the certificate the PDF is signed with."""
    folder = install_demo_certificate(settings, tmp_path_factory)
    db = tmp_path / "nss"
    db.mkdir()
    created = _run("certutil", "-N", "--empty-password", "-d", f"sql:{db}")
    assert created.returncode == 0, created.stderr
    added = _run("certutil", "-A", "-n", "demo-root", "-t", "CT,C,C", "-i", str(folder / "root-ca.pem"),
                 "-d", f"sql:{db}")
    assert added.returncode == 0, added.stderr
    return f"sql:{db}"


def _pdfsig(nss: str, pdf: bytes, folder) -> str:
    path = folder / "spravka.pdf"
    path.write_bytes(pdf)
    result = _run("pdfsig", "-nssdir", nss, str(path))
    assert "Signature #1" in result.stdout, result.stdout + result.stderr
    return result.stdout


def test_pdfsig_calls_the_signature_valid_and_trusted(nss_db, settings, tmp_path):
    report = _pdfsig(nss_db, signed_sample_pdf(settings), tmp_path)

    assert VALID in report
    assert TRUSTED in report
    assert WHOLE in report  # nothing after the signature: the document was not modified
    assert "Signer Certificate Common Name: Римкявичене Ольга Александровна" in report
    assert "ETSI.CAdES.detached" in report


def test_pdfsig_calls_a_copy_with_one_changed_byte_not_valid(nss_db, settings, tmp_path):
    report = _pdfsig(nss_db, tampered(signed_sample_pdf(settings)), tmp_path)

    assert VALID not in report
    assert "Signature Validation: Digest Mismatch." in report


def test_pdfsig_names_each_signer_by_their_own_certificate(nss_db, tmp_path):
    """Two directors, two certificates: each signed PDF carries its own signer (issue 9)."""
    names = {}
    for who in (identity("Римкявичене", "Ольга", "Александровна"), identity("Соколова", "Елена", "Викторовна")):
        credentials = signing.credentials_from_pkcs12(*demo_pkcs12(who))
        pdf = signing.sign_pdf(sample_pdf(2), credentials=credentials, signer_position="Директор")
        report = _pdfsig(nss_db, pdf, tmp_path)
        assert VALID in report and TRUSTED in report
        names[who.surname] = next(line.split(": ", 1)[1] for line in report.splitlines()
                                  if "Signer Certificate Common Name" in line)
    assert names == {"Римкявичене": "Римкявичене Ольга Александровна", "Соколова": "Соколова Елена Викторовна"}
