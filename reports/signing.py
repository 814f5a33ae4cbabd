"""The one module that talks to pyHanko: PAdES signatures of approved reports and their validation.

Every signer signs with their own key and certificate: a PKCS#12 stored sealed in the database
(reports.models.SigningCredential, reports/certificates.py); reports/services/certificates.py
finds it and applies the rules (own name, validity) before sign_pdf is called. `manage.py
create_demo_certificate` keeps a demo CA in REPORT_SIGNING_DEMO_CA_DIR (root-ca.pem there is the
default trust root of validate_pdf) and issues the demo directors' certificates.

sign_pdf makes a PAdES B-B signature (B-T when REPORT_SIGNING_TIMESTAMP_URL names a timestamp
server) with a visible stamp on the last page, drawn in PT Sans: pyHanko 0.38 draws fonts of 2048
units per em (DejaVu, Liberation) about twice too wide, PT Sans (1000 upm) correctly. The stamp
shows the certificate's subject, issuer, serial and validity; signer_facts reads them back from the
signed PDF's CMS for the verification page.

Errors reach people as SigningError with a Russian message; the workflow shows it instead of a 500.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
import threading
import urllib.request
import zoneinfo
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from django.conf import settings

from .certificates import CertificateError, CertificateFacts, open_pkcs12, unseal

logger = logging.getLogger(__name__)

ROOT_PEM_NAME = "root-ca.pem"
DEMO_CA_NAME = "Демонстрационный УЦ ИМЦ"
STAMP_TITLE = "Документ подписан электронной подписью"
DEFAULT_REASON = "Утверждение документа"
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")

# The stamp: the right part of the last A4 page's tall bottom margin, which the print stylesheet keeps
# empty (reports.rendering.SIGNATURE_STAMP_BOX: x 100–195 mm, y 8–34 mm). PDF points from the bottom
# left corner: (x1, y1, x2, y2).
STAMP_BOX = (283, 23, 553, 96)
STAMP_PADDING = 4
# (font size, leading), largest first: the first that fits the lines into the box is used. pyHanko
# writes both as integers (`%d Tf %d TL`), so they must be whole points.
STAMP_SIZES = ((7, 9), (7, 8), (6, 7), (6, 6))
STAMP_COLOUR = (0.09, 0.26, 0.55)
PT_SANS_FILE = "PTS55F.ttf"  # PT Sans Regular as fonts-paratype names it
PT_SANS_NAMES = (PT_SANS_FILE, "PTSans-Regular.ttf", "PT_Sans-Web-Regular.ttf")
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/paratype")
TIMESTAMP_TIMEOUT = 10  # seconds
OPENED_KEYS_CACHED = 32


class SigningError(Exception):
    """A signature could not be made; the message is for the person who asked (Russian)."""


class TimestampUnavailableError(SigningError):
    """The timestamp server did not answer: worth trying again later."""


# --- trust roots -----------------------------------------------------------------------------------


def _project_path(value) -> Path:
    """A configured path; a relative one is taken from the project folder, not the working directory."""
    path = Path(value)
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def demo_ca_dir() -> Path:
    return _project_path(settings.REPORT_SIGNING_DEMO_CA_DIR)


def trust_root_paths() -> list[Path]:
    """REPORT_SIGNING_TRUST_ROOTS if set, else the demo CA's root (REPORT_SIGNING_DEMO_CA_DIR)."""
    configured = [_project_path(p) for p in getattr(settings, "REPORT_SIGNING_TRUST_ROOTS", []) if str(p).strip()]
    return configured or [demo_ca_dir() / ROOT_PEM_NAME]


