"""reports/signing.py and `manage.py create_demo_certificate`: PAdES signatures of approved reports.

Every test uses the demo CA made by the command's code into a temporary folder; the rules for who
may sign with which certificate are in tests/reports/test_signer_certificates.py.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.management import call_command
from pypdf import PdfReader

from demo.management.commands.create_demo_certificate import build_demo_ca
from reports import certificates, signing
from reports.models import SigningCredential
from tests.factories import UserFactory
from tests.reports.signing_helpers import (
    byte_range,
    give_demo_credential,
    identity,
    install_demo_certificate,
    sample_credentials,
    sample_pdf,
    tampered,
)

POSITION = "Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга"


@pytest.fixture
def certificate(settings, tmp_path_factory):
    return install_demo_certificate(settings, tmp_path_factory)


@pytest.fixture
def fresh_ca_dir(settings, tmp_path):
    """An empty folder of our own for tests that create or replace the demo CA."""
    settings.REPORT_SIGNING_DEMO_CA_DIR = tmp_path / "certs"
    settings.REPORT_SIGNING_TRUST_ROOTS = []
    settings.REPORT_SIGNING_TIMESTAMP_URL = ""
    return tmp_path / "certs"


def _create(*args: str) -> str:
    out = io.StringIO()
    call_command("create_demo_certificate", *args, stdout=out)
    return out.getvalue()


def _opened(user):
    credential = SigningCredential.objects.get(user=user)
    data, password = certificates.unseal(credential.pkcs12_token), certificates.unseal(credential.password_token)
    return pkcs12.load_key_and_certificates(data, password)


def _cn(cert) -> str:
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


@pytest.fixture(scope="module")
def signed_sample(tmp_path_factory):
    """One signed 2-page sample for the read-only checks (signing takes ~0.4 s)."""
    from django.test.utils import override_settings

    folder = tmp_path_factory.mktemp("module-ca")
    with override_settings(REPORT_SIGNING_DEMO_CA_DIR=folder, REPORT_SIGNING_TRUST_ROOTS=[],
                           REPORT_SIGNING_TIMESTAMP_URL=""):
        credentials = sample_credentials()
        pdf = signing.sign_pdf(sample_pdf(2), credentials=credentials, signer_position=POSITION)
        roots = signing.load_trust_roots()
    return pdf, credentials.facts, roots


# --- the demo CA and the directors' certificates ------------------------------------------------------


def test_command_issues_each_demo_director_a_certificate_in_their_own_name(fresh_ca_dir, director, district_b):
    kirov = UserFactory(username="kirov_director", role="director", district=district_b, last_name="Петров",
                        first_name="Иван", patronymic="Ильич")
    director.patronymic = "Александровна"
    director.save(update_fields=["patronymic"])

    output = _create()

    assert "Выдано сертификатов: 2" in output
    root = x509.load_pem_x509_certificate((fresh_ca_dir / "root-ca.pem").read_bytes())
    assert (fresh_ca_dir / "root-ca-key.pem").stat().st_mode & 0o777 == 0o600
    assert _cn(root) == "Демонстрационный УЦ ИМЦ" and root.issuer == root.subject
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    names = {}
    for user in (director, kirov):
        key, cert, extra = _opened(user)
        names[user.username] = _cn(cert)
        assert [c.subject for c in extra] == [root.subject]
        assert cert.issuer == root.subject
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
        assert not usage.value.key_cert_sign
        # 3 years = 365 + 365 + 366 days (one of them leap), whatever the start date.
        assert cert.not_valid_after_utc - cert.not_valid_before_utc == dt.timedelta(days=1096)
        assert key.key_size == 2048
        root.public_key().verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(),
                                 cert.signature_hash_algorithm)
    assert names == {"director": "Римкявичене Мария Александровна", "kirov_director": "Петров Иван Ильич"}
    _, cert, _ = _opened(kirov)
    assert cert.subject.get_attributes_for_oid(NameOID.SURNAME)[0].value == "Петров"
    assert cert.subject.get_attributes_for_oid(NameOID.GIVEN_NAME)[0].value == "Иван Ильич"
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "ГБУ «ИМЦ»"


def test_command_keeps_valid_certificates_and_replaces_them_only_with_force(fresh_ca_dir, director):
    _create()
    first = SigningCredential.objects.get(user=director)

    assert "Новые сертификаты не нужны" in _create()
    assert SigningCredential.objects.get(user=director).serial == first.serial

    _create("--force")
    again = SigningCredential.objects.get(user=director)
    assert again.serial != first.serial and again.version == first.version + 1


def test_command_replaces_an_expiring_demo_certificate_but_never_an_uploaded_one(fresh_ca_dir, director, district_b):
    other = UserFactory(username="kirov_director", role="director", district=district_b, last_name="Петров",
                        first_name="Иван")
    old = give_demo_credential(director, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=1090))
    # A certificate the director uploaded himself (another CA): the command never touches it.
    uploaded = give_demo_credential(other)
    SigningCredential.objects.filter(pk=uploaded.pk).update(issuer="УЦ ФНС России")

    _create()

    assert SigningCredential.objects.get(user=director).serial != old.serial
    assert SigningCredential.objects.get(user=other).serial == uploaded.serial


def test_relative_paths_are_taken_from_the_project_folder(settings):
    settings.REPORT_SIGNING_DEMO_CA_DIR = "var/certs"
    settings.REPORT_SIGNING_TRUST_ROOTS = ["certs/ca.pem"]

    assert signing.demo_ca_dir() == settings.BASE_DIR / "var" / "certs"
    assert signing.trust_root_paths() == [settings.BASE_DIR / "certs" / "ca.pem"]
    settings.REPORT_SIGNING_TRUST_ROOTS = []
    assert signing.trust_root_paths() == [settings.BASE_DIR / "var" / "certs" / "root-ca.pem"]


def test_opened_keys_are_cached_per_credential_version(certificate, director):
    credential = give_demo_credential(director)
    opened = signing.load_credentials(credential)

    assert signing.load_credentials(credential) is opened
    credential = give_demo_credential(director, who=identity("Римкявичене", "Мария", "Ивановна"))
    assert signing.load_credentials(credential) is not opened
    assert signing.load_credentials(credential).facts.common_name == "Римкявичене Мария Ивановна"


# --- signing and validation ----------------------------------------------------------------------


def test_signed_pdf_validates_against_the_demo_root(signed_sample):
    pdf, facts, roots = signed_sample

    check = signing.validate_pdf(pdf, trust_roots=roots)

    assert check.signed and check.intact and check.trusted and check.bottom_line
    assert check.valid
    assert check.covers_whole_file
    assert check.signer == "Римкявичене Ольга Александровна"
    assert check.serial == facts.serial
    assert check.certificate == facts  # read back from the CMS: subject, issuer, serial, validity
    assert check.signature_count == 1 and not check.timestamped
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert check.summary == "Электронная подпись действительна."
    assert b"/ETSI.CAdES.detached" in pdf  # PAdES, not adbe.pkcs7.detached


def test_validate_pdf_reads_the_configured_roots(signed_sample, settings, tmp_path):
    pdf, _, roots = signed_sample
    settings.REPORT_SIGNING_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    (tmp_path / "root.pem").write_bytes(b"".join(
        b"-----BEGIN CERTIFICATE-----\n" + __import__("base64").encodebytes(r.dump()) + b"-----END CERTIFICATE-----\n"
        for r in roots
    ))

    assert signing.validate_pdf(pdf).valid
    settings.REPORT_SIGNING_TRUST_ROOTS = [str(tmp_path / "missing.pem")]
    check = signing.validate_pdf(pdf)
    assert check.intact and not check.trusted and not check.valid


def test_one_changed_byte_inside_the_signed_range_makes_it_invalid(signed_sample):
    pdf, _, roots = signed_sample
    start, length, _, _ = byte_range(pdf)
    bad = tampered(pdf)
    assert sum(a != b for a, b in zip(pdf, bad, strict=True)) == 1
    assert bad[:start + length] != pdf[:start + length]

    check = signing.validate_pdf(bad, trust_roots=roots)

    assert check.signed and not check.intact and not check.valid and not check.bottom_line
    assert "Документ изменён после подписания" in " ".join(check.problems)
    assert check.summary == "Электронная подпись недействительна."


def test_anything_appended_after_the_signature_is_not_valid(signed_sample):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf, _, roots = signed_sample
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.set_info(generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("Другая")}))
    updated = io.BytesIO()
    writer.write(updated)

    for changed in (pdf + b"\n% appended after signing\n", updated.getvalue()):
        check = signing.validate_pdf(changed, trust_roots=roots)
        # pyHanko itself lets both pass (bottom line); the portal's verdict does not.
        assert check.intact and check.bottom_line and not check.covers_whole_file
        assert not check.valid
        assert "После подписи в файл дописаны данные" in " ".join(check.problems)


def test_a_signature_from_another_root_is_intact_but_not_trusted(signed_sample, fresh_ca_dir):
    from demo.management.commands.create_demo_certificate import demo_ca_ensure

    pdf, _, _ = signed_sample
    demo_ca_ensure()  # a second, unrelated demo CA

    check = signing.validate_pdf(pdf, trust_roots=signing.load_trust_roots())

    assert check.intact and not check.trusted and not check.valid
    assert any("доверенным" in p for p in check.problems)


def test_unsigned_and_non_pdf_files_have_no_signature():
    assert signing.validate_pdf(sample_pdf(2)) == signing.SignatureCheck(signed=False)
    garbage = signing.validate_pdf(b"not a pdf at all")
    assert not garbage.signed and garbage.problems == ("Файл не читается как PDF.",)
    assert garbage.summary == "Электронная подпись в файле не найдена."


def test_stamp_with_cyrillic_text_is_on_the_last_page_at_the_fixed_box(signed_sample):
    pdf, facts, _ = signed_sample
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2

    widgets = [
        (number, annot.get_object())
        for number, page in enumerate(reader.pages, start=1)
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/FT") == "/Sig"
    ]
    assert [(number, [float(v) for v in w["/Rect"]]) for number, w in widgets] == [(2, list(signing.STAMP_BOX))]

    # The stamp is the widget's appearance stream (pypdf's page text leaves annotations out).
    appearance = widgets[0][1]["/AP"]["/N"].get_object()
    text = " ".join(reader.pages[-1].extract_xform_text(appearance).split())
    assert "Документ подписан электронной подписью" in text
    assert "Владелец: Римкявичене Ольга Александровна" in text
    assert "Должность: Директор, ГБУ «ИМЦ» Фрунзенского района" in text
    assert "Издатель: Демонстрационный УЦ ИМЦ" in text
    assert f"Сертификат: {facts.serial}" in text
    assert f"Действителен: {facts.validity}" in text
    assert re.search(r"Подписан: \d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d \(МСК\)", text)
    assert "Документ подписан" not in reader.pages[0].extract_text() + reader.pages[1].extract_text()


STAMP_FACTS = certificates.CertificateFacts(
    common_name="Римкявичене Ольга Альгирдовна", surname="", given_name="", organisation="", title="",
    issuer="Демонстрационный УЦ ИМЦ", serial="5F0A8C1E2D3B4A5968778695A4B3C2D1E0F1A2B3",
    not_before=dt.datetime(2021, 2, 1, tzinfo=dt.UTC), not_after=dt.datetime(2024, 2, 1, tzinfo=dt.UTC), fingerprint="",
)


def _layout(position: str, facts: certificates.CertificateFacts = STAMP_FACTS) -> signing.StampLayout:
    return signing.stamp_layout(facts, signer_position=position, font_path=signing.stamp_font_path(),
                                signed_at=dt.datetime(2021, 12, 17, 9, 30, tzinfo=dt.UTC))


def _fits(layout: signing.StampLayout) -> bool:
    font = signing.stamp_font_path()
    x1, y1, x2, y2 = signing.STAMP_BOX
    width, height = x2 - x1 - 2 * signing.STAMP_PADDING, y2 - y1 - 2 * signing.STAMP_PADDING
    return (
        all(signing._text_width(line, font, layout.font_size) <= width for line in layout.lines)
        and len(layout.lines) * layout.leading <= height
    )


def test_stamp_gives_the_certificates_facts_in_moscow_time_and_fits_the_box():
    layout = _layout(POSITION)

    assert layout.lines[0] == "Документ подписан электронной подписью"
    assert layout.lines[1] == "Владелец: Римкявичене Ольга Альгирдовна"
    assert "Издатель: Демонстрационный УЦ ИМЦ" in layout.lines
    assert "Сертификат: 5F0A8C1E2D3B4A5968778695A4B3C2D1E0F1A2B3" in layout.lines
    assert "Действителен: с 01.02.2021 по 01.02.2024" in layout.lines
    # 09:30 UTC is 12:30 in Moscow (UTC+3, no daylight saving since 2014).
    assert layout.lines[-1] == "Подписан: 17.12.2021 12:30:00 (МСК)"
    assert (layout.font_size, layout.leading) == (7, 9)
    assert _fits(layout)


def test_the_certificates_title_and_organisation_are_the_position_when_it_names_them():
    from dataclasses import replace

    facts = replace(STAMP_FACTS, title="Директор", organisation="ГБУ «ИМЦ» Красносельского района")
    assert "Должность: Директор, ГБУ «ИМЦ» Красносельского района" in _layout("Методист", facts).lines


def test_a_long_position_wraps_and_the_stamp_gets_smaller():
    layout = _layout(
        "Директор Государственного бюджетного учреждения дополнительного профессионального педагогического "
        "образования центра повышения квалификации специалистов «Информационно-методический центр»"
    )

    position_lines = layout.lines[2:-4]
    assert len(position_lines) >= 3 and position_lines[0].startswith("Должность: Директор")
    assert layout.font_size < 7 or layout.leading < 9
    assert _fits(layout)


def test_the_slim_stamp_font_has_every_character_a_stamp_needs():
    from fontTools.ttLib import TTFont

    path = signing.stamp_font_path()
    cmap = TTFont(io.BytesIO(signing._slim_font(str(path), path.stat().st_mtime_ns))).getBestCmap()

    needed = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя«»№–—.,:;()0123456789ABCDEFėі"
    assert [ch for ch in needed if ord(ch) not in cmap] == []


def test_the_stamp_box_is_the_corner_the_print_layout_keeps_empty():
    rendering = pytest.importorskip("reports.rendering")
    assert signing.STAMP_BOX == rendering.SIGNATURE_STAMP_BOX


def test_stamp_font_prefers_the_vendored_pt_sans(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path]
    assert signing.stamp_font_path() == signing.SYSTEM_FONT_DIR / "PTS55F.ttf"
    (tmp_path / "fonts" / "pt-sans").mkdir(parents=True)
    vendored = tmp_path / "fonts" / "pt-sans" / "PTSans-Regular.ttf"
    shutil.copy(signing.SYSTEM_FONT_DIR / "PTS55F.ttf", vendored)

    assert signing.stamp_font_path() == vendored


# --- refusals ----------------------------------------------------------------------------------------


def test_a_credential_sealed_with_a_lost_key_is_a_russian_error(certificate, director, settings):
    credential = give_demo_credential(director)
    signing._opened.clear()  # a fresh process: nothing opened yet
    settings.SIGNING_CREDENTIALS_KEY = "yZ5lAtZ3v1oQm3Bq6xKpQm9r3Yh0n2wVx8cJkLq4T1E="

    with pytest.raises(signing.SigningError, match="не расшифровывается ключом SIGNING_CREDENTIALS_KEY"):
        signing.load_credentials(SigningCredential.objects.get(pk=credential.pk))


def test_a_broken_pdf_is_a_russian_error(certificate):
    with pytest.raises(signing.SigningError, match="не читается как PDF"):
        signing.sign_pdf(b"%PDF-1.7\nthis is no pdf", credentials=sample_credentials(), signer_position=POSITION)


# --- PAdES B-T with a timestamp server ---------------------------------------------------------------


def _tsa(tmp_path):
    """A test timestamp authority (its own root) served on 127.0.0.1 by pyHanko's DummyTimeStamper."""
    import asyncio

    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    ca = build_demo_ca()
    ca_key, ca_cert, tsa_key = ca.key, ca.certificate, ca.key
    now = dt.datetime.now(dt.UTC)
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa_cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            response = asyncio.run(stamper.async_request_tsa_response(tsp.TimeStampReq.load(body)))
            data = response.dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER))
    return server, root


def test_with_a_timestamp_server_the_signature_is_pades_b_t(certificate, settings, tmp_path):
    server, tsa_root = _tsa(tmp_path)
    try:
        settings.REPORT_SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{server.server_port}/tsa"
        pdf = signing.sign_pdf(sample_pdf(2), credentials=sample_credentials(), signer_position=POSITION)
    finally:
        server.shutdown()
        server.server_close()

    check = signing.validate_pdf(pdf, trust_roots=[*signing.load_trust_roots(), tsa_root])
    assert check.timestamped and check.valid
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_an_unreachable_timestamp_server_is_a_russian_error(certificate, settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_port
    server.server_close()  # nobody listens on that port now
    settings.REPORT_SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{port}/tsa"

    with pytest.raises(signing.TimestampUnavailableError, match="Сервер штампов времени не ответил"):
        signing.sign_pdf(sample_pdf(2), credentials=sample_credentials(), signer_position=POSITION)
