"""The one module that talks to WeasyPrint: report templates → HTML → PDF.

The PDF and the on-screen preview render the same template (the kind's, reports/kinds/) from the
same context (reports/builders/); only the PDF goes through WeasyPrint.

WeasyPrint would follow any URL in the HTML, `file://` included. Texts typed by methodists are
escaped by the templates, and on top of that the renderer gets a fetcher that serves nothing but
the portal's static files (stylesheet, fonts) and `data:` URIs; anything else is refused.
"""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


class _QuietSvgStyles(logging.Filter):
    """WeasyPrint warns about every SVG presentation property (fill, stroke …) of an inline chart it
    reads as CSS ("Ignored `fill: …`, unknown property"); the charts render right, so drop those."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Ignored `")


logging.getLogger("weasyprint").addFilter(_QuietSvgStyles())
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Set before WeasyPrint is imported: it parses its own stylesheets (and logs each step) on import.
from weasyprint import HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

logger = logging.getLogger(__name__)


# The base URL the PDF's HTML is rendered against. It names no real host: the fetcher below maps
# its static paths to files and never opens a connection.
RENDER_BASE_URL = "https://report-assets.invalid/"


class ResourceRefused(ValueError):
    """A URL in a report that the renderer will not fetch."""


def _static_prefix() -> str:
    static_url = settings.STATIC_URL
    if "://" in static_url:  # a CDN-style STATIC_URL: the templates then print absolute URLs
        return static_url if static_url.endswith("/") else static_url + "/"
    return RENDER_BASE_URL.rstrip("/") + "/" + static_url.strip("/") + "/"


def static_file_path(relative: str) -> Path | None:
    """The file behind a static path ("fonts/PTSerif-Regular.ttf"), found like runserver finds it
    (app and project static folders), else in STATIC_ROOT after collectstatic; None if absent."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(part in ("", ".", "..") for part in parts) or "\\" in relative:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / relative).resolve()
    if candidate.is_file() and candidate.is_relative_to(root):
        return candidate
    return None


class StaticOnlyFetcher(URLFetcher):
    """Serves the portal's static files and `data:` URIs to WeasyPrint; refuses every other URL.

    No `file://`, no network: a report cannot make the renderer read /etc/passwd or call an
    internal address, whatever ends up in its HTML.
    """

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        prefix = _static_prefix()
        if url.startswith(prefix):
            relative = unquote(urlsplit(url[len(prefix):]).path)
            path = static_file_path(relative)
            if path is not None:
                mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})
        logger.warning("Report renderer refused a resource: %.200s", url)
        raise ResourceRefused(f"Resource refused: {url[:200]}")


def url_fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher(allowed_protocols=("data",), allow_redirects=False)


def render_html(template_name: str, context: dict) -> str:
    """The template as HTML, in Russian (dates, numbers)."""
    with translation.override("ru"):
        return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a print template to PDF bytes with the restricted fetcher and the vendored fonts."""
    html = render_html(template_name, {**context, "for_pdf": True})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint on already rendered HTML (also what benchmarks time on its own)."""
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=RENDER_BASE_URL, url_fetcher=url_fetcher())
    return document.write_pdf(font_config=font_config)


def report_template(report) -> str:
    from .builders.document import kind_of

    return kind_of(report).template


def render_report_pdf(report, *, final: bool) -> bytes:
    """The report's PDF: a draft (watermark «ПРОЕКТ», blank number) or the final document."""
    from .builders import build_context

    return render_pdf(report_template(report), build_context(report, final=final))


def render_report_html(report, *, final: bool = False) -> str:
    """The same template as the PDF, as HTML for the on-screen preview (an iframe or a page)."""
    from .builders import build_context

    return render_html(report_template(report), {**build_context(report, final=final), "for_pdf": False})


MM = 72 / 25.4
# The part of every page (A4, PDF points from the bottom-left corner: x1, y1, x2, y2) that the print
# stylesheet keeps empty — the right of the tall bottom margin — for the signature stamp that
# reports/signing.py draws at fixed coordinates on the last page.
SIGNATURE_STAMP_BOX = (round(100 * MM), round(8 * MM), round(195 * MM), round(34 * MM))