def _moscow(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(MOSCOW)


# --- a signer's credentials -----------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    signer: object  # pyhanko.sign.signers.SimpleSigner
    certificate: asn1_x509.Certificate
    facts: CertificateFacts

    @property
    def subject_name(self) -> str:
        return self.facts.owner

    @property
    def serial_hex(self) -> str:
        return self.facts.serial

    @property
    def is_demo(self) -> bool:
        return self.facts.issuer == DEMO_CA_NAME


@lru_cache(maxsize=1)
def _signer_class():
    """pyHanko's SimpleSigner that keeps the loaded private key object.

    SimpleSigner.sign_raw parses the key again for every signature, and cryptography validates an
    RSA key on each load (~80 ms, twice per PDF). Built on first use so that importing this module
    does not import pyHanko (half a second).
    """
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class CachedKeySigner(signers.SimpleSigner):
        pyca_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            key, hash_algo = self.pyca_key, get_pyca_cryptography_hash(digest_algorithm)
            if isinstance(key, RSAPrivateKey) and algorithm == "rsassa_pkcs1v15":
                return key.sign(data, PKCS1v15(), hash_algo)
            if isinstance(key, EllipticCurvePrivateKey) and algorithm == "ecdsa":
                return key.sign(data, ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return CachedKeySigner


def credentials_from_pkcs12(data: bytes, password: str) -> Credentials:
    """A pyHanko signer over an opened PKCS#12; CertificateError (Russian) when it does not open."""
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, cert, chain = open_pkcs12(data, password)
    signer = _signer_class()(
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        cert_registry=SimpleCertificateStore.from_certs([translate_pyca_cryptography_cert_to_asn1(c) for c in chain]),
    )
    signer.pyca_key = key
    return Credentials(signer=signer, certificate=signer.signing_cert, facts=CertificateFacts.of(signer.signing_cert))


# Opened keys per process, keyed by (credential id, version, certificate fingerprint): unsealing and
# loading an RSA key costs ~0.1 s, and a director signs several справки in a row.
_opened: OrderedDict[tuple, Credentials] = OrderedDict()
_opened_lock = threading.Lock()


def load_credentials(credential) -> Credentials:
    """The signer of a stored reports.models.SigningCredential, opened once per process and version."""
    cache_key = (credential.pk, credential.version, credential.fingerprint)
    with _opened_lock:
        if cache_key in _opened:
            _opened.move_to_end(cache_key)
            return _opened[cache_key]
    try:
        opened = credentials_from_pkcs12(unseal(credential.pkcs12_token), unseal(credential.password_token).decode())
    except CertificateError as error:
        raise SigningError(str(error)) from None
    with _opened_lock:
        _opened[cache_key] = opened
        while len(_opened) > OPENED_KEYS_CACHED:
            _opened.popitem(last=False)
    return opened


def credentials_validity(credentials: Credentials) -> str:
    """«с 01.02.2025 по 02.02.2028» in Moscow dates."""
    return credentials.facts.validity


# --- the stamp -----------------------------------------------------------------------------------


def stamp_font_path() -> Path:
    """PT Sans Regular: the copy vendored in static/fonts/ first, else the system's fonts-paratype."""
    candidates = []
    for static_dir in settings.STATICFILES_DIRS:
        fonts = Path(static_dir) / "fonts"
        if fonts.is_dir():
            candidates += [p for p in sorted(fonts.rglob("*.ttf")) if p.name in PT_SANS_NAMES]
    candidates += [SYSTEM_FONT_DIR / PT_SANS_FILE]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise SigningError(
        "Не найден шрифт PT Sans для штампа электронной подписи (static/fonts/ или пакет fonts-paratype)."
    )


# What a stamp can contain: Latin (Basic, Latin-1, Extended-A), Cyrillic, dashes, quotes, «№».
STAMP_UNICODES = (
    *range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x400, 0x460), *range(0x2010, 0x2028),
    *range(0x2030, 0x203B), 0x2116,
)


@lru_cache(maxsize=4)
def _slim_font(font_path: str, mtime_ns: int) -> bytes:
    """The stamp font without the tables pyHanko's per-signature subsetting spends its time on.

    fontTools decompiles PT Sans's kerning (GPOS) every time a stamp is embedded (~0.1 s of the
    ~0.2 s a signature takes); a copy with the stamp's characters and no OpenType layout tables
    subsets in a fraction of that. Made once per process and font file.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "hdmx", "DSIG"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(font_path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODES)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _slim_font_factory_class():
    """GlyphAccumulatorFactory that reads the slim font from memory instead of a file."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class SlimFontFactory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            path = Path(self.font_file)
            handle = io.BytesIO(_slim_font(str(path), path.stat().st_mtime_ns))
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer, font_handle=handle, font_size=self.font_size, ot_script_tag=self.ot_script_tag,
                ot_language_tag=self.ot_language_tag, writing_direction=self.writing_direction,
                bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream,
            )

    return SlimFontFactory


