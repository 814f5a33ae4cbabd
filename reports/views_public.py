"""The public verification page /v/<code>/ (no login): what was signed, and a check of an uploaded copy.

Anybody can post here, so every refusal comes before the expensive part, cheapest first:

1. the code's shape — reports/urls_public.py matches only codes our generator can produce, anything
   else is a 404 with no query (`/v/%00/` used to reach PostgreSQL and answer 500);
2. a per-address rate limit on uploads (core/ratelimit.py; VERIFY_UPLOAD_RATE_LIMIT per
   VERIFY_UPLOAD_RATE_WINDOW seconds) → 429 with a Russian page, before any query;
3. the declared size: over the report's limit (verification.upload_limit, ~1 MiB) → 413 before the
   multipart body is parsed; the body is read and thrown away unparsed (bounded), so the client
   gets the answer instead of a connection reset;
4. the upload is read into memory by its own handler (never a temporary file) up to the same limit,
   then `%PDF-` head / `%%EOF` tail and the SHA-256 comparison (reports/verification.py).

Upload handlers can only be swapped before the CSRF middleware reads the body, hence csrf_exempt
outside and csrf_protect inside (the pattern of Django's documentation); CSRF is still enforced for
every POST that gets as far as reading its file, anonymous ones included.
"""
from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core import ratelimit
from core.formatting import human_size
from core.forms import PortalForm

from . import services
from .models import FileRole
from .verification import (
    other_verification,
    replacement_of,
    signed_report_by_code,
    upload_limit,
    upload_refusal,
    verify_upload,
)

# Multipart framing around the file (boundaries, part headers, the CSRF field) on top of its size.
MULTIPART_OVERHEAD = 64 * 1024
# An oversized or refused body is read and dropped, unparsed, up to this much (a local read of
# 20 MiB takes milliseconds); beyond it the connection is simply closed unread.
DISCARD_MAX_BYTES = 32 * 1024 * 1024
DISCARD_CHUNK = 256 * 1024


class LimitedMemoryUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory; a file over the limit is skipped and flagged."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.too_large = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            self.buffer = io.BytesIO()
            raise SkipFile()
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name=self.file_name,
            content_type=self.content_type, size=file_size, charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def too_large_message(limit: int) -> str:
    return f"Файл слишком большой: принимаются PDF не больше {human_size(limit)}."


class VerifyUploadForm(PortalForm):
    file = forms.FileField(
        label="PDF-файл справки",
        error_messages={"required": "Выберите PDF-файл справки.", "empty": "Файл пустой."},
    )

    def __init__(self, *args, limit: int = 0, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.too_large = too_large

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.data_bytes = upload.read()
        refusal = upload_refusal(self.data_bytes)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload

    def full_clean(self) -> None:
        super().full_clean()
        if self.too_large:
            self.errors.pop("file", None)
            self.add_error("file", too_large_message(self.limit))


def _declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _discard_body(request) -> None:
    """Read and drop an unread request body (bounded), so the client receives our answer."""
    if getattr(request, "_read_started", False):
        return
    remaining = _declared_length(request)
    if not remaining or remaining > DISCARD_MAX_BYTES:
        return
    while remaining > 0:
        chunk = request.read(min(DISCARD_CHUNK, remaining))
        if not chunk:
            break
        remaining -= len(chunk)


def _upload_allowed(request) -> bool:
    return ratelimit.hit(
        f"reports:verify-upload:{ratelimit.client_ip(request)}",
        limit=settings.VERIFY_UPLOAD_RATE_LIMIT, window_seconds=settings.VERIFY_UPLOAD_RATE_WINDOW,
    )


def _rate_limited(request):
    _discard_body(request)
    window = settings.VERIFY_UPLOAD_RATE_WINDOW
    response = render(request, "reports/verify_rate_limited.html", {
        "limit": settings.VERIFY_UPLOAD_RATE_LIMIT, "minutes": max(1, -(-window // 60)),
    }, status=429)
    response["Retry-After"] = str(window)
    return response


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request, code: str):
    posted = request.method == "POST"
    if posted and not _upload_allowed(request):
        return _rate_limited(request)
    found = signed_report_by_code(code)
    if found is None:
        # Another app's document (a certificate): its verifier handles the page and the upload itself.
        other = other_verification(request, code)
        if other is not None:
            return other
        _discard_body(request)
        return render(request, "reports/verify_not_found.html", {"code": code}, status=404)
    report, signed_file = found
    return check_upload(
        request, signed_file,
        lambda form, result, limit, status: _page(request, report, signed_file, form, limit=limit, result=result,
                                                  status=status),
    )


def check_upload(request, original, page):
    """The page of a stored signed original (anything with .sha256 and .size: a report's signed PDF, an
    events certificate) with the upload check: the size refusal before parsing, the in-memory upload
    handler, CSRF, the SHA-256 comparison. `page(form, result, limit, status)` renders the answer."""
    limit = upload_limit(original)
    if request.method == "POST" and _declared_length(request) > limit + MULTIPART_OVERHEAD:
        _discard_body(request)
        form = VerifyUploadForm(data={}, files={}, limit=limit, too_large=True)
        return page(form, None, limit, 413)
    handler = LimitedMemoryUploadHandler(request, limit=limit)
    request.upload_handlers = [handler]
    return _verify(request, original, handler, page)


@csrf_protect
def _verify(request, original, handler: LimitedMemoryUploadHandler, page):
    result, status = None, 200
    form = VerifyUploadForm(limit=handler.limit)
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES, limit=handler.limit, too_large=handler.too_large)
        if form.is_valid():
            result = verify_upload(original, form.data_bytes)
            form = VerifyUploadForm(limit=handler.limit)  # a fresh, empty form under the result
        elif handler.too_large:
            status = 413
    return page(form, result, handler.limit, status)


def _page(request, report, signed_file, form, *, limit: int, result=None, status: int = 200):
    return render(request, "reports/verify.html", {
        "report": report,
        "signed_file": signed_file,
        "replacement": replacement_of(report),
        # The signer as the signature's certificate names them, never the user record (issue 9).
        "certificate": services.signed_file_certificate(signed_file),
        "detached": services.detached_signature_summary(report),
        "form": form,
        "result": result,
        "max_upload_label": human_size(limit),
    }, status=status)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def signature_download(request, code: str):
    """The detached signature (.sig) attached to a signed report, for anyone holding its link."""
    found = signed_report_by_code(code)
    stored = found[0].files.filter(role=FileRole.DETACHED_SIGNATURE).first() if found else None
    if stored is None:
        raise Http404("Открепленной подписи у этого документа нет.")
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404("Файл подписи не найден в хранилище.") from None
    return FileResponse(handle, as_attachment=True, filename=services.download_filename(stored),
                        content_type="application/pkcs7-signature")
