"""Issue 9, items 1–2: every signature belongs to its signer.

Per-signer certificates (sealed at rest, the name rule, validity), signing refused with a Russian
message that changes nothing, the verification page naming the signer from the signature's own
certificate, the profile page and the admin, and detached .sig files made outside the portal
(RSA checked cryptographically, a tampered one refused, a ГОСТ one reported as not verifiable).
"""
from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from gostcrypto import gosthash

from reports import certificates, certificates_cms, services
from reports.certificates import subject_names_user
from reports.models import FileRole, ReportStatus, SigningCredential
from tests.reports.signing_helpers import (
    DEMO_PASSWORD,
    cms_signature,
    demo_pkcs12,
    give_demo_credential,
    identity,
    install_demo_certificate,
    rsa_detached_signature,
    sample_pdf,
)
from tests.reports.workflow_support import approved

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def ca(settings, tmp_path_factory):
    return install_demo_certificate(settings, tmp_path_factory)


@pytest.fixture
def director_named(director):
    director.last_name, director.first_name, director.patronymic = "Римкявичене", "Ольга", "Александровна"
    director.save()
    return director


@pytest.fixture
def approved_report(draft, methodist, director_named, fake_pipeline, monkeypatch, django_capture_on_commit_callbacks):
    """An approved report whose final PDF is a real one; signing and credentials are the real ones."""
    from reports import rendering, signing
    from reports.services import certificates as credential_service

    monkeypatch.setattr(rendering, "render_report_pdf", lambda report, final: sample_pdf())
    monkeypatch.setattr(signing, "sign_pdf", fake_pipeline.real["sign_pdf"])
    monkeypatch.setattr(credential_service, "signing_credentials_for", fake_pipeline.real["signing_credentials_for"])
    return approved(draft, methodist, director_named, django_capture_on_commit_callbacks)


# --- the name rule (pure) ------------------------------------------------------------------------------

OLGA = {"last_name": "Римкявичене", "first_name": "Ольга", "patronymic": "Александровна"}


@pytest.mark.parametrize("common_name", [
    "Римкявичене Ольга Александровна", "О.А. Римкявичене", "Римкявичене О.А.", "Римкявичене О. А.",
    "РИМКЯВИЧЕНЕ ОЛЬГА АЛЕКСАНДРОВНА", "римкявичене о.а.",
])
def test_a_certificate_names_its_owner_in_any_usual_form(common_name):
    assert subject_names_user(common_name=common_name, **OLGA)


@pytest.mark.parametrize("common_name", [
    "О.А. Смирнова",  # another surname
    "Римкявичене Олег Александрович",  # same initials, another person
    "Римкявичене О.",  # the patronymic's initial is missing
    "Римкявичене И.А.",  # another first name
    "ГБУ «ИМЦ» Фрунзенского района",  # an organisation
    "",
])
def test_a_certificate_of_someone_else_does_not_name_her(common_name):
    assert not subject_names_user(common_name=common_name, **OLGA)


def test_yo_is_e_and_qualified_certificates_name_the_person_in_sn_and_g():
    assert subject_names_user(common_name="Алёшина Пётр Семёнович", last_name="Алешина", first_name="Петр",
                              patronymic="Семенович")
    # A legal entity's certificate: CN is the organisation, SN and G the director.
    assert subject_names_user(common_name="ГБУ ИМЦ", surname="Римкявичене", given_name="Ольга Александровна", **OLGA)
    # Without a patronymic in the profile, a certificate with one still names the person.
    assert subject_names_user(common_name="Римкявичене Мария Ивановна", last_name="Римкявичене", first_name="Мария")
    # A profile without a first name names nobody.
    assert not subject_names_user(common_name="Римкявичене", last_name="Римкявичене", first_name="")


# --- sealed at rest ----------------------------------------------------------------------------------


