"""Attachments: PDF, DOCX, XLSX, PPTX, PNG or JPG, at most 10 MB, checked by content.

The extension must be allowed and the bytes must be what the extension claims (filetype
reads the magic numbers; Office files are ZIP packages, so we also look for their part
folders). Files go to the "private" storage under a random name; the user's file name is
kept only as data.
"""

import os
import unicodedata
import uuid
import zipfile

import filetype
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import FileTooLarge, InvalidInput, NotFound, UnsupportedFileType
from ..models import Attachment, Case
from ..permissions import Action, check, get_readable_case
from ..payloads import case_event
from .common import broadcast, locked_case

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_CASE = 10

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
OFFICE_PART_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def private_storage():
    return storages["private"]


def clean_file_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .") or "bijlage"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else name[:200]
    return name


def _is_office_package(upload, ext: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    folder = OFFICE_PART_FOLDER[ext]
    others = [other for key, other in OFFICE_PART_FOLDER.items() if key != ext]
    return (
        "[Content_Types].xml" in names
        and any(name.startswith(folder) for name in names)
        and not any(name.startswith(other) for name in names for other in others)
    )


def inspect_upload(upload) -> tuple[str, str]:
    """Check one uploaded file; returns (clean file name, content type) or raises
    FileTooLarge (413), UnsupportedFileType (415) or InvalidInput."""
    name = clean_file_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size > MAX_ATTACHMENT_SIZE:
        raise FileTooLarge(
            _("“%(name)s” is %(size)s MB; an attachment can be at most 10 MB.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    if size == 0:
        raise InvalidInput(_("“%(name)s” is empty.") % {"name": name}, code="empty_file")
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise UnsupportedFileType(
            _("“%(name)s” cannot be attached: only PDF, DOCX, XLSX, PPTX, PNG and JPG files are allowed.") % {"name": name}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(bytes(head))
    expected = ALLOWED_TYPES[ext]
    if ext in OFFICE_PART_FOLDER:
        ok = (kind is None or kind.mime in {expected, "application/zip"}) and _is_office_package(upload, ext)
    else:
        ok = kind is not None and kind.mime == expected
    if not ok:
        raise UnsupportedFileType(
            _("The content of “%(name)s” is not a %(type)s file. Only real PDF, DOCX, XLSX, PPTX, PNG and JPG files are allowed.")
            % {"name": name, "type": ext.upper()}
        )
    return name, expected


@transaction.atomic
def attachment_add(*, uploader, case: Case, upload) -> Attachment:
    case = locked_case(case)
    check(uploader, case, Action.ATTACH)
    name, content_type = inspect_upload(upload)
    if case.attachments.count() >= MAX_ATTACHMENTS_PER_CASE:
        raise InvalidInput(_("A case can have at most 10 attachments."), code="too_many_attachments")
    ext = name.rpartition(".")[2].lower()
    storage = private_storage()
    stored_name = storage.save(f"cases/{case.pk}/{uuid.uuid4().hex}.{ext}", upload)
    try:
        attachment = Attachment.objects.create(
            case=case,
            uploaded_by=uploader,
            storage_name=stored_name,
            original_name=name,
            content_type=content_type,
            size=upload.size,
        )
    except Exception:
        storage.delete(stored_name)
        raise
    broadcast(case, case_event(case))
    return attachment


@transaction.atomic
def attachments_add(*, uploader, case: Case, uploads) -> list[Attachment]:
    """Several files at once: all are checked before any is stored; all or none."""
    uploads = list(uploads)
    case = locked_case(case)
    check(uploader, case, Action.ATTACH)
    for upload in uploads:
        inspect_upload(upload)
    if case.attachments.count() + len(uploads) > MAX_ATTACHMENTS_PER_CASE:
        raise InvalidInput(_("A case can have at most 10 attachments."), code="too_many_attachments")
    return [attachment_add(uploader=uploader, case=case, upload=upload) for upload in uploads]


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    case = locked_case(attachment.case)
    get_readable_case(actor, case)
    if not Attachment.objects.filter(pk=attachment.pk, case=case).exists():
        raise NotFound(_("This attachment does not exist."))
    check(actor, case, Action.ATTACH)
    stored_name = attachment.storage_name
    attachment.delete()
    transaction.on_commit(lambda: private_storage().delete(stored_name))
    broadcast(case, case_event(case))