@lru_cache(maxsize=4)
def _advance_widths(font_path: str) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(font_path, lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    return widths, font["head"].unitsPerEm


def _text_width(text: str, font_path: Path, size: float) -> float:
    widths, upm = _advance_widths(str(font_path))
    default = upm // 2
    return sum(widths.get(ord(ch), default) for ch in text) * size / upm


def _wrap(text: str, font_path: Path, size: float, width: float) -> list[str]:
    """Greedy word wrap by the font's real advance widths (pyHanko does not wrap)."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and _text_width(candidate, font_path, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


@dataclass(frozen=True)
class StampLayout:
    font_size: int
    leading: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def stamp_position(facts: CertificateFacts, signer_position: str) -> str:
    """The certificate's title and organisation when it names them, else the position given."""
    if facts.title:
        return ", ".join(part for part in (facts.title, facts.organisation) if part)
    return signer_position


def stamp_layout(
    facts: CertificateFacts, *, signer_position: str, signed_at: dt.datetime, font_path: Path
) -> StampLayout:
    """The stamp's text wrapped to the stamp box, at the largest size that fits: the owner, issuer,
    serial and validity are the certificate's, never the user record's."""
    parts = [
        STAMP_TITLE,
        f"Владелец: {facts.owner}",
        f"Должность: {stamp_position(facts, signer_position)}",
        f"Издатель: {facts.issuer}",
        f"Сертификат: {facts.serial}",
        f"Действителен: {facts.validity}",
        f"Подписан: {_moscow(signed_at):%d.%m.%Y %H:%M:%S} (МСК)",
    ]
    width = STAMP_BOX[2] - STAMP_BOX[0] - 2 * STAMP_PADDING - 2
    height = STAMP_BOX[3] - STAMP_BOX[1] - 2 * STAMP_PADDING
    for size, leading in STAMP_SIZES:
        lines = [line for part in parts for line in _wrap(part, font_path, size, width)]
        if len(lines) * leading <= height:
            break
    # Still too many lines at the smallest size: pyHanko shrinks the text box to fit the stamp.
    return StampLayout(font_size=size, leading=leading, lines=tuple(lines))


def _stamp_style(font_path: Path, layout_: StampLayout):
    from pyhanko import stamp
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils import text as pdf_text

    # The glyph accumulator and the text box get the same size, or the lines drift
    # (docs/architecture.md, «PDF and signatures»).
    font = _slim_font_factory_class()(str(font_path), font_size=layout_.font_size)
    return stamp.TextStampStyle(
        stamp_text=layout_.text.replace("%", "%%"),
        text_box_style=pdf_text.TextBoxStyle(
            font=font, font_size=layout_.font_size, leading=layout_.leading, text_color=STAMP_COLOUR,
            # No margins of the text box's own (pyHanko's default is 10 pt around): STAMP_PADDING is all.
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MAX,
                margins=layout.Margins(),
            ),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(STAMP_PADDING),
        ),
        border_width=1,
        border_color=STAMP_COLOUR,
        background=None,
    )


# --- timestamps (PAdES B-T) ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def urllib_timestamper_class():
    """RFC 3161 over HTTP with the standard library (pyHanko's own client needs `requests`).

    Built on first use so that importing this module does not import pyHanko (half a second).
    """
    from pyhanko.sign.timestamps.api import TimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    class UrllibTimeStamper(TimeStamper):
        def __init__(self, url: str, timeout: int = TIMESTAMP_TIMEOUT):
            super().__init__()
            self.url, self.timeout = url, timeout

        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            def post() -> bytes:
                request = urllib.request.Request(
                    self.url, data=req.dump(), method="POST", headers={"Content-Type": "application/timestamp-query"}
                )
                try:
                    with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                        if response.headers.get("Content-Type") != "application/timestamp-reply":
                            raise TimestampRequestError("Timestamp server response is malformed.")
                        return response.read()
                except OSError as error:  # URLError, timeouts, refused connections
                    raise TimestampRequestError("Error in communication with timestamp server") from error

            return tsp.TimeStampResp.load(await asyncio.to_thread(post))

    return UrllibTimeStamper