def test_neither_the_pkcs12_nor_its_password_is_in_the_database_in_clear(ca, director_named):
    data, password = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"))

    credential = services.signing_credential_store(owner=director_named, data=data, password=password,
                                                   by=director_named)

    row = SigningCredential.objects.filter(pk=credential.pk).values("pkcs12_token", "password_token").get()
    assert data not in bytes(row["pkcs12_token"]) and password.encode() not in bytes(row["password_token"])
    assert certificates.unseal(row["pkcs12_token"]) == data
    assert certificates.unseal(row["password_token"]).decode() == password
    assert credential.subject == "Римкявичене Ольга Александровна" and credential.issuer == "Демонстрационный УЦ ИМЦ"


def test_keys_rotate_new_first_old_after(ca, director_named, settings):
    old = certificates.derived_key(settings.SECRET_KEY).decode()
    token = certificates.seal(b"secret")
    settings.SIGNING_CREDENTIALS_KEY = f"{certificates.derived_key('another secret').decode()},{old}"
    assert certificates.unseal(token) == b"secret"
    settings.SIGNING_CREDENTIALS_KEY = certificates.derived_key("another secret").decode()
    with pytest.raises(certificates.CertificateError, match="ротации"):
        certificates.unseal(token)


def test_system_check_refuses_a_missing_key_without_debug_and_a_malformed_one(settings):
    from reports.checks import signing_credentials_key

    settings.SIGNING_CREDENTIALS_KEY, settings.DEBUG = "", False
    assert [e.id for e in signing_credentials_key()] == ["reports.E003"]
    settings.DEBUG = True
    assert signing_credentials_key() == []
    settings.SIGNING_CREDENTIALS_KEY = "not-a-key"
    assert [e.id for e in signing_credentials_key()] == ["reports.E004"]
    settings.SIGNING_CREDENTIALS_KEY, settings.DEBUG = certificates.derived_key("x").decode(), False
    assert signing_credentials_key() == []


def test_upload_refuses_a_wrong_password_an_expired_or_a_foreign_certificate(ca, director_named):
    data, password = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"))
    expired, _ = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"), now=NOW - dt.timedelta(days=30),
                             days=10)
    foreign, _ = demo_pkcs12(identity("Соколова", "Елена", "Викторовна"))
    cases = [
        (data, "wrong", "не открывается"),
        (b"junk", password, "не открывается"),
        (expired, password, "истёк"),
        (foreign, password, "выдан на «Соколова Елена Викторовна», а не на Римкявичене О.А."),
    ]
    for blob, secret, message in cases:
        with pytest.raises(services.ReportError, match=message):
            services.signing_credential_store(owner=director_named, data=blob, password=secret, by=director_named)
    assert not SigningCredential.objects.exists()


def test_only_the_owner_or_the_portal_admin_stores_a_certificate(ca, director_named, methodist, portal_admin):
    data, password = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"))
    with pytest.raises(services.ReportForbiddenError):
        services.signing_credential_store(owner=director_named, data=data, password=password, by=methodist)
    with pytest.raises(services.ReportError, match="не подписывает справки"):
        services.signing_credential_store(owner=methodist, data=data, password=password, by=portal_admin)
    assert services.signing_credential_store(owner=director_named, data=data, password=password, by=portal_admin)


# --- signing refused, nothing changes --------------------------------------------------------------


def _refused(report, director, message):
    with pytest.raises(services.ReportError, match=message):
        services.report_sign(report=report, user=director)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.signed_by is None
    assert not report.files.filter(role=FileRole.SIGNED_PDF).exists()
    assert not report.events.filter(action="signed").exists()


def test_signing_without_a_certificate_is_refused(ca, approved_report, director_named):
    _refused(approved_report, director_named, "У вас нет сертификата электронной подписи")


def test_signing_with_an_expired_certificate_is_refused(ca, approved_report, director_named):
    give_demo_credential(director_named, now=NOW - dt.timedelta(days=40), days=30)
    _refused(approved_report, director_named, "Срок действия сертификата электронной подписи истёк")


def test_signing_with_a_certificate_not_yet_valid_is_refused(ca, approved_report, director_named):
    give_demo_credential(director_named, now=NOW + dt.timedelta(days=3))
    _refused(approved_report, director_named, "начинает действовать только")


