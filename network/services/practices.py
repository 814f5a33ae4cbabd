"""Writes of the practice base: save with tags, pairs and files; verify; delete files and practices.

Every write runs in one transaction and keeps `Practice.search_text` (folded title, authors,
subject, description and tags) in step. Uploaded files are checked — extension, content and
size — before anything is written, so a refused file leaves nothing behind.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import ForbiddenError, InvalidError
from core.formatting import human_size
from core.permissions import can, require

from ..models import Practice, PracticeFile, PracticeTag
from ..selectors_practices import (
    CONTRIBUTE,
    EDIT,
    district_events,
    district_pairs,
    fold,
    practices_for_user,
)

TAG_MAX_LENGTH = PracticeTag._meta.get_field("name").max_length
# extension → (content type, how the content must start or look)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    ".pdf": ("application/pdf", "pdf"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml"),
    ".odt": ("application/vnd.oasis.opendocument.text", "odf"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf"),
    ".odp": ("application/vnd.oasis.opendocument.presentation", "odf"),
    ".jpg": ("image/jpeg", "jpeg"),
    ".jpeg": ("image/jpeg", "jpeg"),
    ".png": ("image/png", "png"),
    ".mp4": ("video/mp4", "mp4"),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, JPG, PNG, MP4"


def max_file_bytes() -> int:
    return settings.PRACTICE_FILE_MAX_BYTES


# --- files: checks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    upload: object  # an UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int


def clean_original_name(name: str) -> str:
    """The name as the user knows it, without a path, control characters or surrounding blanks."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    return name[-255:] or "файл"


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_names(upload) -> list[str] | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        return [*names, f"mimetype:{mimetype}"]
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)


def _content_matches(upload, kind: str, extension: str) -> bool:
    head = _head(upload)
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "mp4":
        return head[4:8] == b"ftyp"
    if not head.startswith(b"PK\x03\x04"):
        return False
    names = _zip_names(upload)
    if names is None:
        return False
    if kind == "ooxml":
        return "[Content_Types].xml" in names
    # ODF: the «mimetype» entry names the document's type, which must fit the extension.
    expected = ALLOWED_TYPES[extension][0]
    return f"mimetype:{expected}" in names


def check_upload(upload) -> CheckedUpload:
    """Refuse a file of a type not allowed, whose content does not fit its extension, or too large."""
    original = clean_original_name(getattr(upload, "name", ""))
    extension = os.path.splitext(original)[1].lower()
    if extension not in ALLOWED_TYPES:
        raise InvalidError(f"Файл «{original}»: такой тип не принимается. Допустимы: {ALLOWED_LABEL}.",
                           field_errors={"files": [f"«{original}»: тип файла не принимается. Допустимы: "
                                                   f"{ALLOWED_LABEL}."]})
    limit = max_file_bytes()
    if upload.size > limit:
        message = (f"Файл «{original}» больше допустимого размера: {human_size(upload.size)}, "
                   f"допускается не более {human_size(limit)}.")
        raise InvalidError(message, field_errors={"files": [message]})
    content_type, kind = ALLOWED_TYPES[extension]
    if upload.size == 0 or not _content_matches(upload, kind, extension):
        message = f"Файл «{original}» не похож на {extension[1:].upper()}: содержимое не соответствует расширению."
        raise InvalidError(message, field_errors={"files": [message]})
    return CheckedUpload(upload, original, extension, content_type, upload.size)


def check_uploads(uploads) -> list[CheckedUpload]:
    """All files checked, every refusal reported together; nothing is stored unless all pass."""
    checked, problems = [], []
    for upload in uploads or []:
        try:
            checked.append(check_upload(upload))
        except InvalidError as error:
            problems.extend(error.field_errors["files"])
    if problems:
        raise InvalidError("Файлы не приняты: " + " ".join(problems), field_errors={"files": problems})
    return checked


def _storage_name(extension: str) -> str:
    # The stored name never carries what the user typed (path tricks, Cyrillic, spaces): a random token.
    return f"{secrets.token_hex(12)}{extension}"


def _store(practice: Practice, checked: list[CheckedUpload]) -> list[PracticeFile]:
    stored: list[PracticeFile] = []
    try:
        for item in checked:
            record = PracticeFile(practice=practice, original_name=item.original_name,
                                  content_type=item.content_type, size=item.size)
            item.upload.seek(0)
            record.file.save(_storage_name(item.extension), item.upload, save=False)
            record.save()
            stored.append(record)
    except Exception:
        _remove_from_storage([r.file.name for r in stored])
        raise
    # Stored last in the transaction (after every check that can refuse): Django has no rollback hook,
    # so only a failing COMMIT could leave a file without its row.
    return stored


