"""Detached signatures (.sig, .p7s) made outside the portal — КриптоАРМ, КриптоПро, OpenSSL: what the
portal can check of a CMS/PKCS#7 SignedData, and a plain account of what it could not.

    check_detached(content, files, signer)  → DetachedCheck: which stored file the signature covers
                                              (its messageDigest against the file's digest in the
                                              algorithm the signature names), the certificate, the
                                              signing time, the cryptographic verdict

Checked: the structure; the digest of the PDF (SHA-1/2 with hashlib, ГОСТ Р 34.11-2012 «Стрибог»
with reports/certificates_streebog.py); the signature itself for RSA and ECDSA keys
(`cryptography`); whether the certificate names the person who attaches it and was valid at the
signing time; whether a trusted root (REPORT_SIGNING_TRUST_ROOTS) issued it. Not checked, and said
so: ГОСТ Р 34.10 signatures (neither `cryptography` nor pyHanko implement them), chains to roots the
portal does not know, revocation.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509

from .certificates import CertificateError, CertificateFacts, name_refusal

GOST_ADVICE = "алгоритм ГОСТ Р 34.10-2012: проверьте подпись в КриптоАРМ или на портале Госуслуг"
GOST_KEYS = {
    "1.2.643.7.1.1.1.1": "ГОСТ Р 34.10-2012 (256 бит)",
    "1.2.643.7.1.1.1.2": "ГОСТ Р 34.10-2012 (512 бит)",
    "1.2.643.2.2.19": "ГОСТ Р 34.10-2001",
}
GOST_SIGNATURES = {"1.2.643.7.1.1.3.2", "1.2.643.7.1.1.3.3", "1.2.643.2.2.3"}
DIGEST_LABELS = {
    "sha1": "SHA-1", "sha224": "SHA-224", "sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512",
    "1.2.643.7.1.1.2.2": "ГОСТ Р 34.11-2012 (256 бит)", "1.2.643.7.1.1.2.3": "ГОСТ Р 34.11-2012 (512 бит)",
    "1.2.643.2.2.9": "ГОСТ Р 34.11-94",
}
FILE_LABELS = {"final_pdf": "утверждённого PDF", "signed_pdf": "подписанного PDF"}


@dataclass
class DetachedCheck:
    covers: str = ""  # the role of the stored file the signature covers ("" = none)
    digest_algorithm: str = ""
    signature_algorithm: str = ""
    crypto_verified: bool | None = None  # None: the algorithm is not one the portal can verify
    certificate: CertificateFacts | None = None
    signed_at: dt.datetime | None = None
    checked: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    refusal: str = ""

    def as_dict(self) -> dict:
        return {
            "covers": self.covers, "digest_algorithm": self.digest_algorithm,
            "signature_algorithm": self.signature_algorithm, "crypto_verified": self.crypto_verified,
            "certificate": self.certificate.as_dict() if self.certificate else {},
            "signed_at": self.signed_at.isoformat() if self.signed_at else "",
            "checked": list(self.checked), "not_checked": list(self.not_checked),
        }


# --- reading ---------------------------------------------------------------------------------------


def _der(content: bytes) -> bytes:
    if pem.detect(content):
        return pem.unarmor(content)[2]
    stripped = content.strip()
    if stripped[:2] == b"MI":  # base64 of a DER SEQUENCE, as CryptoPro writes it without armour
        return base64.b64decode(b"".join(stripped.split()), validate=True)
    return content


def signed_data(content: bytes) -> cms.SignedData:
    """The SignedData of a CMS file in DER, PEM or bare base64; CertificateError otherwise."""
    try:
        info = cms.ContentInfo.load(_der(content))
        if info["content_type"].native != "signed_data":
            raise CertificateError("Файл — не подпись CMS (SignedData), а другой объект PKCS#7.")
        data = info["content"]
        data.native  # noqa: B018 - parses every field now, not later in a view
    except CertificateError:
        raise
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise CertificateError("Файл не читается как подпись CMS/PKCS#7 (ожидается DER, PEM или base64).") from None
    return data


def _digest(oid: str, name: str, data: bytes) -> bytes | None:
    if name in ("sha1", "sha224", "sha256", "sha384", "sha512"):
        return hashlib.new(name, data).digest()
    from . import certificates_streebog

    return certificates_streebog.digest(oid, data)


def _signer_certificate(data: cms.SignedData, signer_info) -> asn1_x509.Certificate | None:
    sid = signer_info["sid"]
    for choice in data["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.issuer == wanted["issuer"] and cert.serial_number == wanted["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _attribute(signer_info, name: str):
    for attribute in signer_info["signed_attrs"] or []:
        if attribute["type"].native == name:
            return attribute["values"][0].native
    return None


# --- the checks ----------------------------------------------------------------------------------------


def _is_gost(signer_info, cert: asn1_x509.Certificate) -> str:
    key_oid = cert["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"].dotted
    signature_oid = signer_info["signature_algorithm"]["algorithm"].dotted
    if key_oid in GOST_KEYS:
        return GOST_KEYS[key_oid]
    return "ГОСТ Р 34.10" if signature_oid in GOST_SIGNATURES else ""


def _covered_file(check: DetachedCheck, signer_info, files: dict[str, bytes], content: bytes | None) -> None:
    """Which stored file the signature's messageDigest (or attached content) is of."""
    algorithm = signer_info["digest_algorithm"]["algorithm"]
    oid, name = algorithm.dotted, algorithm.native
    check.digest_algorithm = DIGEST_LABELS.get(name, DIGEST_LABELS.get(oid, oid))
    if content is not None:
        check.covers = next((role for role, data in files.items() if data == content), "")
        check.checked.append("подпись присоединённая: подписанное содержимое сравнено с файлами справки")
        return
    expected = _attribute(signer_info, "message_digest")
    if expected is None:
        check.not_checked.append("в подписи нет подписанных атрибутов (messageDigest): с файлом она не сопоставлена")
        return
    for role, data in files.items():
        digest = _digest(oid, name, data)
        if digest is None:
            check.not_checked.append(f"хеш по алгоритму {check.digest_algorithm} портал не вычисляет: соответствие "
                                     "подписи файлу не проверено")
            return
        if digest == expected:
            check.covers = role
            check.checked.append(f"хеш {FILE_LABELS.get(role, role)} ({check.digest_algorithm}) совпадает с "
                                 "хешем в подписи")
            return
    check.refusal = (f"Подпись сделана не для этой справки: хеш ({check.digest_algorithm}) в подписи не совпадает "
                     "ни с утверждённым, ни с подписанным PDF. Подпишите файл, скачанный с портала.")