def test_signing_with_a_certificate_of_someone_else_is_refused(ca, approved_report, director_named):
    give_demo_credential(director_named, who=identity("Соколова", "Елена", "Викторовна"))
    _refused(approved_report, director_named, "Сертификат выдан на «Соколова Елена Викторовна», а подписывает "
                                              "Римкявичене О.А.")


def test_the_verification_page_names_the_certificate_even_after_the_user_is_renamed(
    ca, approved_report, director_named, client,
):
    give_demo_credential(director_named)
    report = services.report_sign(report=approved_report, user=director_named)
    signed = report.files.get(role=FileRole.SIGNED_PDF)
    assert signed.signature["certificate"]["common_name"] == "Римкявичене Ольга Александровна"

    director_named.last_name, director_named.first_name = "Петрова", "Анна"
    director_named.save()
    page = client.get(reverse("report_public:verify", args=[report.verification_code])).content.decode()

    assert "Римкявичене Ольга Александровна" in page and "Петрова" not in page
    assert signed.signature["certificate"]["serial"] in page and "Демонстрационный УЦ ИМЦ" in page
    assert certificates.CertificateFacts.from_dict(signed.signature["certificate"]).validity in page


def test_a_report_signed_before_the_portal_kept_the_facts_gets_them_from_its_pdf(ca, approved_report, director_named):
    give_demo_credential(director_named)
    report = services.report_sign(report=approved_report, user=director_named)
    signed = report.files.get(role=FileRole.SIGNED_PDF)
    signed.signature = {}
    signed.save()

    facts = services.signed_file_certificate(signed)

    assert facts.common_name == "Римкявичене Ольга Александровна"
    signed.refresh_from_db()
    assert signed.signature["certificate"]["fingerprint"] == facts.fingerprint


# --- the profile page and the admin --------------------------------------------------------------------


def _upload(client, data, password, url=None):
    return client.post(url or reverse("reports:signing_certificate"), {
        "file": SimpleUploadedFile("cert.p12", data, content_type="application/x-pkcs12"), "password": password})


def test_director_uploads_her_certificate_and_sees_what_it_says(ca, director_named, login):
    client = login(director_named)
    data, password = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"))

    assert "Сертификата подписи нет" in client.get(reverse("reports:signing_certificate")).content.decode()
    response = _upload(client, data, password)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()

    _, cert, _ = pkcs12.load_key_and_certificates(data, password.encode())
    assert "Римкявичене Ольга Александровна" in page and "Демонстрационный УЦ ИМЦ" in page
    assert format(cert.serial_number, "X") in page
    moscow = certificates.MOSCOW
    assert (f"с {cert.not_valid_before_utc.astimezone(moscow):%d.%m.%Y} по "
            f"{cert.not_valid_after_utc.astimezone(moscow):%d.%m.%Y}") in page
    assert "Этим сертификатом можно подписывать справки" in page
    assert 'data-testid="menu-signing-certificate"' in page


def test_a_refused_upload_says_why_and_stores_nothing(ca, director_named, login):
    foreign, password = demo_pkcs12(identity("Соколова", "Елена", "Викторовна"))
    response = _upload(login(director_named), foreign, password)

    assert response.status_code == 200
    assert "выдан на «Соколова Елена Викторовна»" in response.content.decode()
    assert not SigningCredential.objects.exists()


def test_the_certificate_page_is_the_signers_only(ca, methodist_client, observer_client, portal_admin_client):
    url = reverse("reports:signing_certificate")
    data, password = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"))
    for client in (methodist_client, observer_client, portal_admin_client):
        assert client.get(url).status_code == 403
        assert _upload(client, data, password).status_code == 403
    assert 'data-testid="menu-signing-certificate"' not in methodist_client.get(reverse("home")).content.decode()
    assert not SigningCredential.objects.exists()


def test_director_deletes_her_certificate(ca, director_named, login):
    give_demo_credential(director_named)
    response = login(director_named).post(reverse("reports:signing_certificate"), {"action": "delete"})
    assert response.status_code == 302 and not SigningCredential.objects.exists()