def _timestamper():
    url = getattr(settings, "REPORT_SIGNING_TIMESTAMP_URL", "")
    return urllib_timestamper_class()(url) if url else None


# --- signing -------------------------------------------------------------------------------------


def _bytes_reserved(credentials: Credentials, timestamped: bool) -> int:
    """Room for the CMS signature in the PDF, so pyHanko need not sign twice to measure it (a dummy
    signature, and a second timestamp request). The demo's CMS is ~2.9 KB: key signature, signed
    attributes and the certificates; a timestamp token brings its own certificates."""
    certificates = sum(len(cert.dump()) for cert in credentials.signer.cert_registry) + len(credentials.certificate.dump())
    reserved = 4096 + certificates + (16384 if timestamped else 0)
    return reserved + reserved % 2  # pyHanko wants an even number



def sign_pdf(
    pdf: bytes,
    *,
    credentials: Credentials,
    signer_position: str = "",
    reason: str = DEFAULT_REASON,
    location: str = "",
) -> bytes:
    """The PDF with a PAdES signature of the signer's own certificate and a visible stamp on its last page.

    The caller has checked that the certificate may sign for this person now
    (reports/services/certificates.py); this function only signs.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    font_path = stamp_font_path()
    signed_at = dt.datetime.now(dt.UTC)
    stamp_text = stamp_layout(credentials.facts, signer_position=signer_position, signed_at=signed_at,
                              font_path=font_path)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        existing = len(list(fields.enumerate_sig_fields(writer.prev, filled_status=True)))
    except (PdfError, ValueError, KeyError, TypeError) as error:
        logger.warning("sign_pdf: unreadable PDF: %s", error)
        raise SigningError("Не удалось подписать: файл справки не читается как PDF.") from None
    field_name = f"ImcSignature{existing + 1}"
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=credentials.subject_name,
    )
    timestamper = _timestamper()
    timestamped = timestamper is not None
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=credentials.signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(font_path, stamp_text),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=-1, box=STAMP_BOX),
    )
    try:
        output = pdf_signer.sign_pdf(writer, bytes_reserved=_bytes_reserved(credentials, timestamped))
    except TimestampRequestError as error:
        logger.warning("sign_pdf: timestamp server failed: %s", error)
        raise TimestampUnavailableError(
            "Сервер штампов времени не ответил; подпись не создана. Попробуйте ещё раз через несколько минут."
        ) from None
    except (PdfError, PyHankoSigningError, ValueError) as error:
        logger.warning("sign_pdf: pyHanko refused: %s", error)
        raise SigningError(f"Не удалось подписать PDF: {error}") from None
    return output.getvalue()


# --- validation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """What validate_pdf found. `valid` is the verdict: every signature is intact and passes pyHanko's
    bottom line (valid, chained to a trusted root, no forbidden changes), and the newest one covers
    the whole file — nothing was appended after it."""

    signed: bool  # at least one signature was found
    intact: bool = False  # the signed bytes hash to the signed digest
    valid: bool = False
    bottom_line: bool = False  # pyHanko's own verdict for every signature
    trusted: bool = False
    signer: str = ""
    serial: str = ""
    signed_at: dt.datetime | None = None
    timestamped: bool = False
    covers_whole_file: bool = False
    signature_count: int = 0
    problems: tuple[str, ...] = field(default=())
    certificate: CertificateFacts | None = None  # of the newest signature, read from its CMS

    @property
    def summary(self) -> str:
        if not self.signed:
            return "Электронная подпись в файле не найдена."
        if self.valid:
            return "Электронная подпись действительна."
        return "Электронная подпись недействительна."


def load_trust_roots() -> list[asn1_x509.Certificate]:
    roots = []
    for path in trust_root_paths():
        try:
            data = path.read_bytes()
        except OSError:
            logger.warning("trust root %s is missing", path)
            continue
        blobs = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        roots += [asn1_x509.Certificate.load(der) for der in blobs]
    return roots


def _status_problems(status) -> list[str]:
    """The Russian sentences for what one validated signature fails."""
    problems = []
    if not status.intact:
        problems.append("Документ изменён после подписания: хэш подписанных данных не совпадает.")
    elif not status.valid:
        problems.append("Криптографическая проверка подписи не пройдена.")
    if status.intact and status.valid and not status.trusted:
        problems.append("Сертификат подписи не связан с доверенным корневым сертификатом или недействителен.")
    if status.docmdp_ok is False:
        problems.append("После подписания в документ внесены недопустимые изменения.")
    return problems


def _validated(signatures, roots) -> tuple[list, list[str]]:
    """(statuses, problems): pyHanko's status of each signature (None if it cannot be checked)."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    statuses, problems = [], []
    for signature in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(signature, signer_validation_context=context)
        except Exception as error:  # a malformed signature dictionary, CMS blob …
            logger.info("validate_pdf: signature %s not checkable: %s", signature.field_name, error)
            problems.append("Подпись повреждена и не может быть проверена.")
            statuses.append(None)
            continue
        statuses.append(status)
        problems += _status_problems(status)
    return statuses, problems