def _verify_signature(signer_info, cert: asn1_x509.Certificate, signed: bytes) -> bool:
    """RSA (PKCS#1 v1.5, PSS) or ECDSA with `cryptography`; False when the signature does not verify."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.x509 import load_der_x509_certificate

    algorithm = signer_info["signature_algorithm"]
    try:
        hash_name = algorithm.hash_algo
    except ValueError:
        hash_name = signer_info["digest_algorithm"]["algorithm"].native
    hash_algorithm = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
                      "sha384": hashes.SHA384, "sha512": hashes.SHA512}[hash_name]()
    key = load_der_x509_certificate(cert.dump()).public_key()
    signature = signer_info["signature"].native
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm.signature_algo == "rsassa_pss":
            key.verify(signature, signed, padding.PSS(padding.MGF1(hash_algorithm), padding.PSS.AUTO), hash_algorithm)
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, padding.PKCS1v15(), hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed, ec.ECDSA(hash_algorithm))
        else:
            raise KeyError(type(key).__name__)
    except InvalidSignature:
        return False
    return True


def _check_crypto(check: DetachedCheck, signer_info, cert: asn1_x509.Certificate, content: bytes | None,
                  files: dict[str, bytes]) -> None:
    gost = _is_gost(signer_info, cert)
    check.signature_algorithm = gost or signer_info["signature_algorithm"].signature_algo
    if gost:
        check.not_checked.append(f"{GOST_ADVICE} (подпись {gost} портал проверить не может)")
        return
    attrs = signer_info["signed_attrs"]
    signed = b"\x31" + attrs.dump()[1:] if attrs else (content if content is not None else files.get(check.covers))
    try:
        check.crypto_verified = bool(signed) and _verify_signature(signer_info, cert, signed)
    except (KeyError, ValueError, TypeError):
        check.crypto_verified = None
        check.not_checked.append(f"алгоритм подписи {check.signature_algorithm}: портал его не проверяет — "
                                 "проверьте подпись в КриптоАРМ")
        return
    if not check.crypto_verified:
        check.refusal = "Подпись не проходит криптографическую проверку: файл подписи повреждён или изменён."
    else:
        check.checked.append(f"подпись ({check.signature_algorithm}) математически верна")


def _check_certificate(check: DetachedCheck, cert: asn1_x509.Certificate, signer, roots) -> None:
    from cryptography.x509 import load_der_x509_certificate

    facts = check.certificate = CertificateFacts.of(cert)
    refusal = name_refusal(facts, signer)
    if refusal:
        check.refusal = refusal
        return
    check.checked.append(f"сертификат выдан на «{facts.owner}» — на того, кто прикладывает подпись")
    moment = check.signed_at or dt.datetime.now(dt.UTC)
    when = "на момент подписания" if check.signed_at else "сейчас (времени подписания в подписи нет)"
    if facts.not_before <= moment < facts.not_after:
        check.checked.append(f"сертификат действовал {when} ({facts.validity})")
    else:
        check.not_checked.append(f"сертификат не действовал {when} ({facts.validity})")
    issuer = next((root for root in roots if root.subject == cert.issuer), None)
    if issuer is not None:
        try:
            root = load_der_x509_certificate(issuer.dump())
            load_der_x509_certificate(cert.dump()).verify_directly_issued_by(root)
            check.checked.append(f"сертификат выдан доверенным удостоверяющим центром «{facts.issuer}»")
            return
        except (ValueError, TypeError, Exception):  # noqa: BLE001 - any failure means "not shown trusted"
            pass
    check.not_checked.append(f"удостоверяющий центр «{facts.issuer}» и отзыв сертификата портал не проверяет")


def check_detached(content: bytes, files: dict[str, bytes], signer, roots=()) -> DetachedCheck:
    """What the portal can say about a detached signature of one of `files` ({role: bytes}) by `signer`.

    `refusal` is set (Russian) when the signature must not be stored: unreadable, made for another
    file, failing the cryptographic check, without a certificate, or of somebody else.
    """
    check = DetachedCheck()
    try:
        data = signed_data(content)
    except CertificateError as error:
        check.refusal = str(error)
        return check
    infos = list(data["signer_infos"])
    if not infos:
        check.refusal = "В файле подписи нет ни одной подписи (SignerInfo)."
        return check
    signer_info = infos[0]
    attached = data["encap_content_info"]["content"]
    attached = attached.native if attached is not None and attached.native is not None else None
    signing_time = _attribute(signer_info, "signing_time")
    check.signed_at = signing_time if isinstance(signing_time, dt.datetime) else None
    cert = _signer_certificate(data, signer_info)
    if cert is None:
        check.refusal = "В подписи нет сертификата подписанта: сохраните подпись вместе с сертификатом."
        return check
    for step in (lambda: _covered_file(check, signer_info, files, attached),
                 lambda: _check_certificate(check, cert, signer, roots),
                 lambda: _check_crypto(check, signer_info, cert, attached, files)):
        step()
        if check.refusal:
            return check
    if len(infos) > 1:
        check.not_checked.append(f"в файле {len(infos)} подписи; проверена первая")
    return check