def test_portal_admin_uploads_a_directors_certificate_in_django_admin(ca, director_named, portal_admin_client):
    data, password = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"))
    url = reverse("admin:reports_signingcredential_add")
    response = portal_admin_client.post(url, {
        "user": director_named.pk, "password": password,
        "file": SimpleUploadedFile("cert.p12", data, content_type="application/x-pkcs12")})

    assert response.status_code == 302, response.content.decode()[:2000]
    credential = SigningCredential.objects.get(user=director_named)
    assert credential.subject == "Римкявичене Ольга Александровна" and credential.version == 1
    assert certificates.unseal(credential.pkcs12_token) == data


# --- the demo command stores through the same service ---------------------------------------------------


def test_demo_certificates_go_through_the_profile_pages_service(settings, tmp_path, director_named, monkeypatch):
    calls = []
    real = services.signing_credential_store

    def spy(**kwargs):
        calls.append(kwargs["owner"].username)
        return real(**kwargs)

    monkeypatch.setattr(services, "signing_credential_store", spy)
    with override_settings(REPORT_SIGNING_DEMO_CA_DIR=tmp_path / "ca"):
        call_command("create_demo_certificate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert calls == ["director"]


# --- detached signatures made outside the portal ----------------------------------------------------------


@pytest.fixture
def signed_report_with_files(ca, approved_report, director_named):
    give_demo_credential(director_named)
    return services.report_sign(report=approved_report, user=director_named)


def _final(report) -> bytes:
    return report.files.get(role=FileRole.FINAL_PDF).file.open("rb").read()


def test_an_rsa_signature_of_the_final_pdf_is_verified_and_offered_on_the_verification_page(
    signed_report_with_files, director_named, client,
):
    report = signed_report_with_files
    sig = rsa_detached_signature(_final(report), identity("Римкявичене", "Ольга", "Александровна"))
    pem_sig = b"-----BEGIN PKCS7-----\n" + __import__("base64").encodebytes(sig) + b"-----END PKCS7-----\n"

    stored = services.report_signature_attach(report=report, user=director_named, name="справка.pdf.sig",
                                              content=pem_sig)

    check = stored.signature
    assert check["covers"] == "final_pdf" and check["crypto_verified"] is True
    assert check["digest_algorithm"] == "SHA-256"
    assert check["certificate"]["common_name"] == "Римкявичене Ольга Александровна"
    assert any("совпадает с хешем в подписи" in item for item in check["checked"])
    assert any("доверенным удостоверяющим центром" in item for item in check["checked"])
    page = client.get(reverse("report_public:verify", args=[report.verification_code])).content.decode()
    assert "Открепленная подпись (.sig)" in page and "математически верна" in page
    download = client.get(reverse("report_public:verify_signature", args=[report.verification_code]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pkcs7-signature"
    assert b"".join(download.streaming_content) == pem_sig


def test_a_signature_of_other_bytes_is_refused_and_nothing_is_stored(signed_report_with_files, director_named):
    report = signed_report_with_files
    sig = rsa_detached_signature(_final(report) + b"% one more line", identity("Римкявичене", "Ольга", "Александровна"))

    with pytest.raises(services.ReportError, match="Подпись сделана не для этой справки"):
        services.report_signature_attach(report=report, user=director_named, name="a.sig", content=sig)
    assert not report.files.filter(role=FileRole.DETACHED_SIGNATURE).exists()


def test_a_signature_with_a_broken_cryptographic_value_is_refused(signed_report_with_files, director_named):
    report = signed_report_with_files
    blob, _ = demo_pkcs12(identity("Римкявичене", "Ольга", "Александровна"))
    key, cert, _ = pkcs12.load_key_and_certificates(blob, DEMO_PASSWORD.encode())
    sig = cms_signature(_final(report), key=key, cert_der=cert.public_bytes(serialization.Encoding.DER),
               sign=lambda data: key.sign(data + b"x", padding.PKCS1v15(), hashes.SHA256()))

    with pytest.raises(services.ReportError, match="не проходит криптографическую проверку"):
        services.report_signature_attach(report=report, user=director_named, name="a.sig", content=sig)


def test_a_signature_of_someone_else_is_refused(signed_report_with_files, director_named):
    report = signed_report_with_files
    sig = rsa_detached_signature(_final(report), identity("Соколова", "Елена", "Викторовна"))

    with pytest.raises(services.ReportError, match="Сертификат выдан на «Соколова Елена Викторовна»"):
        services.report_signature_attach(report=report, user=director_named, name="a.sig", content=sig)


def _gost_certificate(owner) -> bytes:
    """A certificate whose key is ГОСТ Р 34.10-2012 (256): the TBS is built by hand, signed by nobody real."""
    name = asn1_x509.Name.build({"country_name": "RU", "surname": owner.surname, "given_name": owner.given_name,
                                 "common_name": owner.common_name})
    issuer = asn1_x509.Name.build({"common_name": "УЦ ФНС России"})
    tbs = asn1_x509.TbsCertificate({
        "version": "v3", "serial_number": 0x1234ABCD,
        "signature": {"algorithm": "1.2.643.7.1.1.3.2"},
        "issuer": issuer,
        "validity": {"not_before": asn1_x509.Time({"utc_time": NOW - dt.timedelta(days=10)}),
                     "not_after": asn1_x509.Time({"utc_time": NOW + dt.timedelta(days=355)})},
        "subject": name,
        "subject_public_key_info": {
            "algorithm": {"algorithm": "1.2.643.7.1.1.1.1"},
            "public_key": core.OctetString(b"\x11" * 64).dump(),
        },
    })
    return asn1_x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": {"algorithm": "1.2.643.7.1.1.3.2"},
                                  "signature_value": b"\x22" * 64}).dump()


def test_a_gost_signature_is_stored_with_a_plain_account_of_what_was_not_checked(
    signed_report_with_files, director_named,
):
    report = signed_report_with_files
    owner = identity("Римкявичене", "Ольга", "Александровна")
    # The digest a ГОСТ tool writes, computed here with gostcrypto directly (the portal's wrapper is
    # checked against RFC 6986's vectors in test_streebog.py).
    streebog = bytes(gosthash.new("streebog256", data=_final(report)).digest())
    sig = cms_signature(_final(report), key=None, cert_der=_gost_certificate(owner), digest_oid="1.2.643.7.1.1.2.2",
               signature_oid="1.2.643.7.1.1.3.2", sign=lambda data: b"\x33" * 64, message_digest=streebog)

    stored = services.report_signature_attach(report=report, user=director_named, name="справка.sgn", content=sig)

    check = stored.signature
    assert check["crypto_verified"] is None
    assert check["digest_algorithm"] == "ГОСТ Р 34.11-2012 (256 бит)"
    assert check["certificate"]["issuer"] == "УЦ ФНС России"
    assert any(certificates_cms.GOST_ADVICE in item for item in check["not_checked"])
    assert any("сертификат выдан на «Римкявичене Ольга Александровна»" in item for item in check["checked"])
    assert any("совпадает с хешем в подписи" in item and "ГОСТ Р 34.11-2012" in item for item in check["checked"])


def test_a_gost_signature_of_another_file_is_refused(signed_report_with_files, director_named):
    """The portal computes Стрибог itself, so a ГОСТ signature made over other bytes is refused."""
    report = signed_report_with_files
    owner = identity("Римкявичене", "Ольга", "Александровна")
    other = bytes(gosthash.new("streebog256", data=b"other bytes").digest())
    sig = cms_signature(b"other bytes", key=None, cert_der=_gost_certificate(owner), digest_oid="1.2.643.7.1.1.2.2",
               signature_oid="1.2.643.7.1.1.3.2", sign=lambda data: b"\x33" * 64, message_digest=other)
    check = certificates_cms.check_detached(sig, {"final_pdf": _final(report)}, director_named)
    assert "не для этой справки" in check.refusal
    assert check.covers == ""


def test_junk_is_not_a_signature(signed_report_with_files, director_named):
    for content in (b"\x30\x03\x02\x01\x01", b"MIIjunk!!", b"-----BEGIN PKCS7-----\nAAAA\n-----END PKCS7-----\n"):
        with pytest.raises(services.ReportError, match="не читается как подпись CMS|не подпись CMS"):
            services.report_signature_attach(report=signed_report_with_files, user=director_named, name="a.sig",
                                             content=content)
