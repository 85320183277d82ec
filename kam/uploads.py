"""Checks for uploaded documents, shared by every app that accepts files.

The browser's content type and the file name are claims, not facts: the type is decided by
the first bytes of the content (and, for Office files, by what is inside the zip). Callers
run `validate_upload` before anything is stored and store the file under
`stored_name(...)`, a random name, so that a user-chosen name never reaches the disk.
"""

import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .doc/.xls/.ppt (Compound File)
ZIP_MAGIC = b"PK\x03\x04"

# Extension -> (what the content must be, the content type we send back on download).
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "docx": (
        "word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("xl", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        "ppt",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "doc": ("ole", "application/msword"),
    "xls": ("ole", "application/vnd.ms-excel"),
    "ppt": ("ole", "application/vnd.ms-powerpoint"),
}
DEFAULT_ALLOWED = ("pdf", "docx", "xlsx", "pptx", "doc", "xls")


@dataclass(frozen=True)
class CheckedUpload:
    extension: str  # lower case, without the dot
    content_type: str  # decided by us from the checked type, never the browser's claim
    size: int
    original_name: str


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return number_format(megabytes, decimal_pos=0 if megabytes == int(megabytes) else 1)


def _sniff(uploaded_file) -> str | None:
    """'pdf', 'ole', 'word', 'xl', 'ppt' from the content, or None when it is none of them."""
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head == OLE_MAGIC:
        return "ole"
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded_file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    # The main part decides: a zip that merely contains a folder of that name is not enough.
    main_parts = {
        "word": "word/document.xml",
        "xl": "xl/workbook.xml",
        "ppt": "ppt/presentation.xml",
    }
    for kind, part in main_parts.items():
        if part in names:
            return kind
    return None


def validate_upload(
    uploaded_file,
    *,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Check size, name ending and the real type by content; raise ValidationError.

    Reads only the first bytes (and a zip's directory), so it is cheap, and runs before the
    caller stores anything.
    """
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    original_name = PurePath(uploaded_file.name or "").name[:255]
    size = uploaded_file.size or 0
    if size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": _megabytes(max_bytes)},
            code="file_too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")
    extension = PurePath(original_name).suffix.lower().lstrip(".")
    if extension not in allowed or extension not in KINDS:
        names = ", ".join(ext.upper() for ext in allowed)
        raise ValidationError(
            _("Only these file types can be uploaded: %(types)s.") % {"types": names},
            code="file_type",
        )
    expected, content_type = KINDS[extension]
    found = _sniff(uploaded_file)
    if found is None:
        raise ValidationError(_("This file is not a PDF or Office document."), code="file_content")
    if found != expected:
        raise ValidationError(
            _("The content of this file does not match its ending “.%(ext)s”.")
            % {"ext": extension},
            code="file_content",
        )
    return CheckedUpload(
        extension=extension, content_type=content_type, size=size, original_name=original_name
    )


def stored_name(original_name: str, folder: str) -> str:
    """A random name in `folder` that keeps the (lower-cased) extension of the original."""
    extension = PurePath(original_name).suffix.lower()
    if not extension[1:].isalnum():
        extension = ""
    return f"{folder.strip('/')}/{secrets.token_hex(16)}{extension}"


def attachment_response(
    file: FieldFile, *, filename: str, content_type: str
) -> FileResponse | HttpResponseRedirect:
    """A stored document as a download (pages and API alike), never rendered inline; a
    file missing from the storage answers 404. The caller has checked the access scope.

    With FILE_DOWNLOAD=redirect (object storage only) the answer is a redirect to a
    pre-signed URL valid for FILE_URL_SECONDS, which sends the same name and type; the
    bucket itself stays private."""
    if not file:
        raise Http404
    storage = file.storage
    if settings.FILE_DOWNLOAD == "redirect" and isinstance(storage, S3Storage):
        name = file.name or ""
        if not storage.exists(name):
            raise Http404
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(
                    as_attachment=True, filename=filename
                ),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.FILE_URL_SECONDS,
        )
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = "private, no-store"
        return redirect
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
