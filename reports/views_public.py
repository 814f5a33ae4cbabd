"""The public verification page /v/<code>/ (no login): what was signed, and a check of an uploaded copy.

The upload is read into memory by its own upload handler (never written to a temporary file) up to
MAX_UPLOAD_BYTES, hashed and validated, and then forgotten. Upload handlers can only be swapped
before the CSRF middleware reads the body, hence csrf_exempt outside and csrf_protect inside (the
pattern of Django's documentation); CSRF is still enforced for every POST, anonymous ones included.
"""
from __future__ import annotations

import io

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from .verification import (
    MAX_UPLOAD_BYTES,
    looks_like_pdf,
    replacement_of,
    signed_report_by_code,
    verify_upload,
)

MAX_UPLOAD_LABEL = f"{MAX_UPLOAD_BYTES // (1024 * 1024)} МБ"


class LimitedMemoryUploadHandler(FileUploadHandler):
    """Keeps an uploaded file in memory; a file over the limit is skipped and flagged."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = MAX_UPLOAD_BYTES if limit is None else limit
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


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label="PDF-файл справки",
        error_messages={"required": "Выберите PDF-файл справки.", "empty": "Файл пустой."},
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.data_bytes = upload.read()
        if not looks_like_pdf(self.data_bytes):
            raise forms.ValidationError("Это не PDF-файл. Загрузите справку в формате PDF.")
        return upload

    def full_clean(self) -> None:
        super().full_clean()
        if self.too_large:
            self.errors.pop("file", None)
            self.add_error("file", f"Файл слишком большой: принимаются PDF не больше {MAX_UPLOAD_LABEL}.")


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request, code: str):
    handler = LimitedMemoryUploadHandler(request)
    request.upload_handlers = [handler]
    return _verify(request, code, handler)


@csrf_protect
def _verify(request, code: str, handler: LimitedMemoryUploadHandler):
    found = signed_report_by_code(code)
    if found is None:
        return render(request, "reports/verify_not_found.html", {"code": code}, status=404)
    report, signed_file = found
    result = None
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES, too_large=handler.too_large)
        if form.is_valid():
            result = verify_upload(report, form.data_bytes)
            form = VerifyUploadForm()  # a fresh, empty form under the result
    else:
        form = VerifyUploadForm()
    return render(request, "reports/verify.html", {
        "report": report,
        "signed_file": signed_file,
        "replacement": replacement_of(report),
        "form": form,
        "result": result,
        "max_upload_label": MAX_UPLOAD_LABEL,
    })