def _remove_from_storage(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


# --- tags and search text -------------------------------------------------------------------------


def parse_tags(text: str) -> list[str]:
    """«Формирующее оценивание, ОГЭ,  огэ» → ["Формирующее оценивание", "ОГЭ"] (repeats dropped, ё = е)."""
    names: dict[str, str] = {}
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise InvalidError(f"Метка «{name[:30]}…» длиннее {TAG_MAX_LENGTH} знаков.",
                               field_errors={"tags_text": [f"Метка «{name[:30]}…» длиннее {TAG_MAX_LENGTH} знаков."]})
        names.setdefault(fold(name), name)
    return list(names.values())


def _tags_of_district(district_id: int, names: list[str]) -> list[PracticeTag]:
    existing = {fold(tag.name): tag for tag in PracticeTag.objects.filter(district_id=district_id)}
    tags = []
    for name in names:
        tag = existing.get(fold(name))
        if tag is None:
            tag = PracticeTag.objects.create(district_id=district_id, name=name)
            existing[fold(name)] = tag
        tags.append(tag)
    return tags


def tags_text(practice: Practice) -> str:
    return ", ".join(tag.name for tag in practice.tags.all()) if practice.pk else ""


def refresh_search_text(practice: Practice) -> None:
    parts = [practice.title, practice.authors, practice.subject, practice.description,
             *practice.tags.values_list("name", flat=True)]
    practice.search_text = fold(" ".join(p for p in parts if p))
    Practice.objects.filter(pk=practice.pk).update(search_text=practice.search_text)


# --- practices ----------------------------------------------------------------------------------


def _check_links(user, practice: Practice, pairs) -> None:
    errors: dict[str, list[str]] = {}
    if pairs is not None:
        allowed = set(district_pairs(user).values_list("pk", flat=True))
        if any(pair.pk not in allowed for pair in pairs):
            errors["pairs"] = ["Выберите пары своего района."]
    if practice.event_id and not district_events(user).filter(pk=practice.event_id).exists():
        errors["event"] = ["Выберите мероприятие своего района."]
    if errors:
        raise InvalidError("Проверьте связи практики.", field_errors=errors)


@dataclass(frozen=True)
class SaveResult:
    practice: Practice
    verification_cleared: bool
    files_added: int


@transaction.atomic
def save_practice(user, practice: Practice, *, tags: str = "", pairs=None, uploads=()) -> SaveResult:
    """Create or update a practice with its tags, pairs and new files.

    A school administrator writes only their own organisation's practices (the organisation is
    forced to theirs); what they save is unverified until a methodist verifies it — editing a
    verified practice clears the verification.
    """
    require(user, CONTRIBUTE)
    if practice.pk and not practices_for_user(user, write=True).filter(pk=practice.pk).exists():
        raise ForbiddenError("Эту практику вы изменить не можете.")
    practice.district_id = user.district_id
    is_methodist = can(user, EDIT)
    if not is_methodist:
        practice.organisation_id = user.organisation_id
    cleared = False
    if not is_methodist and practice.is_verified:
        practice.is_verified, practice.verified_by, practice.verified_at = False, None, None
        cleared = True
    tag_names = parse_tags(tags)
    checked = check_uploads(uploads)
    _check_links(user, practice, pairs)
    if not practice.pk:
        practice.created_by = user
    try:
        practice.full_clean(exclude=["search_text"])
    except ValidationError as error:
        raise InvalidError("Проверьте поля практики.", field_errors=error.message_dict) from None
    practice.save()
    practice.tags.set(_tags_of_district(practice.district_id, tag_names))
    if pairs is not None:
        practice.pairs.set(pairs)
    refresh_search_text(practice)
    _store(practice, checked)  # last: every refusal above has already happened
    return SaveResult(practice, cleared, len(checked))


@transaction.atomic
def add_files(user, practice: Practice, uploads) -> int:
    require(user, CONTRIBUTE)
    if not practices_for_user(user, write=True).filter(pk=practice.pk).exists():
        raise ForbiddenError("К этой практике вы не можете добавлять файлы.")
    checked = check_uploads(uploads)
    _store(practice, checked)
    return len(checked)


@transaction.atomic
def set_verified(user, practice: Practice, verified: bool) -> Practice:
    """«Проверено методистом»: only a methodist of the practice's district sets or clears it."""
    require(user, EDIT)
    locked = practices_for_user(user, write=True).select_related(None).select_for_update().filter(pk=practice.pk)
    practice = locked.first()
    if practice is None:
        raise ForbiddenError("Эту практику вы проверить не можете.")
    practice.is_verified = verified
    practice.verified_by = user if verified else None
    practice.verified_at = timezone.now() if verified else None
    practice.save(update_fields=["is_verified", "verified_by", "verified_at"])
    return practice


def delete_file(user, record: PracticeFile) -> None:
    require(user, CONTRIBUTE)
    if not practices_for_user(user, write=True).filter(pk=record.practice_id).exists():
        raise ForbiddenError("Этот файл вы удалить не можете.")
    name = record.file.name
    with transaction.atomic():
        record.delete()
        transaction.on_commit(lambda: _remove_from_storage([name]))


def delete_practice(user, practice: Practice) -> None:
    require(user, CONTRIBUTE)
    if not practices_for_user(user, write=True).filter(pk=practice.pk).exists():
        raise ForbiddenError("Эту практику вы удалить не можете.")
    with transaction.atomic():
        names = list(practice.files.values_list("file", flat=True))
        practice.delete()
        transaction.on_commit(lambda: _remove_from_storage(names))
