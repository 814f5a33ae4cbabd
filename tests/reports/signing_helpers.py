"""Helpers for signature tests: a demo certificate made by our own command into a temporary folder
(never a developer's var/certs/), a small справка-like PDF, signed reports in the database, and a
byte flipped inside the signed range.

    install_demo_certificate(settings, tmp_path_factory) -> Path of signer.p12 (made once per session)
    sample_pdf(pages=2) -> bytes (WeasyPrint, Cyrillic text, made once per session)
    signed_sample_pdf(settings) -> that sample signed with the installed certificate (once)
    signed_report(district, signer, *, pdf=b"...") -> Report (status signed, a SIGNED_PDF file row)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from django.core.management import call_command

DEMO_PASSWORD = "test-p12-password"
_made: dict[str, Path] = {}


def install_demo_certificate(settings, tmp_path_factory, *, password: str = DEMO_PASSWORD) -> Path:
    """Point REPORT_SIGNING_* at a demo certificate in a session temp folder (made on first use)."""
    key = password
    if key not in _made:
        folder = tmp_path_factory.mktemp("certs")
        settings.REPORT_SIGNING_PKCS12_PATH = folder / "signer.p12"
        settings.REPORT_SIGNING_PKCS12_PASSWORD = password
        call_command("create_demo_certificate", stdout=_Null())
        _made[key] = folder / "signer.p12"
    settings.REPORT_SIGNING_PKCS12_PATH = _made[key]
    settings.REPORT_SIGNING_PKCS12_PASSWORD = password
    settings.REPORT_SIGNING_TRUST_ROOTS = []
    settings.REPORT_SIGNING_TIMESTAMP_URL = ""
    return _made[key]


class _Null:
    def write(self, *args, **kwargs) -> None:
        pass

    def flush(self) -> None:
        pass


SAMPLE_HTML = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm 15mm 25mm 25mm; }
body { font-family: "PT Serif", "Liberation Serif", serif; font-size: 12pt; }
table { border-collapse: collapse; } td, th { border: 1px solid #000; padding: 2pt 4pt; }
</style></head><body>
<p>ГБУ «ИМЦ» Фрунзенского района</p><p>от 17.12.2021 № 1-854</p>
<h1>Аналитическая справка по результатам мониторинга</h1>
<table><tr><th>Показатель</th><th>План 2021</th><th>Факт 2021</th></tr>
<tr><td>Доля ОУ района в сетевых сообществах</td><td>40,0 %</td><td>54,8 %</td></tr></table>
{paragraphs}
<p><b>Вывод.</b> Все показатели достигнуты.</p>
</body></html>"""


@lru_cache(maxsize=4)
def sample_pdf(pages: int = 2) -> bytes:
    from weasyprint import HTML

    paragraph = "<p>Сетевое взаимодействие педагогов района: кластеры, сообщества, наставничество.</p>"
    html = SAMPLE_HTML.replace("{paragraphs}", paragraph * (28 * pages - 24))
    return HTML(string=html).write_pdf()


_signed_cache: dict[tuple[str, int], bytes] = {}


def signed_sample_pdf(settings, pages: int = 2) -> bytes:
    """sample_pdf(pages) signed with the installed certificate (once per certificate and session)."""
    from reports.signing import sign_pdf

    key = (str(settings.REPORT_SIGNING_PKCS12_PATH), pages)
    if key not in _signed_cache:
        _signed_cache[key] = sign_pdf(
            sample_pdf(pages), signer_name="О.А. Римкявичене",
            signer_position="Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга",
        )
    return _signed_cache[key]


def byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match, "no /ByteRange in the PDF"
    return tuple(int(x) for x in match.groups())


def tampered(pdf: bytes) -> bytes:
    """One byte changed inside the signed range: a byte of the first content stream's data."""
    start, length, _, _ = byte_range(pdf)
    stream = re.search(rb"stream\r?\n", pdf)
    assert stream and stream.end() + 20 < start + length, "no stream inside the first signed range"
    position = stream.end() + 10
    data = bytearray(pdf)
    data[position] ^= 0x01
    return bytes(data)


def signed_report(district, signer, *, pdf: bytes = b"%PDF-1.7\n% signed report stand-in\n", status: str = "signed"):
    """A report of the district in `status` with a SIGNED_PDF file row holding `pdf`'s SHA-256.

    The file itself is not written to storage (the public page reads only the hash from the
    database), so tests of other apps need no MEDIA_ROOT override.
    """
    from django.utils import timezone

    from reports.models import FileRole, Report, ReportFile

    number = Report.objects.filter(district=district).count() + 854
    report = Report.objects.create(
        district=district,
        kind="monitoring",
        title="Аналитическая справка по результатам мониторинга эффективности сетевого взаимодействия",
        status=status,
        outgoing_year=2021,
        outgoing_number=number,
        outgoing_label=f"1-{number}",
        dated=dt.date(2021, 12, 17),
        created_by=signer,
        approved_by=signer,
        approved_at=timezone.now(),
        signed_by=signer if status == "signed" else None,
        signed_at=timezone.now() if status == "signed" else None,
    )
    ReportFile.objects.create(
        report=report,
        role=FileRole.SIGNED_PDF if status == "signed" else FileRole.FINAL_PDF,
        file=f"reports/{district.pk}/{report.pk}/signed.pdf",
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        created_by=signer,
    )
    return report