def _last_signature_facts(last_status) -> dict:
    """Signer, serial, certificate, time and coverage of the newest checkable signature."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if last_status is None:
        return {"signer": "", "serial": "", "signed_at": None, "timestamped": False, "covers_whole_file": False}
    cert = last_status.signing_cert
    facts = CertificateFacts.of(cert) if cert is not None else None
    timestamp = last_status.timestamp_validity
    signed_at = timestamp.timestamp if timestamp is not None else last_status.signer_reported_dt
    return {
        "signer": facts.owner if facts else "",
        "serial": facts.serial if facts else "",
        "certificate": facts,
        "signed_at": signed_at or None,
        "timestamped": timestamp is not None,
        "covers_whole_file": last_status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    }


def signer_facts(pdf: bytes) -> CertificateFacts | None:
    """The certificate of the newest signature embedded in a PDF, read from its CMS (no validation);
    None when the file has no readable signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
        cert = signatures[-1].signer_cert if signatures else None
        return CertificateFacts.of(cert) if cert is not None else None
    except Exception as error:  # a stand-in or broken file: nothing to read
        logger.info("signer_facts: no readable signature: %s", error)
        return None


def validate_pdf(data: bytes, *, trust_roots: list[asn1_x509.Certificate] | None = None) -> SignatureCheck:
    """Every embedded signature validated against the trust roots, offline (no OCSP/CRL fetching)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as error:  # untrusted input: any parse failure means "no readable signature"
        logger.info("validate_pdf: unreadable PDF: %s", error)
        return SignatureCheck(signed=False, problems=("Файл не читается как PDF.",))
    if not signatures:
        return SignatureCheck(signed=False)

    roots = load_trust_roots() if trust_roots is None else trust_roots
    problems: list[str] = [] if roots else ["Не задан корневой сертификат для проверки цепочки."]
    statuses, signature_problems = _validated(signatures, roots)
    problems += signature_problems
    checked = [status for status in statuses if status is not None]
    complete = len(checked) == len(statuses)  # an uncheckable signature fails every verdict
    all_intact = complete and all(bool(status.intact) for status in checked)
    all_trusted = complete and all(bool(status.trusted) for status in checked)
    all_bottom = complete and all(bool(status.bottom_line) for status in checked)
    facts = _last_signature_facts(checked[-1] if checked else None)
    # The newest signature must reach the end of the file. pyHanko accepts some later incremental
    # updates (metadata, DSS) and trailing bytes; for "is this the signed document" we do not.
    if checked and not facts["covers_whole_file"]:
        problems.append("После подписи в файл дописаны данные, которые подписью не покрыты.")
    return SignatureCheck(
        signed=True,
        intact=all_intact,
        valid=all_intact and all_bottom and all_trusted and facts["covers_whole_file"],
        bottom_line=all_bottom,
        trusted=all_trusted,
        signature_count=len(signatures),
        problems=tuple(dict.fromkeys(problems)),
        **facts,
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = [
    "Credentials", "SignatureCheck", "SigningError", "TimestampUnavailableError", "credentials_from_pkcs12",
    "load_credentials", "sha256_hex", "sign_pdf", "signer_facts", "stamp_layout", "validate_pdf",
]
